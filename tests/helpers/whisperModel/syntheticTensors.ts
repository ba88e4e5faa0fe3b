import type { SeededRandom } from './random.js';
import { specialTokens } from './vocabulary.js';

/**
 * The tensors of a synthetic whisper model: every name and shape whisper.cpp's
 * loader expects, with seeded weights. The encoder is plain random (it is where
 * the compute goes, so benchmarks measure real work). The decoder is random
 * too, but shaped so that greedy decoding is confident and short, because
 * purely random weights make whisper.cpp fail its quality checks and retry at
 * five temperatures with five sampled decoders, up to 220 tokens each: tens of
 * seconds per window, and different text on every call.
 *
 * Shaped decoding, for every window: `<|0.00|>`, about eight pseudo-words that
 * depend on the position and a little on the audio, then `<|30.00|>`, which
 * ends the window. Three coordinates of the residual stream carry it:
 *   CLOCK   grows with the position, so the last timestamp eventually wins;
 *   BIAS    is constant, so the ~48k unused text tokens score far below the rest;
 *   PROMPT  is set by the task tokens that end the prompt, so the first token is <|0.00|>.
 * The decoder's self-attention and MLP add nothing (zero output weights: the
 * compute is the same) and cross-attention adds a little of the audio.
 */

export const TYPE_F32 = 0;
export const TYPE_F16 = 1;

export interface TensorSpec {
  name: string;
  type: typeof TYPE_F32 | typeof TYPE_F16;
  /** Extents, fastest-varying first (ggml's `ne`). */
  extents: number[];
  fill: (data: Float32Array, random: SeededRandom) => void;
}

export interface TensorDimensions {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextLayer: number;
  nMels: number;
}

const CLOCK = 0;
const BIAS = 1;
const PROMPT = 2;
const FIRST_CONTENT = 3;

/** Tuned with a reference decoder in JS, then checked against whisper.cpp for the test, tiny and base shapes. */
const DESIGN = {
  /** Every 32nd ordinary token (past the byte tokens) can be spoken; the rest never win. */
  spokenEvery: 32,
  /** Per-coordinate spread of the positional embedding's content: large, so each position picks its own word. */
  positionSpread: 12,
  /** Spoken words' spread, times sqrt(n_state): sets how confident the decoder is. */
  wordScale: 18,
  /** The clock reaches the content's size after this many positions. */
  clockPositions: 8,
  biasShare: 0.25,
  unspokenPenalty: 160,
  promptShare: 3,
  /** The final timestamp's weight on the clock, times sqrt(n_state): when the window ends. */
  endScale: 50,
  otherTimestampShare: 0.5,
  startScale: 32,
  /** Cross-attention output gain: enough audio to change the words, too little to derail decoding. */
  audioGain: 5,
} as const;

const ones = (data: Float32Array) => data.fill(1);
const zeros = (_data: Float32Array) => {};
const spread = (std: number) => (data: Float32Array, random: SeededRandom) => {
  for (let i = 0; i < data.length; i++) data[i] = random.spread(std);
};

/** A linear layer's weight: torch (out, in) is ggml (in, out), scaled so activations keep unit size. */
function linear(name: string, inputs: number, outputs: number, gain = 1): TensorSpec {
  return { name, type: TYPE_F16, extents: [inputs, outputs], fill: spread(gain / Math.sqrt(inputs)) };
}

function vector(name: string, size: number, fill: TensorSpec['fill']): TensorSpec {
  return { name, type: TYPE_F32, extents: [size], fill };
}

function attention(prefix: string, state: number, outputGain = 1): TensorSpec[] {
  return [
    vector(`${prefix}_ln.weight`, state, ones),
    vector(`${prefix}_ln.bias`, state, zeros),
    linear(`${prefix}.query.weight`, state, state),
    vector(`${prefix}.query.bias`, state, zeros),
    linear(`${prefix}.key.weight`, state, state),
    linear(`${prefix}.value.weight`, state, state),
    vector(`${prefix}.value.bias`, state, zeros),
    linear(`${prefix}.out.weight`, state, state, outputGain),
    vector(`${prefix}.out.bias`, state, zeros),
  ];
}

function mlp(prefix: string, state: number, outputGain = 1): TensorSpec[] {
  return [
    vector(`${prefix}.mlp_ln.weight`, state, ones),
    vector(`${prefix}.mlp_ln.bias`, state, zeros),
    linear(`${prefix}.mlp.0.weight`, state, 4 * state),
    vector(`${prefix}.mlp.0.bias`, 4 * state, zeros),
    linear(`${prefix}.mlp.2.weight`, 4 * state, state, outputGain),
    vector(`${prefix}.mlp.2.bias`, state, zeros),
  ];
}

