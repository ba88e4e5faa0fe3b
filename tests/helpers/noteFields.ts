import type { Transcription } from '../../src/core/types.js';

/** The note fields of issue 11 (title, origin, trash …) as a fresh note has them, for fixtures. */
export function noteFields(
  title: string,
  overrides: Partial<Transcription> = {},
): Pick<
  Transcription,
  | 'title'
  | 'origin'
  | 'fingerprint'
  | 'sidecarState'
  | 'edited'
  | 'editedAt'
  | 'alternativeText'
  | 'alternativeSegments'
  | 'audioMissing'
  | 'trashedAt'
  | 'trashAudioPath'
  | 'trashSidecarPath'
> {
  return {
    title,
    origin: 'recorded',
    fingerprint: null,
    sidecarState: null,
    edited: false,
    editedAt: null,
    alternativeText: null,
    alternativeSegments: null,
    audioMissing: false,
    trashedAt: null,
    trashAudioPath: null,
    trashSidecarPath: null,
    ...overrides,
  };
}
