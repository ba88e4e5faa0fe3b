import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { ChangeWatcher, type ChangeWatcherOptions } from './changeWatcher.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The app's connection, watched, and another process's connection (as `hark pause` in a terminal). */
async function twoConnections(options: (file: string) => ChangeWatcherOptions) {
  const file = join(tempDir('hark-changes-'), 'hark.db');
  const app = SqliteStore.open(file);
  const other = SqliteStore.open(file);
  let changes = 0;
  let seen: () => void = () => {};
  const watcher = new ChangeWatcher(
    app,
    () => {
      changes++;
      seen();
    },
    options(file),
  );
  closers.push(
    () => app.close(),
    () => other.close(),
    () => watcher.stop(),
  );
  await watcher.start();
  const nextChange = () => new Promise<void>((resolve) => (seen = resolve));
  return { app, other, nextChange, changes: () => changes };
}

describe('ChangeWatcher', () => {
  it("sees another connection's commit through the -wal file's watch, long before the fallback poll", async () => {
    const { other, nextChange } = await twoConnections((file) => ({
      databaseFile: file,
      fallbackMs: 60_000,
    }));
    const seen = nextChange();
    const at = Date.now();
    await other.settings.setPause({ paused: true, reason: 'user', since: at });
    await seen;
    expect(Date.now() - at).toBeLessThan(1_000);
  });

  it('does not report its own connection’s commits', async () => {
    const { app, other, nextChange, changes } = await twoConnections((file) => ({
      databaseFile: file,
      fallbackMs: 60_000,
    }));
    for (let i = 0; i < 20; i++) await app.settings.setSetting('own', String(i));
    // Another process's commit afterwards is the first change reported.
    const seen = nextChange();
    await other.settings.setSetting('theirs', '1');
    await seen;
    expect(changes()).toBe(1);
  });

  it('falls back to polling where it has no file to watch', async () => {
    const { other, nextChange } = await twoConnections(() => ({ pollMs: 20 }));
    const seen = nextChange();
    await other.settings.setSetting('theirs', '1');
    await seen;
  });
});
