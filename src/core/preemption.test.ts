import { describe, expect, it } from 'vitest';
import {
  effectivePreemptScope,
  encodeSharedRecording,
  parseSharedRecording,
  type SharedRecording,
  yieldsToRecording,
} from './preemption.js';

const main: SharedRecording = { state: 'Recording', node: 'laptop:10:t0', host: 'laptop', since: 5 };

describe('cross-node pre-emption', () => {
  it('stops the nodes of the recording machine by default, every node with scope all', () => {
    const sameMachine = { node: 'laptop:20:t1', host: 'laptop' };
    const otherMachine = { node: 'desktop:30:t2', host: 'desktop' };
    expect(yieldsToRecording(main, sameMachine, 'machine')).toBe(true);
    expect(yieldsToRecording(main, otherMachine, 'machine')).toBe(false);
    expect(yieldsToRecording(main, otherMachine, 'all')).toBe(true);
  });

  it('never stops the recording node through the database (its own state does), nor anyone once idle', () => {
    expect(yieldsToRecording(main, { node: main.node, host: 'laptop' }, 'all')).toBe(false);
    expect(yieldsToRecording({ ...main, state: 'Idle' }, { node: 'x:1:t', host: 'laptop' }, 'all')).toBe(
      false,
    );
    expect(yieldsToRecording(null, { node: 'x:1:t', host: 'laptop' }, 'all')).toBe(false);
    // Transcribing the recording in the foreground still counts as busy.
    expect(
      yieldsToRecording({ ...main, state: 'Processing' }, { node: 'x:1:t', host: 'laptop' }, 'machine'),
    ).toBe(true);
  });

  it('reads back what it wrote, and nothing from a value it did not write', () => {
    expect(parseSharedRecording(encodeSharedRecording(main))).toEqual(main);
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
