/** Why the sign-in page is shown: nothing tried yet, or a link that did not work. */
export type SignInReason = 'none' | 'used-or-expired' | 'too-many-tries' | 'pairing-failed';

export type GateState =
  | { kind: 'checking' }
  | { kind: 'signed-in' }
  | { kind: 'signed-out'; reason: SignInReason };

/**
 * Takes `?code=` (a login link) or `?pair=` (a pairing QR code) out of the
 * address bar at once, whatever happens next: a code stays neither in the
 * history nor in a bookmark.
 */
export function takeCodeFromAddress(): { kind: 'login' | 'pair'; code: string } | null {
  const url = new URL(window.location.href);
  const login = url.searchParams.get('code');
  const pair = url.searchParams.get('pair');
  if (login === null && pair === null) return null;
  url.searchParams.delete('code');
  url.searchParams.delete('pair');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  if (login) return { kind: 'login', code: login };
  return pair ? { kind: 'pair', code: pair } : null;
}

/** Trades a code for the session cookie (set HttpOnly by Hark: this page never sees it). */
export async function tradeCode(taken: {
  kind: 'login' | 'pair';
  code: string;
}): Promise<SignInReason | null> {
  const path = taken.kind === 'login' ? '/api/auth/login' : '/api/auth/pair';
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code: taken.code }),
    });
    if (response.ok) return null;
    if (response.status === 429) return 'too-many-tries';
    return taken.kind === 'login' ? 'used-or-expired' : 'pairing-failed';
  } catch {
    return taken.kind === 'login' ? 'used-or-expired' : 'pairing-failed';
  }
}

/** Signed in or not, by asking a small guarded route. Anything but a 401 lets the app show (and say what is wrong). */
export async function probeSession(): Promise<boolean> {
  try {
    const response = await fetch('/api/health', { headers: { accept: 'application/json' } });
    return response.status !== 401;
  } catch {
    return true;
  }
}
