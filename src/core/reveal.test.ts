import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, type RevealRequest, revealDecision } from './reveal.js';

const here: RevealRequest = {
  overTls: false,
  remoteAddress: '127.0.0.1',
  credential: 'browser',
  hasOpener: true,
};

describe('Show in folder', () => {
  it('opens the folder for a person at this machine with an opener installed', () => {
    expect(revealDecision(here)).toEqual({ open: true });
    expect(revealDecision({ ...here, remoteAddress: '::1', credential: 'secret' })).toEqual({ open: true });
    expect(revealDecision({ ...here, remoteAddress: '::ffff:127.0.0.1', credential: 'none' })).toEqual({
      open: true,
    });
  });

  it('gives the path instead to a paired phone, the LAN listener, another address, or no opener', () => {
    for (const request of [
      { ...here, credential: 'device' as const },
      { ...here, overTls: true },
      { ...here, remoteAddress: '192.168.1.20' },
      { ...here, remoteAddress: undefined },
    ]) {
      expect(revealDecision(request)).toMatchObject({
        open: false,
        reason: expect.stringMatching(/not on this device/),
      });
    }
    expect(revealDecision({ ...here, hasOpener: false })).toMatchObject({
      open: false,
      reason: expect.stringMatching(/xdg-open/),
    });
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '1127.0.0.1', ''].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
