// No imports: the node tests load this file.

/**
 * The draft after Hark's settings changed (a save here, or one made elsewhere and pushed by the
 * event stream): every key the person has not touched takes the new value; an unsaved edit stays.
 */
export function rebaseDraft<Draft extends object>(
  draft: Draft | null,
  before: Draft | null,
  after: Draft,
): Draft {
  if (!draft || !before) return after;
  const out: Draft = { ...after };
  for (const key of Object.keys(after) as (keyof Draft)[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(before[key])) out[key] = draft[key];
  }
  return out;
}
