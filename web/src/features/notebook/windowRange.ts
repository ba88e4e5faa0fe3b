/**
 * Which rows of a long list to put in the DOM: those in the viewport and a
 * margin around it. Rows have different heights (a card's text is folded or
 * not), so each row's measured height is used once known and an estimate
 * until then. No imports: the node tests load this file.
 */

export interface WindowInput {
  count: number;
  /** A row's measured height (px, its gap included), or undefined until measured: `estimate` is used. */
  heightOf: (index: number) => number | undefined;
  estimate: number;
  /** How far the viewport's top is below the list's top (px; negative while the list starts lower). */
  scrollTop: number;
  viewportHeight: number;
  /** Extra pixels rendered above and below the viewport, so a fast scroll does not show blanks. */
  overscan: number;
}

export interface WindowRange {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Space above the first rendered row (px). */
  before: number;
  /** Space below the last rendered row (px). */
  after: number;
}

export function windowRange(input: WindowInput): WindowRange {
  const { count, estimate, scrollTop, viewportHeight, overscan } = input;
  const top = scrollTop - overscan;
  const bottom = scrollTop + viewportHeight + overscan;
  const heightOf = (index: number) => input.heightOf(index) ?? estimate;
  let offset = 0;
  let start = 0;
  while (start < count && offset + heightOf(start) <= top) {
    offset += heightOf(start);
    start++;
  }
  const before = offset;
  let end = start;
  while (end < count && offset < bottom) {
    offset += heightOf(end);
    end++;
  }
  let after = 0;
  for (let index = end; index < count; index++) after += heightOf(index);
  return { start, end, before, after };
}

/** The rows measured so far: their heights' sum and how many. */
export interface Measured {
  total: number;
  count: number;
}

/**
 * The height to assume for a row not yet measured: the mean of those measured, else `fallback`.
 * A fixed guess that is off makes the list's length change with every row measured, and each
 * change is one more layout and paint while scrolling; the mean keeps it still.
 */
export function rowEstimate(measured: Measured, fallback: number): number {
  return measured.count > 0 ? Math.round(measured.total / measured.count) : fallback;
}

/** Rows [start, end) of a list. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The rows to render now, on the way from those rendered last (`shown`) to `target` (the
 * viewport and its margins): every row of `visible` (the viewport itself) at once, the rows
 * already shown that are still wanted, and at most `maxNew` more of the margins, nearest the
 * kept rows first. A scroll step that brings four new cards into the margins then costs a frame
 * a card (the first frame also has those the viewport needs) rather than one frame for all four.
 */
export function approachRange(shown: Span | null, target: Span, visible: Span, maxNew: number): Span {
  if (!shown) return target;
  let start = Math.max(shown.start, target.start);
  let end = Math.min(shown.end, target.end);
  if (start >= end) {
    start = visible.start;
    end = visible.end;
  }
  start = Math.min(start, visible.start);
  end = Math.max(end, visible.end);
  let budget = maxNew;
  while (budget > 0 && (end < target.end || start > target.start)) {
    if (end < target.end) {
      end++;
      budget--;
    }
    if (budget > 0 && start > target.start) {
      start--;
      budget--;
    }
  }
  return { start, end };
}

/** The space above and below rendered rows `span` (px), measured heights where known. */
export function spaceAround(
  count: number,
  heightOf: (index: number) => number | undefined,
  estimate: number,
  span: Span,
): { before: number; after: number } {
  let before = 0;
  for (let index = 0; index < span.start; index++) before += heightOf(index) ?? estimate;
  let after = 0;
  for (let index = span.end; index < count; index++) after += heightOf(index) ?? estimate;
  return { before, after };
}
