import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type FakeAudioSpec, fakeAudio } from '../../src/transcription/fakeEngine.js';
import { authHeaders, rememberHark, sessionCookie } from './auth.js';
import { untilHarkServes } from './harkReady.js';
import { CLI, type Exit, exited, ROOT, spawnTs } from './processes.js';

export interface HarkServerOptions {
  notes: string;
  data: string;
  /** 0 (the default) picks a free port; pass a previous server's port to restart it where pages expect it. */
  port?: number;
  engine?: string;
  /** Watch the notes folder (off by default: tests say exactly what is queued). */
  watch?: boolean;
  env?: NodeJS.ProcessEnv;
  /** `hark start --no-auth` (every request answered without a credential). */
  noAuth?: boolean;
}

export interface HarkServer {
  /** `http://127.0.0.1:<port>`, as Hark wrote it in its instance file. */
  url: string;
  port: number;
  child: ChildProcess;
  /** `{ authorization: 'Bearer <secret>' }` for fetch and http.request ({} with noAuth). */
  authHeaders: Record<string, string>;
  /** A fresh browser session's `hark_session` cookie value (a login code traded, as a page does). */
  sessionCookie(): Promise<string>;
  /** SIGTERM, then the exit (Hark stops cleanly: the running task resumes from its checkpoint next time). */
  stop(): Promise<Exit>;
}

/** Starts `hark start` (from source, fake engine by default) in a child process and waits until it serves. */
export async function startHark(options: HarkServerOptions): Promise<HarkServer> {
  const args = [
    'start',
    '--engine',
    options.engine ?? 'fake',
    '--notes',
    options.notes,
    '--data',
    options.data,
    '--port',
    String(options.port ?? 0),
  ];
  if (!options.watch) args.push('--no-watch');
  if (options.noAuth) args.push('--no-auth');
  const child = spawnTs(CLI, args, { env: { ...process.env, ...options.env } });
  const exit = exited(child);
  const url = await untilHarkServes(child, options.data);
  const port = Number(new URL(url).port);
  rememberHark(port, options.data);
  return {
    url,
    port,
    child,
    authHeaders: options.noAuth ? {} : authHeaders(options.data),
    sessionCookie: () => sessionCookie(url, options.data),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

/** Writes a file into the notes folder, dated a minute ago so the first scan queues it (not "still being written"). */
export function writeOldFile(notes: string, relativePath: string, content: string | Uint8Array): string {
  const path = join(notes, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  const minuteAgo = Date.now() / 1000 - 60;
  utimesSync(path, minuteAgo, minuteAgo);
  return path;
}

/** A fake-engine "audio" file: the engine hears what the spec says, at the pace it says. */
export function writeFakeAudio(notes: string, relativePath: string, spec: FakeAudioSpec): string {
  return writeOldFile(notes, relativePath, fakeAudio(spec));
}

/** An orphan named like Hark's own recordings (notes/YYYY-MM-DD/HHMMSS-voice-note.wav). */
export function orphanPath(index: number): string {
  return `2025-03-01/${String(90000 + index).padStart(6, '0')}-voice-note.wav`;
}

const WEB = join(ROOT, 'web');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * The server serves web/dist: a missing or stale build would test an old UI,
 * so this refuses to go on and says how to build it.
 */
export function requireBuiltWebUi(): void {
  let built: number;
  try {
    built = statSync(join(WEB, 'dist', 'index.html')).mtimeMs;
  } catch {
    throw new Error('The web UI is not built: run `npm run build:web` first');
  }
  const sources = Math.max(
    newestMtime(join(WEB, 'src')),
    newestMtime(join(WEB, 'index.html')),
    newestMtime(join(WEB, 'vite.config.ts')),
  );
  if (sources > built) throw new Error('web/dist is older than web/src: run `npm run build:web` first');
}
