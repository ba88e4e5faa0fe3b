import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggmlModelBytes, syntheticModelDimensions, writeGgmlModel } from './ggmlModel.js';
import { fromHalfBits, toHalfBits } from './half.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hark-ggml-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads a ggml whisper file back, independently of the writer's code. */
function readModel(bytes: Buffer) {
  let at = 0;
  const int = () => {
    const value = bytes.readInt32LE(at);
    at += 4;
    return value;
  };
  const magic = bytes.readUInt32LE(0);
  at = 4;
  const hparams = Array.from({ length: 11 }, int);
  const [nMel, nFft] = [int(), int()];
  at += (nMel ?? 0) * (nFft ?? 0) * 4;
  const vocabulary = Array.from({ length: int() }, () => {
    const length = int();
    const token = bytes.toString('latin1', at, at + length);
    at += length;
    return token;
  });
  const tensors = new Map<string, { type: number; extents: number[] }>();
  while (at < bytes.length) {
    const [dims, nameLength, type] = [int(), int(), int()];
    const extents = Array.from({ length: dims }, int);
    const name = bytes.toString('utf8', at, at + nameLength);
    at += nameLength + extents.reduce((a, b) => a * b, 1) * (type === 0 ? 4 : 2);
    tensors.set(name, { type, extents });
  }
  return { magic, hparams, nMel, nFft, vocabulary, tensors, end: at };
}

describe('synthetic ggml whisper models', () => {
  it('are the same bytes for the same seed, and different for another', () => {
    const first = ggmlModelBytes({ preset: 'test', seed: 7 });
    const path = writeGgmlModel(join(dir, 'ggml-seed7.bin'), { preset: 'test', seed: 7 });

    expect(sha256(readFileSync(path))).toBe(sha256(first));
    expect(sha256(ggmlModelBytes({ preset: 'test', seed: 7 }))).toBe(sha256(first));
    expect(sha256(ggmlModelBytes({ preset: 'test', seed: 8 }))).not.toBe(sha256(first));
  });

  it("follow whisper.cpp's layout: magic, hyperparameters, mel filters, vocabulary, every tensor", () => {
    const bytes = ggmlModelBytes({ preset: 'test' });
    const model = readModel(bytes);
    const dims = syntheticModelDimensions({ preset: 'test' });

    expect(bytes.length).toBeLessThan(10 * 1024 * 1024);
    expect(model.magic).toBe(0x67676d6c);
    expect(model.hparams).toEqual([51864, 1500, 64, 2, 1, 448, 64, 2, 1, 80, 1]);
    expect([model.nMel, model.nFft]).toEqual([80, 201]);
    expect(model.vocabulary).toHaveLength(50256);
    expect(model.vocabulary[220]).toBe(' ');
    expect(model.vocabulary.filter((token) => token === ' ')).toHaveLength(1);
    expect(model.vocabulary.every((token) => /^[\x20-\x7e]+$/.test(token))).toBe(true);
    expect(model.end).toBe(bytes.length);
    // 7 + 15 per encoder layer, 4 + 24 per decoder layer: the count whisper.cpp insists on.
    expect(model.tensors.size).toBe(7 + 15 * dims.nAudioLayer + 4 + 24 * dims.nTextLayer);
    expect(model.tensors.get('encoder.conv1.weight')).toEqual({ type: 1, extents: [3, 80, 64] });
    expect(model.tensors.get('encoder.conv1.bias')).toEqual({ type: 0, extents: [1, 64] });
    expect(model.tensors.get('decoder.token_embedding.weight')).toEqual({ type: 1, extents: [64, 51864] });
    expect(model.tensors.get('decoder.positional_embedding')).toEqual({ type: 0, extents: [64, 448] });
    expect(model.tensors.get('decoder.blocks.0.cross_attn.key.weight')).toEqual({
      type: 1,
      extents: [64, 64],
    });
    expect(model.tensors.has('decoder.blocks.0.cross_attn.key.bias')).toBe(false);
  });

  it('have a multilingual vocabulary one token larger', () => {
    const model = readModel(ggmlModelBytes({ preset: 'test', multilingual: true }));
    expect(model.hparams[0]).toBe(51865);
    expect(model.vocabulary).toHaveLength(50257);
    expect(model.tensors.get('decoder.token_embedding.weight')?.extents).toEqual([64, 51865]);
  });

  it('match the real tiny and base shapes', () => {
    expect(syntheticModelDimensions({ preset: 'tiny' })).toMatchObject({
      nAudioState: 384,
      nAudioHead: 6,
      nAudioLayer: 4,
      nTextLayer: 4,
    });
    expect(syntheticModelDimensions({ preset: 'base', multilingual: true })).toMatchObject({
      nVocab: 51865,
      nAudioState: 512,
      nAudioHead: 8,
      nAudioLayer: 6,
      nTextLayer: 6,
    });
  });

  it('load in whisper.cpp with the dimensions they declare', () => {
    const english = writeGgmlModel(join(dir, 'ggml-test.en.bin'), { preset: 'test' });
    const multilingual = writeGgmlModel(join(dir, 'ggml-test.bin'), { preset: 'test', multilingual: true });
    // In a child process: a model whisper.cpp rejected could take the test runner down with it.
    const script = `
      const { Whisper } = require('@napi-rs/whisper');
      const describe = (path) => {
        const m = new Whisper(path);
        return [m.modelNVocab, m.modelNAudioState, m.modelNAudioLayer, m.modelNTextLayer, m.isMultilingual];
      };
      console.log(JSON.stringify(process.argv.slice(1).map(describe)));`;
    const output = execFileSync(process.execPath, ['-e', script, english, multilingual], {
      encoding: 'utf8',
    });

    expect(JSON.parse(output)).toEqual([
      [51864, 64, 1, 1, 0],
      [51865, 64, 1, 1, 1],
    ]);
  });
});

describe('half-precision floats', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [65520, 0x7c00],
    [2 ** -24, 0x0001],
    [2 ** -26, 0x0000],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
    [Number.POSITIVE_INFINITY, 0x7c00],
  ])('toHalfBits(%s) is %i', (value, bits) => {
    expect(toHalfBits(value)).toBe(bits);
  });

  it('round-trip within half precision', () => {
    for (const value of [Math.PI, -0.0007, 1234.5, 6e-5, -42]) {
      expect(Math.abs(fromHalfBits(toHalfBits(value)) - value)).toBeLessThanOrEqual(
        Math.abs(value) * 2 ** -11,
      );
    }
    expect(Number.isNaN(fromHalfBits(toHalfBits(Number.NaN)))).toBe(true);
  });
});
