import { KILL_KINDS, type SoakReport } from './runSoak.js';

/** The soak's result in a few lines: what was done to Hark, and what it lost or did twice (both must be 0). */
export function formatSummary(report: SoakReport): string {
  const byKind = KILL_KINDS.map((kind) => {
    const kills = report.kills.filter((k) => k.planned === kind);
    const fallback = kills.filter((k) => k.how === 'fallback sigkill').length;
    return `${kind} ${kills.length}${fallback ? ` (${fallback} not reached, SIGKILLed)` : ''}`;
  }).join(', ');
  const acknowledged = report.uploads.filter((u) => u.acknowledged).length;
  const refused = report.uploads.filter((u) => !u.acknowledged && u.status !== null).length;
  const poisonPills = report.failed.filter((f) => f.kind === 'crashed').length;
  const lines = [
    `seed ${report.seed}: ${report.kills.length} kills (${byKind}), ${report.restarts} restarts`,
    `files: ${report.filesAtEnd} at the end (library ${report.libraryFiles}); complete ${report.complete}, failed ${report.failed.length}`,
    ...report.failed.map(
      (f) =>
        `  failed ${f.path}: [${f.kind}] ${f.message} (engine calls on it cut short in lives ended by: ${f.cutShortIn.join(', ') || 'none'})`,
    ),
    `lost: ${report.lost.length}; duplicates: ${report.duplicates.length}; other violations: ${report.violations.length}`,
    `engine calls: ${report.invocations}; cut short by a kill: ${report.windowsRepeated} (each repeats at most its window in flight); empty re-runs after a final commit died: ${report.emptyReruns}`,
    `uploads: ${report.uploads.length} (${acknowledged} acknowledged, ${refused} refused, ${report.uploads.length - acknowledged - refused} cut off by a kill)`,
    `good files failed by the poison-pill rule ("crashed"): ${poisonPills}`,
    `engine processes outliving a killed Hark: ${report.orphans.seen} seen, ${report.orphans.leftAtEnd} left at the end; hidden leftovers in the notes folder: ${report.leftovers.length}; in Hark's TMPDIR: ${report.tmpLeftovers.length}`,
    `worst word error rate against the spoken text: ${report.maxWer.toFixed(2)}; most tasks running at once in one life: ${report.mostAtOnce}`,
    `wall time: ${(report.wallMs / 1000).toFixed(0)} s; run folder: ${report.dir}`,
  ];
  const problems = [...report.lost, ...report.duplicates, ...report.violations];
  if (problems.length > 0) lines.push('PROBLEMS:', ...problems.slice(0, 50).map((p) => `  ${p}`));
  if (report.leftovers.length > 0) lines.push(`leftovers: ${report.leftovers.slice(0, 10).join(', ')}`);
  return lines.join('\n');
}
