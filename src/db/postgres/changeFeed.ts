import pg from 'pg';
import { reconnectDelayMs } from '../../core/leases.js';
import type { StoreChange, StoreChanges } from '../../core/store.js';

/** The channel every change to Hark's tables is told on (migrations/postgres/0002_leases.sql). */
export const CHANGES_CHANNEL = 'hark_changes';

export interface ChangeFeedOptions {
  /** While the listening connection is down, look at the data version this often (default 5 s). */
  fallbackPollMs?: number;
  /** Wait before the n-th reconnect (default core's reconnectDelayMs: 250 ms doubling to 5 s). */
  reconnectDelayMs?: (failures: number) => number;
  /** The listening connection's application_name (default `hark-listen`). */
  applicationName?: string;
}

/**
 * Commits by any node, as they happen: one dedicated connection LISTENs on hark_changes, which
 * the tables' triggers NOTIFY inside every writing transaction. When that connection drops (a
 * server restart, a terminated backend, the network) the feed says so once, polls the data
 * version every few seconds meanwhile (so no change goes unseen), reconnects with backoff, says
 * it is back, and tells one catch-all change for whatever it missed.
 */
export class PgChangeFeed implements StoreChanges {
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private client: pg.Client | null = null;
  private failures = 0;
  /** Whether the last word said about the connection was that it is down. */
  private saidDown = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private lastVersion: number | null = null;
  readonly ready: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly dataVersion: () => Promise<number>,
    private readonly options: ChangeFeedOptions = {},
  ) {
    this.ready = this.connect();
  }

  on(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True while the listening connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopPolling();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.options.applicationName ?? 'hark-listen',
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection ended')));
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.emit({ kind: 'changed', table: message.payload ?? '*' });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      this.lost(client, error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.failures = 0;
    this.stopPolling();
    if (this.saidDown) {
      this.saidDown = false;
      this.emit({ kind: 'connection', up: true });
      // Changes committed while nobody listened were told to no one.
      this.emit({ kind: 'changed', table: '*' });
    }
  }

  /** The listening connection broke, or could not be made: say so once, poll, and try again later. */
  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || (this.client !== null && this.client !== client)) return;
    if (this.client === client) {
      this.client = null;
      client.removeAllListeners('end');
      void client.end().catch(() => {});
    } else if (this.retryTimer) return; // a failed connect already scheduled the next try
    if (!this.saidDown) {
      this.saidDown = true;
      this.emit({
        kind: 'connection',
        up: false,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    this.startPolling();
    this.failures++;
    const delay = (this.options.reconnectDelayMs ?? reconnectDelayMs)(this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.poll(), this.options.fallbackPollMs ?? 5_000);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private async poll(): Promise<void> {
    try {
      const version = await this.dataVersion();
      if (this.lastVersion !== null && version !== this.lastVersion)
        this.emit({ kind: 'changed', table: '*' });
      this.lastVersion = version;
    } catch {
      // The database is away too: the reconnect will tell.
    }
  }
}
