import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { formatClock } from '../../lib/format';
import type { NoteDraft } from './noteDraft';

/**
 * Edit mode: the title and the transcript, segment by segment so each keeps
 * its time. Ctrl+Enter (⌘+Enter) saves, Escape cancels.
 */
export function NoteEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: NoteDraft;
  onSave: (draft: NoteDraft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const titleInput = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const hintId = useId();

  useEffect(() => {
    titleInput.current?.focus();
    titleInput.current?.select();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.stopPropagation();
      onSave(draft);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  return (
    <form
      className="note-editor"
      aria-label="Edit the note"
      aria-describedby={hintId}
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        onSave(draft);
      }}
    >
      <label htmlFor={titleId} className="note-editor__label">
        Title
      </label>
      <input
        ref={titleInput}
        id={titleId}
        className="note-editor__title"
        value={draft.title}
        onChange={(event) => setDraft({ ...draft, title: event.target.value })}
        autoComplete="off"
      />
      {draft.segments ? (
        <fieldset className="note-editor__segments">
          <legend className="note-editor__label">Transcript</legend>
          {draft.segments.map((segment, index) => (
            <SegmentField
              // biome-ignore lint/suspicious/noArrayIndexKey: a note's segments never move while it is edited
              key={index}
              index={index}
              start={segment.start}
              value={segment.text}
              onChange={(text) => {
                const segments = (draft.segments ?? []).map((old, i) =>
                  i === index ? { ...old, text } : old,
                );
                setDraft({ ...draft, segments });
              }}
            />
          ))}
        </fieldset>
      ) : (
        <label className="note-editor__label">
          Transcript
          <textarea
            className="note-editor__text"
            value={draft.text}
            onChange={(event) => setDraft({ ...draft, text: event.target.value })}
            rows={10}
          />
        </label>
      )}
      <div className="note-editor__actions">
        <p id={hintId} className="muted note-editor__hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves, <kbd>Esc</kbd> cancels.
        </p>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary">
          Save
        </button>
      </div>
    </form>
  );
}

function SegmentField({
  index,
  start,
  value,
  onChange,
}: {
  index: number;
  start: number;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="note-editor__segment">
      <label htmlFor={id} className="segment__time">
        <span className="visually-hidden">Segment {index + 1}, at </span>
        {formatClock(start)}
      </label>
      <textarea
        id={id}
        className="note-editor__segment-text"
        value={value}
        rows={1}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
