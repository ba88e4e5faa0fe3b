import { describe, expect, it } from 'vitest';
import { noteFields } from '../../tests/helpers/noteFields.js';
import { exportFileName, exportTranscript, timestamp } from './export.js';
import type { Transcription } from './types.js';

const transcription: Transcription = {
  id: 'abc',
  audioPath: '2026-11-28/101500-voice-note.webm',
  status: 'complete',
  source: 'recording',
  originalName: null,
  text: 'Hello there. Second line --> here',
  segments: [
    { start: 0, end: 1.25, text: 'Hello there.' },
    { start: 61.5, end: 3725.004, text: 'Second line --> here' },
  ],
  language: 'en',
  duration: 3726,
  engine: 'fake',
  errorKind: null,
  errorMessage: null,
  sidecarPath: null,
  fileSize: null,
  fileMtimeMs: null,
  createdAt: 0,
  recordedAt: 0,
  transcribedAt: 0,
  ...noteFields('101500-voice-note'),
};

describe('exportTranscript', () => {
  it('formats timestamps for SRT and WebVTT', () => {
    expect(timestamp(3723.5, ',')).toBe('01:02:03,500');
    expect(timestamp(0.0004, '.')).toBe('00:00:00.000');
    expect(timestamp(59.9996, '.')).toBe('00:01:00.000');
  });

  it('writes SRT cues numbered from 1, with comma milliseconds', () => {
    expect(exportTranscript(transcription, 'srt')).toMatch(
      /^1\n00:00:00,000 --> 00:00:01,250\nHello there\.\n\n2\n00:01:01,500 --> 00:\d\d:\d\d,\d{3}\nSecond\n\n3\n.*\nline\n\n4\n.*\n->\n\n5\n.* --> 01:02:05,004\nhere\n$/,
    );
  });

  it('writes WebVTT with its header, escaping what would end or mark up a cue', () => {
    const vtt = exportTranscript(
      { ...transcription, segments: [{ start: 0, end: 1.25, text: 'Tom & <Jerry> --> here' }] },
      'vtt',
    );
    expect(vtt).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nTom &amp; &lt;Jerry&gt; --&gt; here\n');
    expect(exportTranscript({ ...transcription, segments: [], text: '' }, 'vtt')).toBe('WEBVTT\n');
  });

  it('writes plain text and JSON', () => {
    expect(exportTranscript(transcription, 'txt')).toBe('Hello there. Second line --> here\n');
    const words = [
      { start: 0, end: 0.5, text: 'Hello' },
      { start: 0.6, end: 1.25, text: 'there.' },
    ];
    const withWords = {
      ...transcription,
      segments: [{ ...transcription.segments[0], start: 0, end: 1.25, text: 'Hello there.', words }],
    };
    expect(JSON.parse(exportTranscript(withWords, 'json'))).toEqual({
      id: 'abc',
      title: '101500-voice-note.webm',
      audio_path: '2026-11-28/101500-voice-note.webm',
      recorded_at: '1970-01-01T00:00:00.000Z',
      text: 'Hello there. Second line --> here',
      language: 'en',
      duration: 3726,
      engine: 'fake',
      segments: [{ start: 0, end: 1.25, text: 'Hello there.', words }],
    });
    expect(JSON.parse(exportTranscript(transcription, 'json')).segments[1]).toEqual({
      ...transcription.segments[1],
      words: [],
    });
  });

  it('makes cues of a transcript without timings over the audio', () => {
    const adopted = { ...transcription, segments: [], duration: 6, text: 'typed notes' };
    expect(exportTranscript(adopted, 'srt')).toBe('1\n00:00:00,000 --> 00:00:06,000\ntyped notes\n');
    const unknownLength = { ...adopted, duration: null, text: 'typed notes with no audio length known' };
    expect(exportTranscript(unknownLength, 'srt')).toMatch(/^1\n00:00:00,000 --> 00:00:02,533\n/);
  });

  it('names the download after the audio', () => {
    expect(exportFileName(transcription, 'srt')).toBe('101500-voice-note.srt');
    expect(exportFileName(transcription, 'md')).toBe('101500-voice-note.md');
    expect(exportFileName({ ...transcription, originalName: 'Board call.m4a' }, 'vtt')).toBe(
      'Board call.vtt',
    );
  });
});
