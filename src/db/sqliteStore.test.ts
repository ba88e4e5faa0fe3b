import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../../tests/contract/storeContract.js';
import { SqliteStore } from './sqliteStore.js';

storeContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hark-store-'));
  const file = join(dir, 'hark.db');
  return {
    open: async () => SqliteStore.open(file),
    reopen: async () => SqliteStore.open(file),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
