import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export interface FfmpegInfo {
  path: string;
  /** The first line of `ffmpeg -version`. */
  version: string;
  /** Where it came from: the HARK_FFMPEG variable, the system, or the npm package. */
  origin: 'env' | 'system' | 'npm';
  /** The newest year in its copyright line: how the newer of two builds is told apart. */
  year: number;
}

let cached: FfmpegInfo | null | undefined;

/**
 * The ffmpeg Hark uses: $HARK_FFMPEG if set; otherwise the newer of the
 * system's ffmpeg and the static build shipped in @ffmpeg-installer (which
 * decodes every format Hark accepts, and needs no system package).
 */
export function findFfmpeg(): FfmpegInfo | null {
  if (cached !== undefined) return cached;
  const fromEnv = process.env.HARK_FFMPEG;
  if (fromEnv) {
    cached = probe(fromEnv, 'env');
    return cached;
  }
  const candidates = [probe(systemFfmpeg(), 'system'), probe(npmFfmpeg(), 'npm')].filter(
    (info): info is FfmpegInfo => info !== null,
  );
  candidates.sort((a, b) => b.year - a.year);
  cached = candidates[0] ?? null;
  return cached;
}

export function requireFfmpeg(): string {
  const info = findFfmpeg();
  if (!info) {
    throw new Error('ffmpeg was not found: run `npm ci` (it ships one) or install the system package');
  }
  return info.path;
}

function systemFfmpeg(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ffmpeg');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function npmFfmpeg(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    return existsSync(installer.path) ? installer.path : null;
  } catch {
    return null;
  }
}

function probe(path: string | null, origin: FfmpegInfo['origin']): FfmpegInfo | null {
  if (!path) return null;
  try {
    const output = execFileSync(path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 });
    const version = output.split('\n')[0] ?? '';
    const years = [...output.matchAll(/\b(19|20)\d\d\b/g)].map((m) => Number(m[0]));
    return { path, version, origin, year: years.length > 0 ? Math.max(...years) : 0 };
  } catch {
    return null;
  }
}
