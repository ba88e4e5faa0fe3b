import { describe, expect, it } from 'vitest';
import { rebaseDraft } from '../../web/src/features/settings/rebaseDraft.js';

describe('the Settings draft when the saved settings change', () => {
  const before = { keep_completed_days: 30, schedule: [] as string[], preempt: 'always' };

  it('takes the new saved values for every key the person has not touched', () => {
    const after = { ...before, keep_completed_days: 7, schedule: ['22:00-07:00'] };
    expect(rebaseDraft({ ...before }, before, after)).toEqual(after);
  });

  it('keeps an unsaved edit, and takes the other keys', () => {
    const draft = { ...before, preempt: 'never' };
    const after = { ...before, keep_completed_days: 7 };
    expect(rebaseDraft(draft, before, after)).toEqual({ ...after, preempt: 'never' });
  });

  it('starts from the saved values before there is a draft', () => {
    expect(rebaseDraft(null, null, before)).toEqual(before);
  });
});
