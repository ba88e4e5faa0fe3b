import { connect, type Socket } from 'node:net';

export interface RawExchange {
  /** The status codes of the responses that came back, in order (several when requests were pipelined). */
  statuses: number[];
  raw: Buffer;
  /** Milliseconds from connecting until the server closed the connection. */
  ms: number;
}

/**
 * Sends `bytes` as they are over a fresh TCP connection (no HTTP client to
 * tidy them up), closes the sending side, and collects whatever comes back
 * until the server closes. An event stream's answer is cut off once its
 * head has arrived: it would otherwise stay open.
 */
export function rawExchange(port: number, bytes: Buffer | string, timeoutMs = 15_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no end to the exchange after ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`,
        ),
      );
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      resolve({ statuses: statusesIn(raw), raw, ms: Date.now() - started });
    };
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const head = Buffer.concat(chunks).toString('latin1');
      if (/content-type: text\/event-stream/i.test(head) && head.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => {}); // a reset after a refusal still leaves what was read
    socket.on('close', finish);
  });
}

function statusesIn(raw: Buffer): number[] {
  return [...raw.toString('latin1').matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));
}

/** Opens a connection and leaves it to the caller (slow clients). */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the server closes `socket` (or it errors), with what it sent before. */
export function closedByServer(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    socket.on('error', () => {});
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}
