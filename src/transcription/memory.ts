import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null = null;

/**
 * Collects garbage now. Decoding a long file passes many 64 KB pipe buffers
 * through this process; V8 counts them as external memory and waits for tens
 * of megabytes of it before collecting, and the allocator keeps what it grew
 * to. Collecting once per window (every ~30 s of audio; a few milliseconds
 * for this small heap) keeps memory flat whatever the file's length.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
