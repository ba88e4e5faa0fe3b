import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcriptionIdFor } from '../src/core/orphans.js';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { exited, spawnTs, waitForOutput } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';

describe('two processes claiming from one database', () => {
  it('never hand the same task to both', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'hark.db');
    const store = SqliteStore.open(dbPath);
    const total = 30_000;
    const batch = Array.from({ length: total }, (_, i) => ({
      transcriptionId: transcriptionIdFor(`f${i}.wav`),
      audioPath: `f${i}.wav`,
      source: 'orphan' as const,
      originalName: null,
      taskType: 'transcribe_orphan' as const,
      priority: 0 as const,
      fileSize: 1,
      fileMtimeMs: 0,
    }));
    await store.tasks.addTasks(batch, Date.now() - 1000, 2);
    await store.close();

    const children = ['left', 'right'].map((id) =>
      spawnTs('tests/helpers/claimLoop.ts', [dbPath, id, '4'], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    const results = children.map((child) => exited(child));
    // Let both load (tsx compiles on start), then release them together.
    await Promise.all(children.map((child) => waitForOutput(child, /ready/)));
    for (const child of children) child.stdin?.end('go\n');
    const outputs = await Promise.all(results);
    for (const output of outputs) expect(output.code, output.stderr).toBe(0);
    const [left, right] = outputs.map((output) => JSON.parse(output.stdout) as number[]) as [
      number[],
      number[],
    ];

    // Both really competed for the same rows ...
    expect(left.length).toBeGreaterThan(100);
    expect(right.length).toBeGreaterThan(100);
    // ... and no task went to both, or twice to one.
    const all = [...left, ...right];
    expect(new Set(all).size).toBe(all.length);
    const after = SqliteStore.open(dbPath);
    const counts = await after.tasks.getCounts();
    expect(counts.completed).toBe(all.length);
    expect(counts.processing).toBe(0);
    expect(counts.pending).toBe(total - all.length);
    await after.close();
  }, 60_000);
});
