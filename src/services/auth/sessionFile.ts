import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionKind } from '../../core/access.js';

/** A session as kept on disk: the token itself is never stored, only its SHA-256. */
export interface SessionRecord {
  id: string;
  kind: SessionKind;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number;
}

export const SESSIONS_FILE = 'sessions.json';

/**
 * The sessions, in `<data>/sessions.json` (mode 0600), so that they outlive a
 * restart whatever the store (SQLite or PostgreSQL): each machine's sessions
 * are its own. Replaced whole through a temporary file and a rename.
 */
export class SessionFile {
  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, SESSIONS_FILE);
  }

  read(): SessionRecord[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { sessions?: unknown };
      return Array.isArray(parsed.sessions) ? parsed.sessions.filter(isSessionRecord) : [];
    } catch {
      // A file someone broke by hand: nobody is signed in, and the next write replaces it.
      return [];
    }
  }

  write(sessions: readonly SessionRecord[]): void {
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(temporary, `${JSON.stringify({ sessions }, null, 1)}\n`, { mode: 0o600, flag: 'wx' });
      renameSync(temporary, this.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

function isSessionRecord(value: unknown): value is SessionRecord {
  const record = value as Partial<SessionRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    (record.kind === 'browser' || record.kind === 'device') &&
    typeof record.name === 'string' &&
    typeof record.tokenHash === 'string' &&
    typeof record.createdAt === 'number' &&
    typeof record.lastUsedAt === 'number'
  );
}
