/**
 * The few named errors Hark raises on purpose. Each carries a machine-readable
 * `kind` (stored in `error_kind`, sent as `error` in API bodies) and says whether
 * a task that hit it may be tried again. HTTP status codes are mapped from kinds
 * in exactly one place: src/server/errors.ts.
 */

/** Every kind, as a value, so tests can go through them all (a new kind then needs its advice and status). */
export const ERROR_KINDS = [
  'unreadable_audio',
  'file_missing',
  'engine_failed',
  'engine_unavailable',
  'crashed',
  'timeout',
  'not_found',
  'invalid_state',
  'duplicate_note',
  'bad_request',
  'unsupported_media',
  'payload_too_large',
  'forbidden',
  'already_running',
  'database_too_new',
  'database_locked',
  'disk_full',
  'port_in_use',
  'download_failed',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

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

/** An import whose content is already a note: the note is named so the user can open it instead. */
export class DuplicateNote extends HarkError {
  constructor(
    readonly existingId: string,
    title: string,
  ) {
    super('duplicate_note', `This file is already a note ("${title}"); open it, or import it again anyway`);
    this.name = 'DuplicateNote';
  }
}

export class BadRequest extends HarkError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'BadRequest';
  }
}

/** The port Hark was asked to serve on is held by another program (or needs privileges). */
export class PortInUse extends HarkError {
  constructor(message: string) {
    super('port_in_use', message);
    this.name = 'PortInUse';
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
  if (kind === 'database_locked') {
    const unavailable = typeof code === 'string' && isDatabaseUnavailable(code);
    return new HarkError(
      'database_locked',
      unavailable
        ? `The database server is unavailable for now: ${message}`
        : `The database is locked by another process: ${message}`,
      { retryable: true, cause: error },
    );
  }
  return new HarkError('internal', message, { retryable: true, cause: error });
}

/**
 * PostgreSQL trouble that passes, from its SQLSTATE or the socket's error code: the connection
 * lost or refused (class 08, a reset), the server shutting down or restarting (57P01 admin,
 * 57P02 crash, 57P03 not yet accepting connections), or this transaction losing to another
 * (40001 serialization failure, 40P01 deadlock): in each case the same work succeeds later.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
const CONNECTION_LOST_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

function isDatabaseUnavailable(code: string): boolean {
  return UNAVAILABLE_SQLSTATES.has(code) || CONNECTION_LOST_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

/**
 * Storage trouble that passes, from a system, SQLite or PostgreSQL error code
 * (SQLite reports extended codes such as SQLITE_BUSY_SNAPSHOT; PostgreSQL a
 * five-character SQLSTATE): a full disk or quota (PostgreSQL's 53100), or a
 * database another connection holds or that cannot be reached for now, which
 * Hark waits out as it waits out a lock (`database_locked`). Codes only: core does no I/O.
 */
export function storageTroubleOf(code: string): 'disk_full' | 'database_locked' | null {
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === '53100' || code.startsWith('SQLITE_FULL'))
    return 'disk_full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || isDatabaseUnavailable(code))
    return 'database_locked';
  return null;
}
