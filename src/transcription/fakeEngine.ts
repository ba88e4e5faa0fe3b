import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ChunkResult, TranscribeOptions, TranscriptionEngine } from '../core/engine.js';
import { EngineFailed, FileMissing, UnreadableAudio } from '../core/errors.js';
import type { Segment, Transcript } from '../core/types.js';
import { abortableDelay, throwIfAborted } from './abortable.js';

/**
 * What a fake "audio" file may say about itself. Tests write these as JSON
 * into files with audio extensions, so queue behaviour can be staged exactly:
 * long files, slow chunks, failures, crashes.
 */
export interface FakeAudioSpec {
  text?: string;
  /** Seconds of "audio". */
  duration?: number;
  chunkSeconds?: number;
  /** Wall-clock time each chunk takes. */
  msPerChunk?: number;
  fail?: 'unreadable' | 'transient' | 'crash' | 'hang';
  /** The chunk at which `fail` happens (default 0). */
  failAtChunk?: number;
}

export interface FakeEngineOptions {
  msPerChunk?: number;
  chunkSeconds?: number;
  /** The language it reports "hearing" (default en): the engine hub passes a folder's pinned language. */
  language?: string;
}

/** Writes a fake audio file's content. */
export function fakeAudio(spec: FakeAudioSpec): string {
  return JSON.stringify({ fake: spec });
}

/**
 * A transcription engine with no model: it "hears" the text a fake audio file
 * declares, chunk by chunk, with real timers, real aborts and real
 * checkpoints, and placeholder words for any other file. It is the demo
 * engine (`--engine fake`, to try the queue without a model) and the engine
 * of the tests that run `hark start` as a child; in-process tests hand one to
 * HarkApp.start directly. Real engines pass the same contract suite on real audio.
 */
export class FakeEngine implements TranscriptionEngine {
  readonly name = 'fake';
  /** It only waits on timers: any number of calls at once. */
  readonly concurrency = Number.POSITIVE_INFINITY;
  calls = 0;

  constructor(private readonly options: FakeEngineOptions = {}) {}

  /** The length the fake file declares (10 s when it says none), null for a file it cannot read. */
  async probeDuration(audioPath: string): Promise<number | null> {
    try {
      return readSpec(audioPath).duration ?? 10;
    } catch {
      return null;
    }
  }

  async transcribe(audioPath: string, options: TranscribeOptions): Promise<Transcript> {
    this.calls++;
    const spec = readSpec(audioPath);
    const duration = spec.duration ?? 10;
    const chunkSeconds = spec.chunkSeconds ?? this.options.chunkSeconds ?? 30;
    const msPerChunk = spec.msPerChunk ?? this.options.msPerChunk ?? 5;
    const words = (spec.text ?? `transcript of ${basename(audioPath)}`).split(/\s+/).filter(Boolean);
    const startAt = Math.min(options.startAt ?? 0, duration);

    const segments: Segment[] = [];
    let index = options.firstChunkIndex ?? 0;
    for (let start = startAt; start < duration || (duration === 0 && index === 0); start += chunkSeconds) {
      throwIfAborted(options.signal);
      if (spec.fail && index === (spec.failAtChunk ?? 0)) await this.fail(spec.fail, options.signal);
      await abortableDelay(msPerChunk, options.signal);
      const end = Math.min(duration, start + chunkSeconds);
      const chunk: ChunkResult = {
        index,
        start,
        end,
        segments: wordsBetween(words, duration, start, end),
        progress: duration > 0 ? end / duration : 1,
      };
      segments.push(...chunk.segments);
      options.onProgress?.(chunk.progress);
      await options.onChunk?.(chunk);
      index++;
      if (duration === 0) break;
    }
    throwIfAborted(options.signal);
    return {
      text: segments.map((s) => s.text).join(' '),
      segments,
      duration,
      language: this.options.language ?? 'en',
    };
  }

  async dispose(): Promise<void> {}

  private async fail(kind: NonNullable<FakeAudioSpec['fail']>, signal: AbortSignal): Promise<never> {
    switch (kind) {
      case 'unreadable':
        throw new UnreadableAudio('Invalid data found when processing input (fake)');
      case 'transient':
        throw new EngineFailed('The engine failed (fake transient error)');
      case 'crash':
        // A file that takes the whole process down, like a native crash would.
        process.kill(process.pid, 'SIGKILL');
        return abortableDelay(60_000, signal) as Promise<never>;
      case 'hang':
        await abortableDelay(2 ** 31 - 1, signal);
        throw new EngineFailed('unreachable');
    }
  }
}

function readSpec(audioPath: string): FakeAudioSpec {
  let content: string;
  try {
    content = readFileSync(audioPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileMissing(audioPath);
    throw error;
  }
  if (content.length === 0) throw new UnreadableAudio('The file is empty (0 bytes)');
  if (content.startsWith('{"fake":')) {
    try {
      return (JSON.parse(content) as { fake: FakeAudioSpec }).fake;
    } catch {
      throw new UnreadableAudio('The fake audio description is not valid JSON');
    }
  }
  return {};
}

/** The words that fall in [start, end), spread evenly over the duration, one segment per chunk. */
function wordsBetween(words: string[], duration: number, start: number, end: number): Segment[] {
  if (words.length === 0) return [];
  const step = duration > 0 ? duration / words.length : 0;
  const inChunk = words.filter((_, i) => {
    const at = i * step;
    return at >= start && (at < end || (end >= duration && at <= end));
  });
  return inChunk.length === 0 ? [] : [{ start, end, text: inChunk.join(' ') }];
}

/** The length the demo engine will hear in a file: what its description says (the engine's own default else). */
export async function fakeAudioLength(audioPath: string): Promise<number> {
  return readSpec(audioPath).duration ?? 10;
}
