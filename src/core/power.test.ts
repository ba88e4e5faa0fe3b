import { describe, expect, it } from 'vitest';
import { onBattery } from './power.js';

describe('on battery', () => {
  it('a laptop unplugged is on battery; plugged in it is not', () => {
    const battery = { type: 'Battery', status: 'Discharging\n' };
    expect(onBattery([{ type: 'Mains', online: '0\n' }, battery])).toBe(true);
    expect(
      onBattery([
        { type: 'Mains', online: '1\n' },
        { type: 'Battery', status: 'Charging' },
      ]),
    ).toBe(false);
  });

  it('no adapter listed: the battery status decides', () => {
    expect(onBattery([{ type: 'Battery', status: 'Discharging' }])).toBe(true);
    expect(onBattery([{ type: 'Battery', status: 'Full' }])).toBe(false);
  });

  it('a desktop (no battery, or nothing at all) is never on battery', () => {
    expect(onBattery([])).toBe(false);
    expect(onBattery([{ type: 'Mains', online: '0' }])).toBe(false);
  });

  it('any online adapter means mains, USB-C included', () => {
    expect(
      onBattery([
        { type: 'Mains', online: '0' },
        { type: 'USB', online: '1' },
        { type: 'Battery', status: 'Discharging' },
      ]),
    ).toBe(false);
  });
});
