import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { FINGERPRINT_BLOCK, fingerprintBytes, fingerprintFile } from './fingerprint.js';

describe('fingerprintFile', () => {
  const file = (name: string, bytes: Buffer) => {
    const path = join(tempDir(), name);
    writeFileSync(path, bytes);
    return path;
  };

  it('is the same for the same content under any name, and agrees with fingerprintBytes', () => {
    for (const size of [
      0,
      10,
      FINGERPRINT_BLOCK * 3,
      FINGERPRINT_BLOCK * 3 + 1,
      FINGERPRINT_BLOCK * 10 + 7,
    ]) {
      const bytes = Buffer.alloc(size, 7);
      for (let i = 0; i < size; i += 997) bytes[i] = i % 251;
      const a = fingerprintFile(file(`a-${size}.wav`, bytes));
      expect(fingerprintFile(file(`b-${size}.m4a`, bytes))).toBe(a);
      expect(fingerprintBytes(bytes)).toBe(a);
      expect(a).toMatch(new RegExp(`^v1:${size}:[0-9a-f]{32}$`));
    }
  });

  it('tells apart content that differs at the start, the middle, the end or in size', () => {
    const size = FINGERPRINT_BLOCK * 8;
    const base = Buffer.alloc(size, 1);
    const changed = (at: number) => {
      const copy = Buffer.from(base);
      copy[at] = 2;
      return fingerprintBytes(copy);
    };
    const original = fingerprintBytes(base);
    expect(new Set([original, changed(0), changed(size / 2), changed(size - 1)]).size).toBe(4);
    expect(fingerprintBytes(Buffer.alloc(size + 1, 1))).not.toBe(original);
  });
});
