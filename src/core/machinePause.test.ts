import { describe, expect, it } from 'vitest';
import { decideMachinePause, isMachineReason, type MachineRuleState } from './machinePause.js';

const OUTSIDE = 'outside the schedule, next run at 22:00';
const BATTERY = 'on battery power';
const state = (outsideSchedule: string | null, onBattery: boolean): MachineRuleState => ({
  outsideSchedule,
  onBattery,
});
const paused = (reason: string) => ({ paused: true, reason });
const running = { paused: false, reason: null };

describe('the machine rules composed', () => {
  it('battery lifting outside the run window leaves the schedule’s pause', () => {
    expect(decideMachinePause(paused(BATTERY), state(OUTSIDE, false), state(OUTSIDE, true))).toEqual({
      action: 'pause',
      reason: OUTSIDE,
    });
  });

  it('the run window opening on battery leaves the battery’s pause', () => {
    expect(decideMachinePause(paused(OUTSIDE), state(null, true), state(OUTSIDE, true))).toEqual({
      action: 'pause',
      reason: BATTERY,
    });
  });

  it('lifts its pause only when no rule wants one', () => {
    expect(decideMachinePause(paused(BATTERY), state(null, false), state(null, true))).toEqual({
      action: 'resume',
    });
    expect(decideMachinePause(paused(OUTSIDE), state(null, false), state(OUTSIDE, false))).toEqual({
      action: 'resume',
    });
    expect(decideMachinePause(paused(BATTERY), state(OUTSIDE, true), state(OUTSIDE, true))).toEqual({
      action: 'none',
    });
  });

  it('the battery comes first when both hold, at start too', () => {
    expect(decideMachinePause(running, state(OUTSIDE, true), null)).toEqual({
      action: 'pause',
      reason: BATTERY,
    });
  });

  it('never touches a pause it did not make', () => {
    for (const reason of ['user', 'disk full']) {
      expect(decideMachinePause(paused(reason), state(null, false), state(OUTSIDE, true))).toEqual({
        action: 'none',
      });
      expect(decideMachinePause(paused(reason), state(OUTSIDE, true), null)).toEqual({ action: 'none' });
    }
  });

  it('pauses a running queue only at a rule’s edge: the user’s Resume outside the schedule holds', () => {
    expect(decideMachinePause(running, state(OUTSIDE, false), state(null, false))).toEqual({
      action: 'pause',
      reason: OUTSIDE,
    });
    expect(decideMachinePause(running, state(OUTSIDE, false), state(OUTSIDE, false))).toEqual({
      action: 'none',
    });
    expect(decideMachinePause(running, state(OUTSIDE, true), state(OUTSIDE, false))).toEqual({
      action: 'pause',
      reason: BATTERY,
    });
  });

  it('knows its own reasons', () => {
    expect([BATTERY, OUTSIDE, 'outside the schedule', 'user', null].map(isMachineReason)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
