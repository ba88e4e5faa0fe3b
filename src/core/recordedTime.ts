/**
 * When a note was recorded, read from its path: recorders put the time in the file name
 * (`20240612_184500.m4a`, `Recording_20240612_184500.m4a`, Voice Memos' `20240612 184500-AB12CD34.m4a`),
 * Hark and many people in dated folders (`2024-05-05/071500-voice-note.wav`). Times in names
 * are the recorder's local time, so they are read as local time. Pure: no clock, no file system.
 */

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: number | undefined;
  minute?: number | undefined;
  second?: number | undefined;
}

const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

/** A date (and time) that exists: 2024-02-30 and 25:00 are not times, whatever the name says. */
function valid(p: Parts): boolean {
  if (p.year < MIN_YEAR || p.year > MAX_YEAR || p.month < 1 || p.month > 12 || p.day < 1) return false;
  if (p.day > new Date(p.year, p.month, 0).getDate()) return false;
  if (p.hour !== undefined && (p.hour > 23 || (p.minute ?? 0) > 59 || (p.second ?? 0) > 59)) return false;
  return true;
}

const n = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/** A date and time in a file name: YYYYMMDD[_- T]HHMMSS, YYYY-MM-DD[_ T]HH[-.:]MM[-.:]SS, and date-only forms. */
const NAME_PATTERNS: RegExp[] = [
  // 20240612_184500, 20240612-184500, 20240612 184500, 20240612T184500 (Android, Voice Memos, cameras)
  /(?<!\d)(\d{4})(\d{2})(\d{2})[_\- T](\d{2})(\d{2})(\d{2})?(?!\d)/,
  // 2024-06-12_18-45-00, 2024-06-12 18.45.00, 2024-06-12T18:45, 2024_06_12 18_45_00
  /(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})[_\- T](\d{2})[-_.:h](\d{2})(?:[-_.:m](\d{2}))?(?!\d)/,
];
const DATE_ONLY_PATTERNS: RegExp[] = [
  /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/, // 2024-06-12
  /(?<!\d)(\d{4})_(\d{2})_(\d{2})(?!\d)/, // 2024_06_12
  /(?<![\dA-Za-z])(?:AUD|PTT|VID|REC)-(\d{4})(\d{2})(\d{2})-WA\d+/i, // WhatsApp voice notes
  /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/, // 20240612
];
/** Hark's own recordings and others like them: `071500-voice-note`, `0715-note`, in a dated folder. */
const TIME_PREFIX = /^(\d{2})(\d{2})(\d{2})?(?!\d)/;

function match(patterns: RegExp[], text: string): Parts | null {
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    if (!m) continue;
    const parts: Parts = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: n(m[4]),
      minute: n(m[5]),
      second: n(m[6]),
    };
    if (valid(parts)) return parts;
  }
  return null;
}

/** The date a folder name gives (`2024-05-05`, `2024_05_05`, `20240505`), nearest folder first. */
function folderDate(folders: string[]): Parts | null {
  for (let i = folders.length - 1; i >= 0; i--) {
    const found = match(DATE_ONLY_PATTERNS, folders[i] ?? '');
    if (found) return found;
  }
  // Nested year/month/day folders: 2024/05/05/
  const last = folders.slice(-3);
  if (last.length === 3 && last.every((f) => /^\d+$/.test(f)) && last[0]?.length === 4) {
    const parts = { year: Number(last[0]), month: Number(last[1]), day: Number(last[2]) };
    if (valid(parts)) return parts;
  }
  return null;
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

const toMs = (p: Parts) =>
  new Date(p.year, p.month - 1, p.day, p.hour ?? 0, p.minute ?? 0, p.second ?? 0).getTime();

/** The recording time a path carries, in epoch ms of local time; `dateOnly` when it gives no time of day. */
export function timeFromPath(relativePath: string): { ms: number; dateOnly: boolean } | null {
  const segments = relativePath.split('/');
  const name = stem(segments.pop() ?? '');
  const inName = match(NAME_PATTERNS, name);
  if (inName) return { ms: toMs(inName), dateOnly: false };
  const nameDate = match(DATE_ONLY_PATTERNS, name);
  const date = nameDate ?? folderDate(segments);
  if (!date) return null;
  // A time of day at the start of the name, when the date is the folder's: `071500-voice-note`.
  const t = nameDate ? null : TIME_PREFIX.exec(name);
  if (t) {
    const timed = { ...date, hour: Number(t[1]), minute: Number(t[2]), second: n(t[3]) };
    if (valid(timed)) return { ms: toMs(timed), dateOnly: false };
  }
  return { ms: toMs(date), dateOnly: true };
}

/**
 * When a note was recorded: the time its path carries; else `fallbackMs` (the browser's
 * lastModified of an import, or the file's mtime). A path that gives only a date keeps the
 * fallback when that falls on the same day (it knows the time), else is that day's midnight.
 */
export function recordedAtFor(relativePath: string, fallbackMs: number): number {
  const fromPath = timeFromPath(relativePath);
  if (!fromPath) return fallbackMs;
  if (!fromPath.dateOnly) return fromPath.ms;
  const day = new Date(fromPath.ms);
  const fallback = new Date(fallbackMs);
  const sameDay =
    day.getFullYear() === fallback.getFullYear() &&
    day.getMonth() === fallback.getMonth() &&
    day.getDate() === fallback.getDate();
  return sameDay ? fallbackMs : fromPath.ms;
}
