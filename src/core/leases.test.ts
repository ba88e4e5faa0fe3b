import { describe, expect, it } from 'vitest';
import {
  abandonedTaskRecovery,
  DEFAULT_LEASE_MS,
  heartbeatIntervalMs,
  leaseExpiry,
  leaseLapsed,
  reclaimIntervalMs,
  reconnectDelayMs,
} from './leases.js';

describe('leases', () => {
  it('lapse only after their last millisecond, and a task with none never lapses', () => {
    const expires = leaseExpiry(1_000, DEFAULT_LEASE_MS);
    expect(expires).toBe(61_000);
    expect(leaseLapsed(expires, 61_000)).toBe(false);
    expect(leaseLapsed(expires, 61_001)).toBe(true);
    expect(leaseLapsed(null, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('are renewed four times a lease and looked for twice a lease', () => {
    expect(heartbeatIntervalMs(60_000)).toBe(15_000);
    expect(reclaimIntervalMs(60_000)).toBe(30_000);
    expect(heartbeatIntervalMs(2_000)).toBe(500);
    // Never a zero-length timer, however short the lease.
    expect(heartbeatIntervalMs(1)).toBe(1);
    expect(reclaimIntervalMs(1)).toBe(1);
  });

  it('recover at start on SQLite (one machine) and by lapsed leases on PostgreSQL', () => {
    expect(abandonedTaskRecovery('sqlite')).toBe('at-start');
    expect(abandonedTaskRecovery('postgres')).toBe('lapsed-leases');
  });

  it('reconnect after 250 ms, doubling, at most 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(reconnectDelayMs)).toEqual([
      250, 500, 1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
    expect(reconnectDelayMs(0)).toBe(250);
  });
});
