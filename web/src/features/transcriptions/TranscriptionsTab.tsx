import { useCallback, useState } from 'react';
import type { NoteJson } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { NoteView } from '../notebook/NoteView';
import { TrashView } from '../notebook/TrashView';
import { useNoteRoute } from '../notebook/useNoteRoute';
import { WindowedList } from '../notebook/WindowedList';
import { RecordPanel } from '../recording/RecordPanel';
import { SearchBox } from './SearchBox';
import { TranscriptionCard } from './TranscriptionCard';
import { useDebouncedValue } from './useDebouncedValue';
import { useTranscriptions } from './useTranscriptions';

/** A card's height before it is measured: title, a few lines of text, the player. */
const CARD_ESTIMATE = 220;

/**
 * The main list: the user's recordings and finished transcriptions, newest
 * first. Pending background work is not shown here (plan principle 3).
 */
export function TranscriptionsTab() {
  const [route, go] = useNoteRoute();
  const toList = useCallback(() => go({ view: 'list' }), [go]);
  return (
    <>
      {/* The list stays mounted behind the Trash: a recording under way goes on, the search stays. */}
      <div hidden={route.view === 'trash'}>
        <NotesList onTrash={() => go({ view: 'trash' })} />
      </div>
      {route.view === 'trash' ? <TrashView onBack={toList} /> : null}
      {route.view === 'note' ? <NoteView key={route.id} id={route.id} onClose={toList} /> : null}
    </>
  );
}

function NotesList({ onTrash }: { onTrash: () => void }) {
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 200);
  const list = useTranscriptions(query);
  const renderCard = useCallback(
    (transcription: NoteJson) => <TranscriptionCard transcription={transcription} query={query} />,
    [query],
  );

  return (
    <div className="transcriptions-tab">
      <RecordPanel />
      <div className="list-header">
        <h2 className="list-header__title">Your notes</h2>
        <SearchBox value={search} onChange={setSearch} />
        <button type="button" className="button button--quiet" onClick={onTrash}>
          Trash
        </button>
      </div>
      {list.error && list.items.length === 0 ? (
        <EmptyState title="Could not load your transcriptions.">{list.error}</EmptyState>
      ) : !list.loaded ? (
        <p className="muted loading-line">Loading…</p>
      ) : list.items.length === 0 ? (
        query ? (
          <EmptyState title={`No transcription matches “${query}”.`}>
            Every word you type must begin a word of the transcript. Press Escape to clear the search.
          </EmptyState>
        ) : (
          <EmptyState title="No transcriptions yet.">
            Press Record to make a voice note, or drop audio files anywhere in this window to import them.
            Audio already in your notes folder is transcribed in the background and appears here when done.
          </EmptyState>
        )
      ) : (
        <>
          <WindowedList
            items={list.items}
            renderItem={renderCard}
            estimate={CARD_ESTIMATE}
            label={query ? `Transcriptions matching ${query}` : 'Transcriptions'}
            busy={list.loading}
            hasMore={list.hasMore}
            onNearEnd={list.loadMore}
          />
          {list.hasMore ? (
            <LoadMoreButton
              shown={list.items.length}
              total={null}
              loading={list.loadingMore}
              onClick={list.loadMore}
              noun="transcriptions"
            />
          ) : null}
        </>
      )}
    </div>
  );
}
