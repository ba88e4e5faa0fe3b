import type { FastifyInstance } from 'fastify';
import { BadRequest, FileMissing, HarkError } from '../../core/errors.js';
import { transcriptionToJson } from '../../core/json.js';
import type { NotesFolder } from '../../files/notesFolder.js';
import { saveImport } from '../../services/imports.js';
import type { ServerContext, TranscribeNowResult } from '../context.js';
import { consumePart, fileParts } from '../multipart.js';

const OUTSIDE =
  'Only files in the notes folder can be transcribed by path; send any other file to /api/transcribe-now/upload';

/**
 * The notes-relative path of `path`, given relative to the notes folder or
 * absolute inside it. A path that leads anywhere else (`..`, another absolute
 * path, a symbolic link out of the folder) is refused before anything is
 * read: through the API, Hark reads only its notes folder (NotesFolder.locate).
 */
export function notesPathOf(notes: NotesFolder, path: string): string {
  if (path.includes('\0')) throw new BadRequest('Invalid path');
  const inside = notes.locate(path);
  if (inside === null || inside === '') throw new HarkError('forbidden', OUTSIDE);
  if (!notes.exists(inside)) throw new FileMissing(path);
  return inside;
}

function toJson(result: TranscribeNowResult) {
  return {
    audio_path: result.audioPath,
    transcription: transcriptionToJson(result.transcription),
    queued_task_id: result.queuedTaskId,
    error: result.error,
  };
}

/**
 * `hark transcribe-now` asks the running app, which has the engine with its
 * model loaded: by path for a file in the notes folder, or by sending the
 * file (saved under imports/, as the CLI's own copy would be) for any other.
 */
export async function transcribeNowRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const transcribe = () => {
    if (!ctx.transcribeNow) throw new HarkError('engine_unavailable', 'No transcription engine is available');
    return ctx.transcribeNow;
  };

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
      const run = transcribe();
      return toJson(await run(notesPathOf(ctx.services.notes, request.body.path)));
    },
  );

  app.post('/api/transcribe-now/upload', async (request) => {
    const run = transcribe();
    for await (const part of fileParts(request, 'file')) {
      const audioPath = await consumePart(part, (file) =>
        saveImport(ctx.services, file, part.filename || 'audio', () => part.file.truncated),
      );
      return toJson(await run(audioPath));
    }
    throw new BadRequest('No file was sent (field "file")');
  });
}
