import type { Log } from '../core/log.js';
import { decideMachinePause, type MachineRuleState } from '../core/machinePause.js';
import { BATTERY_REASON } from '../core/power.js';
import type { QueueManager } from '../queue/queueManager.js';

/**
 * The one place the machine rules pause and resume the queue: the schedule keeper and the
 * battery watch each report their own state here, and core's decideMachinePause decides from
 * both (a rule lifting its pause while another still holds leaves the other's pause). Reports
 * are applied one at a time, in order.
 */
export class MachinePause {
  private state: MachineRuleState = { outsideSchedule: null, onBattery: false };
  private applied: MachineRuleState | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: QueueManager,
    private readonly log: Log,
  ) {}

  /** A rule's new state; resolves once the queue's pause follows it. */
  report(part: Partial<MachineRuleState>): Promise<void> {
    this.state = { ...this.state, ...part };
    const run = this.chain.then(() => this.apply());
    this.chain = run.catch(() => {});
    return run;
  }

  private async apply(): Promise<void> {
    const now = this.state;
    const decision = decideMachinePause(await this.queue.getPause(), now, this.applied);
    if (decision.action === 'pause') {
      await this.queue.pause(decision.reason);
      this.log.info(
        decision.reason === BATTERY_REASON
          ? 'on battery power: background work waits until the machine is plugged in'
          : `${decision.reason}: background work waits (recordings are still transcribed)`,
      );
    } else if (decision.action === 'resume') {
      await this.queue.resume();
      this.log.info('no machine rule holds background work any more: it resumes');
    }
    this.applied = now;
  }
}
