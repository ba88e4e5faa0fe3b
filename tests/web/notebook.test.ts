import { describe, expect, it } from 'vitest';
import { draftOf, patchOf } from '../../web/src/features/notebook/noteDraft.js';
import {
  durationOf,
  folderOf,
  type NoteLike,
  ORIGIN_LABELS,
  originOf,
  purgeDate,
  recordedAt,
  titleOf,
} from '../../web/src/features/notebook/noteModel.js';
import { parseNoteRoute } from '../../web/src/features/notebook/noteRoute.js';
import { nudge, segmentIndexAt, stepSegment } from '../../web/src/features/notebook/segmentTimeline.js';
import {
  approachRange,
  rowEstimate,
  spaceAround,
  windowRange,
} from '../../web/src/features/notebook/windowRange.js';

function note(overrides: Partial<NoteLike> = {}): NoteLike {
  return {
    id: 'n1',
    audio_path: '2024-05-05/071500-voice-note.wav',
    display_name: '071500-voice-note.wav',
    source: 'orphan',
    duration: 65,
    recorded_at: '2024-05-05T05:15:00.000Z',
    ...overrides,
  };
}

describe('what a card says about a note', () => {
  it('titles a note by its title, else by its file or original name', () => {
    expect(titleOf(note({ title: 'Groceries again' }))).toBe('Groceries again');
    expect(titleOf(note({ title: '  ' }))).toBe('071500-voice-note.wav');
    expect(titleOf(note())).toBe('071500-voice-note.wav');
  });

  it('says where a note came from in plain words, from origin or else from the old source', () => {
    expect(ORIGIN_LABELS[originOf(note({ origin: 'recorded', source: 'orphan' }))]).toBe('Recorded in Hark');
    expect(ORIGIN_LABELS[originOf(note({ source: 'orphan' }))]).toBe('Found in your notes folder');
    expect(ORIGIN_LABELS[originOf(note({ source: 'recording' }))]).toBe('Recorded in Hark');
    expect(ORIGIN_LABELS[originOf(note({ source: 'imported' }))]).toBe('Imported');
  });

  it('reads recorded_at as epoch ms (the contract) or as an ISO string', () => {
    const ms = Date.UTC(2024, 4, 5, 5, 15);
    expect(recordedAt(note({ recorded_at: ms }))?.getTime()).toBe(ms);
    expect(recordedAt(note())?.getTime()).toBe(ms);
    expect(recordedAt(note({ recorded_at: 'not a date' }))).toBeNull();
  });

  it('takes the folder and duration from the new fields, else from the path and the old duration', () => {
    expect(folderOf(note({ folder: 'work/2024' }))).toBe('work/2024');
    expect(folderOf(note({ folder: '' }))).toBe('');
    expect(folderOf(note())).toBe('2024-05-05');
    expect(folderOf(note({ audio_path: 'root.wav' }))).toBe('');
    expect(durationOf(note({ duration_seconds: 12.5 }))).toBe(12.5);
    expect(durationOf(note())).toBe(65);
  });

  it('says when a trashed note goes for good: 30 days after it was trashed', () => {
    expect(purgeDate(note())).toBeNull();
    const trashed = Date.UTC(2025, 0, 1);
    expect(purgeDate(note({ trashed_at: trashed }))?.toISOString()).toBe('2025-01-31T00:00:00.000Z');
  });
});

const SEGMENTS = [
  { start: 0, end: 4, text: 'one' },
  { start: 4, end: 9, text: 'two' },
  { start: 12, end: 15, text: 'three' },
];

describe('the segment playing, and J/K', () => {
  it('finds the last segment started, keeping it lit over a pause', () => {
    expect(segmentIndexAt(SEGMENTS, 0)).toBe(0);
    expect(segmentIndexAt(SEGMENTS, 4)).toBe(1);
    expect(segmentIndexAt(SEGMENTS, 10.5)).toBe(1);
    expect(segmentIndexAt(SEGMENTS, 99)).toBe(2);
    expect(segmentIndexAt([{ start: 2, end: 3 }], 1)).toBe(-1);
    expect(segmentIndexAt([], 1)).toBe(-1);
  });

  it('finds segments in a long note as a linear scan would', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ start: i * 3, end: i * 3 + 2 }));
    for (const time of [0, 1, 2.9, 3, 1500.5, 2999, 3000, 5000]) {
      const linear = many.reduce((found, segment, i) => (segment.start <= time ? i : found), -1);
      expect(segmentIndexAt(many, time)).toBe(linear);
    }
  });

  it('K goes to the next segment, J to the previous (or back to the start of this one)', () => {
    expect(stepSegment(SEGMENTS, 0.5, 1)).toBe(4);
    expect(stepSegment(SEGMENTS, 13, 1)).toBe(12);
    expect(stepSegment(SEGMENTS, 4.5, -1)).toBe(0);
    expect(stepSegment(SEGMENTS, 7, -1)).toBe(4);
    expect(stepSegment(SEGMENTS, 0.2, -1)).toBe(0);
    expect(stepSegment([], 3, 1)).toBeNull();
  });

  it('moves 5 s within the audio', () => {
    expect(nudge(3, -5, 60)).toBe(0);
    expect(nudge(58, 5, 60)).toBe(60);
    expect(nudge(10, 5, Number.NaN)).toBe(15);
    expect(nudge(10, 5, null)).toBe(15);
  });
});

