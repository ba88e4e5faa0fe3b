import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { RecordPanel } from '../recording/RecordPanel';
import { SearchBox } from './SearchBox';
import { TranscriptionCard } from './TranscriptionCard';
import { useDebouncedValue } from './useDebouncedValue';
import { useTranscriptions } from './useTranscriptions';

/**
 * The main list: the user's recordings and finished transcriptions, newest
 * first. Pending background work is not shown here (plan principle 3).
 */
export function TranscriptionsTab() {
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 200);
  const list = useTranscriptions(query);

  return (
    <div className="transcriptions-tab">
      <RecordPanel />
      <div className="list-header">
        <h2 className="list-header__title">Your notes</h2>
        <SearchBox value={search} onChange={setSearch} />
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
          <ul
            className="card-list"
            aria-label={query ? `Transcriptions matching ${query}` : 'Transcriptions'}
            aria-busy={list.loading}
          >
            {list.items.map((transcription) => (
              <li key={transcription.id}>
                <TranscriptionCard transcription={transcription} query={query} />
              </li>
            ))}
          </ul>
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
