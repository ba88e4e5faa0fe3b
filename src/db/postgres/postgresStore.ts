import type pg from 'pg';
import type {
  HarkStore,
  HistoryRepository,
  SettingsRepository,
  TaskRepository,
  TranscriptionRepository,
} from '../../core/store.js';
import { type ChangeFeedOptions, PgChangeFeed } from './changeFeed.js';
import { withSqlState, withSqlStates } from './driverErrors.js';
import { postgresHistory } from './history.js';
import { migratePostgres } from './migrate.js';
import { createPool } from './pool.js';
import { dataVersion } from './queries/dataVersion.js';
import { postgresSettings } from './settings.js';
import { postgresTasks } from './tasks.js';
import { postgresTranscriptions } from './transcriptions.js';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** The connections' application_name (default `hark`; the listener's is `hark-listen`): how an operator tells nodes apart. */
  applicationName?: string;
  /** The clock settings' updated_at is read from (every other time is passed in). */
  clock?: () => number;
  /** The change feed's fallback poll and reconnect backoff. */
  changeFeed?: ChangeFeedOptions;
}

/**
 * The store on a PostgreSQL server (issue 10): the same aggregates and rules as the SQLite
 * store, for a queue shared by several machines. PostgreSQL holds the queue and its locks;
 * the claim is one `FOR UPDATE SKIP LOCKED` statement, so workers on any number of nodes never
 * take the same task.
 */
export class PostgresStore implements HarkStore {
  readonly tasks: TaskRepository;
  readonly transcriptions: TranscriptionRepository;
  readonly settings: SettingsRepository;
  readonly kind = 'postgres' as const;
  private feed: PgChangeFeed | null = null;
  readonly history: HistoryRepository;

  private constructor(
    readonly pool: pg.Pool,
    clock: () => number,
    private readonly url: string,
    private readonly feedOptions: ChangeFeedOptions,
  ) {
    // Every error leaves with a code core can read (driverErrors.ts), so a broken connection is
    // storage trouble the worker waits out, not a failure charged to the task.
    this.tasks = withSqlStates(postgresTasks(pool));
    this.transcriptions = withSqlStates(postgresTranscriptions(pool));
    this.settings = withSqlStates(postgresSettings(pool, clock));
    this.history = withSqlStates(postgresHistory(pool));
  }

  /** Connects to `url` (postgres://user@host:port/db) and brings the schema up to date. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, {
      ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
      ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    });
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool, options.clock ?? Date.now, url, options.changeFeed ?? {});
  }

  /**
   * Moves whenever a change commits, by any connection, this one's included (SQLite's
   * data_version counts only other connections' commits): a poller may refresh once more
   * than it needs to, never less.
   */
  dataVersion(): Promise<number> {
    return dataVersion(this.pool).catch((error: unknown) => {
      throw withSqlState(error);
    });
  }

  /** LISTEN/NOTIFY on a connection of its own, opened at the first call; one feed per store. */
  changes(): PgChangeFeed {
    this.feed ??= new PgChangeFeed(this.url, () => dataVersion(this.pool), this.feedOptions);
    return this.feed;
  }

  async close(): Promise<void> {
    await this.feed?.close();
    if (!this.pool.ended) await this.pool.end();
  }
}
