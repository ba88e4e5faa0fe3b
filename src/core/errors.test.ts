import { describe, expect, it } from 'vitest';
import { HarkError, storageTroubleOf, toHarkError } from './errors.js';

/** An error as a driver throws it: a message and a code, nothing else. */
function driverError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

describe('storageTroubleOf', () => {
  it('reads a full disk from the system, SQLite and PostgreSQL', () => {
    for (const code of ['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100'])
      expect(storageTroubleOf(code)).toBe('disk_full');
  });

  it('reads a lock held by another connection from SQLite', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'])
      expect(storageTroubleOf(code)).toBe('database_locked');
  });

  it('reads a PostgreSQL server that is gone for now as trouble to wait out', () => {
    const passing = [
      '57P01', // admin shutdown: the server stopped or our backend was terminated
      '57P02', // crash shutdown
      '57P03', // cannot connect now: starting up
      '08000', // connection exception
      '08003', // connection does not exist
      '08006', // connection failure
      '08001', // unable to establish a connection
      'ECONNREFUSED',
      'ECONNRESET',
      '40001', // serialization failure
      '40P01', // deadlock detected
    ];
    for (const code of passing) expect(storageTroubleOf(code), code).toBe('database_locked');
  });

  it('leaves every other code alone: a bug or a bad query is not waited out', () => {
    for (const code of [
      '23505',
      '42P01',
      '22P02',
      '53200',
      'ENOENT',
      'SQLITE_CONSTRAINT',
      '0800',
      '080000',
      '',
    ])
      expect(storageTroubleOf(code), code).toBeNull();
  });
});

describe('toHarkError', () => {
  it('turns PostgreSQL disk full into disk_full, retryable', () => {
    const error = toHarkError(driverError('53100', 'could not extend file'));
    expect(error).toMatchObject({ kind: 'disk_full', retryable: true });
    expect(error.message).toContain('could not extend file');
  });

  it('turns a lost or refused PostgreSQL connection into database_locked, saying the server is unavailable', () => {
    for (const code of ['57P01', '08006', 'ECONNREFUSED', '40P01']) {
      const error = toHarkError(driverError(code, 'terminating connection due to administrator command'));
      expect(error).toMatchObject({ kind: 'database_locked', retryable: true });
      expect(error.message).toMatch(/^The database server is unavailable for now: terminating/);
    }
  });

  it('still calls a SQLite lock a lock', () => {
    expect(toHarkError(driverError('SQLITE_BUSY')).message).toMatch(/locked by another process/);
  });

  it('keeps a named error as it is and makes anything else internal', () => {
    const named = new HarkError('not_found', 'gone');
    expect(toHarkError(named)).toBe(named);
    expect(toHarkError(driverError('23505'))).toMatchObject({ kind: 'internal' });
    expect(toHarkError('text')).toMatchObject({ kind: 'internal', message: 'text' });
    expect(toHarkError(null)).toMatchObject({ kind: 'internal' });
  });
});
