import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { toHalfBits } from './half.js';
import { SeededRandom } from './random.js';
import { type TensorSpec, TYPE_F32, tensorSpecs } from './syntheticTensors.js';
import { ENGLISH_VOCAB_SIZE, MULTILINGUAL_VOCAB_SIZE, syntheticVocabulary } from './vocabulary.js';

/**
 * Writes synthetic whisper.cpp models: valid ggml files with seeded
 * pseudo-random weights. No package ships whisper weights and nothing may be
 * downloaded, so tests and benchmarks make their own. The text they produce is
 * gibberish, but loading, threading, memory and compute time are real.
 *
 * The layout, as whisper.cpp's loader reads it (all little-endian):
 *   magic 'ggml' (u32 0x67676d6c)
 *   11 × i32 hparams: n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *                     n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
 *   mel filters: i32 n_mel, i32 n_fft, then n_mel × n_fft f32
 *   vocabulary: i32 count, then per token u32 length + bytes
 *   tensors until end of file: i32 n_dims, i32 name length, i32 type (0 f32, 1 f16),
 *                              n_dims × i32 extents (fastest-varying first), name, data
 */

export type GgmlPreset = 'test' | 'tiny' | 'base';

export interface WhisperDimensions {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
}

/** `test` is small (8 MB, loads in a tenth of a second); `tiny` and `base` cost what the real models cost to run. */
const PRESETS: Record<GgmlPreset, Omit<WhisperDimensions, 'nVocab'>> = {
  test: shape(64, 2, 1),
  tiny: shape(384, 6, 4),
  base: shape(512, 8, 6),
};

function shape(state: number, heads: number, layers: number): Omit<WhisperDimensions, 'nVocab'> {
  return {
    nAudioCtx: 1500,
    nAudioState: state,
    nAudioHead: heads,
    nAudioLayer: layers,
    nTextCtx: 448,
    nTextState: state,
    nTextHead: heads,
    nTextLayer: layers,
    nMels: 80,
  };
}

export interface SyntheticModelOptions {
  preset?: GgmlPreset;
  /** A multilingual vocabulary (like `base`) instead of an English-only one (like `base.en`). */
  multilingual?: boolean;
  seed?: number;
}

export function syntheticModelDimensions(options: SyntheticModelOptions = {}): WhisperDimensions {
  const nVocab = options.multilingual ? MULTILINGUAL_VOCAB_SIZE : ENGLISH_VOCAB_SIZE;
  return { nVocab, ...PRESETS[options.preset ?? 'test'] };
}

const GGML_MAGIC = 0x67676d6c;
/** Big matrices in f16, the rest in f32: what whisper.cpp's converter writes by default. */
const FTYPE_F16 = 1;

/** The whole model file, piece by piece, so large presets can be streamed to disk. */
export function* ggmlModelChunks(options: SyntheticModelOptions = {}): Generator<Uint8Array> {
  const dims = syntheticModelDimensions(options);
  yield header(dims);
  yield melFilters(dims.nMels);
  yield vocabulary(dims.nVocab);
  const random = new SeededRandom(options.seed ?? 1);
  for (const spec of tensorSpecs(dims)) yield encodeTensor(spec, random);
}

export function ggmlModelBytes(options: SyntheticModelOptions = {}): Buffer {
  return Buffer.concat([...ggmlModelChunks(options)]);
}

/** Writes the model to `path` (through a temporary file, so a reader never sees half a model). */
export function writeGgmlModel(path: string, options: SyntheticModelOptions = {}): string {
  const partial = `${path}.${process.pid}.tmp`;
  const fd = openSync(partial, 'w');
  let written = false;
  try {
    for (const chunk of ggmlModelChunks(options)) writeSync(fd, chunk);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(partial, { force: true });
  }
  renameSync(partial, path);
  return path;
}

function header(dims: WhisperDimensions): Uint8Array {
  const values = [
    dims.nVocab,
    dims.nAudioCtx,
    dims.nAudioState,
    dims.nAudioHead,
    dims.nAudioLayer,
    dims.nTextCtx,
    dims.nTextState,
    dims.nTextHead,
    dims.nTextLayer,
    dims.nMels,
    FTYPE_F16,
  ];
  const out = Buffer.alloc(4 + values.length * 4);
  out.writeUInt32LE(GGML_MAGIC, 0);
  values.forEach((value, i) => {
    out.writeInt32LE(value, 4 + i * 4);
  });
  return out;
}

/** Triangular filters on the mel scale over whisper's 201 FFT bins (16 kHz, 400-point FFT). */
function melFilters(nMels: number): Uint8Array {
  const nFft = 201;
  const sampleRate = 16_000;
  const toMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const toHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => toHz((toMel(sampleRate / 2) * i) / (nMels + 1)));
  const out = Buffer.alloc(8 + nMels * nFft * 4);
  out.writeInt32LE(nMels, 0);
  out.writeInt32LE(nFft, 4);
  for (let m = 0; m < nMels; m++) {
    const [low, centre, high] = [edges[m] ?? 0, edges[m + 1] ?? 0, edges[m + 2] ?? 0];
    for (let bin = 0; bin < nFft; bin++) {
      const hz = (bin * sampleRate) / 2 / (nFft - 1);
      const weight = Math.max(0, Math.min((hz - low) / (centre - low), (high - hz) / (high - centre)));
      out.writeFloatLE(weight, 8 + (m * nFft + bin) * 4);
    }
  }
  return out;
}

function vocabulary(nVocab: number): Uint8Array {
  const tokens = syntheticVocabulary(nVocab).map((token) => Buffer.from(token, 'utf8'));
  const size = 4 + tokens.reduce((sum, token) => sum + 4 + token.length, 0);
  const out = Buffer.alloc(size);
  out.writeInt32LE(tokens.length, 0);
  let offset = 4;
  for (const token of tokens) {
    out.writeUInt32LE(token.length, offset);
    token.copy(out, offset + 4);
    offset += 4 + token.length;
  }
  return out;
}

function encodeTensor(spec: TensorSpec, random: SeededRandom): Uint8Array {
  const count = spec.extents.reduce((product, extent) => product * extent, 1);
  const data = new Float32Array(count);
  spec.fill(data, random);
  const name = Buffer.from(spec.name, 'utf8');
  const head = Buffer.alloc(12 + spec.extents.length * 4);
  head.writeInt32LE(spec.extents.length, 0);
  head.writeInt32LE(name.length, 4);
  head.writeInt32LE(spec.type, 8);
  spec.extents.forEach((extent, i) => {
    head.writeInt32LE(extent, 12 + i * 4);
  });
  const body = spec.type === TYPE_F32 ? new Uint8Array(data.buffer) : halfBytes(data);
  return Buffer.concat([head, name, body]);
}

function halfBytes(data: Float32Array): Uint8Array {
  const half = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) half[i] = toHalfBits(data[i] ?? 0);
  return new Uint8Array(half.buffer);
}
