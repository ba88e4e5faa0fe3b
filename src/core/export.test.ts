import { describe, expect, it } from 'vitest';
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
};

describe('exportTranscript', () => {
  it('formats timestamps for SRT and WebVTT', () => {
    expect(timestamp(3723.5, ',')).toBe('01:02:03,500');
    expect(timestamp(0.0004, '.')).toBe('00:00:00.000');
    expect(timestamp(59.9996, '.')).toBe('00:01:00.000');
  });

  it('writes SRT cues numbered from 1', () => {
    expect(exportTranscript(transcription, 'srt')).toBe(
      '1\n00:00:00,000 --> 00:00:01,250\nHello there.\n\n2\n00:01:01,500 --> 01:02:05,004\nSecond line -> here\n',
    );
  });

  it('writes WebVTT with its header', () => {
    expect(exportTranscript(transcription, 'vtt')).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nHello there.\n\n00:01:01.500 --> 01:02:05.004\nSecond line -> here\n',
    );
  });

  it('writes plain text and JSON', () => {
    expect(exportTranscript(transcription, 'txt')).toBe('Hello there. Second line --> here\n');
    expect(JSON.parse(exportTranscript(transcription, 'json'))).toMatchObject({
      id: 'abc',
      segments: transcription.segments,
    });
  });

  it('makes one cue of a transcript without timings', () => {
    const adopted = { ...transcription, segments: [], duration: 12, text: 'typed notes' };
    expect(exportTranscript(adopted, 'srt')).toBe('1\n00:00:00,000 --> 00:00:12,000\ntyped notes\n');
  });

  it('names the download after the audio', () => {
    expect(exportFileName(transcription, 'srt')).toBe('101500-voice-note.srt');
    expect(exportFileName({ ...transcription, originalName: 'Board call.m4a' }, 'vtt')).toBe(
      'Board call.vtt',
    );
  });
});
