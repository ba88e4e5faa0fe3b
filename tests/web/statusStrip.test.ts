import { describe, expect, it } from 'vitest';
import { type StripQueue, stripState } from '../../web/src/features/status/statusStrip.js';

const queue = (over: Partial<StripQueue>): StripQueue => ({
  pending_count: 11,
  processing_count: 1,
  is_paused: false,
  pause_reason: null,
  active_tasks: [],
  ...over,
});

describe('the status strip', () => {
  it('is absent when nothing is queued', () => {
    expect(stripState(queue({ pending_count: 0, processing_count: 0 }))).toBeNull();
  });

  it('counts the work and says the time left from the total estimate', () => {
    expect(stripState(queue({ eta_total_seconds: 180 }))).toEqual({
      work: '12 notes being transcribed',
      timeLeftSeconds: 180,
      pause: null,
      canResume: false,
    });
    expect(stripState(queue({ pending_count: 0, eta_total_seconds: null }))?.work).toBe(
      '1 note being transcribed',
    );
  });

  it('offers Resume for the user’s own pause and a rule, and only the reason for a fault', () => {
    expect(stripState(queue({ is_paused: true, pause_reason: 'user' }))).toMatchObject({
      pause: 'Paused by you',
      canResume: true,
      timeLeftSeconds: null,
    });
    // "12 notes being transcribed · about 3 min left · Paused by you — Resume"
    expect(
      stripState(queue({ is_paused: true, pause_reason: 'user', eta_total_seconds: 180 }))?.timeLeftSeconds,
    ).toBe(180);
    expect(
      stripState(queue({ is_paused: true, pause_reason: 'outside the schedule, next run at 22:00' })),
    ).toMatchObject({ pause: 'Paused: outside the schedule, next run at 22:00', canResume: true });
    expect(stripState(queue({ is_paused: true, pause_reason: 'disk full' }))).toMatchObject({
      pause: 'Paused: disk full',
      canResume: false,
    });
  });
});
