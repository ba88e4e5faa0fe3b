import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import { authHeadersForPort, hasCredential } from './auth.js';

export interface SseEvent {
  event: string;
  data: unknown;
  at: number;
}

/** A minimal EventSource for tests: collects events and comment lines from a real socket. */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  private request: ClientRequest | null = null;
  private waiters: { predicate: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  response: IncomingMessage | null = null;

  /**
   * Connects to /api/events, with the credential of the Hark a helper started on `port`
   * unless `headers` bring an Authorization of their own (tests/helpers/auth.ts).
   */
  static connect(port: number, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const credential = hasCredential(headers) ? {} : authHeadersForPort(port);
    return new Promise((resolve, reject) => {
      client.request = get(
        {
          host: '127.0.0.1',
          port,
          path: '/api/events',
          headers: { host: `localhost:${port}`, ...credential, ...headers },
        },
        (response) => {
          client.response = response;
          let buffer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              client.parse(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
              end = buffer.indexOf('\n\n');
            }
          });
          resolve(client);
        },
      );
      client.request.on('error', reject);
    });
  }

  private parse(block: string): void {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments++;
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!data) return;
    const parsed: SseEvent = { event, data: JSON.parse(data), at: Date.now() };
    this.events.push(parsed);
    this.waiters = this.waiters.filter((w) => {
      if (!w.predicate(parsed)) return true;
      w.resolve(parsed);
      return false;
    });
  }

  next(predicate: (e: SseEvent) => boolean): Promise<SseEvent> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Resolves for the first matching event that arrives after now (ignoring ones already seen). */
  nextNew(predicate: (e: SseEvent) => boolean): Promise<SseEvent> {
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  close(): void {
    this.request?.destroy();
  }
}
