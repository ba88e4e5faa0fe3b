import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes hashed at each of the start, the middle and the end of a file. */
export const FINGERPRINT_BLOCK = 64 * 1024;

/**
 * A fast content fingerprint of an audio file: its size and a hash of its first, middle and
 * last 64 KiB (the whole file when smaller), so that a file moved or renamed inside the notes
 * folder, or imported twice, is recognised without reading all of it. `v1:` names the recipe.
 */
export function fingerprintFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const hash = createHash('sha256').update(`${size}:`);
    const block = Buffer.alloc(FINGERPRINT_BLOCK);
    const starts =
      size <= 3 * FINGERPRINT_BLOCK
        ? [0]
        : [0, Math.floor(size / 2 - FINGERPRINT_BLOCK / 2), size - FINGERPRINT_BLOCK];
    for (const start of starts) {
      const length = size <= 3 * FINGERPRINT_BLOCK ? size : FINGERPRINT_BLOCK;
      let read = 0;
      const whole = length > block.length ? Buffer.alloc(length) : block;
      while (read < length) {
        const n = readSync(fd, whole, read, length - read, start + read);
        if (n === 0) break;
        read += n;
      }
      hash.update(whole.subarray(0, read));
    }
    return `v1:${size}:${hash.digest('hex').slice(0, 32)}`;
  } finally {
    closeSync(fd);
  }
}

/** The fingerprint of in-memory content, by the same recipe (for the in-memory notes folder of tests). */
export function fingerprintBytes(bytes: Uint8Array): string {
  const size = bytes.length;
  const hash = createHash('sha256').update(`${size}:`);
  if (size <= 3 * FINGERPRINT_BLOCK) hash.update(bytes);
  else {
    const middle = Math.floor(size / 2 - FINGERPRINT_BLOCK / 2);
    hash.update(bytes.subarray(0, FINGERPRINT_BLOCK));
    hash.update(bytes.subarray(middle, middle + FINGERPRINT_BLOCK));
    hash.update(bytes.subarray(size - FINGERPRINT_BLOCK));
  }
  return `v1:${size}:${hash.digest('hex').slice(0, 32)}`;
}
