import { describe, expect, it } from 'vitest';
import { isScheduleReason, parseRunWindows, scheduleAt, scheduleReason } from './schedule.js';

const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

describe('run windows', () => {
  it('parses one window, several, and none', () => {
    expect(parseRunWindows('22:00-07:00')).toEqual([{ start: at('22:00'), end: at('07:00') }]);
    expect(parseRunWindows(' 9:30-12:00 , 13:00-17:45')).toEqual([
      { start: at('09:30'), end: at('12:00') },
      { start: at('13:00'), end: at('17:45') },
    ]);
    expect(parseRunWindows(undefined)).toEqual([]);
    expect(parseRunWindows('  ')).toEqual([]);
  });

  it.each([
    ['22:00', /times like 22:00-07:00 \(got "22:00"\)|a start and an end/],
    ['25:00-07:00', /times like 22:00-07:00/],
    ['22:00-07:00-08:00', /a start and an end/],
    ['10:00-10:00', /starts and ends at the same time/],
    ['ten-eleven', /times like/],
  ])('refuses %s with a message', (value, message) => {
    expect(() => parseRunWindows(value)).toThrow(message);
  });

  it('is always open without windows', () => {
    expect(scheduleAt([], at('03:00'))).toEqual({ open: true, minutesToChange: null, nextStart: null });
  });

  it('a window over midnight: open late and early, closed in the day, and says when it opens', () => {
    const night = parseRunWindows('22:00-07:00');
    expect(scheduleAt(night, at('23:30'))).toMatchObject({ open: true, minutesToChange: 450 });
    expect(scheduleAt(night, at('06:59'))).toMatchObject({ open: true, minutesToChange: 1 });
    expect(scheduleAt(night, at('07:00'))).toEqual({ open: false, minutesToChange: 900, nextStart: '22:00' });
    expect(scheduleAt(night, at('21:59'))).toEqual({ open: false, minutesToChange: 1, nextStart: '22:00' });
  });

  it('several windows: the next change is the nearest edge, and overlapping windows merge', () => {
    const day = parseRunWindows('09:00-12:00,11:00-13:00,18:00-19:00');
    expect(scheduleAt(day, at('10:00'))).toMatchObject({ open: true, minutesToChange: 180 });
    expect(scheduleAt(day, at('14:00'))).toEqual({ open: false, minutesToChange: 240, nextStart: '18:00' });
    expect(scheduleAt(day, at('19:00'))).toEqual({ open: false, minutesToChange: 840, nextStart: '09:00' });
  });

  it('windows covering the whole day never change', () => {
    expect(scheduleAt(parseRunWindows('00:00-12:00,12:00-00:00'), at('05:00'))).toEqual({
      open: true,
      minutesToChange: null,
      nextStart: null,
    });
  });

  it('the pause reason says when the next run is, and is known by its prefix', () => {
    const reason = scheduleReason(scheduleAt(parseRunWindows('22:00-07:00'), at('12:00')));
    expect(reason).toBe('outside the schedule, next run at 22:00');
    expect(isScheduleReason(reason)).toBe(true);
    expect(isScheduleReason('user')).toBe(false);
    expect(isScheduleReason(null)).toBe(false);
  });
});
