import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A playable WAV of `seconds` of near silence (8 kHz mono), which Chromium can seek in. */
export function silentWav(seconds: number): Buffer {
  const samples = 8000 * seconds;
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVEfmt ', 8, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(8000, 24);
  buffer.writeUInt32LE(16000, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  // A faint hum, so that it is not one run of zeros (a content fingerprint would see every file alike).
  for (let i = 0; i < samples; i++)
    buffer.writeInt16LE(Math.round(40 * Math.sin(i / (3 + seconds))), 44 + i * 2);
  return buffer;
}

export function writeWav(notes: string, relativePath: string, seconds: number): string {
  const path = join(notes, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, silentWav(seconds));
  // A minute old, so the first scan takes it as settled (a file still being written waits).
  const minuteAgo = Date.now() / 1000 - 60;
  utimesSync(path, minuteAgo, minuteAgo);
  return path;
}
