import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { TranscriptionJson } from '../../api/types';
import { formatClock, formatDate } from '../../lib/format';
import { CopyButton } from './CopyButton';
import { ExportLinks } from './ExportLinks';
import { HighlightedText } from './HighlightedText';
import { SOURCE_LABELS } from './sourceLabels';

/** Long transcripts are folded after this many characters. */
const FOLD_AT = 600;

/** One transcription: its text, when and how long, where it came from, its audio, copy and export. */
export function TranscriptionCard({
  transcription: t,
  query,
}: {
  transcription: TranscriptionJson;
  query: string;
}) {
  const titleId = useId();
  const recorded = new Date(t.recorded_at).toISOString();
  const when = formatDate(recorded);
  const hasText = t.status === 'complete' && t.transcription_text !== null && t.transcription_text.length > 0;

  return (
    <article className="card transcription-card" aria-labelledby={titleId} data-transcription-id={t.id}>
      <header className="transcription-card__header">
        <h3 id={titleId} className="transcription-card__title">
          <time dateTime={recorded}>{when}</time>
        </h3>
        <span className={`tag tag--${t.source}`}>{SOURCE_LABELS[t.source]}</span>
        {t.duration !== null ? (
          <span className="transcription-card__duration" title="Length of the audio">
            {formatClock(t.duration)}
          </span>
        ) : null}
        <span className="transcription-card__file muted" title={t.audio_path}>
          {t.display_name}
        </span>
      </header>
      {hasText ? (
        <TranscriptText text={t.transcription_text ?? ''} query={query} />
      ) : (
        <StatusLine transcription={t} />
      )}
      <footer className="transcription-card__footer">
        <audio
          className="transcription-card__audio"
          controls
          preload="none"
          src={api.audioUrl(t.id)}
          aria-label={`Audio of the note from ${when}`}
        >
          <track
            kind="captions"
            src={api.exportUrl(t.id, 'vtt')}
            srcLang={t.language ?? 'en'}
            label="Transcript"
          />
        </audio>
        <div className="transcription-card__actions">
          {hasText ? <CopyButton text={t.transcription_text ?? ''} name={`the note from ${when}`} /> : null}
          {hasText ? <ExportLinks id={t.id} name={`the note from ${when}`} /> : null}
        </div>
      </footer>
    </article>
  );
}

function TranscriptText({ text, query }: { text: string; query: string }) {
  const [open, setOpen] = useState(false);
  const folded = text.length > FOLD_AT && !open;
  const shown = folded ? `${text.slice(0, FOLD_AT).replace(/\s+\S*$/, '')}…` : text;
  return (
    <div className="transcription-card__text">
      <p>
        <HighlightedText text={shown} query={query} />
      </p>
      {text.length > FOLD_AT ? (
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Show less' : 'Show all'}
        </button>
      ) : null}
    </div>
  );
}

function StatusLine({ transcription: t }: { transcription: TranscriptionJson }) {
  switch (t.status) {
    case 'pending':
      return <p className="transcription-card__status">Waiting to be transcribed…</p>;
    case 'no_speech':
      return <p className="transcription-card__status muted">No speech was heard in this audio.</p>;
    case 'failed':
      return (
        <p className="transcription-card__status transcription-card__status--error">
          Could not be transcribed: {t.error_message ?? 'no reason given'}
        </p>
      );
    default:
      return <p className="transcription-card__status muted">The transcript is empty.</p>;
  }
}
