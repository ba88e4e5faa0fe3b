import { describe, expect, it } from 'vitest';
import { sniffAudio } from './audioSniff.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffAudio', () => {
  it('recognises the containers Hark accepts', () => {
    expect(sniffAudio(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBe('wav');
    expect(sniffAudio(bytes('ID3', [4, 0, 0, 0]))).toBe('mp3');
    expect(sniffAudio(bytes([0xff, 0xfb, 0x90, 0x64]))).toBe('mp3');
    expect(sniffAudio(bytes([0xff, 0xf1, 0x50, 0x80]))).toBe('aac');
    expect(sniffAudio(bytes([0, 0, 0, 0x20], 'ftypM4A '))).toBe('mp4');
    expect(sniffAudio(bytes('OggS', [0, 2]))).toBe('ogg');
    expect(sniffAudio(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('webm');
    expect(sniffAudio(bytes('fLaC', [0, 0, 0, 34]))).toBe('flac');
  });

  it('refuses what is not audio', () => {
    expect(sniffAudio(bytes('hello, this is text'))).toBeNull();
    expect(sniffAudio(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffAudio(bytes([0x7f], 'ELF'))).toBeNull();
    expect(sniffAudio(bytes('RIFF', [1, 2, 3, 4], 'AVI '))).toBeNull();
    expect(sniffAudio(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBeNull(); // JPEG
    expect(sniffAudio(new Uint8Array(0))).toBeNull();
  });
});
