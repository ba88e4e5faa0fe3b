import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ConnectionState, connectEvents } from '../../api/events';
import type { PauseJson, QueueStatusJson } from '../../api/types';

export interface LiveState {
  /** The queue as the event stream last described it; null until the first message. */
  queue: QueueStatusJson | null;
  /** Changes whenever the main list of transcriptions changed on the server. */
  transcriptionsVersion: number | null;
  connection: ConnectionState;
  /** Grows at every reconnection: lists fetched before it may have missed changes. */
  epoch: number;
  /** Applies the answer of a pause or resume at once, before the stream confirms it. */
  applyPause: (pause: PauseJson) => void;
}

const LiveStateContext = createContext<LiveState | null>(null);

/** Keeps the page in step with the server through `GET /api/events`. */
export function LiveStateProvider({ children }: { children: ReactNode }) {
  const [queue, setQueue] = useState<QueueStatusJson | null>(null);
  const [transcriptionsVersion, setTranscriptionsVersion] = useState<number | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [epoch, setEpoch] = useState(0);

  useEffect(
    () =>
      connectEvents({
        onQueue: setQueue,
        onTranscriptionsVersion: setTranscriptionsVersion,
        onConnection: setConnection,
        onReconnect: () => setEpoch((n) => n + 1),
      }),
    [],
  );

  const applyPause = useCallback((pause: PauseJson) => {
    setQueue((current) =>
      current ? { ...current, is_paused: pause.is_paused, pause_reason: pause.pause_reason } : current,
    );
  }, []);

  const value = useMemo(
    () => ({ queue, transcriptionsVersion, connection, epoch, applyPause }),
    [queue, transcriptionsVersion, connection, epoch, applyPause],
  );
  return <LiveStateContext.Provider value={value}>{children}</LiveStateContext.Provider>;
}

export function useLiveState(): LiveState {
  const state = useContext(LiveStateContext);
  if (!state) throw new Error('useLiveState needs a LiveStateProvider');
  return state;
}

/** Background tasks still to do: the Transcriptions tab's badge (plan 5C). */
export function activeTaskCount(queue: QueueStatusJson | null): number {
  return queue ? queue.pending_count + queue.processing_count : 0;
}
