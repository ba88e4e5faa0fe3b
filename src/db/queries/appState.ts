import type { PauseState } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

export function getSetting(db: Db, key: string): string | null {
  return (
    stmt<[string], { value: string }>(db, 'SELECT value FROM app_state WHERE key = ?').get(key)?.value ?? null
  );
}

export function setSetting(db: Db, key: string, value: string | null, now = Date.now()): void {
  if (value === null) {
    stmt(db, 'DELETE FROM app_state WHERE key = ?').run(key);
    return;
  }
  stmt(
    db,
    `INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, value, now);
}

/** The queue's pause, persisted: `queue_paused` is what the claim checks; the reason says who paused it. */
export function getPause(db: Db): PauseState {
  const paused = getSetting(db, 'queue_paused') === '1';
  const since = getSetting(db, 'paused_at');
  return {
    paused,
    reason: paused ? getSetting(db, 'pause_reason') : null,
    since: paused && since ? Number(since) : null,
  };
}

export function setPause(db: Db, state: PauseState): void {
  immediate(db, () => {
    setSetting(db, 'queue_paused', state.paused ? '1' : '0');
    setSetting(db, 'pause_reason', state.paused ? state.reason : null);
    setSetting(db, 'paused_at', state.paused && state.since !== null ? String(state.since) : null);
  });
}
