import type { ErrorKind } from './errors.js';

/** What a failure means to the person looking at it, and what they can do about it. */
export interface FailureAdvice {
  /** One plain sentence: what went wrong, without the technical detail. */
  sentence: string;
  /** What to do next. */
  nextStep: string;
  /** False when trying the same work again cannot help: the UI offers Remove instead of Retry. */
  retryable: boolean;
}

/**
 * Every error kind, in words. A Record over ErrorKind, so a new kind cannot be added without
 * saying what it means to the user (the type checker refuses the gap). The raw message stays
 * the detail (`error_message`).
 */
export const FAILURE_ADVICE: Record<ErrorKind, FailureAdvice> = {
  unreadable_audio: {
    sentence: "This file isn't audio we can read — it may be damaged.",
    nextStep: 'Open it in a player to check it; if it is broken, remove this task.',
    retryable: false,
  },
  file_missing: {
    sentence: 'The file was removed before it could be transcribed.',
    nextStep:
      'Nothing to transcribe any more: remove this task. Put the file back to have it picked up again.',
    retryable: false,
  },
  engine_failed: {
    sentence: 'The transcription engine stopped partway through.',
    nextStep: 'This usually passes: retry it. If it keeps failing, see the log.',
    retryable: true,
  },
  engine_unavailable: {
    sentence: 'No transcription engine could run (a program such as ffmpeg is missing).',
    nextStep: 'Run `hark doctor` to see what is missing, install it, then retry.',
    retryable: true,
  },
  crashed: {
    sentence: 'Hark stopped while it was transcribing this file.',
    nextStep: 'Retry it; if it stops Hark again, remove it and report the file.',
    retryable: true,
  },
  timeout: {
    sentence: 'Transcribing this file took too long and was stopped.',
    nextStep: 'Retry when the machine is less busy, or use a smaller model.',
    retryable: true,
  },
  not_found: {
    sentence: 'Something this task needs could not be found.',
    nextStep: 'Remove this task; rescan the notes folder if the file is still there.',
    retryable: false,
  },
  duplicate_note: {
    sentence: 'This file is already a note.',
    nextStep: 'Open the existing note, or import the file again anyway.',
    retryable: false,
  },
  invalid_state: {
    sentence: 'This was not possible in the state the task was in.',
    nextStep: 'Reload the page to see the task as it is now.',
    retryable: false,
  },
  bad_request: {
    sentence: 'Hark was asked for something it cannot do.',
    nextStep: 'Reload the page and try again; if it persists, see the log.',
    retryable: false,
  },
  unsupported_media: {
    sentence: 'This kind of file is not one Hark transcribes.',
    nextStep: 'Convert it to a common audio format (WAV, MP3, M4A), then import it again.',
    retryable: false,
  },
  payload_too_large: {
    sentence: 'The file is larger than Hark accepts.',
    nextStep: 'Split it into shorter recordings, or put it in the notes folder directly.',
    retryable: false,
  },
  forbidden: {
    sentence: 'Hark refused this because it did not come from Hark itself.',
    nextStep: 'Open Hark at the address `hark start` printed.',
    retryable: false,
  },
  already_running: {
    sentence: 'Another Hark is already running on this notes folder.',
    nextStep: 'Use the Hark that is running, or stop it first.',
    retryable: true,
  },
  database_too_new: {
    sentence: "Hark's database was made by a newer version of Hark.",
    nextStep: 'Update Hark to the newest version.',
    retryable: false,
  },
  database_locked: {
    sentence: "Hark's database was busy for a moment.",
    nextStep: 'This passes: retry in a moment.',
    retryable: true,
  },
  disk_full: {
    sentence: 'The disk is full.',
    nextStep: 'Free some space, then retry.',
    retryable: true,
  },
  port_in_use: {
    sentence: "Another program is already using Hark's port.",
    nextStep: 'Stop that program, or start Hark with --port and another number.',
    retryable: true,
  },
  download_failed: {
    sentence: 'A model could not be downloaded.',
    nextStep: 'Check the network connection, then try again (hark models pull).',
    retryable: true,
  },
  internal: {
    sentence: 'Something went wrong inside Hark.',
    nextStep: 'Retry; if it happens again, see the log and report it.',
    retryable: true,
  },
};

/**
 * Finer words for the unreadable files whose message says more precisely what is wrong (the
 * messages are Hark's own, from src/transcription/ffmpeg.ts), first match wins.
 */
const UNREADABLE_CASES: { test: RegExp; advice: FailureAdvice }[] = [
  {
    test: /^The file is empty/,
    advice: {
      sentence: 'The file is empty — it holds no audio at all.',
      nextStep: 'The recording was probably never saved; remove this task.',
      retryable: false,
    },
  },
  {
    test: /truncated|read to its end|incomplete/,
    advice: {
      sentence: 'The file is cut short — the recording did not finish saving.',
      nextStep: 'If the recorder still has a complete copy, put it in its place; otherwise remove this task.',
      retryable: false,
    },
  },
  {
    test: /permission denied/i,
    advice: {
      sentence: "Hark isn't allowed to read this file.",
      nextStep: 'Give Hark read access to the file, then retry.',
      retryable: true,
    },
  },
  {
    test: /is text, not audio/,
    advice: {
      sentence: 'This file is text, not audio.',
      nextStep: 'It was probably saved under an audio name by mistake; remove this task.',
      retryable: false,
    },
  },
  {
    test: /is a folder/,
    advice: {
      sentence: 'This is a folder, not an audio file.',
      nextStep: 'Remove this task.',
      retryable: false,
    },
  },
];

/** The advice for a failure of `kind` (an unknown kind reads as internal), refined by its message. */
export function failureAdvice(kind: string, message: string | null = null): FailureAdvice {
  if (kind === 'unreadable_audio' && message !== null) {
    const refined = UNREADABLE_CASES.find((c) => c.test.test(message));
    if (refined) return refined.advice;
  }
  return isErrorKind(kind) ? FAILURE_ADVICE[kind] : FAILURE_ADVICE.internal;
}

function isErrorKind(kind: string): kind is ErrorKind {
  return Object.hasOwn(FAILURE_ADVICE, kind);
}
