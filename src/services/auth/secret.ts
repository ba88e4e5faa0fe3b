import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'secret';

export function secretPath(dataDir: string): string {
  return join(dataDir, SECRET_FILE);
}

/** The install's secret, or null when none was made yet. Tightens a file others could read. */
export function readSecret(dataDir: string): string | null {
  const path = secretPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return text || null;
}

/**
 * The per-install secret, made at first start: 32 random bytes, in
 * `<data>/secret`, readable by its owner only. Written whole into a private
 * temporary file and then linked into place, so no process ever reads half a
 * secret, and two starting at once agree (the second link fails; it reads the first).
 */
export function loadOrCreateSecret(dataDir: string): string {
  const existing = readSecret(dataDir);
  if (existing) return existing;
  const secret = randomBytes(32).toString('base64url');
  const temporary = join(dataDir, `.secret.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, secretPath(dataDir));
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    return readSecret(dataDir) ?? secret;
  } finally {
    rmSync(temporary, { force: true });
  }
  return secret;
}
