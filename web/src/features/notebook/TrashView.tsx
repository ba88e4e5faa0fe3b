import { useCallback } from 'react';
import { api } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { NoteJson } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { formatDate } from '../../lib/format';
import { usePagedQuery } from '../../lib/usePagedQuery';
import { purgeDate, TRASH_DAYS, titleOf, toDate } from './noteModel';
import { useRestoreNote } from './useNoteActions';

/** Notes moved to the trash, each with Restore, kept for 30 days and then removed for good. */
export function TrashView({ onBack }: { onBack: () => void }) {
  const fetchPage = useCallback(async (cursor: string | null, limit: number, signal: AbortSignal) => {
    const page = await api.trashedTranscriptions({ cursor, limit, signal });
    return { items: page.transcriptions, nextCursor: page.next_cursor };
  }, []);
  const list = usePagedQuery<NoteJson>(queryKeys.trash, fetchPage, { pageSize: 50 });
  const restore = useRestoreNote();

  return (
    <section className="trash-view" aria-labelledby="trash-title">
      <div className="list-header">
        <button type="button" className="button button--quiet" onClick={onBack}>
          ← Your notes
        </button>
        <h2 id="trash-title" className="list-header__title">
          Trash
        </h2>
        <p className="muted trash-view__hint">
          Notes here are removed for good {TRASH_DAYS} days after they were moved to the Trash.
        </p>
      </div>
      {list.error && list.items.length === 0 ? (
        <EmptyState title="Could not load the Trash.">{list.error}</EmptyState>
      ) : !list.loaded ? (
        <p className="muted loading-line">Loading…</p>
      ) : list.items.length === 0 ? (
        <EmptyState title="The Trash is empty.">Notes you delete wait here for {TRASH_DAYS} days.</EmptyState>
      ) : (
        <ul className="card-list" aria-label="Notes in the Trash" aria-busy={list.loading}>
          {list.items.map((note) => (
            <li key={note.id}>
              <TrashedNote note={note} onRestore={() => void restore(note)} />
            </li>
          ))}
        </ul>
      )}
      {list.hasMore ? (
        <LoadMoreButton
          shown={list.items.length}
          total={null}
          loading={list.loadingMore}
          onClick={list.loadMore}
          noun="notes"
        />
      ) : null}
    </section>
  );
}

function TrashedNote({ note, onRestore }: { note: NoteJson; onRestore: () => void }) {
  const title = titleOf(note);
  const trashed = toDate(note.trashed_at);
  const purge = purgeDate(note);
  return (
    <article className="card trash-card" aria-label={title}>
      <div className="trash-card__text">
        <h3 className="transcription-card__title">{title}</h3>
        <p className="muted trash-card__when">
          {trashed ? <>Moved to the Trash {inSentence(trashed)}. </> : null}
          {purge ? <>Removed for good {inSentence(purge)}.</> : null}
        </p>
        {note.transcription_text ? (
          <p className="trash-card__excerpt">{excerpt(note.transcription_text)}</p>
        ) : null}
      </div>
      <button type="button" className="button" onClick={onRestore} aria-label={`Restore ${title}`}>
        Restore
      </button>
    </article>
  );
}

/** "today, 1:50 PM" or "Dec 31, 2026, 1:50 PM", inside a sentence. */
function inSentence(date: Date): string {
  return formatDate(date.toISOString()).replace(/^Today/, 'today');
}

function excerpt(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160).replace(/\s+\S*$/, '')}…` : text;
}
