import type { ServerResponse } from 'node:http';

export interface SseOptions {
  /** Events are coalesced: at most one broadcast per this many milliseconds. */
  minIntervalMs?: number;
  /** A comment line this often keeps proxies and the browser from timing out. */
  heartbeatMs?: number;
}

type Snapshot = () => Promise<{ event: string; data: unknown }[]>;

/** Data that is already JSON: sent as it is, not serialised again. */
export class RawJson {
  constructor(readonly json: string) {}
}

export const rawJson = (json: string): RawJson => new RawJson(json);

/**
 * Server-sent events to every open page. Changes only mark the stream dirty;
 * a broadcast then computes the snapshot once for all clients, at most ten
 * times a second however busy the queue is. A client that (re)connects gets
 * the current state at once, so it never misses what changed while it was away.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private lastBroadcast = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly minIntervalMs: number;

  constructor(
    private readonly snapshot: Snapshot,
    options: SseOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  async add(response: ServerResponse): Promise<void> {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // Reconnect quickly if the server restarts.
    response.write('retry: 1000\n\n');
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
    try {
      for (const message of await this.snapshot()) response.write(format(message.event, message.data));
    } catch {
      // the next broadcast brings the state
    }
  }

  /** Something changed: broadcast soon, but not more than ten times a second. */
  notify(): void {
    if (this.timer || this.clients.size === 0) return;
    const wait = Math.max(0, this.lastBroadcast + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => void this.broadcast(), wait);
  }

  private async broadcast(): Promise<void> {
    this.lastBroadcast = Date.now();
    try {
      const messages = await this.snapshot();
      this.write(messages.map((m) => format(m.event, m.data)).join(''));
    } catch {
      // a busy database: the next change tries again
    } finally {
      this.timer = null;
    }
  }

  private write(chunk: string): void {
    for (const client of this.clients) {
      if (!client.writableEnded) client.write(chunk);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}

function format(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${data instanceof RawJson ? data.json : JSON.stringify(data)}\n\n`;
}
