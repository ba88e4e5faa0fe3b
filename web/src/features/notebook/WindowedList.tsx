import { type ReactNode, useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import {
  approachRange,
  type Measured,
  rowEstimate,
  type Span,
  spaceAround,
  windowRange,
} from './windowRange';

/** Rows of the margins added per frame at most (those in the viewport are added at once). */
const MAX_NEW_ROWS = 1;

/**
 * A long list that puts only the rows near the viewport in the DOM (the page
 * itself scrolls), so 10,000 notes cost what 20 do. Rows are measured as they
 * render; the rest are estimated. Near the end it asks for the next page.
 */
export function WindowedList<T extends { id: string }>({
  items,
  renderItem,
  estimate,
  label,
  busy,
  hasMore,
  onNearEnd,
}: {
  items: T[];
  renderItem: (item: T) => ReactNode;
  /** A row's height before any row was measured (px); then the mean of those measured. */
  estimate: number;
  label: string;
  busy: boolean;
  hasMore: boolean;
  onNearEnd: () => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  const heights = useRef(new Map<string, number>());
  const measured = useRef<Measured>({ total: 0, count: 0 });
  const [, remeasured] = useReducer((n: number) => n + 1, 0);
  const [view, setView] = useState({ scrollTop: 0, height: 800 });

  // Where the viewport is over the list, once a frame at most while scrolling.
  useLayoutEffect(() => {
    let frame = 0;
    const read = () => {
      frame = 0;
      const element = list.current;
      if (!element) return;
      const top = element.getBoundingClientRect().top;
      setView((old) =>
        old.scrollTop === -top && old.height === window.innerHeight
          ? old
          : { scrollTop: -top, height: window.innerHeight },
      );
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);

  // Each rendered row's height, kept by note id (a new note at the top shifts the indexes).
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => {
    observer.current = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const row = entry.target as HTMLElement;
        const id = row.dataset.rowId;
        const height = row.offsetHeight;
        const old = id ? heights.current.get(id) : undefined;
        if (id && height > 0 && old !== height) {
          heights.current.set(id, height);
          measured.current.total += height - (old ?? 0);
          if (old === undefined) measured.current.count++;
          changed = true;
        }
      }
      if (changed) remeasured();
    });
    return () => observer.current?.disconnect();
  }, []);
  const measure = useCallback((row: HTMLLIElement | null) => {
    if (!row) return;
    observer.current?.observe(row);
    return () => observer.current?.unobserve(row);
  }, []);

  const heightOf = (index: number) => {
    const item = items[index];
    return item ? heights.current.get(item.id) : undefined;
  };
  const rowHeight = rowEstimate(measured.current, estimate);
  const place = {
    count: items.length,
    heightOf,
    estimate: rowHeight,
    scrollTop: view.scrollTop,
    viewportHeight: view.height,
  };
  const target = windowRange({ ...place, overscan: 600 });
  const visible = windowRange({ ...place, overscan: 0 });
  // New rows of the margins come in one a frame (the viewport's at once): no frame lays out a screenful.
  const shown = useRef<Span | null>(null);
  const span = approachRange(shown.current, target, visible, MAX_NEW_ROWS);
  const range = { ...span, ...spaceAround(items.length, heightOf, rowHeight, span) };
  useLayoutEffect(() => {
    shown.current = span;
  });
  const short = span.start !== target.start || span.end !== target.end;
  useEffect(() => {
    if (!short) return;
    const frame = requestAnimationFrame(remeasured);
    return () => cancelAnimationFrame(frame);
  });

  const nearEnd = hasMore && target.end >= items.length - 5;
  useEffect(() => {
    if (nearEnd) onNearEnd();
  }, [nearEnd, onNearEnd]);

  const rows = items.slice(range.start, range.end);
  return (
    <ul
      ref={list}
      className="card-list card-list--windowed"
      aria-label={label}
      aria-busy={busy}
      data-rows-rendered={rows.length}
      style={{ paddingTop: range.before, paddingBottom: range.after }}
    >
      {rows.map((item, offset) => (
        <li
          key={item.id}
          ref={measure}
          data-row-id={item.id}
          aria-posinset={range.start + offset + 1}
          aria-setsize={hasMore ? -1 : items.length}
        >
          {renderItem(item)}
        </li>
      ))}
    </ul>
  );
}
