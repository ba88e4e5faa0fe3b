import { randomBytes } from 'node:crypto';
import { encodeWav } from '../../src/transcription/wav.js';

export interface Part {
  field: string;
  /** A file part when given; a plain field otherwise. */
  filename?: string;
  contentType?: string;
  content: Buffer | string;
}

/** A multipart/form-data body, built by hand so tests control every byte (names, sizes, fields). */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hark${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.field}"`
        : `form-data; name="${part.field}"; filename="${part.filename.replace(/"/g, '%22')}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
          (part.filename === undefined
            ? ''
            : `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`) +
          '\r\n',
      ),
      Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A valid 16 kHz mono 16-bit wav of a quiet tone. */
export function wavBuffer(seconds: number): Buffer {
  const samples = Math.round(16_000 * seconds);
  return encodeWav(
    Float32Array.from(
      { length: samples },
      (_, i) => (1000 / 0x8000) * Math.sin((2 * Math.PI * 440 * i) / 16_000),
    ),
  );
}
