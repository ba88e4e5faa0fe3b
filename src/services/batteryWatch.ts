import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { onBattery, type PowerSupply } from '../core/power.js';
import type { QueueManager } from '../queue/queueManager.js';
import { MachinePause } from './machinePause.js';

const CHECK_EVERY_MS = 60_000;

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Reads every power supply under `root` (normally /sys/class/power_supply); none when the folder is absent. */
export async function readPowerSupplies(root: string): Promise<PowerSupply[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const supplies = await Promise.all(
    names.map(async (name) => {
      const dir = join(root, name);
      const type = (await readOptional(join(dir, 'type')))?.trim();
      if (!type) return null;
      return {
        type,
        status: await readOptional(join(dir, 'status')),
        online: await readOptional(join(dir, 'online')),
      };
    }),
  );
  return supplies.filter((s): s is NonNullable<typeof s> => s !== null);
}

/**
 * `--pause-on-battery`: looks at the power supplies once a minute; on battery
 * it pauses background work (reason "on battery power"), on mains again it
 * lifts that pause. Like the schedule, it acts only when the power changes
 * and never lifts a pause the machine rules did not make (MachinePause decides
 * with the schedule: plugged in outside the run window, the queue stays paused). Recordings are not affected.
 */
export class BatteryWatch {
  private cancelTimer: (() => void) | null = null;
  private stopped = false;
  private last: boolean | null = null;

  constructor(
    queue: QueueManager,
    private readonly clock: Clock,
    private readonly options: {
      log: Log;
      root?: string;
      /** Where the machine rules' pause is decided from all of them (its own when alone). */
      rules?: MachinePause;
    },
  ) {
    this.rules = options.rules ?? new MachinePause(queue, options.log);
  }

  private readonly rules: MachinePause;

  async start(): Promise<void> {
    await this.check();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  async check(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped) return;
    try {
      const battery = onBattery(await readPowerSupplies(this.options.root ?? '/sys/class/power_supply'));
      if (battery !== this.last) await this.apply(battery);
      this.last = battery;
    } catch (error) {
      this.options.log.warn(`could not apply the battery rule: ${(error as Error).message}`);
    }
    if (!this.stopped) this.cancelTimer = this.clock.setTimer(CHECK_EVERY_MS, () => void this.check());
  }

  /** The pause itself is decided with the other machine rules (core/machinePause.ts). */
  private async apply(battery: boolean): Promise<void> {
    await this.rules.report({ onBattery: battery });
  }
}
