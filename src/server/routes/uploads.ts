import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { importAudio } from '../../app/imports.js';
import { BadRequest, HarkError } from '../../core/errors.js';
import { taskToJson, transcriptionToJson } from '../../core/json.js';
import type { ServerContext } from '../context.js';
import { toHttpError } from '../errors.js';

/** The file parts of a multipart request named `field`, one at a time (each streamed to disk). */
async function* fileParts(request: FastifyRequest, field: string): AsyncGenerator<MultipartFile> {
  if (!request.isMultipart())
    throw new HarkError('unsupported_media', 'Send the audio as multipart/form-data');
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== field) {
      part.file.resume(); // drain and ignore
      throw new BadRequest(`Unexpected file field "${part.fieldname}"; use "${field}"`);
    }
    yield part;
  }
}

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
    for await (const part of fileParts(request, 'file')) {
      const name = part.filename || 'audio';
      try {
        tasks.push(taskToJson(await importAudio(services, part.file, name, () => part.file.truncated)));
      } catch (error) {
        const { status, body } = toHttpError(error);
        if (status >= 500) throw error;
        part.file.resume(); // drain what is left of a refused file so the next part can be read
        firstError ??= error;
        rejected.push({ name, ...body });
      }
    }
    if (tasks.length === 0) throw firstError ?? new BadRequest('No file was sent (field "file")');
    return reply.code(201).send({ tasks, rejected });
  });

  const flow = () => {
    if (!ctx.recordings) throw new HarkError('engine_unavailable', 'Recording is not available in this mode');
    return ctx.recordings;
  };

  /** `hark transcribe-now` asks the running app: it has the engine, with its model loaded. */
  app.post<{ Body: { path: string } }>(
    '/api/transcribe-now',
    {
      schema: {
        body: {
          type: 'object',
          required: ['path'],
          additionalProperties: false,
          properties: { path: { type: 'string', minLength: 1, maxLength: 4096 } },
        },
      },
    },
    async (request) => {
      if (!ctx.transcribeNow)
        throw new HarkError('engine_unavailable', 'No transcription engine is available');
      if (request.body.path.includes('\0')) throw new BadRequest('Invalid path');
      const result = await ctx.transcribeNow(request.body.path);
      return {
        audio_path: result.audioPath,
        transcription: transcriptionToJson(result.transcription),
        queued_task_id: result.queuedTaskId,
        error: result.error,
      };
    },
  );

  app.get('/api/recordings/state', async () => ({ recording_state: services.recording.get() }));
  app.post('/api/recordings/start', async () => ({ recording_state: flow().start() }));
  app.post('/api/recordings/cancel', async () => ({ recording_state: flow().cancel() }));

  /** The finished recording (field `file`): saved under today's folder and transcribed at once. */
  app.post('/api/recordings', async (request, reply) => {
    const recordings = flow();
    for await (const part of fileParts(request, 'file')) {
      const result = await recordings.finish(part.file, () => part.file.truncated);
      return reply.code(201).send({
        transcription: transcriptionToJson(result.transcription),
        queued_task_id: result.queuedTaskId,
        error: result.error,
      });
    }
    throw new BadRequest('No recording was sent (field "file")');
  });
}
