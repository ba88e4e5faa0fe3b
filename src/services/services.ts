import { join } from 'node:path';
import { type Clock, systemClock } from '../core/clock.js';
import { createBus, type HarkBus } from '../core/events.js';
import { RecordingStateHolder } from '../core/recordingState.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { NotesFolder } from '../files/notesFolder.js';
import { NoteTrash } from '../files/trash.js';
import { QueueManager } from '../queue/queueManager.js';
import { OrphanScanner, type ScannerOptions } from '../queue/scanner.js';
import type { HarkConfig } from './config.js';
import type { Log } from './log.js';

/**
 * What every entry point shares: the queue (the one holder of the store) and
 * the notes folder. The CLI's queue commands use just these, beside a running app;
 * `hark start` adds the worker, the watcher and the server (HarkApp).
 */
export interface HarkServices {
  config: HarkConfig;
  clock: Clock;
  /** The one event bus: the queue and the recording state tell it their changes; the worker and the server listen. */
  events: HarkBus;
  queue: QueueManager;
  notes: NotesFolder;
  /** Where deleted notes' files wait, in the data folder (issue 11). */
  trash: NoteTrash;
  recording: RecordingStateHolder;
  scanner: OrphanScanner;
  log: Log;
  close(): Promise<void>;
}

export function openServices(
  config: HarkConfig,
  options: {
    clock?: Clock;
    log: Log;
    scanner?: ScannerOptions;
    /** The long-running app: the WAL is checkpointed from a thread of its own (BackgroundCheckpointer). */
    backgroundCheckpoints?: boolean;
  },
): HarkServices {
  const clock = options.clock ?? systemClock;
  const store = SqliteStore.open(config.dbPath, {
    backgroundCheckpoints: options.backgroundCheckpoints ?? false,
  });
  const events = createBus();
  const queue = new QueueManager(store, clock, events, {
    maxRetries: config.maxRetries,
    progressWriteIntervalMs: 1_000,
  });
  const notes = new NotesFolder(config.notesDir);
  const recording = new RecordingStateHolder(events);
  const scanner = new OrphanScanner(notes, queue, clock, {
    log: options.log.child({ part: 'scanner' }),
    ...options.scanner,
  });
  return {
    config,
    clock,
    events,
    queue,
    notes,
    trash: new NoteTrash(notes, join(config.dataDir, 'trash')),
    recording,
    scanner,
    log: options.log,
    close: () => store.close(),
  };
}
