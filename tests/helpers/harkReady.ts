import type { ChildProcess } from 'node:child_process';
import { type InstanceInfo, readInstanceInfo } from '../../src/app/instanceLock.js';
import { rememberHark } from './auth.js';
import { eventually } from './wait.js';

/**
 * Resolves once the `hark start` running as `child` has finished starting:
 * its instance file in `dataDir` names this child's pid and says ready
 * (written after recovery, the server's listen and the first scan), with the
 * URL when it serves. A file left by an earlier, killed run names another pid
 * and is not taken. Resolves null if the child exits first.
 */
export async function harkReadyOrExit(
  child: ChildProcess,
  dataDir: string,
  timeoutMs = 20_000,
): Promise<InstanceInfo | null> {
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const info = await eventually(
    () => {
      if (gone()) return 'exited' as const;
      const found = readInstanceInfo(dataDir);
      return found !== null && found.pid === child.pid && found.ready === true && found;
    },
    `hark (pid ${child.pid}) to be ready on ${dataDir}`,
    { timeoutMs },
  );
  return info === 'exited' ? null : info;
}

/**
 * As harkReadyOrExit, but a child that exits first (or a timeout) fails the
 * wait, with the child's stderr. Call it right after the spawn, so that no output is missed.
 */
export async function untilHarkReady(
  child: ChildProcess,
  dataDir: string,
  timeoutMs = 20_000,
): Promise<InstanceInfo> {
  let stderr = '';
  const collect = (chunk: Buffer) => {
    stderr += chunk.toString();
  };
  child.stderr?.on('data', collect);
  const closed = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  try {
    const info = await harkReadyOrExit(child, dataDir, timeoutMs).catch((error: Error) => {
      throw new Error(`${error.message}; its stderr so far:\n${stderr}`);
    });
    if (info) return info;
    await closed;
    throw new Error(
      `hark (pid ${child.pid}) exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr}`,
    );
  } finally {
    child.stderr?.off('data', collect);
  }
}

/** untilHarkReady for a serving Hark: its URL (`http://127.0.0.1:<port>`). */
export async function untilHarkServes(
  child: ChildProcess,
  dataDir: string,
  timeoutMs?: number,
): Promise<string> {
  const info = await untilHarkReady(child, dataDir, timeoutMs);
  if (!info.url) throw new Error(`hark (pid ${child.pid}) is ready but serves nothing (--no-serve?)`);
  // So that the clients that know only the port find its credential (tests/helpers/auth.ts).
  rememberHark(Number(new URL(info.url).port), dataDir);
  return info.url;
}
