import { parseRunWindows } from '../core/schedule.js';
import type { SettingsValues } from '../core/settings.js';
import { BatteryWatch } from './batteryWatch.js';
import { keepAwakeWhileWorking } from './keepAwake.js';
import { MachinePause } from './machinePause.js';
import { ScheduleKeeper } from './scheduleKeeper.js';
import type { HarkServices } from './services.js';
import type { SettingsService } from './settings.js';
import { SleepGuard } from './sleepGuard.js';

export interface MachineRules {
  schedule: ScheduleKeeper;
  stop(): void;
}

/**
 * The rules between Hark and the machine it runs on, for the process that
 * runs the queue: the run schedule, pausing on battery, and
 * keeping the machine awake while this process's worker transcribes.
 */
export async function startMachineRules(
  services: HarkServices,
  worker: { id: string; nextIdle: () => Promise<void> } | null,
  /** The saved settings, when Hark has them: the schedule is read from them and follows their changes. */
  settings: SettingsService | null = null,
): Promise<MachineRules> {
  const { queue, clock, config, log } = services;
  const stops: (() => void)[] = [];
  // One decision from both rules: a pause one lifts stays while the other holds.
  const rules = new MachinePause(queue, log.child({ part: 'machine' }));
  const schedule = new ScheduleKeeper(queue, clock, config.runWindows, {
    log: log.child({ part: 'schedule' }),
    rules,
  });
  stops.push(() => schedule.stop());
  try {
    await schedule.start();
    if (settings) {
      const windowsOf = (values: SettingsValues) => parseRunWindows(values.schedule.join(','));
      await schedule.setWindows(windowsOf(settings.values()));
      stops.push(
        settings.onChange((values, changed) => {
          if (changed.includes('schedule')) void schedule.setWindows(windowsOf(values));
        }),
      );
    }
    if (config.pauseOnBattery) {
      const battery = new BatteryWatch(queue, clock, {
        log: log.child({ part: 'power' }),
        rules,
        ...(config.powerSupplyDir ? { root: config.powerSupplyDir } : {}),
      });
      stops.push(() => battery.stop());
      await battery.start();
    }
    if (worker) stops.push(startKeepAwake(services, worker));
  } catch (error) {
    for (const stop of stops) stop();
    throw error;
  }
  return {
    schedule,
    stop: () => {
      for (const stop of stops.splice(0).reverse()) stop();
    },
  };
}

/**
 * Keeps the machine awake while this process's worker transcribes (unless
 * --no-keep-awake): on the main node and on worker nodes alike, each for its own work.
 */
export function startKeepAwake(
  services: HarkServices,
  worker: { id: string; nextIdle: () => Promise<void> },
): () => void {
  const { config, log, events, clock } = services;
  if (!config.keepAwake) return () => {};
  const guard = new SleepGuard({
    log: log.child({ part: 'power' }),
    ...(config.inhibitCommand ? { command: config.inhibitCommand } : {}),
  });
  return keepAwakeWhileWorking({ events, clock, guard, workerId: worker.id, nextIdle: worker.nextIdle });
}
