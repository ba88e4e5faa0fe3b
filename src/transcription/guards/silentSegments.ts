import type { Segment } from '../../core/types.js';
import { SAMPLE_RATE } from '../recognizer.js';
import { DEFAULT_SPEECH_THRESHOLDS, type SpeechThresholds, speechFrames } from '../vad.js';

/**
 * whisper's other long-form failure: text over silence ("Thank you for
 * watching.", "you") in the quiet part of a window that holds speech
 * elsewhere, so the window-level voice detection let it through. The binding
 * (@napi-rs/whisper 0.0.4) does not expose whisper's no-speech probability, so
 * the audio decides: a segment is dropped when not one frame in its time range
 * counts as speech by the rule vad.ts uses for the whole window (voice-band
 * level above the window's noise floor + 9 dB and above -70 dBFS).
 *
 * whisper's timestamps are coarse (and with a synthetic model, noise), so the
 * range is widened by `marginSeconds` on each side: a real word whose stamp is
 * a little off is kept, only text far from any voice goes.
 */
export const SILENT_SEGMENT_MARGIN_SECONDS = 0.5;

export function dropSilentSegments(
  samples: Float32Array,
  segments: readonly Segment[],
  options: { marginSeconds?: number; thresholds?: SpeechThresholds } = {},
): Segment[] {
  if (segments.length === 0) return [];
  const margin = options.marginSeconds ?? SILENT_SEGMENT_MARGIN_SECONDS;
  const { frameSeconds, loud } = speechFrames(samples, options.thresholds ?? DEFAULT_SPEECH_THRESHOLDS);
  const windowSeconds = samples.length / SAMPLE_RATE;
  return segments.filter((segment) => {
    const from = Math.max(0, Math.min(segment.start, windowSeconds) - margin);
    const to = Math.min(windowSeconds, Math.max(segment.end, segment.start) + margin);
    const first = Math.floor(from / frameSeconds);
    const last = Math.min(loud.length - 1, Math.ceil(to / frameSeconds));
    for (let frame = first; frame <= last; frame++) if (loud[frame]) return true;
    return false;
  });
}
