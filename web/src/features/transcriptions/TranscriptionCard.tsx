import { memo, useId, useState } from 'react';
import { api } from '../../api/client';
import type { NoteJson } from '../../api/types';
import { formatClock, formatDate } from '../../lib/format';
import { LanguageName } from '../languages/LanguageName';
import {
  audioMissing,
  durationOf,
  folderOf,
  isEdited,
  ORIGIN_LABELS,
  originOf,
  recordedAt,
  titleOf,
} from '../notebook/noteModel';
import { noteHref } from '../notebook/useNoteRoute';
import { CopyButton } from './CopyButton';
import { ExportLinks } from './ExportLinks';
import { HighlightedText } from './HighlightedText';

/** Long transcripts are folded after this many characters. */
const FOLD_AT = 600;

/**
 * One note in the list: its title (the heading a screen reader reads, and
 * the link that opens the transcript), when it was recorded, how long it is,
 * its folder and where it came from; its audio, or a plain "audio missing".
 */
export const TranscriptionCard = memo(function TranscriptionCard({
  transcription: t,
  query,
}: {
  transcription: NoteJson;
  query: string;
}) {
  const titleId = useId();
  const title = titleOf(t);
  const recorded = recordedAt(t);
  const duration = durationOf(t);
  const folder = folderOf(t);
  const origin = originOf(t);
  const missing = audioMissing(t);
  const hasText = t.status === 'complete' && t.transcription_text !== null && t.transcription_text.length > 0;

  return (
    <article className="card transcription-card" aria-labelledby={titleId} data-transcription-id={t.id}>
      <header className="transcription-card__header">
        <h3 id={titleId} className="transcription-card__title">
          <a href={noteHref(t.id)} className="transcription-card__open">
            {title}
          </a>
        </h3>
        <p className="transcription-card__meta">
          {recorded ? (
            <time dateTime={recorded.toISOString()} title="Recorded">
              {formatDate(recorded.toISOString())}
            </time>
          ) : null}
          {duration !== null ? (
            <span className="transcription-card__duration" title="Length of the audio">
              {formatClock(duration)}
            </span>
          ) : null}
          {folder ? (
            <span className="transcription-card__folder" title={`Folder: ${folder}`}>
              <span className="visually-hidden">Folder: </span>
              {folder}
            </span>
          ) : null}
          <LanguageName language={t.language} />
          <span className={`tag tag--${origin}`}>{ORIGIN_LABELS[origin]}</span>
          {isEdited(t) ? <span className="tag tag--edited">edited</span> : null}
          {missing ? <span className="tag tag--warning">audio missing</span> : null}
        </p>
      </header>
      {hasText ? (
        <TranscriptText text={t.transcription_text ?? ''} query={query} />
      ) : (
        <StatusLine transcription={t} />
      )}
      <footer className="transcription-card__footer">
        {missing ? (
          <p className="transcription-card__missing muted">
            The audio file is gone (deleted, or moved out of your notes folder); the transcript is kept.
          </p>
        ) : (
          <CardPlayer transcription={t} title={title} />
        )}
        <div className="transcription-card__actions">
          {hasText ? <CopyButton text={t.transcription_text ?? ''} name={title} /> : null}
          {hasText ? <ExportLinks id={t.id} name={title} /> : null}
        </div>
      </footer>
    </article>
  );
});

/**
 * The card's audio: a Play button until pressed, then the player. A list
 * of thousands keeps a few dozen cards in the DOM, and a native player in
 * each made scrolling stutter (its controls are heavy to build).
 */
function CardPlayer({ transcription: t, title }: { transcription: NoteJson; title: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button
        type="button"
        className="button button--small card-play"
        onClick={() => setOpen(true)}
        aria-label={`Play ${title}`}
      >
        <span className="icon-play" aria-hidden="true" /> Play
      </button>
    );
  }
  return (
    <audio
      className="transcription-card__audio"
      controls
      autoPlay
      src={api.audioUrl(t.id)}
      aria-label={`Audio of ${title}`}
    >
      <track
        kind="captions"
        src={api.exportUrl(t.id, 'vtt')}
        srcLang={t.language ?? 'en'}
        label="Transcript"
      />
    </audio>
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

function StatusLine({ transcription: t }: { transcription: NoteJson }) {
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
