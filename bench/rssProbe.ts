/**
 * Transcribes one file with a chosen engine and prints its wall time and the
 * peak resident memory of this process (and of the whisper host, if any):
 * bench/transcription.ts runs it in a fresh process per file, so peaks do not mix.
 *   node --import tsx bench/rssProbe.ts <file> pocketsphinx|whisper:<model>
 */
import type { TranscriptionEngine } from '../src/core/engine.js';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { PocketsphinxRecognizer } from '../src/transcription/pocketsphinx.js';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';

const [file = '', engineSpec = 'pocketsphinx'] = process.argv.slice(2);
let hostPeak = 0;
let engine: TranscriptionEngine;
if (engineSpec.startsWith('whisper:')) {
  const recognizer = new WhisperRecognizer({ modelPath: engineSpec.slice('whisper:'.length) });
  recognizer.on('window', (window) => {
    hostPeak = Math.max(hostPeak, window.rssBytes);
  });
  engine = new ChunkedEngine(recognizer);
} else {
  engine = new ChunkedEngine(new PocketsphinxRecognizer());
}
const started = performance.now();
const transcript = await engine.transcribe(file, { signal: new AbortController().signal });
const seconds = (performance.now() - started) / 1000;
await engine.dispose();
process.stdout.write(
  JSON.stringify({
    seconds,
    audioSeconds: transcript.duration,
    words: transcript.text.split(' ').filter(Boolean).length,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    hostPeakRssBytes: hostPeak,
  }),
);
