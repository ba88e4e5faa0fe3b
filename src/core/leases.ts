import { backoffDelayMs } from './backoff.js';

/**
 * Leases (issue 10): a worker holds a processing task only until its lease runs out. It renews
 * the lease with every progress save and with a heartbeat; a node that stops renewing (it died,
 * or lost the database) loses the task to whichever node reclaims it first. The timings all
 * follow from one length, `--lease-seconds`, so that a worker renews several times before its
 * lease can lapse and a lapsed lease is noticed within half a lease.
 */

/** `--lease-seconds` when none is given. */
export const DEFAULT_LEASE_MS = 60_000;

/** When a lease taken or renewed at `now` runs out. */
export function leaseExpiry(now: number, leaseMs: number): number {
  return now + leaseMs;
}

/** Whether a lease running until `expiresAt` has lapsed at `now` (a task with none has not). */
export function leaseLapsed(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && expiresAt < now;
}

/** How often the holding worker renews its lease: four times a lease, so three lost heartbeats in a row are survived. */
export function heartbeatIntervalMs(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / 4));
}

/** How often a node looks for lapsed leases: twice a lease, so a dead node's task waits at most 1.5 leases. */
export function reclaimIntervalMs(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / 2));
}

/**
 * How tasks a dead process left `processing` come back, by store: on SQLite one machine holds
 * the instance lock, so at its start every processing task is abandoned (instant recovery); on
 * PostgreSQL other nodes may be working, so only lapsed leases say a task was abandoned.
 */
export function abandonedTaskRecovery(store: 'sqlite' | 'postgres'): 'at-start' | 'lapsed-leases' {
  return store === 'sqlite' ? 'at-start' : 'lapsed-leases';
}

/** The wait before reconnecting to the database after `failures` failed tries: 250 ms doubling, at most 5 s. */
export function reconnectDelayMs(failures: number): number {
  return backoffDelayMs(Math.max(1, failures), { baseMs: 250, capMs: 5_000 });
}
