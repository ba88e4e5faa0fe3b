import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequest, HarkError } from '../../core/errors.js';
import { transcriptionToJson } from '../../core/json.js';
import { folderOf, ORIGIN_LABELS } from '../../core/notes.js';
import type { Transcription } from '../../core/types.js';
import { editNote, restoreNote, trashNote } from '../../services/notes.js';
import type { Command, CommandContext } from '../command.js';
import { formatSeconds, table } from '../output.js';
import { withServices } from '../withServices.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** A recorded time as the user's clock shows it: 2024-05-05 07:15. */
export function localDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function noteRows(notes: readonly Transcription[]): string[][] {
  return [
    ['ID', 'TITLE', 'RECORDED', 'LENGTH', 'FOLDER', 'FROM', ''],
    ...notes.map((n) => [
      n.id,
      n.title,
      localDateTime(n.recordedAt),
      n.duration === null ? '' : formatSeconds(n.duration),
      folderOf(n.audioPath) || '.',
      ORIGIN_LABELS[n.origin],
      [n.audioMissing ? 'audio missing' : '', n.edited ? 'edited' : ''].filter(Boolean).join(', '),
    ]),
  ];
}

function noteIdArg(ctx: CommandContext, usage: string): string {
  const id = ctx.positionals[0];
  if (id === undefined || !/^[0-9a-f]{20}$/.test(id))
    throw new BadRequest(`usage: ${usage} (ID from hark notes)`);
  return id;
}

export const notesCommand: Command = {
  name: 'notes',
  summary: 'List your notes (title, recorded date, length, folder, where from), or the trash with --trashed.',
  usage: 'hark notes [--trashed] [--search WORDS] [--limit N] [--cursor C] [--json]',
  options: {
    trashed: { type: 'boolean' },
    search: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const limit = Number(ctx.values.limit ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200)
        throw new BadRequest('--limit must be 1 to 200');
      const trashed = Boolean(ctx.values.trashed);
      const page = await queue.listTranscriptions({
        limit,
        trashed,
        q: ctx.values.search as string | undefined,
        cursor: ctx.values.cursor as string | undefined,
      });
      if (ctx.values.json) {
        ctx.out(
          JSON.stringify(
            { transcriptions: page.transcriptions.map(transcriptionToJson), next_cursor: page.nextCursor },
            null,
            2,
          ),
        );
        return 0;
      }
      ctx.out(
        page.transcriptions.length === 0
          ? trashed
            ? 'The trash is empty.'
            : 'No notes yet.'
          : table(noteRows(page.transcriptions)),
      );
      if (page.nextCursor)
        ctx.out(`\nmore: hark notes --cursor ${page.nextCursor}${trashed ? ' --trashed' : ''}`);
      return 0;
    }),
};

export const renameCommand: Command = {
  name: 'rename',
  summary: 'Give a note a new title.',
  usage: 'hark rename <id> <title>',
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const id = noteIdArg(ctx, renameCommand.usage);
      const title = ctx.positionals.slice(1).join(' ');
      const note = await editNote(services, id, { title });
      ctx.out(`Renamed ${id} to "${note.title}".`);
      return 0;
    }),
};

/** The text the user typed in their editor, from a file it was given. */
function editInEditor(text: string): string {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) throw new BadRequest('Set $EDITOR (or pass --text "…") to edit a transcript');
  const dir = mkdtempSync(join(tmpdir(), 'hark-edit-'));
  const file = join(dir, 'transcript.txt');
  try {
    writeFileSync(file, text);
    // Through the shell, as git does: $EDITOR may carry its own arguments ("code --wait").
    const run = spawnSync(`${editor} "$HARK_EDIT_FILE"`, {
      shell: true,
      stdio: 'inherit',
      env: { ...process.env, HARK_EDIT_FILE: file },
    });
    if (run.status !== 0)
      throw new HarkError('bad_request', `The editor (${editor}) failed; nothing changed`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const editCommand: Command = {
  name: 'edit',
  summary: 'Edit a note’s transcript in $EDITOR (or give it with --text); the note is marked edited.',
  usage: 'hark edit <id> [--text TEXT]',
  options: { text: { type: 'string' } },
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const id = noteIdArg(ctx, editCommand.usage);
      const before = await services.queue.getTranscription(id);
      if (!before) throw new HarkError('not_found', `No note ${id}`);
      const given = ctx.values.text as string | undefined;
      const text = given ?? editInEditor(before.text ?? '').replace(/\n$/, '');
      if (text === (before.text ?? '')) {
        ctx.out('No change.');
        return 0;
      }
      await editNote(services, id, { text });
      ctx.out(`Saved the transcript of "${before.title}".`);
      return 0;
    }),
};

export const rmCommand: Command = {
  name: 'rm',
  summary: 'Move a note, its audio and Hark’s transcript file to the trash (restorable for 30 days).',
  usage: 'hark rm <id>',
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const note = await trashNote(services, noteIdArg(ctx, rmCommand.usage));
      ctx.out(`Moved "${note.title}" to the trash. hark restore ${note.id} brings it back.`);
      return 0;
    }),
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Bring a note and its audio back from the trash.',
  usage: 'hark restore <id>',
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const note = await restoreNote(services, noteIdArg(ctx, restoreCommand.usage));
      ctx.out(`Restored "${note.title}" to ${note.audioPath}.`);
      return 0;
    }),
};
