/**
 * Recognises audio containers by their first bytes, so an upload named
 * `.mp3` that is really a text file or an executable is refused at the door.
 * Decoding problems beyond the header are the engine's to find.
 */
export type SniffedFormat = 'wav' | 'mp3' | 'mp4' | 'ogg' | 'webm' | 'flac' | 'aac' | 'aiff' | 'caf';

export const SNIFF_BYTES = 16;

export function sniffAudio(head: Uint8Array): SniffedFormat | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  const b = (i: number) => head[i] ?? -1;
  if (head.length < 4) return null;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'RF64') return 'wav';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (b(0) === 0x1a && b(1) === 0x45 && b(2) === 0xdf && b(3) === 0xa3) return 'webm';
  if (ascii(4, 8) === 'ftyp') return 'mp4';
  if (ascii(0, 4) === 'FORM' && (ascii(8, 12) === 'AIFF' || ascii(8, 12) === 'AIFC')) return 'aiff';
  if (ascii(0, 4) === 'caff') return 'caf';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  // MPEG audio frame sync: 11 set bits. Layer bits 01 is Layer III (mp3); 00 with a valid
  // ADTS layout is AAC.
  if (b(0) === 0xff && (b(1) & 0xe0) === 0xe0) {
    const layer = (b(1) >> 1) & 0x03;
    if (layer === 0 && (b(1) & 0xf6) === 0xf0) return 'aac';
    if (layer !== 0 && ((b(2) >> 4) & 0x0f) !== 0x0f) return 'mp3';
  }
  return null;
}

/** The file extension Hark gives a recording of this format. */
export function extensionFor(format: SniffedFormat): string {
  return format === 'mp4' ? 'm4a' : format;
}
