/**
 * The few named errors Hark raises on purpose. Each carries a machine-readable
 * `kind` (stored in `error_kind`, sent as `error` in API bodies) and says whether
 * a task that hit it may be tried again. HTTP status codes are mapped from kinds
 * in exactly one place: src/server/errors.ts.
 */

export type ErrorKind =
  | 'unreadable_audio'
  | 'file_missing'
  | 'engine_failed'
  | 'engine_unavailable'
  | 'crashed'
  | 'timeout'
  | 'not_found'
  | 'invalid_state'
  | 'bad_request'
  | 'unsupported_media'
  | 'payload_too_large'
  | 'forbidden'
  | 'already_running'
  | 'database_too_new'
  | 'database_locked'
  | 'disk_full'
  | 'internal';

export class HarkError extends Error {
  readonly kind: ErrorKind;
  /** False when trying the same work again cannot help. */
  readonly retryable: boolean;

  constructor(kind: ErrorKind, message: string, options?: { retryable?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarkError';
    this.kind = kind;
    this.retryable = options?.retryable ?? false;
  }
}

/** The file is not audio Hark can decode: corrupt, truncated, empty or another format. Never retried. */
export class UnreadableAudio extends HarkError {
  constructor(message: string, cause?: unknown) {
    super('unreadable_audio', message, { retryable: false, cause });
    this.name = 'UnreadableAudio';
  }
}

/** The audio file is gone from the notes folder. Never retried. */
export class FileMissing extends HarkError {
  constructor(path: string) {
    super('file_missing', `The audio file no longer exists: ${path}`, { retryable: false });
    this.name = 'FileMissing';
  }
}

/** The engine failed in a way another attempt may not repeat (a crash, a time-out, a full disk). */
export class EngineFailed extends HarkError {
  constructor(message: string, cause?: unknown) {
    super('engine_failed', message, { retryable: true, cause });
    this.name = 'EngineFailed';
  }
}

export class NotFound extends HarkError {
  constructor(what: string) {
    super('not_found', `${what} was not found`);
    this.name = 'NotFound';
  }
}

/** The request is valid but the thing is not in a state that allows it (retrying a completed task, say). */
export class InvalidState extends HarkError {
  constructor(message: string) {
    super('invalid_state', message);
    this.name = 'InvalidState';
  }
}

export class BadRequest extends HarkError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'BadRequest';
  }
}

/** Why an engine call was aborted: the caller's reason travels in the AbortSignal. */
export type AbortReason = { kind: 'cancelled' } | { kind: 'preempted'; by: string } | { kind: 'shutdown' };

export class Aborted extends Error {
  readonly reason: AbortReason;
  constructor(reason: AbortReason) {
    super(`aborted: ${reason.kind}`);
    this.name = 'Aborted';
    this.reason = reason;
  }
}

export function isAbortReason(value: unknown): value is AbortReason {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    ['cancelled', 'preempted', 'shutdown'].includes(String((value as { kind: unknown }).kind))
  );
}

/** Turns anything thrown into a HarkError, keeping named ones as they are. */
export function toHarkError(error: unknown): HarkError {
  if (error instanceof HarkError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const kind = typeof code === 'string' ? storageTroubleOf(code) : null;
  if (kind === 'disk_full')
    return new HarkError('disk_full', `The disk is full: ${message}`, { retryable: true, cause: error });
  if (kind === 'database_locked')
    return new HarkError('database_locked', `The database is locked by another process: ${message}`, {
      retryable: true,
      cause: error,
    });
  return new HarkError('internal', message, { retryable: true, cause: error });
}

/**
 * Storage trouble that passes, from a system or SQLite error code (SQLite
 * reports extended codes such as SQLITE_BUSY_SNAPSHOT): a full disk or quota,
 * or a database another connection holds.
 */
export function storageTroubleOf(code: string): 'disk_full' | 'database_locked' | null {
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) return 'disk_full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'database_locked';
  return null;
}
