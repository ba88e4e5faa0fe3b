import { createHash } from 'node:crypto';
import type { Priority, Source, TaskType } from './types.js';

/** The plan's wav, mp3 and m4a, plus what phones and browsers also record. */
export const AUDIO_EXTENSIONS = ['wav', 'mp3', 'm4a', 'ogg', 'opus', 'webm', 'flac', 'aac'] as const;

const AUDIO_EXTENSION_SET = new Set<string>(AUDIO_EXTENSIONS);
const PARTIAL_SUFFIXES = ['.part', '.tmp', '.crdownload', '.download', '.partial'];
/** Our own recordings: `HHMMSS-voice-note.<ext>` (the plan's naming). */
const OWN_RECORDING = /^\d{6}-voice-note(?:-\d+)?$/;

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

export function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? fileName : fileName.slice(0, dot);
}

/** Hidden files and folders (dot-names) are never scanned: editors and sync tools keep their state there. */
export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** A download or copy still in flight. The finished file appears under its own name later. */
export function isPartialFile(name: string): boolean {
  const lower = name.toLowerCase();
  return PARTIAL_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/**
 * Audio is recognised by extension, case-insensitively. Partial downloads
 * (`x.wav.part`) end in their own extension, so they never match. Called for
 * every file of every scan, hence the plain string work.
 */
export function isAudioFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > 5 || name.charCodeAt(0) === 46 /* '.' */) return false;
  return AUDIO_EXTENSION_SET.has(name.slice(dot + 1).toLowerCase());
}

/** The plan's `is_imported_file`: anything not named like our own recordings was brought in from elsewhere. */
export function isOwnRecordingName(fileName: string): boolean {
  return OWN_RECORDING.test(stemOf(fileName));
}

/**
 * The plan's `extract_id_from_path`: a stable id from the path relative to the
 * notes folder, so a rescan (or a rebuilt database) gives the same file the same id.
 */
export function transcriptionIdFor(relativePath: string): string {
  return createHash('sha256').update(relativePath.normalize('NFC')).digest('hex').slice(0, 20);
}

/** Where a file found by the scanner goes in the queue, and how it is shown. */
export function classifyAudio(relativePath: string): {
  source: Source;
  taskType: TaskType;
  priority: Priority;
  originalName: string | null;
} {
  const fileName = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  if (isOwnRecordingName(fileName)) {
    return { source: 'orphan', taskType: 'transcribe_orphan', priority: 0, originalName: null };
  }
  return { source: 'imported', taskType: 'transcribe_imported', priority: 0, originalName: fileName };
}

/** Transcripts that may sit beside an audio file: same stem, `.txt` or `.md`. */
export function sidecarCandidates(audioFileName: string): string[] {
  const stem = stemOf(audioFileName);
  return [`${stem}.txt`, `${stem}.md`];
}

/** What Hark writes beside the audio: the text (`.txt`), or the Markdown export (`.md`, for note apps). */
export const SIDECAR_FORMATS = ['txt', 'md'] as const;
export type SidecarFormat = (typeof SIDECAR_FORMATS)[number];

/** Where Hark writes the transcript of an audio file: the plan's `output_path`. */
export function sidecarPathFor(audioRelativePath: string, format: SidecarFormat = 'txt'): string {
  const slash = audioRelativePath.lastIndexOf('/');
  const dir = slash < 0 ? '' : audioRelativePath.slice(0, slash + 1);
  return `${dir}${stemOf(audioRelativePath.slice(slash + 1))}.${format}`;
}

/** A file modified this recently may still be being written; a later scan takes it. */
export const SETTLE_MS = 3_000;

export function isSettled(mtimeMs: number, now: number, settleMs = SETTLE_MS): boolean {
  return now - mtimeMs >= settleMs;
}
