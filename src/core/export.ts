import { displayName } from './json.js';
import { exportMarkdown } from './markdown.js';
import { buildCues, type Cue } from './subtitleCues.js';
import type { Segment, Transcription } from './types.js';

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export interface ExportOptions {
  /** Markdown: open each segment's paragraph with its `[mm:ss]` time (default on). */
  timestamps?: boolean;
}

/** 3723.5 → "01:02:03,500" (SRT) or "01:02:03.500" (WebVTT). */
export function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/**
 * The segments the cues are made from. A transcript without timings (an
 * adopted text file) is one segment over the audio, or, when its length is
 * unknown, over the time it takes to read (about 15 characters a second).
 */
export function timedSegments(transcription: Transcription): Segment[] {
  const timed = transcription.segments.filter((segment) => segment.text.trim().length > 0);
  if (timed.length > 0) return timed;
  const text = transcription.text?.trim() ?? '';
  if (!text) return [];
  return [{ start: 0, end: transcription.duration || Math.max(1, text.length / 15), text }];
}

/** SubRip: numbered cues, comma milliseconds. A line may not hold "-->" (it reads as a timing line). */
export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, i) => {
      const text = cue.lines.map((line) => line.replace(/-->/g, '->')).join('\n');
      return `${i + 1}\n${timestamp(cue.start, ',')} --> ${timestamp(cue.end, ',')}\n${text}\n`;
    })
    .join('\n');
}

/** WebVTT: the header, then cues whose text escapes `&`, `<` and `>` (so "-->" cannot appear). */
export function toVtt(cues: readonly Cue[]): string {
  const escapeLine = (line: string) =>
    line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = cues
    .map(
      (cue) =>
        `${timestamp(cue.start, '.')} --> ${timestamp(cue.end, '.')}\n${cue.lines.map(escapeLine).join('\n')}\n`,
    )
    .join('\n');
  return body ? `WEBVTT\n\n${body}` : 'WEBVTT\n';
}

export function exportTranscript(
  transcription: Transcription,
  format: ExportFormat,
  options: ExportOptions = {},
): string {
  switch (format) {
    case 'txt':
      return `${(transcription.text ?? '').trim()}\n`;
    case 'srt':
      return toSrt(buildCues(timedSegments(transcription)));
    case 'vtt':
      return toVtt(buildCues(timedSegments(transcription)));
    case 'json':
      return `${JSON.stringify(exportJson(transcription), null, 2)}\n`;
    case 'md':
      return exportMarkdown(transcription, options);
  }
}

/** The JSON export: what is known of the note, its segments, and their words where the engine gave them. */
export function exportJson(transcription: Transcription) {
  return {
    id: transcription.id,
    title: displayName(transcription.audioPath, transcription.originalName),
    audio_path: transcription.audioPath,
    recorded_at: new Date(transcription.recordedAt).toISOString(),
    text: transcription.text ?? '',
    language: transcription.language,
    duration: transcription.duration,
    engine: transcription.engine,
    segments: transcription.segments.map((segment) => ({
      start: segment.start,
      end: segment.end,
      text: segment.text,
      words: segment.words ?? [],
    })),
  };
}

/** A download name for an export: the audio's name with the format's extension. */
export function exportFileName(transcription: Transcription, format: ExportFormat): string {
  const name =
    transcription.originalName ?? transcription.audioPath.slice(transcription.audioPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${format}`;
}
