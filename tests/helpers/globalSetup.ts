/**
 * Runs once before the test workers start. As root, it builds the copy that children running as
 * `nobody` use (tests/helpers/nobodyKit.ts) and proves that nobody can run from it, so that a
 * clone in a private folder (mode 0700, such as root's home) fails here, with the reason, rather
 * than in two permission tests with `Cannot find package 'tsx'`.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { TestProject } from 'vitest/node';
import { buildNobodyKit, NOBODY, probeNobodyKit } from './nobodyKit.js';

// Vitest calls this once for the root and once per project (they inherit it). One copy serves all.
const shared = globalThis as { harkNobodyKit?: Promise<string> };

async function nobodyKit(): Promise<string> {
  const kit = buildNobodyKit();
  const probe = await probeNobodyKit(kit);
  if (probe.code !== 0) {
    rmSync(kit, { recursive: true, force: true });
    throw new Error(
      [
        `The suite runs as root, so the permission tests run a child as nobody (uid ${NOBODY}).`,
        `Such a child runs from a world-readable copy of this clone in ${tmpdir()},`,
        `but nobody could not run a scan from it (exit code ${probe.code}, signal ${probe.signal}):`,
        probe.stderr.trim(),
        `Check that nobody may enter ${tmpdir()} (TMPDIR) and that uid ${NOBODY} exists, or run the suite as another user.`,
      ].join('\n'),
    );
  }
  return kit;
}

export default async function setup(project: TestProject) {
  if (process.getuid?.() !== 0) {
    project.provide('nobodyKit', '');
    return;
  }
  const first = shared.harkNobodyKit === undefined;
  shared.harkNobodyKit ??= nobodyKit();
  const kit = await shared.harkNobodyKit;
  project.provide('nobodyKit', kit);
  if (!first) return;
  return () => {
    // Unlinking the copy's 6,500 files takes seconds on a busy machine; the run need not wait for it.
    spawn('rm', ['-rf', kit], { detached: true, stdio: 'ignore' }).unref();
  };
}
