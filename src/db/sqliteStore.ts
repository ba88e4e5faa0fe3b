import type { HarkStore } from '../core/store.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { migrate } from './migrate.js';
import { type Db, type OpenOptions, openDatabase } from './open.js';
import { backfillNotes } from './queries/backfillNotes.js';
import { SqliteSettingsRepository } from './sqlite/settingsRepository.js';
import { SqliteTaskRepository } from './sqlite/taskRepository.js';
import { SqliteTranscriptionRepository } from './sqlite/transcriptionRepository.js';

/**
 * The embedded store: one SQLite connection shared by the three aggregates'
 * repositories (src/db/sqlite/), each a thin wrapper over one-query-per-file
 * functions (src/db/queries/). A PostgreSQL store implements the same HarkStore.
 */
export class SqliteStore implements HarkStore {
  readonly tasks: SqliteTaskRepository;
  readonly transcriptions: SqliteTranscriptionRepository;
  readonly settings: SqliteSettingsRepository;

  private constructor(
    readonly db: Db,
    private readonly checkpointer: BackgroundCheckpointer | null,
  ) {
    this.tasks = new SqliteTaskRepository(db);
    this.transcriptions = new SqliteTranscriptionRepository(db);
    this.settings = new SqliteSettingsRepository(db);
  }

  /** Opens the database file and brings its schema up to date. */
  static open(file: string, options: OpenOptions = {}): SqliteStore {
    const db = openDatabase(file, options);
    try {
      migrate(db);
      if (!options.readonly) backfillNotes(db);
    } catch (error) {
      db.close();
      throw error;
    }
    const background = options.backgroundCheckpoints && file !== ':memory:' && !options.readonly;
    return new SqliteStore(db, background ? BackgroundCheckpointer.start(file) : null);
  }

  async dataVersion(): Promise<number> {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    // The thread's connection closes first: the last one to close checkpoints and removes the WAL.
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