describe('the rows a long list renders', () => {
  const base = { estimate: 100, viewportHeight: 800, overscan: 200, heightOf: () => undefined };

  it('renders the viewport and its margins only, with the space of the rest', () => {
    const range = windowRange({ ...base, count: 10_000, scrollTop: 50_000 });
    expect(range.start).toBe(498);
    expect(range.end).toBe(510);
    expect(range.before).toBe(49_800);
    expect(range.before + (range.end - range.start) * 100 + range.after).toBe(1_000_000);
  });

  it('renders the last rows at the end, and the first before the list is reached', () => {
    const end = windowRange({ ...base, count: 10_000, scrollTop: 1_000_000 - 800 });
    expect(end.end).toBe(10_000);
    expect(end.after).toBe(0);
    const start = windowRange({ ...base, count: 10_000, scrollTop: -400 });
    expect(start.start).toBe(0);
    expect(start.end).toBe(6);
  });

  it('uses measured heights where it has them', () => {
    const range = windowRange({
      ...base,
      overscan: 0,
      count: 100,
      heightOf: (i) => (i < 10 ? 300 : undefined),
      scrollTop: 3000,
    });
    expect(range.start).toBe(10);
    expect(range.before).toBe(3000);
  });

  it("adds the viewport's rows at once and those of the margins a few at a time", () => {
    const target = { start: 10, end: 22 };
    const visible = { start: 13, end: 18 };
    // Nothing shown yet (the first render): all of it.
    expect(approachRange(null, target, visible, 1)).toEqual(target);
    // A scroll step: rows 6..17 were shown; 10..17 stay, 18..21 are new, none of them in the viewport.
    const first = approachRange({ start: 6, end: 18 }, target, visible, 1);
    expect(first).toEqual({ start: 10, end: 19 });
    const second = approachRange(first, target, visible, 1);
    expect(second).toEqual({ start: 10, end: 20 });
    expect(approachRange({ start: 10, end: 21 }, target, visible, 1)).toEqual(target);
    // A jump far away: the viewport's rows at once, whatever the budget.
    expect(approachRange({ start: 500, end: 512 }, target, visible, 1)).toEqual({ start: 13, end: 19 });
    // Scrolling up: the margin above grows, the rows below that are no longer wanted go.
    expect(approachRange({ start: 14, end: 26 }, target, visible, 2)).toEqual({ start: 11, end: 22 });
  });

  it('gives the space above and below the rendered rows, measured where known', () => {
    const heightOf = (index: number) => (index === 0 ? 50 : undefined);
    expect(spaceAround(10, heightOf, 100, { start: 2, end: 5 })).toEqual({ before: 150, after: 500 });
  });

  it('assumes the mean measured height for rows not yet measured, the given guess before any', () => {
    expect(rowEstimate({ total: 0, count: 0 }, 220)).toBe(220);
    expect(rowEstimate({ total: 204 * 3 + 1, count: 3 }, 220)).toBe(204);
  });
});

describe('an edit as a PATCH', () => {
  const saved = {
    transcription_text: 'one two three',
    segments: [
      { start: 0, end: 4, text: ' one', words: [{ start: 0, end: 1, text: 'one' }] },
      { start: 4, end: 9, text: ' two' },
      { start: 12, end: 15, text: ' three' },
    ],
  };

  it('sends nothing when nothing changed', () => {
    expect(patchOf(saved, 'Title', draftOf(saved, 'Title'))).toBeNull();
  });

  it('sends a new title alone', () => {
    expect(patchOf(saved, 'Title', { ...draftOf(saved, 'Title'), title: ' Shopping ' })).toEqual({
      title: 'Shopping',
    });
  });

  it('sends edited segments, keeping their times, and the text they make', () => {
    const draft = draftOf(saved, 'Title');
    draft.segments = (draft.segments ?? []).map((s, i) => (i === 0 ? { ...s, text: 'One, ' } : s));
    const patch = patchOf(saved, 'Title', draft);
    expect(patch?.text).toBe('One, two three');
    expect(patch?.segments?.[0]).toEqual({ start: 0, end: 4, text: 'One,' });
    expect(patch?.segments?.[1]).toBe(saved.segments[1]);
  });

  it('sends the whole text of a note without segments', () => {
    const plain = { transcription_text: 'hello', segments: [] };
    expect(patchOf(plain, 'T', { ...draftOf(plain, 'T'), text: 'hello there' })).toEqual({
      text: 'hello there',
    });
  });
});

describe('the address of a view', () => {
  it('reads #note/<id>, #trash and anything else as the list', () => {
    expect(parseNoteRoute('#note/abc%2F1')).toEqual({ view: 'note', id: 'abc/1' });
    expect(parseNoteRoute('#trash')).toEqual({ view: 'trash' });
    expect(parseNoteRoute('#tasks')).toEqual({ view: 'list' });
    expect(parseNoteRoute('')).toEqual({ view: 'list' });
  });
});
