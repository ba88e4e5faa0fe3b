import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { NoteJson } from '../../api/types';
import { formatClock } from '../../lib/format';
import { useNotices } from '../notices/NoticesProvider';
import { changeNoteInCaches, refreshNotes } from './noteCache';

type Choice = 'use' | 'dismiss';

/**
 * A re-transcription never overwrites the user's edit: its text is kept beside it
 * (alternative_text). This notice says so, and lets the user read it (View), put it in place
 * of the edit (Use it) or let it go (Dismiss).
 */
export function AlternativeNotice({ note }: { note: NoteJson }) {
  const [open, setOpen] = useState(false);
  const textId = useId();
  const client = useQueryClient();
  const { notify } = useNotices();
  const resolve = useMutation<NoteJson, Error, Choice>({
    mutationFn: (choice) => api.resolveAlternative(note.id, choice),
    onSuccess: (saved, choice) => {
      changeNoteInCaches(client, note.id, () => saved);
      notify('success', choice === 'use' ? 'The newer transcription replaced your edit.' : 'Kept your edit.');
    },
    onError: (error) => notify('error', `That did not work: ${error.message}`),
    onSettled: () => refreshNotes(client),
  });
  if (note.alternative_text === null || note.alternative_text === undefined) return null;
  const segments = note.alternative_segments ?? [];
  return (
    <section className="note-view__alternative" aria-label="A newer transcription">
      <p className="note-view__alternative-line">
        <strong>A newer transcription was kept beside your edit.</strong>
        <span className="note-view__alternative-actions">
          <button
            type="button"
            className="button button--quiet"
            aria-expanded={open}
            aria-controls={textId}
            onClick={() => setOpen((was) => !was)}
          >
            {open ? 'Hide' : 'View'}
          </button>
          <button
            type="button"
            className="button"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate('use')}
          >
            Use it
          </button>
          <button
            type="button"
            className="button button--quiet"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate('dismiss')}
          >
            Dismiss
          </button>
        </span>
      </p>
      {open ? (
        <div id={textId} className="note-view__alternative-text">
          {segments.length > 0 ? (
            segments.map((segment) => (
              <p key={`${segment.start}-${segment.end}`}>
                <span className="muted note-view__alternative-time">{formatClock(segment.start)}</span>{' '}
                {segment.text}
              </p>
            ))
          ) : (
            <p>{note.alternative_text}</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
