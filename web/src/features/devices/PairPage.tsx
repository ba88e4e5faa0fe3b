import { type FormEvent, useEffect, useState } from 'react';
import { devicesApi } from './devicesApi';

/** The pairing link: `/?pair=<code>` (what POST /api/pairing gives) or `/pair?code=<code>`. */
export function pairingCodeIn(location: Pick<Location, 'pathname' | 'search'>): string | null {
  const search = new URLSearchParams(location.search);
  return search.get('pair') ?? (location.pathname === '/pair' ? (search.get('code') ?? '') : null);
}

export function isPairingPage(location: Pick<Location, 'pathname' | 'search'>): boolean {
  return pairingCodeIn(location) !== null;
}

/** A name to start from: "iPhone", "Android phone", … */
function guessName(): string {
  const agent = navigator.userAgent;
  if (/iPhone/.test(agent)) return 'iPhone';
  if (/iPad/.test(agent)) return 'iPad';
  if (/Android/.test(agent)) return 'Android phone';
  return 'My phone';
}

/**
 * What the phone opens from the QR code (/pair?code=…): a name for the
 * device, then the code is traded for the device's own credential (a cookie)
 * and the phone goes on to the app. The code leaves the address bar at once.
 */
export function PairPage() {
  const [code] = useState(() => pairingCodeIn(window.location) ?? '');
  // The code is used once; it leaves the address bar (and the history) at once.
  useEffect(() => window.history.replaceState(null, '', '/pair'), []);
  const [name, setName] = useState(guessName);
  const [state, setState] = useState<'ready' | 'pairing' | 'failed'>('ready');
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState('pairing');
    try {
      await devicesApi.pair(code, name.trim() || guessName());
      window.location.replace('/');
    } catch (caught) {
      setState('failed');
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <main className="pair-page">
      <img src="/favicon.svg" alt="" width="56" height="56" />
      <h1>Pair this phone with Hark</h1>
      {code ? (
        <form onSubmit={(event) => void submit(event)} className="pair-page__form">
          <label htmlFor="device-name">Name this phone</label>
          <input
            id="device-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={60}
            autoComplete="off"
            required
          />
          <button type="submit" className="button button--primary" disabled={state === 'pairing'}>
            {state === 'pairing' ? 'Pairing…' : 'Pair'}
          </button>
          {state === 'failed' ? (
            <p className="pair-page__error" role="alert">
              Pairing failed: {error} Show a new pairing code on your computer (Devices) and scan it again.
            </p>
          ) : null}
        </form>
      ) : (
        <p>
          This page needs a pairing code. On your computer, open Hark, choose <strong>Devices</strong>, and
          scan the QR code it shows.
        </p>
      )}
    </main>
  );
}
