import { isWhisperLanguage } from './languages.js';

/**
 * What one task was asked to be heard as, overriding its folder's rule and the
 * settings (the import dialog's choice): absent fields fall back to those.
 * Kept in the task row's `payload` JSON, which both stores have had since their
 * first migration, so the choice lives through restarts without a new column.
 */
export interface TaskLanguage {
  /** A whisper code or `auto`. */
  language?: string | undefined;
  translate?: boolean | undefined;
}

/** The task row's payload: the audio path it was queued for, and the per-task language choice. */
export function taskPayload(audioPath: string, options: TaskLanguage | undefined): string {
  return JSON.stringify({
    audio_path: audioPath,
    ...(options?.language === undefined ? {} : { language: options.language }),
    ...(options?.translate === undefined ? {} : { translate: options.translate }),
  });
}

/**
 * The language choice in a stored payload. A payload from before this field, or
 * one that says something this release does not understand, gives no choice
 * (the folder rule and settings apply) rather than failing the task.
 */
export function taskLanguageOf(payload: string | null | undefined): TaskLanguage {
  if (!payload) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const { language, translate } = raw as Record<string, unknown>;
  const out: TaskLanguage = {};
  if (typeof language === 'string' && (language === 'auto' || isWhisperLanguage(language)))
    out.language = language;
  if (typeof translate === 'boolean') out.translate = translate;
  return out;
}
