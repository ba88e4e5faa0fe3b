/**
 * Installs the service worker (web/public/sw.js), which keeps a recording
 * whose upload could not reach Hark, and asks it to send what it keeps: now,
 * whenever the browser says it is online again, and every 20 s while
 * something waits (Background Sync is not in every browser, and a flaky
 * Wi-Fi does not always say when it is back).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // No service worker (a private window, a browser setting): uploads work as before.
  });
  window.addEventListener('online', () => askToFlush());
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<OutboxMessage>) => {
    if (event.data?.type === 'outbox') scheduleRetry(event.data.waiting);
  });
  void navigator.serviceWorker.ready.then(() => askToFlush());
}

export type OutboxMessage =
  | { type: 'outbox'; waiting: number }
  | { type: 'outbox-delivered'; ok: boolean; status: number };

let retry: ReturnType<typeof setTimeout> | null = null;

function scheduleRetry(waiting: number): void {
  if (retry) clearTimeout(retry);
  retry = waiting > 0 ? setTimeout(() => askToFlush(), 20_000) : null;
}

export function askToFlush(): void {
  postToWorker({ type: 'flush' });
}

export function postToWorker(message: { type: 'flush' | 'count' }): void {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message));
}

/** True when uploads go through the service worker, which keeps them if the network fails. */
export function uploadsAreKept(): boolean {
  return 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null;
}
