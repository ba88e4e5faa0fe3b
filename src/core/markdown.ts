import { displayName } from './json.js';
import type { Segment, Transcription } from './types.js';

/**
 * Markdown for note apps (Obsidian, Logseq): YAML front matter with what is
 * known of the note, then the transcript as paragraphs, each opening with its
 * `[mm:ss]` time when `timestamps` is on. It is also what Hark writes beside
 * the audio with `--sidecar-format md`, and what `transcriptOfMarkdown` reads back.
 */
export function exportMarkdown(transcription: Transcription, options: { timestamps?: boolean } = {}): string {
  const timestamps = options.timestamps ?? true;
  const front = [
    ['title', yamlString(displayName(transcription.audioPath, transcription.originalName))],
    ['recorded', yamlString(new Date(transcription.recordedAt).toISOString())],
    ['duration', transcription.duration === null ? 'null' : String(roundTo(transcription.duration, 3))],
    ['language', transcription.language === null ? 'null' : yamlString(transcription.language)],
    ['engine', transcription.engine === null ? 'null' : yamlString(transcription.engine)],
    ['source_path', yamlString(transcription.audioPath)],
  ]
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
  const body = paragraphs(transcription, timestamps).join('\n\n');
  return `---\n${front}\n---\n\n${body}${body ? '\n' : ''}`;
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * A YAML double-quoted scalar that any YAML 1.1 or 1.2 parser reads back as
 * exactly `value`: JSON's escapes are YAML's, and the characters JSON leaves
 * bare but YAML does not print or takes for line breaks (DEL, C1 controls,
 * NEL, the line and paragraph separators, the byte-order mark) are escaped too.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `[mm:ss]`, or `[h:mm:ss]` from an hour on. */
export function clockStamp(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `[${h}:${pad(m)}:${pad(s)}]` : `[${pad(m)}:${pad(s)}]`;
}

/** A pause this long starts a new paragraph when the times are not shown. */
const PARAGRAPH_PAUSE_SECONDS = 2;
/** ...and so does a paragraph grown this long. */
const PARAGRAPH_CHARS = 600;

function paragraphs(transcription: Transcription, timestamps: boolean): string[] {
  const segments = transcription.segments.filter((segment) => segment.text.trim().length > 0);
  if (segments.length === 0) {
    const text = transcription.text?.trim() ?? '';
    return text ? text.split(/\n\s*\n/).map((paragraph) => escapeBlockStart(collapse(paragraph))) : [];
  }
  if (timestamps) {
    return segments.map((segment) => `${clockStamp(segment.start)} ${collapse(segment.text)}`);
  }
  const groups: Segment[][] = [];
  let current: Segment[] = [];
  let length = 0;
  for (const segment of segments) {
    const previous = current[current.length - 1];
    if (previous && (segment.start - previous.end >= PARAGRAPH_PAUSE_SECONDS || length >= PARAGRAPH_CHARS)) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(segment);
    length += segment.text.length + 1;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group) => escapeBlockStart(collapse(group.map((segment) => segment.text).join(' '))));
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What would make a paragraph a heading, quote, list or rule instead of text. */
const BLOCK_START = /^(?:[#>*+-]|\d+[.)]|=+$|`{3}|~{3}|\[)/;

function escapeBlockStart(paragraph: string): string {
  return BLOCK_START.test(paragraph) ? `\\${paragraph}` : paragraph;
}

const STAMP = /^\[(?:\d+:)?\d{2}:\d{2}\] /;

/**
 * The transcript in a Markdown file beside the audio, for adoption: the body
 * without its front matter. Hark's own export reads back as the text it was
 * made from (its timestamped paragraphs are its segments, joined by a space);
 * anyone else's Markdown keeps its paragraphs.
 */
export function transcriptOfMarkdown(content: string): string {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const body = text.replace(/^---\n(?:[\s\S]*?\n)?---(?:\n|$)/, '');
  const parts = body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
  if (parts.length > 0 && parts.every((paragraph) => STAMP.test(paragraph))) {
    return parts.map((paragraph) => paragraph.replace(STAMP, '')).join(' ');
  }
  return parts
    .map((paragraph) =>
      BLOCK_START.test(paragraph.slice(1)) && paragraph.startsWith('\\') ? paragraph.slice(1) : paragraph,
    )
    .join('\n\n');
}

/**
 * What goes in the file beside the audio: the text for a `.txt`, the
 * Markdown export for a `.md` (where `--sidecar-format md` put it).
 */
export function sidecarContent(transcription: Transcription, sidecarPath: string): string {
  return sidecarPath.toLowerCase().endsWith('.md')
    ? exportMarkdown(transcription)
    : (transcription.text ?? '');
}
