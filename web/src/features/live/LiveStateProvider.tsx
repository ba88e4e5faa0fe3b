import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ConnectionState, connectEvents } from '../../api/events';
import { queryKeys } from '../../api/queryKeys';
import type { PauseJson, QueueStatusJson } from '../../api/types';
import { listChanges } from './listChanges';

export interface LiveState {
  connection: ConnectionState;
  /** Applies the answer of a pause or resume at once, before the stream confirms it. */
  applyPause: (pause: PauseJson) => void;
}

const LiveStateContext = createContext<LiveState | null>(null);

/**
 * Keeps the page in step with the server through `GET /api/events`: the
 * queue's snapshot goes into the query cache as it comes (useLiveQueue reads
 * it), and the lists it describes are invalidated only when they changed.
 */
export function LiveStateProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  useEffect(() => {
    let transcriptionsVersion: number | null = null;
    let settingsVersion: number | null = null;
    const onQueue = (next: QueueStatusJson) => {
      const previous = queryClient.getQueryData<QueueStatusJson>(queryKeys.liveQueue);
      queryClient.setQueryData(queryKeys.liveQueue, next);
      const changes = listChanges(previous, next);
      if (changes.all) void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
      else if (changes.pending)
        void queryClient.invalidateQueries({ queryKey: queryKeys.taskList('pending') });
    };
    return connectEvents({
      onQueue,
      onTranscriptionsVersion: (version) => {
        if (version === transcriptionsVersion) return;
        transcriptionsVersion = version;
        void queryClient.invalidateQueries({ queryKey: queryKeys.transcriptions });
      },
      onSettingsVersion: (version) => {
        if (version === settingsVersion) return;
        // The first event after connecting only says where the count is; a later one is a change.
        const first = settingsVersion === null;
        settingsVersion = version;
        if (first) return;
        void queryClient.invalidateQueries({ queryKey: queryKeys.settings });
        void queryClient.invalidateQueries({ queryKey: queryKeys.health });
      },
      onConnection: setConnection,
      // Whatever was fetched before may have missed changes while the stream was down.
      onReconnect: () => {
        transcriptionsVersion = null;
        settingsVersion = null;
        void queryClient.invalidateQueries({ queryKey: queryKeys.settings });
        void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
        void queryClient.invalidateQueries({ queryKey: queryKeys.transcriptions });
      },
    });
  }, [queryClient]);

  const applyPause = useCallback(
    (pause: PauseJson) => {
      queryClient.setQueryData<QueueStatusJson>(queryKeys.liveQueue, (current) =>
        current ? { ...current, is_paused: pause.is_paused, pause_reason: pause.pause_reason } : current,
      );
    },
    [queryClient],
  );

  const value = useMemo(() => ({ connection, applyPause }), [connection, applyPause]);
  return <LiveStateContext.Provider value={value}>{children}</LiveStateContext.Provider>;
}

export function useLiveState(): LiveState {
  const state = useContext(LiveStateContext);
  if (!state) throw new Error('useLiveState needs a LiveStateProvider');
  return state;
}
