/**
 * How much of whisper's encoder a window needs. whisper.cpp's encoder sees 30 s
 * of audio as 1,500 positions of 20 ms (two 10 ms mel frames each); its
 * `audio_ctx` parameter makes it encode only the first N of them, so a 6-second
 * note need not pay for 30 seconds. Reduced too far, the model (trained on full
 * 30-second windows) is known to fall into repetition loops or lose the last
 * words (whisper.cpp issues 1951 and 1855; BENCHMARKS.md "Short notes"), so a
 * window keeps a margin of context past its end and a floor below which the
 * saving is not worth the risk.
 */

/** Encoder positions per second of audio (one per 20 ms). */
export const AUDIO_CTX_PER_SECOND = 50;
/** The positions of whisper's full 30-second window (every released model). */
export const FULL_AUDIO_CTX = 1500;
/** Context past the end of the audio: 2.56 s, the margin issue 1855 measured on base.en with Common Voice clips. */
export const AUDIO_CTX_MARGIN = 128;
/** Never fewer than this (about 7.7 s): fine-tuners saw normal models go wrong far below it (issue 1951). */
export const MIN_AUDIO_CTX = 384;

/**
 * The `audio_ctx` for a window of `seconds` of audio: enough positions for
 * the audio and the margin, at least the floor, at most the model's own
 * context (which means whisper's default: the full window).
 */
export function audioContextFor(seconds: number, modelAudioCtx: number = FULL_AUDIO_CTX): number {
  const needed = Math.ceil(Math.max(0, seconds) * AUDIO_CTX_PER_SECOND) + AUDIO_CTX_MARGIN;
  return Math.min(modelAudioCtx, Math.max(MIN_AUDIO_CTX, needed));
}
