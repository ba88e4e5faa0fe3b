import { useLiveState } from './LiveStateProvider';

/** A clear warning while the server cannot be reached; the event stream reconnects by itself. */
export function ConnectionBanner() {
  const { connection } = useLiveState();
  if (connection !== 'unreachable') return null;
  return (
    <div className="connection-banner" role="alert">
      <span className="connection-banner__dot" aria-hidden="true" />
      <p>
        <strong>Hark is not reachable.</strong> Is it still running? This page reconnects by itself and
        refreshes everything when Hark is back.
      </p>
    </div>
  );
}
