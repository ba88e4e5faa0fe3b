import type pg from 'pg';
import type { SettingsRepository } from '../../core/store.js';
import type { PauseState } from '../../core/types.js';
import { getSettings } from './queries/getSettings.js';
import { setSettings } from './queries/setSettings.js';

const PAUSE_KEYS = ['queue_paused', 'pause_reason', 'paused_at'] as const;

/**
 * Settings on PostgreSQL, with SQLite's keys: `queue_paused` is what the claim checks (in its
 * own statement); the reason and the time say who paused it and since when.
 */
export function postgresSettings(pool: pg.Pool, clock: () => number): SettingsRepository {
  return {
    getSetting: async (key) => (await getSettings(pool, [key])).get(key) ?? null,
    setSetting: (key, value) => setSettings(pool, new Map([[key, value]]), clock()),
    getPause: async (): Promise<PauseState> => {
      const values = await getSettings(pool, PAUSE_KEYS);
      const paused = values.get('queue_paused') === '1';
      const since = values.get('paused_at');
      return {
        paused,
        reason: paused ? (values.get('pause_reason') ?? null) : null,
        since: paused && since ? Number(since) : null,
      };
    },
    setPause: (state) =>
      setSettings(
        pool,
        new Map([
          ['queue_paused', state.paused ? '1' : '0'],
          ['pause_reason', state.paused ? state.reason : null],
          ['paused_at', state.paused && state.since !== null ? String(state.since) : null],
        ]),
        clock(),
      ),
  };
}
