import { BATTERY_REASON } from './power.js';
import { isScheduleReason } from './schedule.js';

/** What the machine rules say now: the schedule's pause reason while outside its windows, and the power. */
export interface MachineRuleState {
  /** "outside the schedule, next run at 22:00" while outside every run window; null inside one or with none. */
  outsideSchedule: string | null;
  /** On battery power, with --pause-on-battery (false without it). */
  onBattery: boolean;
}

export type MachinePauseDecision =
  | { action: 'none' }
  | { action: 'pause'; reason: string }
  | { action: 'resume' };

/** Whether a pause is one the machine rules made (and so may lift or re-word), not the user's or a fault's. */
export function isMachineReason(reason: string | null): boolean {
  return reason === BATTERY_REASON || isScheduleReason(reason);
}

/**
 * The machine rules composed: what the queue's pause should become, from every rule at once.
 * The battery comes first (it can lift at any moment, the schedule's next run is known), then
 * the schedule. A pause the rules made is lifted only when no rule wants one, and is re-worded
 * to the rule that still holds (the battery pause lifting outside the run window leaves the
 * schedule's pause, not a running queue). A pause the rules did not make (the user's, a fault's)
 * is never touched. A running queue is paused only when a rule newly wants it (at its edge), so a
 * user's Resume outside the schedule ("run now") holds until a rule changes again.
 */
export function decideMachinePause(
  pause: { paused: boolean; reason: string | null },
  now: MachineRuleState,
  before: MachineRuleState | null,
): MachinePauseDecision {
  const wanted = now.onBattery ? BATTERY_REASON : now.outsideSchedule;
  if (pause.paused) {
    if (!isMachineReason(pause.reason)) return { action: 'none' };
    if (wanted === null) return { action: 'resume' };
    return wanted === pause.reason ? { action: 'none' } : { action: 'pause', reason: wanted };
  }
  const edge =
    (now.onBattery && before?.onBattery !== true) ||
    (now.outsideSchedule !== null && (before === null || before.outsideSchedule === null));
  return edge && wanted !== null ? { action: 'pause', reason: wanted } : { action: 'none' };
}
