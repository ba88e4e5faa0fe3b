import { EngineFailed } from '../core/errors.js';
import type { Segment, Word } from '../core/types.js';

/** The output formats of external recognisers that Hark reads. */
export const TRANSCRIPT_FORMATS = ['text', 'srt', 'vtt', 'json'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/**
 * Reads a recogniser's output into segments with times from the start of the
 * window. Plain text has no times and becomes one segment over the whole
 * window of `windowSeconds`.
 */
export function parseTranscript(
  content: string,
  format: TranscriptFormat | 'auto',
  windowSeconds: number,
): Segment[] {
  switch (format === 'auto' ? guessFormat(content) : format) {
    case 'text':
      return parseText(content, windowSeconds);
    case 'srt':
    case 'vtt':
      return parseCues(content);
    case 'json':
      return parseJson(content, windowSeconds);
  }
}

/** Tells the formats apart by their first characters and cue timing lines. */
export function guessFormat(content: string): TranscriptFormat {
  const text = content.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[{') || text.startsWith('[]')) return 'json';
  if (text.startsWith('WEBVTT')) return 'vtt';
  if (CUE_TIMING.test(text)) return 'srt';
  return 'text';
}

/** The extension an output file of each format usually has. */
export function formatOfExtension(extension: string): TranscriptFormat | null {
  const formats: Record<string, TranscriptFormat> = {
    '.txt': 'text',
    '.srt': 'srt',
    '.vtt': 'vtt',
    '.json': 'json',
  };
  return formats[extension.toLowerCase()] ?? null;
}

function parseText(content: string, windowSeconds: number): Segment[] {
  const text = collapse(content);
  return text ? [{ start: 0, end: windowSeconds, text }] : [];
}

const TIMESTAMP = String.raw`(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})`;
const CUE_TIMING = new RegExp(`^\\s*${TIMESTAMP}\\s*-->\\s*${TIMESTAMP}`, 'm');

/** SRT and WebVTT: cues of a timing line (`00:00:01,000 --> 00:00:02,500`) and text lines up to a blank line. */
function parseCues(content: string): Segment[] {
  const segments: Segment[] = [];
  const blocks = content.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split('\n');
    const timingIndex = lines.findIndex((line) => CUE_TIMING.test(line));
    if (timingIndex < 0) continue;
    const timing = CUE_TIMING.exec(lines[timingIndex] ?? '');
    if (!timing) continue;
    const text = collapse(
      lines
        .slice(timingIndex + 1)
        .join(' ')
        .replace(/<[^>]+>/g, ''),
    );
    if (!text) continue;
    segments.push({ start: cueSeconds(timing.slice(1, 5)), end: cueSeconds(timing.slice(5, 9)), text });
  }
  return segments;
}

function cueSeconds([hours, minutes, seconds, fraction]: (string | undefined)[]): number {
  return (
    Number(hours ?? 0) * 3600 +
    Number(minutes) * 60 +
    Number(seconds) +
    Number(`0.${(fraction ?? '0').padEnd(3, '0')}`)
  );
}

/**
 * JSON in the shapes recognisers print: whisper.cpp's `-oj`
 * (`transcription[].offsets` in milliseconds), a `segments[]` list with
 * `start`/`end` in seconds (faster-whisper, OpenAI's verbose JSON), a bare
 * list of such segments, or just `{ "text": … }`.
 */
function parseJson(content: string, windowSeconds: number): Segment[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new EngineFailed(`The recogniser's output is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(value)) return value.map(secondsSegment).filter(hasText);
  if (isRecord(value) && Array.isArray(value.transcription)) {
    return value.transcription.map(whisperCppSegment).filter(hasText);
  }
  if (isRecord(value) && Array.isArray(value.segments))
    return value.segments.map(secondsSegment).filter(hasText);
  if (isRecord(value) && typeof value.text === 'string') return parseText(value.text, windowSeconds);
  throw new EngineFailed(
    'The recogniser printed JSON with no `transcription`, `segments` or `text` in it, so there is nothing to read',
  );
}

function whisperCppSegment(item: unknown): Segment {
  const entry = isRecord(item) ? item : {};
  const offsets = isRecord(entry.offsets) ? entry.offsets : {};
  const timestamps = isRecord(entry.timestamps) ? entry.timestamps : {};
  const from = typeof offsets.from === 'number' ? offsets.from / 1000 : timestampSeconds(timestamps.from);
  const to = typeof offsets.to === 'number' ? offsets.to / 1000 : timestampSeconds(timestamps.to);
  const words = Array.isArray(entry.tokens) ? entry.tokens.flatMap(whisperCppToken) : [];
  return withWords({ start: from, end: Math.max(from, to), text: collapse(String(entry.text ?? '')) }, words);
}

/** whisper-cli's full JSON (`-ojf`) lists each segment's tokens; the special ones (`[_BEG_]`, `<|endoftext|>`) are no words. */
function whisperCppToken(item: unknown): Word[] {
  const token = isRecord(item) ? item : {};
  const text = typeof token.text === 'string' ? token.text : '';
  if (!text.trim() || /^\s*(?:\[_[^\]]*\]|<\|[^|]*\|>)\s*$/.test(text)) return [];
  const offsets = isRecord(token.offsets) ? token.offsets : {};
  if (typeof offsets.from !== 'number' || typeof offsets.to !== 'number') return [];
  return [{ start: offsets.from / 1000, end: Math.max(offsets.from, offsets.to) / 1000, text }];
}

/** faster-whisper and OpenAI's verbose JSON: `words: [{ start, end, word }]` in seconds. */
function secondsWord(item: unknown): Word[] {
  const word = isRecord(item) ? item : {};
  const text = typeof word.word === 'string' ? word.word : typeof word.text === 'string' ? word.text : '';
  const start = Number(word.start);
  const end = Number(word.end);
  if (!text.trim() || !Number.isFinite(start) || !Number.isFinite(end)) return [];
  return [{ start, end: Math.max(start, end), text }];
}

function withWords(segment: Segment, words: Word[]): Segment {
  return words.length > 0 ? { ...segment, words } : segment;
}

function secondsSegment(item: unknown): Segment {
  const entry = isRecord(item) ? item : {};
  const start = Number(entry.start ?? 0) || 0;
  const end = Number(entry.end ?? start) || start;
  const words = Array.isArray(entry.words) ? entry.words.flatMap(secondsWord) : [];
  return withWords({ start, end: Math.max(start, end), text: collapse(String(entry.text ?? '')) }, words);
}

function timestampSeconds(value: unknown): number {
  const match = typeof value === 'string' ? new RegExp(`^${TIMESTAMP}$`).exec(value.trim()) : null;
  return match ? cueSeconds(match.slice(1, 5)) : 0;
}

function hasText(segment: Segment): boolean {
  return segment.text.length > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
