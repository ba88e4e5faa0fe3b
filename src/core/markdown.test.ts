import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noteFields } from '../../tests/helpers/noteFields.js';
import { exportTranscript } from './export.js';
import { clockStamp, exportMarkdown, transcriptOfMarkdown, yamlString } from './markdown.js';
import type { Transcription } from './types.js';

const note: Transcription = {
  id: 'abc',
  audioPath: '2026-11-28/101500-voice-note.webm',
  status: 'complete',
  source: 'recording',
  originalName: null,
  text: 'Hello there. # not a heading 1. not a list',
  segments: [
    { start: 0, end: 1.25, text: 'Hello there.' },
    { start: 1.5, end: 2, text: ' # not a heading' },
    { start: 3725, end: 3726, text: '1. not a list' },
  ],
  language: 'en',
  duration: 3726.0004,
  engine: 'whisper-cpp',
  errorKind: null,
  errorMessage: null,
  sidecarPath: null,
  fileSize: null,
  fileMtimeMs: null,
  createdAt: 0,
  recordedAt: Date.UTC(2026, 10, 28, 10, 15),
  transcribedAt: 0,
  ...noteFields('101500-voice-note'),
};

/**
 * A strict reader of the front matter Hark writes, written from the YAML spec
 * rather than from the writer: `key: value` lines whose value is null, a
 * number or a double-quoted scalar (YAML 1.2 §7.3.1, its escapes). Anything
 * else (a bare string, a raw line break or control character inside the
 * quotes, an unknown escape) throws, so a value that only parses by luck fails.
 */
function readFrontMatter(markdown: string): Record<string, string | number | null> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  if (!match) throw new Error('no front matter');
  const result: Record<string, string | number | null> = {};
  for (const line of (match[1] ?? '').split('\n')) {
    const entry = /^([a-z_]+): (.*)$/.exec(line);
    if (!entry) throw new Error(`not a key: value line: ${JSON.stringify(line)}`);
    const [, key = '', raw = ''] = entry;
    if (raw === 'null') result[key] = null;
    else if (/^-?\d+(?:\.\d+)?$/.test(raw)) result[key] = Number(raw);
    else result[key] = doubleQuoted(raw);
  }
  return result;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

function doubleQuoted(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) throw new Error(`not quoted: ${raw}`);
  const inner = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i] ?? '';
    const code = char.charCodeAt(0);
    // YAML's printable set, minus the line breaks it folds (1.1 also folds NEL, LS and PS).
    if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff
    )
      throw new Error(`unescaped ${code.toString(16)} inside quotes`);
    if (char === '"') throw new Error('bare quote inside quotes');
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = inner[++i] ?? '';
    if (next === 'u') {
      const hex = inner.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`bad \\u escape ${hex}`);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else if (next in ESCAPES) out += ESCAPES[next];
    else throw new Error(`unknown escape \\${next}`);
  }
  return out;
}

describe('Markdown export', () => {
  it('writes front matter, then timestamped paragraphs', () => {
    expect(exportMarkdown(note)).toBe(
      [
        '---',
        'title: "101500-voice-note.webm"',
        'recorded: "2026-11-28T10:15:00.000Z"',
        'duration: 3726',
        'language: "en"',
        'engine: "whisper-cpp"',
        'source_path: "2026-11-28/101500-voice-note.webm"',
        '---',
        '',
        '[00:00] Hello there.',
        '',
        '[00:01] # not a heading',
        '',
        '[1:02:05] 1. not a list',
        '',
      ].join('\n'),
    );
    expect(exportTranscript(note, 'md')).toBe(exportMarkdown(note));
  });

  it('without timestamps, makes paragraphs at pauses and keeps text from turning into Markdown', () => {
    const body = exportMarkdown(note, { timestamps: false }).split('---\n\n')[1];
    expect(body).toBe('Hello there. # not a heading\n\n\\1. not a list\n');
  });

  it('writes unknown metadata as null and an untimed transcript as its paragraphs', () => {
    const adopted = {
      ...note,
      segments: [],
      duration: null,
      language: null,
      engine: null,
      text: '# typed\n\nby hand',
    };
    const markdown = exportMarkdown(adopted);
    expect(readFrontMatter(markdown)).toMatchObject({ duration: null, language: null, engine: null });
    expect(markdown.endsWith('---\n\n\\# typed\n\nby hand\n')).toBe(true);
  });

  it('quotes a title with a colon, quotes, a leading dash or a newline so that YAML reads it back', () => {
    for (const title of [
      'Meeting: budget',
      '"quoted" and \'single\'',
      '- looks like a list',
      'two\nlines',
      '# hash',
      'tab\there',
      'back\\slash',
      'null',
      '123',
      'emoji 🎙️ and ünïcödé',
      'nel\x85 ls\u2028 ps\u2029 bom\ufeff del\x7f',
      ': ---',
    ]) {
      const markdown = exportMarkdown({ ...note, originalName: title });
      expect(readFrontMatter(markdown).title).toBe(title);
    }
  });

  it('quotes any string so that the strict reader gets it back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(doubleQuoted(yamlString(value))).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('stamps times as mm:ss, with hours from an hour on', () => {
    expect(clockStamp(0)).toBe('[00:00]');
    expect(clockStamp(59.9)).toBe('[00:59]');
    expect(clockStamp(3599)).toBe('[59:59]');
    expect(clockStamp(36_000)).toBe('[10:00:00]');
  });
});

describe('transcriptOfMarkdown (adopting a .md beside audio)', () => {
  it("reads Hark's own export back as the transcript text, without the front matter", () => {
    expect(transcriptOfMarkdown(exportMarkdown(note))).toBe(note.text);
    expect(transcriptOfMarkdown(exportMarkdown(note, { timestamps: false }))).toBe(
      'Hello there. # not a heading\n\n1. not a list',
    );
  });

  it("keeps anyone else's Markdown as it is, front matter or not", () => {
    expect(transcriptOfMarkdown('Just notes.\r\n\r\nSecond paragraph.\n')).toBe(
      'Just notes.\n\nSecond paragraph.',
    );
    expect(transcriptOfMarkdown('---\ntags: [a]\n---\n# Heading\nbody')).toBe('# Heading\nbody');
    expect(transcriptOfMarkdown('---\n---\n')).toBe('');
  });
});
