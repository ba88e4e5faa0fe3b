import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { queryKeys } from '../../api/queryKeys';
import { plural } from '../../lib/format';
import { useNotices } from '../notices/NoticesProvider';
import { askToFlush, type OutboxMessage, postToWorker } from './registerServiceWorker';

/** "1 recording waiting to upload": recordings kept on this device until Hark is reachable. */
export function OutboxBanner() {
  const [waiting, setWaiting] = useState(0);
  const { notify } = useNotices();
  const client = useQueryClient();

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent<OutboxMessage>) => {
      const message = event.data;
      if (message?.type === 'outbox') setWaiting(message.waiting);
      if (message?.type === 'outbox-delivered') {
        notify(
          message.ok ? 'success' : 'error',
          message.ok
            ? 'A recording kept on this device while Hark was out of reach is uploaded.'
            : `Hark refused a recording kept on this device (${message.status}).`,
        );
        void client.invalidateQueries({ queryKey: queryKeys.transcriptions });
      }
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    postToWorker({ type: 'count' });
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [notify, client]);

  if (waiting === 0) return null;
  return (
    <div className="outbox-banner" role="status">
      <span className="outbox-banner__icon" aria-hidden="true" />
      <span>
        {plural(waiting, 'recording')} waiting to upload. {waiting === 1 ? 'It is' : 'They are'} kept on this
        device and sent when Hark is reachable.
      </span>
      <button type="button" className="button button--small" onClick={askToFlush}>
        Try now
      </button>
    </div>
  );
}
