import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house, checked from the imports: each top-level folder of src/ has a
 * floor, and code may only import from its own folder or from a lower floor.
 * An arrow that runs back up (the server importing the composition root, say)
 * fails here with the file that draws it.
 */
const FLOORS: Record<string, number> = {
  core: 0, // pure rules and types, no I/O
  db: 1, // the stores (SQLite, PostgreSQL)
  files: 1, // the one owner of the notes folder
  transcription: 1, // engines
  models: 2, // whisper.cpp model files (uses transcription's ffmpeg-free helpers)
  queue: 3, // the sealed queue, the worker, the scanner
  services: 4, // use-cases
  server: 5, // HTTP routes and SSE
  app: 6, // the composition root
  cli: 7, // the `hark` command (its `start` builds the app)
};

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

interface Arrow {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function arrows(): Arrow[] {
  const found: Arrow[] = [];
  const importPattern =
    /(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split(sep)[0] ?? '';
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      const target = resolve(dirname(file), specifier);
      const inside = relative(SRC, target);
      const to = inside.startsWith('..')
        ? `(outside src: ${relative(join(SRC, '..'), target)})`
        : inside.split(sep)[0];
      if (to !== undefined && to !== from) found.push({ from, to, file: relative(SRC, file), specifier });
    }
  }
  return found;
}

describe('the house', () => {
  const all = arrows();

  it('knows every folder of src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => FLOORS[folder] === undefined)).toEqual([]);
  });

  it('has no arrow that runs back up or sideways between folders', () => {
    const wrong = all
      .filter((arrow) => {
        const from = FLOORS[arrow.from];
        const to = FLOORS[arrow.to];
        return from === undefined || to === undefined || to >= from;
      })
      .map((arrow) => `${arrow.file} -> ${arrow.specifier}`);
    expect(wrong).toEqual([]);
  });

  it('ships no test machinery: nothing in src/ imports tests/ or scripts/', () => {
    expect(
      all.filter((arrow) => arrow.to.startsWith('(outside src')).map((a) => `${a.file} -> ${a.specifier}`),
    ).toEqual([]);
  });
});
