import { describe, expect, it } from 'vitest';
import {
  effectivePreemptScope,
  encodeSharedRecording,
  parseSharedRecording,
  type SharedRecording,
  sharedRecordingFor,
  yieldsToRecording,
} from './preemption.js';

const main: SharedRecording = {
  state: 'Recording',
  node: 'laptop:10:t0',
  host: 'laptop',
  since: 5,
  expiresAt: null,
};
const NOW = 1_000;

describe('cross-node pre-emption', () => {
  it('stops the nodes of the recording machine by default, every node with scope all', () => {
    const sameMachine = { node: 'laptop:20:t1', host: 'laptop' };
    const otherMachine = { node: 'desktop:30:t2', host: 'desktop' };
    expect(yieldsToRecording(main, sameMachine, 'machine', NOW)).toBe(true);
    expect(yieldsToRecording(main, otherMachine, 'machine', NOW)).toBe(false);
    expect(yieldsToRecording(main, otherMachine, 'all', NOW)).toBe(true);
  });

  it('never stops the recording node through the database (its own state does), nor anyone once idle', () => {
    expect(yieldsToRecording(main, { node: main.node, host: 'laptop' }, 'all', NOW)).toBe(false);
    expect(yieldsToRecording({ ...main, state: 'Idle' }, { node: 'x:1:t', host: 'laptop' }, 'all', NOW)).toBe(
      false,
    );
    expect(yieldsToRecording(null, { node: 'x:1:t', host: 'laptop' }, 'all', NOW)).toBe(false);
    // Transcribing the recording in the foreground still counts as busy.
    expect(
      yieldsToRecording({ ...main, state: 'Processing' }, { node: 'x:1:t', host: 'laptop' }, 'machine', NOW),
    ).toBe(true);
  });

  it('stops yielding once the recording node has not renewed its record for a lease (it died and stayed down)', () => {
    const neighbour = { node: 'laptop:20:t1', host: 'laptop' };
    const shared = sharedRecordingFor('Recording', { node: main.node, host: 'laptop' }, NOW, 60_000);
    expect(shared.expiresAt).toBe(NOW + 60_000);
    expect(yieldsToRecording(shared, neighbour, 'machine', NOW + 59_999)).toBe(true);
    expect(yieldsToRecording(shared, neighbour, 'machine', NOW + 60_000)).toBe(false);
    // Idle never lapses (there is nothing to hold), and a record of an older Hark has no expiry.
    expect(sharedRecordingFor('Idle', neighbour, NOW, 60_000).expiresAt).toBeNull();
    expect(yieldsToRecording(main, neighbour, 'machine', Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('reads back what it wrote, and nothing from a value it did not write', () => {
    expect(parseSharedRecording(encodeSharedRecording(main))).toEqual(main);
    const renewed = { ...main, expiresAt: 61_000 };
    expect(parseSharedRecording(encodeSharedRecording(renewed))).toEqual(renewed);
    // A record written before expiries existed reads as one that never lapses.
    expect(
      parseSharedRecording('{"state":"Recording","node":"a:1:t","host":"a","since":1}')?.expiresAt,
    ).toBeNull();
    expect(parseSharedRecording(null)).toBeNull();
    expect(parseSharedRecording('Recording')).toBeNull();
    expect(parseSharedRecording('{"state":"Recording"}')).toBeNull();
  });

  it('takes the flag, else a valid saved setting, else machine', () => {
    expect(effectivePreemptScope('all', 'machine')).toBe('all');
    expect(effectivePreemptScope(null, 'all')).toBe('all');
    expect(effectivePreemptScope(null, 'everything')).toBe('machine');
    expect(effectivePreemptScope(null, null)).toBe('machine');
  });
});
