import { describe, expect, it } from 'vitest';
import { recordedAtFor, timeFromPath } from './recordedTime.js';

const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(y, mo - 1, d, h, mi, s).getTime();
const FALLBACK = local(2026, 1, 2, 3, 4, 5);

describe('recordedAtFor', () => {
  it.each([
    ['2024-05-05/071500-voice-note.wav', local(2024, 5, 5, 7, 15, 0)],
    ['2024-05-05/071500-voice-note-2.webm', local(2024, 5, 5, 7, 15, 0)],
    ['notes/2024-05-05/0715-idea.m4a', local(2024, 5, 5, 7, 15, 0)],
    ['Recordings/20240612_184500.m4a', local(2024, 6, 12, 18, 45, 0)],
    ['Recording_20240612_184532.m4a', local(2024, 6, 12, 18, 45, 32)],
    ['20240612 184500-2D4E8A1B.m4a', local(2024, 6, 12, 18, 45, 0)], // Voice Memos
    ['Voice 20240612-1845.m4a', local(2024, 6, 12, 18, 45, 0)],
    ['2024-06-12 18-45-10.ogg', local(2024, 6, 12, 18, 45, 10)], // Google Recorder style
    ['2024-06-12_18.45.wav', local(2024, 6, 12, 18, 45, 0)],
    ['2024-06-12T18:45:00.wav', local(2024, 6, 12, 18, 45, 0)],
    ['Sound recordings/Voice_2024_06_12_18_45_00.m4a', local(2024, 6, 12, 18, 45, 0)],
    ['VID_20240612_184500.mp4.m4a', local(2024, 6, 12, 18, 45, 0)],
    ['2024/05/05/idea.wav', local(2024, 5, 5)],
    ['2024/05/05/093000-idea.wav', local(2024, 5, 5, 9, 30, 0)],
    ['WhatsApp/PTT-20240612-WA0003.opus', local(2024, 6, 12)],
    ['AUD-20240612-WA0001.opus', local(2024, 6, 12)],
    ['2024-05-05/groceries again.wav', local(2024, 5, 5)],
    ['20240612.wav', local(2024, 6, 12)],
  ])('%s', (path, expected) => {
    expect(recordedAtFor(path, FALLBACK)).toBe(expected);
  });

  it.each([
    'groceries again.wav',
    'New Recording 3.m4a',
    'Recordings/idea.wav',
    'meeting 12345678901234.wav', // a long number is no date
    '2024-13-05/071500-voice-note.wav', // month 13
    '2024-02-30/idea.wav', // no 30 February
    'imports/12345.wav',
    '1850-01-01/old.wav', // out of range
  ])('%s has no time in it: the fallback', (path) => {
    expect(recordedAtFor(path, FALLBACK)).toBe(FALLBACK);
  });

  it('keeps the time of a fallback on the same day as a date-only path', () => {
    const sameDay = local(2024, 5, 5, 16, 20);
    expect(recordedAtFor('2024-05-05/groceries.wav', sameDay)).toBe(sameDay);
    expect(recordedAtFor('2024-05-05/groceries.wav', local(2024, 5, 7, 9))).toBe(local(2024, 5, 5));
  });

  it('takes the name over the folder, and an impossible time in a dated folder gives the date', () => {
    expect(recordedAtFor('2024-01-01/20240612_184500.m4a', FALLBACK)).toBe(local(2024, 6, 12, 18, 45));
    expect(recordedAtFor('2024-05-05/256100-voice-note.wav', FALLBACK)).toBe(local(2024, 5, 5));
  });

  it('says whether the path gave a time of day', () => {
    expect(timeFromPath('2024-05-05/a.wav')).toEqual({ ms: local(2024, 5, 5), dateOnly: true });
    expect(timeFromPath('a.wav')).toBeNull();
  });
});
