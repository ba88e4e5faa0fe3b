import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { BadRequest, HarkError } from '../../core/errors.js';
import { taskToJson, transcriptionToJson } from '../../core/json.js';
import { importAudio } from '../../services/imports.js';
import type { ServerContext } from '../context.js';
import { toHttpError } from '../errors.js';
import { consumePart, fileParts } from '../multipart.js';

export async function uploadRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { services } = ctx;

  /**
   * Import one or more audio files (field `file`, repeatable) into the
   * background queue. Each file stands alone: the answer lists the tasks made
   * and the files refused, with why. Only when every file is refused is the
   * answer itself an error (the first file's).
   */
  app.post('/api/imports', async (request, reply) => {
    const tasks = [];
    const rejected: { name: string; error: string; message: string }[] = [];
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
        const task = await consumePart(part, (file) =>
          importAudio(services, file, name, () => part.file.truncated),
        );
        tasks.push(taskToJson(task));
      } catch (error) {
        const { status, body } = toHttpError(error);
        if (status >= 500) throw error;
        firstError ??= error;
        rejected.push({ name, ...body });
        // Over the size limit: the rest of the body is not read (it may be gigabytes), and the
        // connection closes after the answer (see app.ts).
        if (status === 413) break;
        part.file.resume(); // drain what is left of a refused file so the next part can be read
      }
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
