// Hark's service worker. One job: a recording whose upload cannot reach Hark
// (the phone's Wi-Fi dropped) is kept in IndexedDB and sent again when Hark is
// reachable: on the Background Sync event where the browser has it, and when a
// page asks (it does on load, on `online`, and every little while while
// something waits). Nothing else is intercepted or cached.

const DB_NAME = 'hark-outbox';
const STORE = 'recordings';
const UPLOAD_PATH = '/api/recordings';
const SYNC_TAG = 'hark-outbox';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim().then(() => flush())));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'POST') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname !== UPLOAD_PATH) return;
  event.respondWith(uploadOrKeep(request));
});

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(flush());
});

self.addEventListener('message', (event) => {
  const type = event.data?.type;
  if (type === 'flush') event.waitUntil(flush());
  else if (type === 'count') event.waitUntil(announce());
});

/** Sends the upload on; when the network fails (no answer at all), keeps it and answers 202. */
async function uploadOrKeep(request) {
  // Read before sending: a body that went to a failed fetch cannot be read again.
  const body = await request.clone().blob();
  const contentType = request.headers.get('Content-Type') || '';
  try {
    return await fetch(request);
  } catch {
    await keep({ body, contentType, keptAt: Date.now() });
    try {
      await self.registration.sync?.register(SYNC_TAG);
    } catch {
      // No Background Sync here: the pages' retries send it.
    }
    const waiting = await announce();
    return new Response(JSON.stringify({ kept_offline: true, waiting }), {
      status: 202,
      headers: { 'Content-Type': 'application/json' },
    });
  }
}

let flushing = null;

/** Sends every kept recording, oldest first; stops at the first that cannot reach Hark. */
function flush() {
  flushing ??= (async () => {
    try {
      for (const item of await all()) {
        let response;
        try {
          response = await fetch(UPLOAD_PATH, {
            method: 'POST',
            body: item.body,
            headers: { 'Content-Type': item.contentType, Accept: 'application/json' },
            credentials: 'same-origin',
          });
        } catch {
          return; // still unreachable: try again later
        }
        const outcome = await settle(response);
        if (outcome === 'keep') return;
        await remove(item.id);
        await tell({ type: 'outbox-delivered', ok: outcome === 'delivered', status: response.status });
      }
    } finally {
      flushing = null;
      await announce();
    }
  })();
  return flushing;
}

/**
 * Delivered (2xx, or Hark already has it), keep (Hark is busy, the
 * credential is not accepted yet, or Hark failed), or refused for good.
 */
async function settle(response) {
  if (response.ok) return 'delivered';
  if (response.status === 409) {
    const body = await response.json().catch(() => null);
    const kind = body && (typeof body.error === 'object' ? body.error?.kind : body.error);
    return kind === 'duplicate_note' ? 'delivered' : 'keep';
  }
  if ([401, 403, 408, 429].includes(response.status) || response.status >= 500) return 'keep';
  return 'refused';
}

async function announce() {
  const waiting = await count();
  await tell({ type: 'outbox', waiting });
  return waiting;
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: 'window' })) {
    client.postMessage(message);
  }
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const keep = (item) => transact('readwrite', (store) => store.add(item));
const remove = (id) => transact('readwrite', (store) => store.delete(id));
const all = () => transact('readonly', (store) => store.getAll());
const count = () => transact('readonly', (store) => store.count());
