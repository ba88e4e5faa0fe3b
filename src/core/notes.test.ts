import { describe, expect, it } from 'vitest';
import {
  checkNotePatch,
  folderOf,
  isPurgeDue,
  ORIGIN_LABELS,
  originOf,
  purgeCutoff,
  TRASH_RETENTION_MS,
  titleFor,
} from './notes.js';

describe('note rules', () => {
  it('titles a note by its original name, else its file stem', () => {
    expect(titleFor('imports/Meeting (2).m4a', 'Meeting.m4a')).toBe('Meeting');
    expect(titleFor('2024-05-05/groceries again.wav', null)).toBe('groceries again');
    expect(titleFor('x/.wav', null)).toBe('.wav');
  });

  it('gives the folder relative to the notes folder', () => {
    expect(folderOf('a.wav')).toBe('');
    expect(folderOf('2024/05/a.wav')).toBe('2024/05');
  });

  it('tells origins from what the row says, never the file name', () => {
    expect(originOf('recording', '2024-05-05/071500-voice-note.wav')).toBe('recorded');
    expect(originOf('imported', 'imports/a.wav')).toBe('imported');
    expect(originOf('imported', '2024-05-05/groceries again.wav')).toBe('found');
    expect(originOf('orphan', '2024-05-05/071500-voice-note.wav')).toBe('found');
    expect(ORIGIN_LABELS.found).toBe('Found in your notes folder');
  });

  it('purges after 30 days in the trash', () => {
    const now = 1_700_000_000_000;
    expect(isPurgeDue(now - TRASH_RETENTION_MS, now)).toBe(true);
    expect(isPurgeDue(now - TRASH_RETENTION_MS + 1, now)).toBe(false);
    expect(purgeCutoff(now)).toBe(now - TRASH_RETENTION_MS);
  });
});

describe('checkNotePatch', () => {
  it('trims a title and makes text from segments', () => {
    expect(checkNotePatch({ title: '  Shopping\n list ' })).toEqual({ title: 'Shopping list' });
    expect(
      checkNotePatch({
        segments: [
          { start: 0, end: 1, text: ' milk ' },
          { start: 1, end: 2, text: 'eggs' },
        ],
      }),
    ).toEqual({
      segments: [
        { start: 0, end: 1, text: ' milk ' },
        { start: 1, end: 2, text: 'eggs' },
      ],
      text: 'milk eggs',
    });
    expect(checkNotePatch({ text: '' })).toEqual({ text: '' });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{}, /Nothing to change/],
    [{ title: '  ' }, /title must not be empty/],
    [{ title: 3 }, /title must be a string/],
    [{ title: 'x'.repeat(201) }, /at most 200/],
    [{ text: 5 }, /text must be a string/],
    [{ segments: 'no' }, /segments must be an array/],
    [{ segments: [{ start: -1, end: 1, text: 'a' }] }, /segments\[0\]\.start/],
    [{ segments: [{ start: 2, end: 1, text: 'a' }] }, /segments\[0\]\.end/],
    [{ segments: [{ start: 0, end: 1 }] }, /segments\[0\]\.text/],
    [
      {
        segments: [
          { start: 3, end: 4, text: 'a' },
          { start: 1, end: 2, text: 'b' },
        ],
      },
      /in order/,
    ],
    [{ title: 'a', colour: 'red' }, /Unknown field\(s\): colour/],
  ])('refuses %j', (body, message) => {
    expect(() => checkNotePatch(body)).toThrow(message);
  });
});
