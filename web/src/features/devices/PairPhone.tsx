import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatClock } from '../../lib/format';
import { SESSIONS_KEY } from './DevicesList';
import { devicesApi, type PairingJson, toMs } from './devicesApi';
import { QrCode } from './QrCode';

/**
 * A one-time pairing code as a QR code: the phone's camera opens the pairing
 * page on Hark's LAN address, and the person compares the certificate's
 * fingerprint with the one shown here before trusting it.
 */
export function PairPhone({ open }: { open: boolean }) {
  const lan = useQuery({ queryKey: ['lan'], queryFn: devicesApi.lan, enabled: open });
  const [pairing, setPairing] = useState<PairingJson | null>(null);
  const [issuedAt, setIssuedAt] = useState(0);
  // The list below refreshes while the dialog is open: a device made since this code came is the phone that used it.
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: devicesApi.sessions, enabled: open });
  const paired = pairing
    ? sessions.data?.find((session) => session.kind === 'device' && toMs(session.created_at) >= issuedAt)
    : undefined;
  const [error, setError] = useState<string | null>(null);
  const [address, setAddress] = useState(0);
  const now = useNow(pairing !== null);

  useEffect(() => {
    if (!open) setPairing(null);
  }, [open]);

  const start = async () => {
    setError(null);
    try {
      setIssuedAt(Date.now() - 5_000);
      setPairing(await devicesApi.startPairing());
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  if (lan.isPending) return <p>Loading…</p>;
  if (lan.isError) return <p>Hark could not say where your phone can reach it: {lan.error.message}</p>;
  if (!lan.data.enabled || lan.data.urls.length === 0) {
    return (
      <p className="pair__off">
        Your phone reaches Hark over your network, which is off. Start Hark with <code>hark start --lan</code>{' '}
        (your phone and this computer on the same Wi-Fi), then come back here.
      </p>
    );
  }
  // The pairing links themselves (the code in them) once there is a code; the addresses before.
  const urls = pairing?.urls.length ? pairing.urls : lan.data.urls;
  const link = urls[Math.min(address, urls.length - 1)] ?? '';
  const fingerprint = pairing?.fingerprint ?? lan.data.fingerprint;
  const left = pairing ? Math.max(0, (toMs(pairing.expires_at) - now) / 1000) : 0;

  return (
    <div className="pair">
      {paired ? (
        <p className="pair__done" role="status">
          {paired.name} is paired. It is in the list below, where you can revoke it.{' '}
          <button type="button" className="button button--small" onClick={() => void start()}>
            Pair another
          </button>
        </p>
      ) : pairing && left > 0 ? (
        <div className="pair__code">
          <QrCode text={link} label="QR code to pair your phone" />
          <div className="pair__steps">
            <ol>
              <li>Scan this code with your phone's camera (same Wi-Fi as this computer).</li>
              <li>
                Your phone warns that the certificate is not trusted: Hark made it itself. Check that its
                SHA-256 fingerprint is the one below, then go on.
              </li>
              <li>Give your phone a name. It then appears in the list below.</li>
            </ol>
            <p className="pair__url">
              Or open <code>{link}</code> on your phone.
            </p>
            <p className="pair__expires" role="timer">
              This code works once, for <time>{formatClock(left)}</time>.
            </p>
          </div>
        </div>
      ) : (
        <p>
          {pairing ? 'That code has expired. ' : ''}
          <button type="button" className="button button--primary" onClick={() => void start()}>
            {pairing ? 'New pairing code' : 'Show a pairing code'}
          </button>
        </p>
      )}
      {error ? <p className="pair__error">The pairing code could not be made: {error}</p> : null}
      {urls.length > 1 ? (
        <label className="pair__address">
          Address{' '}
          <select value={address} onChange={(event) => setAddress(Number(event.target.value))}>
            {urls.map((url, index) => (
              <option key={url} value={index}>
                {new URL(url).host}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {fingerprint ? (
        <p className="pair__fingerprint">
          Certificate fingerprint (SHA-256): <code>{fingerprint}</code>
        </p>
      ) : null}
    </div>
  );
}

/** The time now, once a second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
