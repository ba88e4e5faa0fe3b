import type { SettingsRepository } from '../../core/store.js';
import type { PauseState } from '../../core/types.js';
import type { Db } from '../open.js';
import { getPause, getSetting, setPause, setSetting } from '../queries/appState.js';

/** Settings in SQLite's app_state table: the pause, the recording state, keyed values. */
export class SqliteSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  async getSetting(key: string): Promise<string | null> {
    return getSetting(this.db, key);
  }

  async setSetting(key: string, value: string | null): Promise<void> {
    setSetting(this.db, key, value);
  }

  async getPause(): Promise<PauseState> {
    return getPause(this.db);
  }

  async setPause(state: PauseState): Promise<void> {
    setPause(this.db, state);
  }
}
