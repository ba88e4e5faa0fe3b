import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { transcriptionIdFor } from '../../src/core/orphans.js';
import { SqliteStore } from '../../src/db/sqliteStore.js';

/** Every KETTLE_EVERY-th note mentions a kettle: a search for it narrows 10,000 notes to 157. */
export const KETTLE_EVERY = 64;

/** How many of `count` seeded notes a search for "kettle" finds. */
export function kettleNotes(count: number): number {
  return Math.ceil(count / KETTLE_EVERY);
}

/**
 * The path of seeded note `i`: a recorder's name whose time is `i` seconds after midnight, so the
 * list (newest first) runs from note count-1 down to note 0.
 */
export function manyNotePath(i: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(Math.floor(i / 3600))}${two(Math.floor(i / 60) % 60)}${two(i % 60)}`;
  return `2025-01-15/${time}-voice-note.wav`;
}

/**
 * `count` finished notes written straight into a new data folder's store (adopted sidecars: one
 * batch, no audio, no engine), for the 10,000-note list's test and benchmark.
 */
export async function seedManyNotes(data: string, count: number): Promise<void> {
  mkdirSync(data, { recursive: true });
  const store = SqliteStore.open(join(data, 'hark.db'));
  try {
    const batch = Array.from({ length: count }, (_, i) => {
      const audioPath = manyNotePath(i);
      return {
        transcriptionId: transcriptionIdFor(audioPath),
        audioPath,
        source: 'orphan' as const,
        originalName: null,
        sidecarPath: audioPath.replace(/\.wav$/, '.txt'),
        text:
          i % KETTLE_EVERY === 0
            ? `note number ${i}: buy coffee filters and a new kettle`
            : `note number ${i}: remember to water the plants and call the plumber about the sink`,
      };
    });
    await store.transcriptions.adoptSidecars(batch, Date.now() - 60_000);
  } finally {
    await store.close();
  }
}
