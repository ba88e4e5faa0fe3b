import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorKind, HarkError, storageTroubleOf } from '../core/errors.js';
import type { Log } from '../core/log.js';

/** The one map from Hark's error kinds to HTTP status codes. */
export const STATUS_OF: Record<ErrorKind, number> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  file_missing: 404,
  invalid_state: 409,
  duplicate_note: 409,
  already_running: 409,
  payload_too_large: 413,
  unsupported_media: 415,
  unreadable_audio: 422,
  engine_failed: 502,
  engine_unavailable: 503,
  database_locked: 503,
  timeout: 504,
  disk_full: 507,
  port_in_use: 500,
  download_failed: 502,
  crashed: 500,
  database_too_new: 500,
  internal: 500,
};

/** Fastify's own errors for bad requests, by code. Anything a client sent wrong is a 4xx. */
const FASTIFY_KINDS: Record<string, ErrorKind> = {
  FST_ERR_VALIDATION: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_PROTO_VIOLATION: 'bad_request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media',
  FST_ERR_BAD_URL: 'bad_request',
};

/**
 * The client's multipart body is not valid or broke off (no boundary, a part
 * cut short, a malformed part header): the parser's plain Error becomes the
 * client's 400 instead of an internal 500.
 */
export class MalformedUpload extends HarkError {
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('bad_request', `The upload is not valid multipart/form-data: ${detail}`, { cause });
    this.name = 'MalformedUpload';
  }
}

export interface ErrorBody {
  error: ErrorKind;
  message: string;
}

export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HarkError) {
    return { status: STATUS_OF[error.kind], body: { error: error.kind, message: error.message } };
  }
  const fastifyError = error as Partial<FastifyError> & { code?: string };
  const kind = fastifyError.code ? FASTIFY_KINDS[fastifyError.code] : undefined;
  if (kind) return { status: STATUS_OF[kind], body: { error: kind, message: fastifyError.message ?? kind } };
  // Other client errors Fastify or a plugin flagged (a malformed request of some kind).
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return {
      status: fastifyError.statusCode,
      body: {
        error: fastifyError.statusCode === 404 ? 'not_found' : 'bad_request',
        message: fastifyError.message ?? 'Bad request',
      },
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const trouble = typeof code === 'string' ? storageTroubleOf(code) : null;
  if (trouble === 'disk_full') {
    return {
      status: 507,
      body: { error: 'disk_full', message: 'The disk is full; free some space and try again' },
    };
  }
  if (trouble === 'database_locked') {
    return {
      status: 503,
      body: { error: 'database_locked', message: 'The database is locked by another program; try again' },
    };
  }
  return {
    status: 500,
    body: { error: 'internal', message: 'Something went wrong inside Hark; see its log' },
  };
}

/**
 * Answers every error with its status and a JSON body, and writes the
 * server's own failures (5xx: a locked database, a full disk, a bug) to
 * Hark's log, where the user looks when the page shows an error.
 */
export function errorHandlerFor(
  log: Log,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      const detail = status === 500 && error instanceof Error ? (error.stack ?? error.message) : body.message;
      log.warn(`${request.method} ${request.url.split('?')[0]} failed (${status}): ${detail}`);
    }
    void reply.code(status).type('application/json; charset=utf-8').send(body);
  };
}
