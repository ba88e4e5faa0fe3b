import { Writable } from 'node:stream';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Log } from '../core/log.js';

export type { Log } from '../core/log.js';
export { silentLog } from '../core/log.js';

export interface LoggerOptions {
  /** Human lines (on a terminal) or JSON lines (anywhere else). Default: whether stderr is a terminal. */
  pretty?: boolean;
  /** `debug` shows more; `silent` nothing. Default `info`. */
  level?: string;
  /** Runs before each line is written: the CLI clears its progress line here. */
  beforeWrite?: () => void;
  /** Where lines go; stderr by default, so stdout stays clean for --json output. */
  destination?: NodeJS.WritableStream;
}

/**
 * The one logger: pino, levelled, with child loggers per part
 * (`log.child({ part: 'worker' })`). On a terminal, short human lines with the
 * time; elsewhere (a service manager, a pipe, a test) one JSON object per line.
 * Writes are synchronous so nothing is lost when the process exits or is killed.
 */
export function createLogger(options: LoggerOptions = {}): Log {
  const destination = options.destination ?? process.stderr;
  const out = new Writable({
    write(chunk, _encoding, done) {
      options.beforeWrite?.();
      destination.write(chunk);
      done();
    },
  });
  const human = options.pretty ?? Boolean(process.stderr.isTTY);
  const stream = human
    ? pretty({
        destination: out,
        sync: true,
        colorize: Boolean(process.stderr.isTTY),
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,part',
        messageFormat: '{if part}{part}: {end}{msg}',
      })
    : out;
  return pino({ level: options.level ?? 'info', base: undefined }, stream);
}
