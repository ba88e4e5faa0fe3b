/** What one entry of /sys/class/power_supply says (its `type`, `status` and `online` files). */
export interface PowerSupply {
  type: string;
  status?: string | undefined;
  online?: string | undefined;
}

/**
 * On battery: some mains adapter exists and none is online, or (no adapter
 * reported) a battery says it is discharging. A machine with no battery at
 * all, a desktop, is never on battery.
 */
export function onBattery(supplies: readonly PowerSupply[]): boolean {
  const mains = supplies.filter((s) => s.type === 'Mains' || s.type === 'USB');
  if (mains.some((s) => s.online?.trim() === '1')) return false;
  const batteries = supplies.filter((s) => s.type === 'Battery');
  if (batteries.length === 0) return false;
  if (mains.length > 0) return true;
  return batteries.some((s) => s.status?.trim() === 'Discharging');
}

/** The pause reason while on battery; the battery watch lifts only its own pause. */
export const BATTERY_REASON = 'on battery power';
