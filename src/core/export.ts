import type { Segment, Transcription } from './types.js';

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** 3723.5 → "01:02:03,500" (SRT) or "01:02:03.500" (WebVTT). */
export function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** Cue text may not contain a blank line (it ends the cue) or, in WebVTT, "-->". */
function cueText(text: string): string {
  return text
    .replace(/\r?\n\s*\r?\n/g, '\n')
    .replace(/-->/g, '->')
    .trim();
}

/** Segments worth a cue; a transcript without timings (an adopted text file) becomes one cue. */
function cues(transcription: Transcription): Segment[] {
  const timed = transcription.segments.filter((segment) => segment.text.trim().length > 0);
  if (timed.length > 0) return timed;
  const text = transcription.text?.trim() ?? '';
  return text ? [{ start: 0, end: transcription.duration ?? 0, text }] : [];
}

export function exportTranscript(transcription: Transcription, format: ExportFormat): string {
  switch (format) {
    case 'txt':
      return `${(transcription.text ?? '').trim()}\n`;
    case 'srt':
      return cues(transcription)
        .map(
          (c, i) => `${i + 1}\n${timestamp(c.start, ',')} --> ${timestamp(c.end, ',')}\n${cueText(c.text)}\n`,
        )
        .join('\n');
    case 'vtt':
      return `WEBVTT\n\n${cues(transcription)
        .map((c) => `${timestamp(c.start, '.')} --> ${timestamp(c.end, '.')}\n${cueText(c.text)}\n`)
        .join('\n')}`;
    case 'json':
      return `${JSON.stringify(
        {
          id: transcription.id,
          audio_path: transcription.audioPath,
          text: transcription.text ?? '',
          language: transcription.language,
          duration: transcription.duration,
          segments: transcription.segments,
        },
        null,
        2,
      )}\n`;
  }
}

/** A download name for an export: the audio's name with the format's extension. */
export function exportFileName(transcription: Transcription, format: ExportFormat): string {
  const name =
    transcription.originalName ?? transcription.audioPath.slice(transcription.audioPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${format}`;
}
