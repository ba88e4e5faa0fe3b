import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../core/errors.js';
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportFormat,
  exportFileName,
  exportTranscript,
} from '../../core/export.js';
import { type RevealJson, transcriptionToJson } from '../../core/json.js';
import { editNote, resolveAlternative, restoreNote, revealNote, trashNote } from '../../services/notes.js';
import { credentialOf } from '../auth/guard.js';
import type { ServerContext } from '../context.js';
import { integer } from '../schemas.js';

const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{20}$' } },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 200 },
    limit: integer(1, 200, 50),
    cursor: { type: 'string', maxLength: 512, pattern: '^[A-Za-z0-9_-]*$' },
    // The trash instead of the main list (?trashed=1).
    trashed: { type: 'string', enum: ['0', '1', 'false', 'true'] },
  },
} as const;

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function transcriptionRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { services } = ctx;
  const { queue, notes } = services;
  type ById = { Params: { id: string } };

  const find = async (id: string) => {
    const transcription = await queue.getTranscription(id);
    if (!transcription) throw new NotFound(`Transcription ${id}`);
    return transcription;
  };

  app.get<{ Querystring: { q?: string; limit: number; cursor?: string; trashed?: string } }>(
    '/api/transcriptions',
    { schema: { querystring: listQuery } },
    async (request) => {
      const { trashed, ...filter } = request.query;
      const page = await queue.listTranscriptions({
        ...filter,
        trashed: trashed === '1' || trashed === 'true',
      });
      return { transcriptions: page.transcriptions.map(transcriptionToJson), next_cursor: page.nextCursor };
    },
  );

  app.get<ById>('/api/transcriptions/:id', { schema: { params: idParams } }, async (request) =>
    transcriptionToJson(await find(request.params.id)),
  );

  app.get<ById>('/api/transcriptions/:id/audio', { schema: { params: idParams } }, async (request, reply) => {
    const transcription = await find(request.params.id);
    if (transcription.trashedAt !== null)
      throw new NotFound('This note is in the trash; restore it to play it');
    notes.resolve(transcription.audioPath); // refuses any path outside the notes folder
    if (!notes.stat(transcription.audioPath)) {
      // Marked, so the list says "audio missing" instead of offering a player that fails.
      await queue.setAudioMissing([transcription.id], true);
      throw new NotFound(`The audio of ${transcription.audioPath} is missing`);
    }
    // @fastify/static's sendFile answers Range requests (seeking in the player).
    return reply.sendFile(transcription.audioPath, notes.root, { cacheControl: false });
  });

  /** Rename, or edit the transcript: `{title?, text?, segments?}` (checked by core's checkNotePatch). */
  app.patch<ById>('/api/transcriptions/:id', { schema: { params: idParams } }, async (request) =>
    transcriptionToJson(await editNote(services, request.params.id, request.body)),
  );

  /** To the trash: the note leaves the list; its audio and Hark's sidecar wait in the data folder. */
  app.delete<ById>('/api/transcriptions/:id', { schema: { params: idParams } }, async (request) =>
    transcriptionToJson(await trashNote(services, request.params.id)),
  );

  app.post<ById>('/api/transcriptions/:id/restore', { schema: { params: idParams } }, async (request) =>
    transcriptionToJson(await restoreNote(services, request.params.id)),
  );

  /**
   * The transcript a re-transcription kept beside the user's edit: `use` puts it in place of
   * the edit, `dismiss` lets it go (409 when there is none).
   */
  app.post<{ Params: { id: string; choice: 'use' | 'dismiss' } }>(
    '/api/transcriptions/:id/alternative/:choice',
    {
      schema: {
        params: {
          ...idParams,
          required: ['id', 'choice'],
          properties: { ...idParams.properties, choice: { type: 'string', enum: ['use', 'dismiss'] } },
        },
      },
    },
    async (request) =>
      transcriptionToJson(await resolveAlternative(services, request.params.id, request.params.choice)),
  );

  /** "Show in folder": opened on this machine when the request is from it, else the path to copy. */
  app.post<ById>(
    '/api/transcriptions/:id/reveal',
    { schema: { params: idParams } },
    async (request): Promise<RevealJson> => {
      const credential = credentialOf(request);
      const result = await revealNote(services, request.params.id, {
        overTls: (request.raw.socket as TLSSocket | undefined)?.encrypted === true,
        remoteAddress: request.raw.socket.remoteAddress,
        credential:
          credential === null ? 'none' : credential.kind === 'secret' ? 'secret' : credential.session.kind,
      });
      return { opened: result.opened, folder: result.folder, reason: result.reason };
    },
  );

  app.get<ById & { Querystring: { format: ExportFormat; timestamps: boolean } }>(
    '/api/transcriptions/:id/export',
    {
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          required: ['format'],
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: [...EXPORT_FORMATS] },
            // Markdown: `false` leaves out each paragraph's [mm:ss].
            timestamps: { type: 'boolean', default: true },
          },
        },
      },
    },
    async (request, reply) => {
      const transcription = await find(request.params.id);
      const { format, timestamps } = request.query;
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('Content-Disposition', attachment(exportFileName(transcription, format)))
        .send(exportTranscript(transcription, format, { timestamps }));
    },
  );
}
