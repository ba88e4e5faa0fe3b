import { describe, expect, it } from 'vitest';
import { matchesTaskFilter, NO_FILTER } from '../../web/src/features/queue/taskFilter.js';

const task = { display_name: 'Meeting with Ana.mp3', status: 'pending' };

describe('the task filter', () => {
  it('shows everything without a filter', () => {
    expect(matchesTaskFilter(task, NO_FILTER)).toBe(true);
  });

  it('matches part of the name in any case, and the status', () => {
    expect(matchesTaskFilter(task, { name: ' ana ', status: 'all' })).toBe(true);
    expect(matchesTaskFilter(task, { name: 'bob', status: 'all' })).toBe(false);
    expect(matchesTaskFilter(task, { name: '', status: 'pending' })).toBe(true);
    expect(matchesTaskFilter(task, { name: 'ana', status: 'failed' })).toBe(false);
  });
});
