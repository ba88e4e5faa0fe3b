/**
 * Another process holding a lock on Hark's database, as a backup tool or a
 * `sqlite3` shell in a long transaction would:
 *   node --import tsx tests/attacks/storage/dbLocker.ts <hark.db> <write|exclusive>
 * - write: BEGIN EXCLUSIVE, which in WAL mode shuts out every other writer
 *   (readers go on);
 * - exclusive: locking_mode EXCLUSIVE as well, which shuts out readers too.
 * Prints "locked" once it holds the lock, and lets go ("released") when a
 * line "release" arrives on stdin; exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';

const [file = '', mode = 'write'] = process.argv.slice(2);
const db = new Database(file, { timeout: 10_000 });
if (mode === 'exclusive') db.pragma('locking_mode = EXCLUSIVE');
db.exec('BEGIN EXCLUSIVE');
// A write inside the transaction, so that the exclusive mode takes its lock on the file for good.
db.exec("INSERT OR REPLACE INTO app_state (key, value, updated_at) VALUES ('locked_by_test', '1', 0)");
process.stdout.write('locked\n');

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'release') continue;
  db.exec('ROLLBACK');
  if (mode === 'exclusive') {
    db.pragma('locking_mode = NORMAL');
    db.prepare('SELECT count(*) FROM app_state').get(); // the next access drops the file lock
  }
  process.stdout.write('released\n');
}
db.close();
