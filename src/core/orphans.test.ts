import { describe, expect, it } from 'vitest';
import {
  classifyAudio,
  isAudioFileName,
  isOwnRecordingName,
  isSettled,
  sidecarCandidates,
  sidecarPathFor,
  transcriptionIdFor,
} from './orphans.js';

describe('audio file rules', () => {
  it('recognises audio by extension, case-insensitively', () => {
    for (const name of ['a.wav', 'B.MP3', 'c.m4a', 'd.Ogg', 'e.opus', 'f.webm', 'g.FLAC', 'h.aac']) {
      expect(isAudioFileName(name), name).toBe(true);
    }
    for (const name of [
      'a.txt',
      'wav',
      '.hidden.wav',
      'x.wav.part',
      'y.mp3.crdownload',
      'z.tmp',
      'a.wav.tmp',
    ]) {
      expect(isAudioFileName(name), name).toBe(false);
    }
  });

  it("tells Hark's own recordings from imported files (the plan's is_imported_file)", () => {
    expect(isOwnRecordingName('143015-voice-note.wav')).toBe(true);
    expect(isOwnRecordingName('143015-voice-note-2.webm')).toBe(true);
    expect(isOwnRecordingName('meeting-voice-note.wav')).toBe(false);
    expect(isOwnRecordingName('interview.mp3')).toBe(false);
    expect(classifyAudio('2026-11-28/143015-voice-note.wav')).toEqual({
      source: 'orphan',
      taskType: 'transcribe_orphan',
      priority: 0,
      originalName: null,
    });
    expect(classifyAudio('podcasts/Episode 12.mp3')).toEqual({
      source: 'imported',
      taskType: 'transcribe_imported',
      priority: 0,
      originalName: 'Episode 12.mp3',
    });
  });

  it('derives a stable id from the relative path, different for different paths', () => {
    const id = transcriptionIdFor('2026-11-28/143015-voice-note.wav');
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(transcriptionIdFor('2026-11-28/143015-voice-note.wav')).toBe(id);
    expect(transcriptionIdFor('2026-11-28/143016-voice-note.wav')).not.toBe(id);
    // Unicode in two normal forms is the same name.
    expect(transcriptionIdFor('caf\u00e9.wav')).toBe(transcriptionIdFor('cafe\u0301.wav'));
  });

  it('names sidecar transcripts after the audio stem', () => {
    expect(sidecarCandidates('talk.mp3')).toEqual(['talk.txt', 'talk.md']);
    expect(sidecarPathFor('a/b/talk.final.m4a')).toBe('a/b/talk.final.txt');
    expect(sidecarPathFor('talk.wav')).toBe('talk.txt');
    expect(sidecarPathFor('a/talk.final.m4a', 'md')).toBe('a/talk.final.md');
  });

  it('waits for a file to settle before taking it', () => {
    expect(isSettled(10_000, 12_999, 3_000)).toBe(false);
    expect(isSettled(10_000, 13_000, 3_000)).toBe(true);
  });
});
