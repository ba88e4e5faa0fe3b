import type { Readable } from 'node:stream';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { BadRequest, HarkError } from '../core/errors.js';
import { MalformedUpload, toHttpError } from './errors.js';

/**
 * An error from the multipart parser (it throws plain Errors) is the client's
 * fault; ours (a full disk, a locked database) and the named ones keep their status.
 */
export function asUploadError(error: unknown): unknown {
  if (toHttpError(error).status < 500) return error;
  if (typeof (error as { code?: unknown } | null)?.code === 'string') return error;
  return new MalformedUpload(error);
}

/** The file parts of a multipart request named `field`, one at a time (each streamed to disk). */
export async function* fileParts(request: FastifyRequest, field: string): AsyncGenerator<MultipartFile> {
  if (!request.isMultipart())
    throw new HarkError('unsupported_media', 'Send the audio as multipart/form-data');
  const parts = request.parts();
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (error) {
      throw asUploadError(error);
    }
    if (next.done) return;
    const part = next.value;
    if (part.type !== 'file') continue;
    if (part.fieldname !== field) {
      part.file.resume(); // drain and ignore
      throw new BadRequest(`Unexpected file field "${part.fieldname}"; use "${field}"`);
    }
    yield part;
  }
}

/**
 * Runs `consume` on a file part's stream. A part over the size limit fails
 * at once (413) rather than when the parser has skipped the rest of it,
 * which it reads to the end. When the part itself failed (the body was cut
 * short inside it), the failure is the client's: a 400. The stream keeps
 * its error (`errored`) even when it failed before `consume` began.
 */
export async function consumePart<T>(
  part: MultipartFile,
  consume: (file: Readable) => Promise<T>,
): Promise<T> {
  const tooLarge = () =>
    part.file.destroy(new HarkError('payload_too_large', 'The file is larger than the upload limit'));
  if (part.file.truncated) tooLarge();
  else part.file.once('limit', tooLarge);
  try {
    return await consume(part.file);
  } catch (error) {
    // The part's own failure may surface as itself or as what it caused downstream (a pipeline's
    // error, a file cut short): either way the body broke off, and the part's error says how.
    const broken = part.file.errored;
    throw broken ? asUploadError(broken) : error;
  } finally {
    part.file.off('limit', tooLarge);
  }
}

/**
 * The latest value of a text field sent before a file part (`last_modified`, `allow_duplicate`):
 * a client sends them before each file they describe.
 */
export function fieldBefore(part: MultipartFile, name: string): string | undefined {
  const field = part.fields[name];
  const last = Array.isArray(field) ? field.at(-1) : field;
  if (!last || last.type !== 'field') return undefined;
  return typeof last.value === 'string' ? last.value : String(last.value);
}
