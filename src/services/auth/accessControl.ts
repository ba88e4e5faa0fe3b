import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type CodeKind,
  codeTtlMs,
  FAILED_CODE_RULE,
  isExpired,
  lastUseWorthWriting,
  type RateDecision,
  type RateRule,
  rateDecision,
  recentFailures,
  type SessionKind,
  sessionIsStale,
  splitSessionCookie,
} from '../../core/access.js';
import type { Clock } from '../../core/clock.js';
import { loadOrCreateSecret } from './secret.js';
import { SessionFile, type SessionRecord } from './sessionFile.js';

export interface IssuedCode {
  code: string;
  kind: CodeKind;
  expiresAt: number;
}

interface LiveCode {
  hash: Buffer;
  kind: CodeKind;
  expiresAt: number;
}

/** How many codes may wait at once, and how many addresses' failures are remembered. */
const MAX_LIVE_CODES = 100;
const MAX_TRACKED_ADDRESSES = 10_000;
/** Pairing codes may be typed: no 0/O or 1/I to confuse. 32 letters, so a byte's low 5 bits pick one evenly. */
const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Equal in constant time: both sides are hashed first, so their lengths match whatever was sent. */
function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function newCode(kind: CodeKind): string {
  if (kind === 'login') return randomBytes(18).toString('base64url');
  return [...randomBytes(10)].map((byte) => PAIRING_ALPHABET[byte & 31]).join('');
}

/** A pairing code as a person may type it: any case, with spaces or dashes. */
function normalCode(kind: CodeKind, code: string): string {
  return kind === 'pair' ? code.toUpperCase().replace(/[\s-]/g, '') : code;
}

/**
 * Who may use this Hark: the install's secret (programs and the CLI send it
 * as a bearer token), one-time login and pairing codes (in memory: a restart
 * makes new ones), and the sessions they were traded for (on disk). Every
 * comparison is of SHA-256 hashes in constant time; the secret and tokens are
 * never logged or kept in clear besides the secret file.
 */
export class AccessControl {
  private codes: LiveCode[] = [];
  private readonly failures = new Map<string, number[]>();
  private readonly sessions: Map<string, SessionRecord>;
  /** The last use each session has on disk, to write it at most once a minute. */
  private readonly written = new Map<string, number>();
  private readonly revokedListeners: ((id: string) => void)[] = [];

  constructor(
    private readonly secretHash: Buffer,
    private readonly file: SessionFile,
    private readonly clock: Clock,
    private readonly rule: RateRule = FAILED_CODE_RULE,
  ) {
    this.sessions = new Map(file.read().map((record) => [record.id, record]));
    for (const record of this.sessions.values()) this.written.set(record.id, record.lastUsedAt);
  }

  static open(dataDir: string, clock: Clock, rule?: RateRule): AccessControl {
    return new AccessControl(sha256(loadOrCreateSecret(dataDir)), new SessionFile(dataDir), clock, rule);
  }

  isSecret(token: string): boolean {
    return sameHash(sha256(token), this.secretHash);
  }

  issueCode(kind: CodeKind): IssuedCode {
    const now = this.clock.now();
    this.codes = this.codes.filter((code) => !isExpired(code.expiresAt, now)).slice(-(MAX_LIVE_CODES - 1));
    const code = newCode(kind);
    const expiresAt = now + codeTtlMs(kind);
    this.codes.push({ hash: sha256(code), kind, expiresAt });
    return { code, kind, expiresAt };
  }

  /** True once for a live code of this kind; the code is then gone. */
  redeemCode(kind: CodeKind, code: string): boolean {
    const now = this.clock.now();
    const hash = sha256(normalCode(kind, code));
    let found: LiveCode | null = null;
    // Every live code is compared (no early exit), so the time taken says nothing about which matched.
    for (const live of this.codes) {
      if (sameHash(hash, live.hash) && live.kind === kind) found = live;
    }
    if (!found) return false;
    this.codes = this.codes.filter((live) => live !== found);
    return !isExpired(found.expiresAt, now);
  }

  /** May this address try a code now? */
  attemptAllowed(address: string): RateDecision {
    return rateDecision(this.failures.get(address) ?? [], this.clock.now(), this.rule);
  }

  recordFailure(address: string): void {
    const now = this.clock.now();
    const recent = recentFailures(this.failures.get(address) ?? [], now, this.rule);
    this.failures.delete(address);
    if (this.failures.size >= MAX_TRACKED_ADDRESSES) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(address, [...recent, now]);
  }

  /** A new session; its cookie value is returned once and never kept. */
  createSession(kind: SessionKind, name: string): { cookie: string; session: SessionRecord } {
    const id = randomBytes(6).toString('hex');
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: SessionRecord = {
      id,
      kind,
      name,
      tokenHash: sha256(token).toString('hex'),
      createdAt: now,
      lastUsedAt: now,
    };
    this.sessions.set(id, session);
    this.written.set(id, now);
    this.save();
    return { cookie: `${id}.${token}`, session };
  }

  /** The live session a cookie proves, its last use noted; null for anything else. */
  authenticate(cookie: string | undefined): SessionRecord | null {
    const parts = splitSessionCookie(cookie);
    if (!parts) return null;
    const session = this.sessions.get(parts.id);
    if (!session || !sameHash(sha256(parts.token), Buffer.from(session.tokenHash, 'hex'))) return null;
    const now = this.clock.now();
    if (sessionIsStale(session.lastUsedAt, now)) {
      this.revoke(session.id);
      return null;
    }
    session.lastUsedAt = now;
    if (lastUseWorthWriting(this.written.get(session.id) ?? 0, now)) {
      this.written.set(session.id, now);
      this.save();
    }
    return session;
  }

  /** Every live session, most recently used first. */
  listSessions(): SessionRecord[] {
    const now = this.clock.now();
    return [...this.sessions.values()]
      .filter((session) => !sessionIsStale(session.lastUsedAt, now))
      .sort((a, b) => b.lastUsedAt - a.lastUsedAt || a.id.localeCompare(b.id));
  }

  /** Ends a session at once: its next request is refused, its open streams are cut. False when there was none. */
  revoke(id: string): boolean {
    if (!this.sessions.delete(id)) return false;
    this.written.delete(id);
    this.save();
    for (const listener of this.revokedListeners) listener(id);
    return true;
  }

  /** Called with a session's id when it ends (revoked, logged out, gone stale). */
  onRevoked(listener: (id: string) => void): void {
    this.revokedListeners.push(listener);
  }

  /** Writes the sessions with their last use (at shutdown, so that nothing older than a minute is lost). */
  flush(): void {
    for (const session of this.sessions.values()) this.written.set(session.id, session.lastUsedAt);
    this.save();
  }

  private save(): void {
    this.file.write([...this.sessions.values()]);
  }
}
