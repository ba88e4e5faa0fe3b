/**
 * What a part of Hark needs of a logger: levelled lines and child loggers
 * that name the part. A pino logger (src/services/log.ts builds the one the
 * app uses) is one; every layer below services depends only on this shape.
 */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(bindings: Record<string, unknown>): Log;
}

/** A logger that drops everything: the CLI's queue commands and tests that do not look. */
export const silentLog: Log = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLog,
};
