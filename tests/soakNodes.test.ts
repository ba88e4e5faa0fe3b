import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMultiNodeSummary, runMultiNodeSoak } from './soak/multiNode.js';
import { postgresAvailable } from './soak/pgCluster.js';

/**
 * The short multi-node soak (`npm run soak -- --nodes 3 --store postgres` is the long one):
 * a main node and two workers on one PostgreSQL database and one shared notes folder of 12
 * one-sentence notes, 4 random SIGKILLs of random nodes and one server restart; nothing lost,
 * nothing transcribed twice, nothing left processing, every failure with a reason. It starts
 * a throw-away cluster of its own (it restarts it), so it needs PostgreSQL's server programs:
 * in CI (.ci/run installs them) their absence fails the test rather than skipping it.
 */
describe('multi-node soak on PostgreSQL (short)', () => {
  if (!postgresAvailable()) {
    if (process.env.CI) {
      it('has PostgreSQL to run on', () => {
        throw new Error('PostgreSQL server programs not found (.ci/run installs Debian’s postgresql)');
      });
    } else it.skip('needs PostgreSQL’s server programs (install Debian’s postgresql)', () => {});
    return;
  }
  it('three nodes, four SIGKILLs and a PostgreSQL restart lose nothing and do nothing twice', async () => {
    const report = await runMultiNodeSoak({
      nodes: 3,
      files: 12,
      kills: 4,
      pgRestarts: 1,
      seed: 3,
      quick: true,
      keep: true,
      finishTimeoutMs: 120_000,
    });
    const summary = formatMultiNodeSummary(report);
    console.log(summary);
    expect(report.kills, summary).toHaveLength(4);
    expect(report.pgRestarts, summary).toBe(1);
    expect(report.nodeExits, summary).toEqual([]);
    expect(report.lost, summary).toEqual([]);
    expect(report.duplicates, summary).toEqual([]);
    expect(report.violations, summary).toEqual([]);
    expect(report.complete + report.failed.length, summary).toBe(report.filesAtEnd);
    expect(report.filesAtEnd, summary).toBe(report.libraryFiles);
    rmSync(report.dir, { recursive: true, force: true });
  }, 240_000);
});
