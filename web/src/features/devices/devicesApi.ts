import { request } from '../../api/client';

/** A browser session or a paired device (GET /api/auth/sessions). */
export interface SessionJson {
  id: string;
  kind: 'browser' | 'device';
  name: string;
  created_at: number | string;
  last_used_at: number | string | null;
  /** The session this page is using. */
  current: boolean;
}

/** A one-time pairing code (POST /api/pairing), valid for a few minutes. */
export interface PairingJson {
  code: string;
  expires_at: number | string;
  /** The pairing link at each LAN address (https://<address>:<port>/?pair=<code>): what the QR code says. */
  urls: string[];
  fingerprint: string | null;
}

export interface LanJson {
  enabled: boolean;
  urls: string[];
  fingerprint: string | null;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const devicesApi = {
  lan: () => request<LanJson>('/api/lan'),
  sessions: async (): Promise<SessionJson[]> => {
    const body = await request<SessionJson[] | { sessions: SessionJson[] }>('/api/auth/sessions');
    return Array.isArray(body) ? body : body.sessions;
  },
  revoke: (id: string) =>
    request<unknown>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  startPairing: () => request<PairingJson>('/api/pairing', { method: 'POST' }),
  pair: (code: string, name: string) => request<unknown>('/api/auth/pair', json({ code, name })),
};

/** Milliseconds from a number or an ISO string. */
export function toMs(value: number | string): number {
  return typeof value === 'number' ? value : Date.parse(value);
}
