import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { BadRequest, DuplicateNote, HarkError } from '../../core/errors.js';
import { taskToJson, transcriptionToJson } from '../../core/json.js';
import { parseLanguage } from '../../core/languages.js';
import type { TaskLanguage } from '../../core/types.js';
import { IMPORTS_FOLDER, type ImportOptions, importAudio, safeFileName } from '../../services/imports.js';
import type { ServerContext } from '../context.js';
import { toHttpError } from '../errors.js';
import { consumePart, fieldBefore, fileParts } from '../multipart.js';

/**
 * `last_modified` (epoch ms, from the browser's File.lastModified), `allow_duplicate=1`, and the
 * language asked for the file (`language`: auto or a code; `translate`: 1 or 0; absent: the
 * folder rule and the settings decide), each sent before the file.
 */
function importOptions(part: MultipartFile): ImportOptions {
  const lastModified = Number(fieldBefore(part, 'last_modified'));
  const allow = fieldBefore(part, 'allow_duplicate');
  return {
    lastModified: Number.isSafeInteger(lastModified) && lastModified > 0 ? lastModified : undefined,
    allowDuplicate: allow === '1' || allow === 'true',
    language: languageFields(part),
  };
}

function languageFields(part: MultipartFile): TaskLanguage | undefined {
  const language = fieldBefore(part, 'language')?.trim();
  const translate = fieldBefore(part, 'translate')?.trim().toLowerCase();
  const out: TaskLanguage = {};
  // An empty choice is the dialog's "as the folder says".
  if (language) {
    try {
      out.language = parseLanguage(language);
    } catch (error) {
      throw new BadRequest((error as Error).message.replace(/^--language/, 'language'));
    }
  }
  if (translate) {
    if (!['1', '0', 'true', 'false'].includes(translate))
      throw new BadRequest(`translate must be 1 or 0 (got "${translate}")`);
    out.translate = translate === '1' || translate === 'true';
  }
  return out.language === undefined && out.translate === undefined ? undefined : out;
}

export async function uploadRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { services } = ctx;

  /**
   * Import one or more audio files (field `file`, repeatable) into the
   * background queue. Each file stands alone: the answer lists the tasks made
   * and the files refused, with why. Only when every file is refused is the
   * answer itself an error (the first file's). A file whose content is already a note is
   * refused as `duplicate_note` with the note's `existing_id`, unless `allow_duplicate=1`.
   */
  app.post('/api/imports', async (request, reply) => {
    const tasks = [];
    const rejected: { name: string; error: string; message: string; existing_id?: string }[] = [];
    let firstError: unknown = null;
    const parts = fileParts(request, 'file');
    for (;;) {
      let next: IteratorResult<MultipartFile>;
      try {
        next = await parts.next();
      } catch (error) {
        // The body broke off after some files were imported: those stay imported and are
        // reported, so the client does not send them again.
        if (tasks.length === 0) throw error;
        rejected.push({ name: '(the rest of the upload)', ...toHttpError(error).body });
        break;
      }
      if (next.done) break;
      const part = next.value;
      const name = part.filename || 'audio';
      try {
        const options = importOptions(part);
        // A language the background engine cannot hear is refused before a byte is saved.
        if (options.language)
          await ctx.control?.hub.checkLanguage(
            'background',
            `${IMPORTS_FOLDER}/${safeFileName(name)}`,
            options.language,
          );
        const task = await consumePart(part, (file) =>
          importAudio(services, file, name, () => part.file.truncated, options),
        );
        tasks.push(taskToJson(task));
      } catch (error) {
        const { status, body } = toHttpError(error);
        if (status >= 500) throw error;
        firstError ??= error;
        rejected.push({
          name,
          ...body,
          ...(error instanceof DuplicateNote ? { existing_id: error.existingId } : {}),
        });
        // Over the size limit: the rest of the body is not read (it may be gigabytes), and the
        // connection closes after the answer (see app.ts).
        if (status === 413) break;
        part.file.resume(); // drain what is left of a refused file so the next part can be read
      }
    }
    if (tasks.length === 0 && firstError instanceof DuplicateNote) {
      return reply.code(409).send({
        error: { kind: 'duplicate_note', existing_id: firstError.existingId, message: firstError.message },
        message: firstError.message,
      });
    }
    if (tasks.length === 0) throw firstError ?? new BadRequest('No file was sent (field "file")');
    return reply.code(201).send({ tasks, rejected });
  });

  const flow = () => {
    if (!ctx.recordings) throw new HarkError('engine_unavailable', 'Recording is not available in this mode');
    return ctx.recordings;
  };

  app.get('/api/recordings/state', async () => ({ recording_state: services.recording.get() }));
  app.post('/api/recordings/start', async () => ({ recording_state: flow().start() }));
  app.post('/api/recordings/cancel', async () => ({ recording_state: flow().cancel() }));

  /** The finished recording (field `file`): saved under today's folder and transcribed at once. */
  app.post('/api/recordings', async (request, reply) => {
    const recordings = flow();
    for await (const part of fileParts(request, 'file')) {
      const result = await consumePart(part, (file) => recordings.finish(file, () => part.file.truncated));
      return reply.code(201).send({
        transcription: transcriptionToJson(result.transcription),
        queued_task_id: result.queuedTaskId,
        error: result.error,
      });
    }
    throw new BadRequest('No recording was sent (field "file")');
  });
}
