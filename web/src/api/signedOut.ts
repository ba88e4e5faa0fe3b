/**
 * Hark answered 401: this page has no valid session (never signed in, logged
 * out, revoked from another window, or unused too long). The sign-in gate
 * listens and shows the sign-in page in place of the app.
 */
const SIGNED_OUT = 'hark:signed-out';

export function notifySignedOut(): void {
  window.dispatchEvent(new Event(SIGNED_OUT));
}

export function onSignedOut(listener: () => void): () => void {
  window.addEventListener(SIGNED_OUT, listener);
  return () => window.removeEventListener(SIGNED_OUT, listener);
}
