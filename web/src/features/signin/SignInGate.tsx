import { type ReactNode, useEffect, useRef, useState } from 'react';
import { onSignedOut } from '../../api/signedOut';
import { SignInPage } from './SignInPage';
import { type GateState, probeSession, takeCodeFromAddress, tradeCode } from './session';

/**
 * Shows the app to a signed-in page and the sign-in page to anyone else.
 * A login link's code is traded first (and dropped from the address bar);
 * any 401 later (logged out, revoked elsewhere) brings the sign-in page back.
 */
export function SignInGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<GateState>({ kind: 'checking' });
  const started = useRef(false);

  useEffect(() => onSignedOut(() => setState({ kind: 'signed-out', reason: 'none' })), []);

  useEffect(() => {
    // Once per page load: StrictMode runs effects twice, and a code works only once.
    if (started.current) return;
    started.current = true;
    void (async () => {
      const taken = takeCodeFromAddress();
      const failure = taken ? await tradeCode(taken) : null;
      const signedIn = await probeSession();
      setState(signedIn ? { kind: 'signed-in' } : { kind: 'signed-out', reason: failure ?? 'none' });
    })();
  }, []);

  if (state.kind === 'checking') return null;
  if (state.kind === 'signed-out') return <SignInPage reason={state.reason} />;
  return <>{children}</>;
}
