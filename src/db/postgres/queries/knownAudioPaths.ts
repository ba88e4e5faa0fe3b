import type { Queryable } from '../pool.js';

/** Every audio path with a transcription row. Rows as arrays: this runs at every scan of a big folder. */
export async function knownAudioPaths(q: Queryable): Promise<Set<string>> {
  const { rows } = await q.query<[string]>({
    text: 'SELECT audio_path FROM transcriptions',
    rowMode: 'array',
  });
  return new Set(rows.map((row) => row[0]));
}
