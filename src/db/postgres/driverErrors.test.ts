import { describe, expect, it } from 'vitest';
import { toHarkError } from '../../core/errors.js';
import { CONNECTION_FAILURE, withSqlState, withSqlStates } from './driverErrors.js';

describe('withSqlState', () => {
  it('gives a connection pg saw break the SQLSTATE the server could not send', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'Client has encountered a connection error and is not queryable',
    ]) {
      const original = new Error(message);
      const error = withSqlState(original);
      expect(error).toMatchObject({ code: CONNECTION_FAILURE, message, cause: original });
      expect(toHarkError(error)).toMatchObject({ kind: 'database_locked', retryable: true });
    }
  });

  it('leaves errors with a code, and other errors, as they are', () => {
    const coded = Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    const bug = new TypeError('x is undefined');
    expect(withSqlState(coded)).toBe(coded);
    expect(withSqlState(bug)).toBe(bug);
    expect(withSqlState('text')).toBe('text');
  });

  it('wraps every method of a repository, results and this-free calls unchanged', async () => {
    const repository = withSqlStates({
      ok: async (n: number) => n + 1,
      lost: async () => {
        throw new Error('Connection terminated unexpectedly');
      },
    });
    expect(await repository.ok(1)).toBe(2);
    await expect(repository.lost()).rejects.toMatchObject({ code: CONNECTION_FAILURE });
  });
});