export function tensorSpecs(dims: TensorDimensions): TensorSpec[] {
  return [...encoderTensors(dims), ...decoderTensors(dims)];
}

function encoderTensors(dims: TensorDimensions): TensorSpec[] {
  const state = dims.nAudioState;
  const specs: TensorSpec[] = [
    {
      name: 'encoder.positional_embedding',
      type: TYPE_F32,
      extents: [state, dims.nAudioCtx],
      fill: spread(0.1),
    },
    {
      name: 'encoder.conv1.weight',
      type: TYPE_F16,
      extents: [3, dims.nMels, state],
      fill: spread(1 / Math.sqrt(3 * dims.nMels)),
    },
    { name: 'encoder.conv1.bias', type: TYPE_F32, extents: [1, state], fill: zeros },
    {
      name: 'encoder.conv2.weight',
      type: TYPE_F16,
      extents: [3, state, state],
      fill: spread(1 / Math.sqrt(3 * state)),
    },
    { name: 'encoder.conv2.bias', type: TYPE_F32, extents: [1, state], fill: zeros },
    vector('encoder.ln_post.weight', state, ones),
    vector('encoder.ln_post.bias', state, zeros),
  ];
  for (let i = 0; i < dims.nAudioLayer; i++) {
    specs.push(...attention(`encoder.blocks.${i}.attn`, state), ...mlp(`encoder.blocks.${i}`, state));
  }
  return specs;
}

function decoderTensors(dims: TensorDimensions): TensorSpec[] {
  const state = dims.nTextState;
  const specs: TensorSpec[] = [
    {
      name: 'decoder.positional_embedding',
      type: TYPE_F32,
      extents: [state, dims.nTextCtx],
      fill: positionalEmbedding(state),
    },
    {
      name: 'decoder.token_embedding.weight',
      type: TYPE_F16,
      extents: [state, dims.nVocab],
      fill: tokenEmbedding(state, dims.nVocab),
    },
    vector('decoder.ln.weight', state, ones),
    vector('decoder.ln.bias', state, zeros),
  ];
  for (let i = 0; i < dims.nTextLayer; i++) {
    specs.push(
      ...attention(`decoder.blocks.${i}.attn`, state, 0),
      ...attention(`decoder.blocks.${i}.cross_attn`, state, DESIGN.audioGain),
      ...mlp(`decoder.blocks.${i}`, state, 0),
    );
  }
  return specs;
}

/** Rows are positions: the clock, the constant bias, and random content. */
function positionalEmbedding(state: number): TensorSpec['fill'] {
  const contentSize = DESIGN.positionSpread * Math.sqrt(state);
  return (data, random) => {
    for (let position = 0; position < data.length / state; position++) {
      const row = position * state;
      data[row + CLOCK] = (contentSize / DESIGN.clockPositions) * position;
      data[row + BIAS] = DESIGN.biasShare * contentSize;
      for (let j = FIRST_CONTENT; j < state; j++) data[row + j] = random.spread(DESIGN.positionSpread);
    }
  };
}

/**
 * Rows are tokens, and (tied, as in whisper) also the output projection, so a
 * row says both what a token contributes as input and when it wins as output.
 */
function tokenEmbedding(state: number, nVocab: number): TensorSpec['fill'] {
  const { endOfText, noSpeech, firstTimestamp, lastTimestamp } = specialTokens(nVocab);
  const scale = 1 / Math.sqrt(state);
  const contentSize = DESIGN.positionSpread * Math.sqrt(state);
  return (data, random) => {
    for (let token = 0; token < nVocab; token++) {
      const row = token * state;
      if (token < endOfText) {
        if (token >= 256 && token % DESIGN.spokenEvery === 0) {
          for (let j = FIRST_CONTENT; j < state; j++) data[row + j] = random.spread(DESIGN.wordScale * scale);
        } else {
          data[row + BIAS] = -DESIGN.unspokenPenalty * scale;
        }
      } else if (token === endOfText) {
        // All zero: never needed, since the final timestamp ends the window.
      } else if (token < firstTimestamp) {
        // Start of transcript, languages and tasks mark the prompt; no-speech must never look likely.
        data[row + PROMPT] = (token === noSpeech ? -1 : 1) * DESIGN.promptShare * contentSize;
      } else if (token === firstTimestamp) {
        data[row + PROMPT] = DESIGN.startScale * scale;
      } else {
        const share = token === lastTimestamp ? 1 : DESIGN.otherTimestampShare;
        data[row + CLOCK] = share * DESIGN.endScale * scale;
      }
    }
  };
}
