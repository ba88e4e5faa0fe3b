import { type RefObject, useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { NoteJson, RevealJson } from '../../api/types';
import { formatClock, formatDate } from '../../lib/format';
import { LanguageName } from '../languages/LanguageName';
import { ExportLinks } from '../transcriptions/ExportLinks';
import { AlternativeNotice } from './AlternativeNotice';
import { NoteEditor } from './NoteEditor';
import { draftOf, type NoteDraft, patchOf } from './noteDraft';
import {
  audioMissing,
  durationOf,
  folderOf,
  isEdited,
  ORIGIN_LABELS,
  originOf,
  recordedAt,
  titleOf,
} from './noteModel';
import { SegmentList } from './SegmentList';
import { FolderPath, ShowInFolderButton } from './ShowInFolder';
import { nudge, stepSegment } from './segmentTimeline';
import { useNote } from './useNote';
import { useSaveNote, useTrashNote } from './useNoteActions';
import { seekTo, usePlayback } from './usePlayback';

/**
 * A note opened: the player pinned at the top, the transcript below as
 * timestamped segments that follow playback, edit mode, exports, delete.
 * Keys: Space play/pause, ←/→ 5 s, J/K previous/next segment, E edit, Esc close.
 */
export function NoteView({ id, onClose }: { id: string; onClose: () => void }) {
  const note = useNote(id);
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Closed, the focus goes back where it was (the card's title that opened it).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus({ preventScroll: true });
    document.documentElement.classList.add('note-open');
    return () => {
      document.documentElement.classList.remove('note-open');
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);

  return (
    <div className="note-view" role="dialog" aria-modal="true" aria-labelledby={titleId}>
      <div ref={panel} className="note-view__panel" tabIndex={-1}>
        {note.data ? (
          <NoteBody note={note.data} titleId={titleId} onClose={onClose} panel={panel} />
        ) : (
          <div className="note-view__top">
            <button type="button" className="button button--quiet" onClick={onClose}>
              ← Notes
            </button>
            <h2 id={titleId} className="note-view__title">
              {note.error ? 'This note is not there any more' : 'Loading…'}
            </h2>
            {note.error ? <p className="muted">{note.error.message}</p> : null}
          </div>
        )}
      </div>
    </div>
  );
}

function NoteBody({
  note,
  titleId,
  onClose,
  panel,
}: {
  note: NoteJson;
  titleId: string;
  onClose: () => void;
  panel: RefObject<HTMLDivElement | null>;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<NoteDraft | null>(null);
  const [revealed, setRevealed] = useState<RevealJson | null>(null);
  const save = useSaveNote(note.id);
  const trash = useTrashNote();
  const { current, playing } = usePlayback(audio, note.segments);
  const title = titleOf(note);
  const missing = audioMissing(note);
  const editing = draft !== null;
  const recorded = recordedAt(note);
  const duration = durationOf(note);
  const folder = folderOf(note);
  const origin = originOf(note);

  // The current segment scrolls into view below the pinned player, not under it.
  useEffect(() => {
    const element = top.current;
    const scroller = panel.current;
    if (!element || !scroller) return;
    const pad = () => {
      scroller.style.scrollPaddingTop = `${element.offsetHeight + 8}px`;
    };
    pad();
    const observer = new ResizeObserver(pad);
    observer.observe(element);
    return () => observer.disconnect();
  }, [panel]);

  const onSeek = useCallback(
    (seconds: number) => {
      seekTo(audio.current, seconds);
      void audio.current?.play().catch(() => undefined);
      // Space goes to the player again, not to the timestamp just clicked.
      panel.current?.focus({ preventScroll: true });
    },
    [panel],
  );

  const startEditing = useCallback(() => {
    audio.current?.pause();
    save.reset();
    setDraft(draftOf(note, title));
  }, [note, title, save]);

  const onSave = (edited: NoteDraft) => {
    const patch = patchOf(note, title, edited);
    setDraft(null);
    panel.current?.focus({ preventScroll: true });
    if (patch) save.mutate(patch, { onError: () => setDraft(edited) });
  };

  const onTrash = async () => {
    audio.current?.pause();
    if (await trash(note)) onClose();
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"], audio, dialog')) return;
      if (editing) return;
      const element = audio.current;
      const key = event.key;
      if (key === 'Escape') {
        event.preventDefault();
        onClose();
      } else if (key === 'e' || key === 'E') {
        event.preventDefault();
        startEditing();
      } else if (!element || missing) {
        return;
      } else if (key === ' ' && !(target.closest('button, a') && !target.closest('[data-seek]'))) {
        event.preventDefault();
        if (element.paused) void element.play().catch(() => undefined);
        else element.pause();
      } else if (key === 'ArrowLeft' || key === 'ArrowRight') {
        if (target.closest('[role="tablist"]')) return;
        event.preventDefault();
        seekTo(
          element,
          nudge(element.currentTime, key === 'ArrowLeft' ? -5 : 5, element.duration || duration),
        );
      } else if (key === 'j' || key === 'J' || key === 'k' || key === 'K') {
        event.preventDefault();
        const to = stepSegment(note.segments, element.currentTime, key.toLowerCase() === 'j' ? -1 : 1);
        if (to !== null) seekTo(element, to);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [editing, missing, note.segments, duration, onClose, startEditing]);

  return (
    <>
      <div ref={top} className="note-view__top">
        <div className="note-view__bar">
          <button type="button" className="button button--quiet" onClick={onClose} aria-keyshortcuts="Escape">
            ← Notes
          </button>
          <div className="note-view__actions">
            <button
              type="button"
              className="button"
              onClick={startEditing}
              disabled={editing}
              aria-keyshortcuts="E"
            >
              Edit
            </button>
            <ShowInFolderButton id={note.id} onPath={setRevealed} />
            <button type="button" className="button button--danger" onClick={() => void onTrash()}>
              Move to Trash
            </button>
          </div>
        </div>
        <h2 id={titleId} className="note-view__title">
          {title}
        </h2>
        <p className="transcription-card__meta">
          {recorded ? (
            <time dateTime={recorded.toISOString()}>{formatDate(recorded.toISOString())}</time>
          ) : null}
          {duration !== null ? (
            <span className="transcription-card__duration">{formatClock(duration)}</span>
          ) : null}
          {folder ? <span className="transcription-card__folder">{folder}</span> : null}
          <LanguageName language={note.language} />
          <span className={`tag tag--${origin}`}>{ORIGIN_LABELS[origin]}</span>
          {isEdited(note) ? <span className="tag tag--edited">edited</span> : null}
        </p>
        {revealed ? <FolderPath reveal={revealed} onClose={() => setRevealed(null)} /> : null}
        {missing ? (
          <p className="note-view__missing" role="note">
            <strong>Audio missing.</strong> The file was deleted or moved out of your notes folder; the
            transcript is kept.
          </p>
        ) : (
          <audio
            ref={audio}
            className="note-view__audio"
            controls
            preload="metadata"
            src={api.audioUrl(note.id)}
            aria-label={`Audio of ${title}`}
            data-playing={playing ? '' : undefined}
          >
            <track
              kind="captions"
              src={api.exportUrl(note.id, 'vtt')}
              srcLang={note.language ?? 'en'}
              label="Transcript"
            />
          </audio>
        )}
      </div>
      {save.error ? (
        <p className="note-view__error" role="alert">
          Your edit was not saved: {save.error.message}
        </p>
      ) : null}
      {draft ? null : <AlternativeNotice note={note} />}
      <section className="note-view__body" aria-label="Transcript">
        {draft ? (
          <NoteEditor
            initial={draft}
            onSave={onSave}
            onCancel={() => {
              setDraft(null);
              save.reset();
              panel.current?.focus({ preventScroll: true });
            }}
          />
        ) : note.segments.length > 0 ? (
          <SegmentList
            segments={note.segments}
            current={current}
            follow={playing}
            seekable={!missing}
            onSeek={onSeek}
          />
        ) : (
          <p className="note-view__text">{note.transcription_text || 'No transcript yet.'}</p>
        )}
      </section>
      <footer className="note-view__footer">
        {note.status === 'complete' ? <ExportLinks id={note.id} name={title} /> : null}
        <p className="muted note-view__keys">
          <kbd>Space</kbd> play/pause · <kbd>←</kbd>/<kbd>→</kbd> 5 s · <kbd>J</kbd>/<kbd>K</kbd>{' '}
          previous/next segment · <kbd>E</kbd> edit · <kbd>Esc</kbd> close
        </p>
        <p className="muted note-view__path" title="Where the audio is, inside your notes folder">
          {note.audio_path}
        </p>
      </footer>
    </>
  );
}
