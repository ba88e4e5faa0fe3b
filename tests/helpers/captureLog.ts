import type { Log } from '../../src/core/log.js';

/** A logger that keeps each message (every level) for a test to read, in order. */
export function captureLog(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const log: Log = {
    debug: (message) => lines.push(message),
    info: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    error: (message) => lines.push(message),
    child: () => log,
  };
  return { log, lines };
}
