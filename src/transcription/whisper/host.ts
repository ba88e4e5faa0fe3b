/**
 * The whisper host: a child process that loads one model once and transcribes
 * windows of audio on request. whisper's full() is synchronous and cannot be
 * interrupted, so it runs here, away from the server's event loop, and an
 * abort is simply SIGKILL. Started by WhisperRecognizer with child_process.fork;
 * argv[2] is the model path. It exits when the parent disconnects (or dies).
 */
import {
  type Segment as BindingSegment,
  Whisper,
  WhisperFullParams,
  WhisperSamplingStrategy,
} from '@napi-rs/whisper';
import type { HostMessage, RawSegment, RecognizeRequest } from './protocol.js';
import { segmentsCoverText } from './segments.js';

function send(message: HostMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, then);
}

function loadModel(path: string): Whisper | null {
  const started = performance.now();
  try {
    const model = new Whisper(path);
    send({
      type: 'ready',
      loadMs: performance.now() - started,
      multilingual: model.isMultilingual !== 0,
      audioCtx: model.modelNAudioCtx,
    });
    return model;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send({ type: 'loadFailed', message }, () => process.exit(1));
    return null;
  }
}

async function recognize(model: Whisper, request: RecognizeRequest): Promise<void> {
  send({ type: 'started', id: request.id });
  const started = performance.now();
  let decoded = decode(model, request, request.prompt ?? '');
  let language = heardLanguage(model, request.language);
  // whisper detects the language from the audio alone (the prompt plays no part in it), so only now is
  // it known whether this window starts a new language; if so, it stands alone (core/windowPrompt.ts).
  if (decoded.prompt && request.promptLanguage && language && language !== request.promptLanguage) {
    decoded = decode(model, request, '');
    language = heardLanguage(model, request.language);
  }
  const inferenceMs = performance.now() - started;
  await nativeCallbacksDelivered(() => segmentsCoverText(decoded.segments, decoded.text));
  // V8 cannot see the native memory behind each call's params and the window's samples, so it would let
  // them pile up for dozens of windows; collecting now keeps the host's footprint flat.
  globalThis.gc?.();
  send({
    type: 'result',
    id: request.id,
    text: decoded.text,
    segments: decoded.segments,
    language,
    inferenceMs,
    audioCtx: decoded.audioCtx,
    prompt: decoded.prompt,
    rssBytes: process.memoryUsage().rss,
  });
}

/** One full() over the window, with `prompt` as whisper's initial prompt ('' for none). */
function decode(model: Whisper, request: RecognizeRequest, prompt: string) {
  const params = new WhisperFullParams(WhisperSamplingStrategy.Greedy);
  params.language = request.language;
  params.translate = request.translate;
  params.nThreads = request.threads;
  // whisper's own carry-over (the last window's, or another file's, text as a prompt) stays off: the parent
  // sends the previous window's text when core/windowPrompt.ts trusts it, and only then.
  params.noContext = true;
  if (prompt) params.initialPrompt = prompt;
  // A short window encodes only the positions it needs (the parent sizes them; 0 keeps the full 30 s).
  params.audioCtx = request.audioCtx;
  // One segment per word, with its times: the binding gives no access to tokens, but whisper.cpp cuts a
  // segment at every word (as `whisper-cli -ml 1 -sow` does); the parent regroups them into sentences.
  params.tokenTimestamps = true;
  params.maxLen = 1;
  params.splitOnWord = true;
  params.printProgress = false;
  params.printRealtime = false;
  params.printTimestamps = false;
  const segments: RawSegment[] = [];
  params.onNewSegment = (segment: BindingSegment) => segments.push(segment);
  params.onProgress = (percent: number) => send({ type: 'progress', id: request.id, percent });
  const text = model.full(params, request.samples);
  // Read back from the binding (its getter fails on a prompt never set): what whisper really decoded with.
  return { text, segments, audioCtx: params.audioCtx, prompt: prompt ? params.initialPrompt : '' };
}

/** After full(): the language the model detected (its state's language id), or the one it was told. */
function heardLanguage(model: Whisper, asked: string): string | null {
  if (asked !== 'auto') return asked;
  try {
    const id = model.state?.fullLangId ?? model.fullLangId;
    return id >= 0 ? Whisper.lang(id) : null;
  } catch {
    return null;
  }
}

/**
 * The binding reports segments and progress through thread-safe functions
 * called in non-blocking mode, which Node delivers on later turns of this
 * process's event loop, after full() has returned. Wait for those turns.
 */
async function nativeCallbacksDelivered(complete: () => boolean): Promise<void> {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (let turn = 0; turn < 50 && !complete(); turn++) await nextTurn();
  await nextTurn();
}

function main(): void {
  const modelPath = process.argv[2];
  if (!modelPath || !process.send) {
    console.error('host.ts is started by WhisperRecognizer with a model path and an IPC channel');
    process.exit(2);
  }
  const model = loadModel(modelPath);
  if (!model) return;
  // Requests arrive one at a time; full() blocks, so any others simply wait in the channel.
  let queue = Promise.resolve();
  process.on('message', (request: RecognizeRequest) => {
    queue = queue.then(() =>
      recognize(model, request).catch((error: unknown) =>
        send({
          type: 'failed',
          id: request.id,
          message: error instanceof Error ? error.message : String(error),
        }),
      ),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

main();
