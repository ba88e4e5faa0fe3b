import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useAction } from '../notices/NoticesProvider';
import { devicesApi, type SessionJson, toMs } from './devicesApi';
import { formatAgo } from './formatAgo';

export const SESSIONS_KEY = ['auth', 'sessions'] as const;

/** The phones and browsers that may use Hark, each with a Revoke button that takes effect at once. */
export function DevicesList({ watching }: { watching: boolean }) {
  const sessions = useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: devicesApi.sessions,
    // While the dialog is open, a phone that pairs appears within seconds.
    refetchInterval: watching ? 3000 : false,
    enabled: watching,
  });
  const client = useQueryClient();
  const run = useAction();
  const revoke = async (session: SessionJson) => {
    if (session.current && !window.confirm('This is the browser you are using: revoke it and sign out here?'))
      return;
    if (await run(() => devicesApi.revoke(session.id), `Could not revoke ${session.name}`)) {
      await client.invalidateQueries({ queryKey: SESSIONS_KEY });
    }
  };

  if (sessions.isPending) return <p className="devices__empty">Loading…</p>;
  if (sessions.isError)
    return <p className="devices__empty">The devices could not be listed: {sessions.error.message}</p>;
  const now = Date.now();
  const list = [...sessions.data].sort((a, b) => lastUse(b) - lastUse(a));
  return (
    <ul className="devices__list" aria-label="Devices and browsers">
      {list.map((session) => (
        <li key={session.id} className="devices__row">
          <span className={`devices__kind devices__kind--${session.kind}`} aria-hidden="true" />
          <span className="devices__who">
            <span className="devices__name">
              {session.name}
              {session.current ? <span className="devices__current"> (this browser)</span> : null}
            </span>
            <span className="devices__meta">
              {session.kind === 'device' ? 'Paired device' : 'Browser'} · last used{' '}
              {session.last_used_at === null ? 'never' : formatAgo(toMs(session.last_used_at), now)}
            </span>
          </span>
          <button
            type="button"
            className="button button--small"
            onClick={() => void revoke(session)}
            aria-label={`Revoke ${session.name}`}
          >
            Revoke
          </button>
        </li>
      ))}
    </ul>
  );
}

const lastUse = (session: SessionJson) => toMs(session.last_used_at ?? session.created_at);
