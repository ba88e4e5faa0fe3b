import { LANGUAGES } from '../settings/languages';

/** The language a note was heard in ("German"), among its facts; nothing while it is not known. */
export function LanguageName({ language }: { language: string | null }) {
  if (!language) return null;
  const name = LANGUAGES.find(([code]) => code === language)?.[1] ?? language;
  return (
    <span className="transcription-card__language" title={`Spoken language: ${name} (${language})`}>
      <span className="visually-hidden">Language: </span>
      {name}
    </span>
  );
}
