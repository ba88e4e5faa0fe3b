import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../../api/client';
import type { FinishedRecordingJson } from '../../api/types';
import { uploadsAreKept } from '../offline/registerServiceWorker';

export type RecorderPhase = 'idle' | 'starting' | 'recording' | 'saving';

interface Session {
  stream: MediaStream;
  recorder: MediaRecorder;
  chunks: Blob[];
  audio: AudioContext | null;
  frame: number;
  timer: ReturnType<typeof setInterval>;
}

export interface RecorderCallbacks {
  onFinished: (result: FinishedRecordingJson) => void;
  /** Hark was out of reach: the service worker keeps the recording and uploads it later. */
  onKept?: (waiting: number) => void;
  onError: (message: string) => void;
}

/** The service worker's answer when Hark could not be reached: the recording waits on this device. */
interface KeptOffline {
  kept_offline: true;
  waiting: number;
}

function isKept(result: FinishedRecordingJson | KeptOffline): result is KeptOffline {
  return (result as Partial<KeptOffline>).kept_offline === true;
}

/** Containers Hark can read, best first; the browser picks the first it can make. */
const MIME_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

function pickMimeType(): string | undefined {
  return MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
}

function extensionOf(mimeType: string): string {
  if (mimeType.includes('ogg')) return 'ogg';
  if (mimeType.includes('mp4')) return 'm4a';
  return 'webm';
}

export function recordingSupported(): boolean {
  return typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/**
 * The microphone, through MediaRecorder: tells the server a recording
 * started (so background work steps aside), measures the level, and on stop
 * uploads the recording, which the server transcribes at once.
 */
export function useRecorder({ onFinished, onError, onKept }: RecorderCallbacks) {
  const [phase, setPhase] = useState<RecorderPhase>('idle');
  const [elapsedSeconds, setElapsedSeconds] = useState(0);
  const [level, setLevel] = useState(0);
  /** A recording whose upload failed, kept so it can be sent again or saved. */
  const [unsent, setUnsent] = useState<Blob | null>(null);
  const session = useRef<Session | null>(null);
  const callbacks = useRef<RecorderCallbacks>({ onFinished, onError, onKept });

  useEffect(() => {
    callbacks.current = { onFinished, onError, onKept };
  }, [onFinished, onError, onKept]);

  const release = useCallback(() => {
    const current = session.current;
    if (!current) return;
    session.current = null;
    cancelAnimationFrame(current.frame);
    clearInterval(current.timer);
    for (const track of current.stream.getTracks()) track.stop();
    void current.audio?.close().catch(() => {});
    setLevel(0);
  }, []);

  const upload = useCallback(async (recording: Blob) => {
    setPhase('saving');
    try {
      const result: FinishedRecordingJson | KeptOffline = await api.finishRecording(
        recording,
        `recording.${extensionOf(recording.type)}`,
      );
      setUnsent(null);
      if (isKept(result)) callbacks.current.onKept?.(result.waiting);
      else callbacks.current.onFinished(result);
    } catch (error) {
      setUnsent(recording);
      callbacks.current.onError(
        `Your recording could not be saved: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setPhase('idle');
    }
  }, []);

  const start = useCallback(async () => {
    if (session.current) return;
    setPhase('starting');
    setElapsedSeconds(0);
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setPhase('idle');
      callbacks.current.onError(
        `Hark cannot use the microphone: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    try {
      await api.startRecording();
    } catch (error) {
      // Out of reach (a phone's Wi-Fi dropped): record anyway; the service worker keeps the upload.
      const offline = error instanceof ApiError && error.kind === 'unreachable' && uploadsAreKept();
      if (!offline) {
        for (const track of stream.getTracks()) track.stop();
        setPhase('idle');
        callbacks.current.onError(
          `Recording could not start: ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
    }
    const mimeType = pickMimeType();
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const chunks: Blob[] = [];
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    recorder.start(1000);
    const startedAt = performance.now();
    const current: Session = {
      stream,
      recorder,
      chunks,
      audio: null,
      frame: 0,
      timer: setInterval(() => setElapsedSeconds((performance.now() - startedAt) / 1000), 250),
    };
    session.current = current;
    watchLevel(current, setLevel);
    setPhase('recording');
  }, []);

  const stop = useCallback(async () => {
    const current = session.current;
    if (!current) return;
    setPhase('saving');
    const recording = await new Promise<Blob>((resolve) => {
      current.recorder.addEventListener(
        'stop',
        () => resolve(new Blob(current.chunks, { type: current.recorder.mimeType || 'audio/webm' })),
        { once: true },
      );
      current.recorder.stop();
    });
    release();
    await upload(recording);
  }, [release, upload]);

  const discard = useCallback(async () => {
    const current = session.current;
    if (!current) return;
    if (current.recorder.state !== 'inactive') current.recorder.stop();
    release();
    setPhase('idle');
    try {
      await api.cancelRecording();
    } catch (error) {
      callbacks.current.onError(
        `Hark could not be told the recording was discarded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }, [release]);

  // Leaving the page mid-recording: warn first; and never leave the microphone open.
  useEffect(() => {
    if (phase !== 'recording' && phase !== 'saving') return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [phase]);
  useEffect(() => {
    if (phase !== 'recording') return;
    // The page goes away mid-recording: tell Hark, or background work would wait for a recording that never ends.
    const abandon = () => navigator.sendBeacon('/api/recordings/cancel');
    window.addEventListener('pagehide', abandon);
    return () => window.removeEventListener('pagehide', abandon);
  }, [phase]);
  useEffect(() => release, [release]);

  return {
    phase,
    elapsedSeconds,
    level,
    unsent,
    start: () => void start(),
    stop: () => void stop(),
    discard: () => void discard(),
    resend: () => {
      if (unsent) void upload(unsent);
    },
  };
}

/** The microphone's loudness, 0..1 on a 60 dB scale, about fifteen times a second. */
function watchLevel(current: Session, setLevel: (level: number) => void): void {
  try {
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(current.stream).connect(analyser);
    current.audio = audio;
    const samples = new Float32Array(analyser.fftSize);
    let lastShown = 0;
    const tick = (now: number) => {
      if (now - lastShown > 66) {
        lastShown = now;
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        const rms = Math.sqrt(sum / samples.length);
        const decibels = rms > 0 ? 20 * Math.log10(rms) : -100;
        setLevel(Math.min(1, Math.max(0, (decibels + 60) / 60)));
      }
      current.frame = requestAnimationFrame(tick);
    };
    current.frame = requestAnimationFrame(tick);
  } catch {
    // No Web Audio: the recording works without a meter.
  }
}
