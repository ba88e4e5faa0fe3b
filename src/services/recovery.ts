import { abandonedTaskRecovery } from '../core/leases.js';
import { removeStaleWindowFolders } from '../transcription/wav.js';
import { removeAbandonedImports } from './imports.js';
import type { HarkServices } from './services.js';
import { writePendingSidecars } from './sidecars.js';

/**
 * What the process holding the lock tidies before anything runs: tasks a
 * crash left running go back in the queue, transcripts committed but not
 * written beside their audio are written, and imports and audio windows a
 * kill cut off are removed.
 */
export async function tidyAfterCrash(services: HarkServices): Promise<void> {
  const { queue, notes, log } = services;
  // On SQLite this process holds the lock, so every task left processing is abandoned; on
  // PostgreSQL other nodes may be working on theirs: only lapsed leases say a task was left.
  const recovered =
    abandonedTaskRecovery(queue.storeKind) === 'at-start'
      ? await queue.recover()
      : await queue.reclaimExpired();
  if (recovered.requeued + recovered.failed > 0) {
    log.warn(
      `recovered after a crash: ${recovered.requeued} task(s) back in the queue, ${recovered.failed} failed`,
    );
  }
  await writePendingSidecars(queue, notes, log);
  const abandoned = removeAbandonedImports(notes);
  if (abandoned > 0) log.info(`removed ${abandoned} import(s) a crash had cut off mid-upload`);
  const staleWindows = removeStaleWindowFolders();
  if (staleWindows > 0) log.info(`removed ${staleWindows} temporary audio window(s) left by a killed Hark`);
}
