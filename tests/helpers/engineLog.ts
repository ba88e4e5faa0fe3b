import { existsSync, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface EngineLogEntry {
  event: 'start' | 'chunk' | 'done';
  file: string;
  startAt?: number;
  index?: number;
  end?: number;
  pid: number;
}

/** The engine log (HARK_ENGINE_LOG, see LoggingEngine): one JSON line per call, committed chunk and finished file. */
export function readEngineLog(path: string): EngineLogEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngineLogEntry);
}

/** Resolves when an entry matching `predicate` has been logged (watching the file, not sleeping). */
export function waitForEngineLog(
  path: string,
  predicate: (entry: EngineLogEntry) => boolean,
  timeoutMs = 20_000,
): Promise<EngineLogEntry> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = readEngineLog(path).find(predicate);
      if (found) {
        finish();
        resolve(found);
      }
    };
    const watcher = watch(dirname(path), (_event, name) => {
      if (name === basename(path)) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no engine log entry matched within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      watcher.close();
    };
    check();
  });
}
