import { BatteryWatch } from './batteryWatch.js';
import { keepAwakeWhileWorking } from './keepAwake.js';
import { RetentionKeeper } from './retentionKeeper.js';
import { ScheduleKeeper } from './scheduleKeeper.js';
import type { HarkServices } from './services.js';
import { SleepGuard } from './sleepGuard.js';

export interface MachineRules {
  schedule: ScheduleKeeper;
  retention: RetentionKeeper;
  stop(): void;
}

/**
 * The rules between Hark and the machine it runs on, for the process that
 * runs the queue: the run schedule, retention, pausing on battery, and
 * keeping the machine awake while this process's worker transcribes.
 */
export async function startMachineRules(
  services: HarkServices,
  worker: { id: string; nextIdle: () => Promise<void> } | null,
): Promise<MachineRules> {
  const { queue, clock, config, log, events } = services;
  const stops: (() => void)[] = [];
  const schedule = new ScheduleKeeper(queue, clock, config.runWindows, {
    log: log.child({ part: 'schedule' }),
  });
  stops.push(() => schedule.stop());
  const retention = new RetentionKeeper(
    queue,
    clock,
    config.keepCompletedDays,
    log.child({ part: 'retention' }),
  );
  stops.push(() => retention.stop());
  try {
    await schedule.start();
    await retention.start();
    if (config.pauseOnBattery) {
      const battery = new BatteryWatch(queue, clock, {
        log: log.child({ part: 'power' }),
        ...(config.powerSupplyDir ? { root: config.powerSupplyDir } : {}),
      });
      stops.push(() => battery.stop());
      await battery.start();
    }
    if (config.keepAwake && worker) {
      const guard = new SleepGuard({
        log: log.child({ part: 'power' }),
        ...(config.inhibitCommand ? { command: config.inhibitCommand } : {}),
      });
      stops.push(
        keepAwakeWhileWorking({ events, clock, guard, workerId: worker.id, nextIdle: worker.nextIdle }),
      );
    }
  } catch (error) {
    for (const stop of stops) stop();
    throw error;
  }
  return {
    schedule,
    retention,
    stop: () => {
      for (const stop of stops.splice(0).reverse()) stop();
    },
  };
}
