import { probeAudio } from '../transcription/ffmpeg.js';
import type { HarkServices } from './services.js';

/** Lengths found before the list is told: a long queue is measured in batches, not one change per file. */
const BATCH = 25;
/** How far ahead of the worker lengths are measured, in claim order (the pending list's first pages). */
const LOOKAHEAD = 200;

/**
 * Measures the audio of pending tasks before their turn, so every pending row shows
 * its length and the queue can say its total time left (core/etaTotal.ts). One file
 * at a time, in the background, again whenever the queue changes, the next LOOKAHEAD
 * tasks in claim order (further down, the total counts a task of unknown length as
 * the mean of the known ones); a file that cannot be measured is left for the worker,
 * whose failure then says why.
 */
export class AudioLengths {
  private readonly tried = new Set<string>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly services: Pick<HarkServices, 'queue' | 'events' | 'notes' | 'log'>,
    /** Seconds of audio in a file (ffmpeg's probe; the demo engine reads its files' own description). */
    private readonly probe: (path: string) => Promise<number> = probeLength,
  ) {}

  start(): void {
    this.stopListening = this.services.events.on('queue-changed', ({ reason }) => {
      if (reason !== 'measured') this.measureSoon();
    });
    this.measureSoon();
  }

  /** Resolves when no pass runs (after the one under way, and any it asked for). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    await this.idle();
  }

  private measureSoon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error: unknown) =>
        this.services.log.warn(`could not measure the pending audio (${(error as Error).message})`),
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.measureSoon();
        }
      });
  }

  private async pass(): Promise<void> {
    const { queue } = this.services;
    // The next tasks to run, not the whole queue: a queue of 100,000 is measured as it moves up.
    const pending = await queue.unknownDurations(LOOKAHEAD);
    let found = 0;
    for (const item of pending) {
      if (this.stopped) break;
      if (this.tried.has(item.transcriptionId)) continue;
      this.tried.add(item.transcriptionId);
      const seconds = await this.measure(item.audioPath);
      if (seconds === null || !(seconds > 0)) continue;
      await queue.setAudioDuration(item.transcriptionId, seconds);
      found++;
      if (found % BATCH === 0) queue.announceLengths();
    }
    if (found % BATCH !== 0) queue.announceLengths();
  }

  private async measure(audioPath: string): Promise<number | null> {
    try {
      return await this.probe(this.services.notes.resolve(audioPath));
    } catch {
      return null;
    }
  }
}

async function probeLength(path: string): Promise<number> {
  return (await probeAudio(path)).duration;
}
