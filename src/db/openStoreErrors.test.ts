import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HarkError } from '../core/errors.js';
import { openStore, redactedUrl } from './openStore.js';

describe('opening a PostgreSQL store that is not there', () => {
  it('says so in one line with the URL, its password hidden', async () => {
    // A port nothing listens on: take one, then let it go.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const error = await openStore(`postgres://hark:hunter2@127.0.0.1:${port}/hark`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarkError);
    expect((error as HarkError).kind).toBe('store_unreachable');
    expect((error as HarkError).message).toMatch(
      new RegExp(
        `^Could not open the PostgreSQL store at postgres://hark:\\*\\*\\*@127\\.0\\.0\\.1:${port}/hark: .*ECONNREFUSED`,
      ),
    );
    expect((error as HarkError).message).not.toContain('\n');
    expect((error as HarkError).message).not.toContain('hunter2');
  });

  it('hides only the password of a URL', () => {
    expect(redactedUrl('postgres://u:p@h/db')).toBe('postgres://u:***@h/db');
    expect(redactedUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });
});
