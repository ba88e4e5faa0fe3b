import { afterEach, describe, expect, it } from 'vitest';
import { armCrashPoint, crashPoint, parseCrashPlan } from './crashPoints.js';

afterEach(() => armCrashPoint(null, () => {}));

describe('crash points', () => {
  it('reads <point>[:<n>], the first pass by default', () => {
    expect(parseCrashPlan(undefined)).toBeNull();
    expect(parseCrashPlan('')).toBeNull();
    expect(parseCrashPlan('commit')).toEqual({ point: 'commit', n: 1 });
    expect(parseCrashPlan('chunk:3')).toEqual({ point: 'chunk', n: 3 });
    expect(parseCrashPlan('chunk:zero')).toEqual({ point: 'chunk', n: 1 });
  });

  it('refuses a point that does not exist, rather than never firing', () => {
    expect(() => parseCrashPlan('comit:2')).toThrow(/no crash point.*"comit"/);
  });

  it('dies on the n-th pass of its own point only', () => {
    const deaths: string[] = [];
    armCrashPoint({ point: 'claim', n: 2 }, () => deaths.push('died'));
    crashPoint('claim');
    crashPoint('scan');
    expect(deaths).toEqual([]);
    crashPoint('claim');
    expect(deaths).toEqual(['died']);
    crashPoint('claim');
    expect(deaths).toEqual(['died']);
  });

  it('does nothing when disarmed, and counts afresh when armed again', () => {
    const deaths: number[] = [];
    armCrashPoint({ point: 'upload', n: 1 }, () => deaths.push(1));
    armCrashPoint(null, () => deaths.push(2));
    crashPoint('upload');
    expect(deaths).toEqual([]);
    armCrashPoint({ point: 'upload', n: 1 }, () => deaths.push(3));
    crashPoint('upload');
    expect(deaths).toEqual([3]);
  });
});
