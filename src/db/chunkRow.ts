import type { ChunkResult } from '../core/engine.js';
import type { Checkpoint } from '../core/store.js';
import type { Segment } from '../core/types.js';
import type { WindowPrompt } from '../core/windowPrompt.js';

/**
 * A committed chunk's `segments` column (task_chunks, both stores). Releases
 * before the window prompt wrote the bare segments array; this one writes
 * `{ segments, nextPrompt }`, the prompt the window left for the next one,
 * so that a resumed task prompts its next window as an uninterrupted run
 * would. Both shapes are read: an old chunk left no prompt (none is given,
 * the conservative reading), and no migration is needed. `language`, the
 * language the window was heard in, is optional too: a chunk without it
 * (an older release, silence) adds none to the resumed task's count.
 */
interface ChunkJson {
  segments: Segment[];
  nextPrompt: WindowPrompt | null;
  language?: string;
}

/** One chunk row as both stores read it back, in chunk order. */
export interface ChunkRow {
  end_sec: number;
  segments: string;
}

export function chunkJson(chunk: Pick<ChunkResult, 'segments' | 'nextPrompt' | 'language'>): string {
  const json: ChunkJson = { segments: chunk.segments, nextPrompt: chunk.nextPrompt ?? null };
  if (chunk.language) json.language = chunk.language;
  return JSON.stringify(json);
}

/** The checkpoint the rows (ordered by chunk_index) add up to. */
export function checkpointOf(rows: readonly ChunkRow[]): Checkpoint {
  const segments: Segment[] = [];
  let nextPrompt: WindowPrompt | null = null;
  const languages: string[] = [];
  for (const row of rows) {
    const chunk = parseChunk(row.segments);
    segments.push(...chunk.segments);
    nextPrompt = chunk.nextPrompt;
    if (chunk.language) languages.push(chunk.language);
  }
  const checkpoint: Checkpoint = { seconds: rows.at(-1)?.end_sec ?? 0, chunkCount: rows.length, segments };
  if (nextPrompt) checkpoint.nextPrompt = nextPrompt;
  if (languages.length > 0) checkpoint.languages = languages;
  return checkpoint;
}

function parseChunk(text: string): ChunkJson {
  const parsed = JSON.parse(text) as Segment[] | Partial<ChunkJson>;
  if (Array.isArray(parsed)) return { segments: parsed, nextPrompt: null };
  const chunk: ChunkJson = { segments: parsed.segments ?? [], nextPrompt: windowPromptOf(parsed.nextPrompt) };
  if (typeof parsed.language === 'string' && parsed.language.length > 0) chunk.language = parsed.language;
  return chunk;
}

function windowPromptOf(value: unknown): WindowPrompt | null {
  if (typeof value !== 'object' || value === null) return null;
  const { text, language } = value as Record<string, unknown>;
  if (typeof text !== 'string' || text.length === 0) return null;
  return { text, language: typeof language === 'string' ? language : null };
}
