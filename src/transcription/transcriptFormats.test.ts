import { describe, expect, it } from 'vitest';
import { EngineFailed } from '../core/errors.js';
import { formatOfExtension, guessFormat, parseTranscript } from './transcriptFormats.js';

const SRT = `1
00:00:00,000 --> 00:00:02,500
Hello there,
how are you?

2
00:00:03,040 --> 00:00:04,000
<i>Fine.</i>
`;

const VTT = `WEBVTT

00:01.500 --> 00:02.250
first

intro
00:00:03.000 --> 00:00:04.125 align:start
second
`;

describe('parseTranscript', () => {
  it('reads SRT cues, joining their lines and dropping styling tags', () => {
    expect(parseTranscript(SRT, 'srt', 30)).toEqual([
      { start: 0, end: 2.5, text: 'Hello there, how are you?' },
      { start: 3.04, end: 4, text: 'Fine.' },
    ]);
  });

  it('reads WebVTT cues with and without hours, named cues and settings', () => {
    expect(parseTranscript(VTT, 'vtt', 30)).toEqual([
      { start: 1.5, end: 2.25, text: 'first' },
      { start: 3, end: 4.125, text: 'second' },
    ]);
  });

  it('reads plain text as one segment over the whole window', () => {
    expect(parseTranscript('  hello\n  world \n', 'text', 12.5)).toEqual([
      { start: 0, end: 12.5, text: 'hello world' },
    ]);
    expect(parseTranscript(' \n', 'text', 12.5)).toEqual([]);
  });

  it('reads whisper.cpp JSON by offsets, or by timestamps when offsets are missing', () => {
    const json = JSON.stringify({
      transcription: [
        {
          offsets: { from: 0, to: 1500 },
          timestamps: { from: '00:00:09,000', to: '00:00:09,000' },
          text: ' One.',
        },
        { timestamps: { from: '00:00:01,500', to: '00:00:02,000' }, text: ' Two.' },
        { offsets: { from: 2000, to: 2100 }, text: '  ' },
      ],
    });
    expect(parseTranscript(json, 'json', 30)).toEqual([
      { start: 0, end: 1.5, text: 'One.' },
      { start: 1.5, end: 2, text: 'Two.' },
    ]);
  });

  it("keeps the word times of whisper-cli's full JSON (-ojf) and of faster-whisper, without special tokens", () => {
    const full = JSON.stringify({
      transcription: [
        {
          offsets: { from: 0, to: 1200 },
          text: ' Hello world',
          tokens: [
            { text: '[_BEG_]', offsets: { from: 0, to: 0 } },
            { text: ' Hel', offsets: { from: 100, to: 300 } },
            { text: 'lo', offsets: { from: 300, to: 500 } },
            { text: ' world', offsets: { from: 600, to: 1100 } },
            { text: '[_TT_60]', offsets: { from: 1200, to: 1200 } },
            { text: '<|endoftext|>', offsets: { from: 1200, to: 1200 } },
          ],
        },
      ],
    });
    expect(parseTranscript(full, 'json', 30)).toEqual([
      {
        start: 0,
        end: 1.2,
        text: 'Hello world',
        words: [
          { start: 0.1, end: 0.3, text: ' Hel' },
          { start: 0.3, end: 0.5, text: 'lo' },
          { start: 0.6, end: 1.1, text: ' world' },
        ],
      },
    ]);
    const faster = JSON.stringify({
      segments: [
        {
          start: 0,
          end: 1,
          text: 'hi there',
          words: [
            { start: 0, end: 0.4, word: ' hi' },
            { start: 0.5, end: 1, word: ' there' },
          ],
        },
      ],
    });
    expect(parseTranscript(faster, 'json', 30)[0]?.words).toEqual([
      { start: 0, end: 0.4, text: ' hi' },
      { start: 0.5, end: 1, text: ' there' },
    ]);
  });

  it('reads segments in seconds, a bare list of them, or just a text', () => {
    const segments = [{ start: 0.5, end: 1.25, text: ' hi ' }];
    expect(parseTranscript(JSON.stringify({ segments }), 'json', 30)).toEqual([
      { start: 0.5, end: 1.25, text: 'hi' },
    ]);
    expect(parseTranscript(JSON.stringify(segments), 'json', 30)).toEqual([
      { start: 0.5, end: 1.25, text: 'hi' },
    ]);
    expect(parseTranscript('{"text":" hello "}', 'json', 7)).toEqual([{ start: 0, end: 7, text: 'hello' }]);
  });

  it('fails clearly on JSON it cannot read', () => {
    expect(() => parseTranscript('{"segments": [', 'json', 30)).toThrow(EngineFailed);
    expect(() => parseTranscript('{"words": []}', 'json', 30)).toThrow(
      /no `transcription`, `segments` or `text`/,
    );
  });
});

describe('guessFormat', () => {
  it('tells the formats apart', () => {
    expect(guessFormat(SRT)).toBe('srt');
    expect(guessFormat(VTT)).toBe('vtt');
    expect(guessFormat('\uFEFF{"text": "x"}')).toBe('json');
    expect(guessFormat('[{"start": 0, "end": 1, "text": "x"}]')).toBe('json');
    expect(guessFormat('[BLANK_AUDIO]')).toBe('text');
    expect(guessFormat('the meeting moved to thursday')).toBe('text');
  });

  it('knows the usual extensions', () => {
    expect(['.txt', '.SRT', '.vtt', '.json', '.csv'].map(formatOfExtension)).toEqual([
      'text',
      'srt',
      'vtt',
      'json',
      null,
    ]);
  });
});
