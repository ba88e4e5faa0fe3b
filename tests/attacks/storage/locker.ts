import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { spawnTs, waitForOutput } from '../../helpers/processes.js';

const LOCKER = fileURLToPath(new URL('./dbLocker.ts', import.meta.url));

/** Another process holding a lock on `dbPath` (see dbLocker.ts) until release(). */
export interface HeldLock {
  release(): Promise<void>;
}

export async function lockDatabase(dbPath: string, mode: 'write' | 'exclusive'): Promise<HeldLock> {
  const child = spawnTs(LOCKER, [dbPath, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    child.stdin?.end();
    await gone;
  });
  await waitForOutput(child, /locked/);
  return {
    release: async () => {
      const released = waitForOutput(child, /released/);
      child.stdin?.write('release\n');
      await released;
      child.stdin?.end();
      await gone;
    },
  };
}
