/**
 * "Show in folder" (issue 11): the server opens the note's folder in the file manager only for a
 * person at this machine: a request over the loopback listener (plain HTTP, from a loopback
 * address), not by a paired phone (a device session) nor over the LAN listener (HTTPS). Anywhere
 * else, or with no opener installed, the page shows the path to copy instead. Pure.
 */
export interface RevealRequest {
  /** The request came over TLS (the LAN listener). */
  overTls: boolean;
  remoteAddress: string | undefined;
  /** A paired phone's session, a browser's, the install's secret, or none (--no-auth). */
  credential: 'device' | 'browser' | 'secret' | 'none';
  /** The machine has an opener (xdg-open) to run. */
  hasOpener: boolean;
}

export type RevealAnswer = { open: true } | { open: false; reason: string };

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

export function revealDecision(request: RevealRequest): RevealAnswer {
  if (request.credential === 'device' || request.overTls || !isLoopbackAddress(request.remoteAddress)) {
    return { open: false, reason: 'The folder is on the machine Hark runs on, not on this device.' };
  }
  if (!request.hasOpener) {
    return { open: false, reason: 'This machine has no file manager opener (xdg-open) for Hark to run.' };
  }
  return { open: true };
}
