import { type MouseEvent, memo, useEffect, useRef } from 'react';
import type { Segment } from '../../api/types';
import { formatClock } from '../../lib/format';

/**
 * The transcript as timestamped segments. A click on a segment seeks the
 * audio to it (on a word, where the engine gave word times, to that word);
 * the timestamp is the keyboard's way to do the same. The segment playing
 * is marked, and kept in view while the audio plays.
 */
export const SegmentList = memo(function SegmentList({
  segments,
  current,
  follow,
  seekable,
  onSeek,
}: {
  segments: Segment[];
  current: number;
  /** Scroll the current segment into view (while playing). */
  follow: boolean;
  /** False when there is no audio to move (audio missing). */
  seekable: boolean;
  onSeek: (seconds: number) => void;
}) {
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!follow || current < 0) return;
    const item = list.current?.children.item(current);
    item?.scrollIntoView({ block: 'nearest' });
  }, [current, follow]);

  const onClick = (event: MouseEvent<HTMLOListElement>) => {
    if (!seekable) return;
    // Selecting text to copy is not a seek.
    if (window.getSelection()?.toString()) return;
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-start]');
    const start = target?.dataset.start;
    if (start !== undefined) onSeek(Number(start));
  };

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: each segment's timestamp is a button that does the same from the keyboard
    <ol ref={list} className={`segments${seekable ? ' segments--seekable' : ''}`} onClick={onClick}>
      {segments.map((segment, index) => (
        <li
          // Segments are in time order and a note's list is replaced whole when it changes.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={index}
          className={`segment${index === current ? ' segment--current' : ''}`}
          data-start={segment.start}
          aria-current={index === current ? 'time' : undefined}
        >
          {seekable ? (
            <button
              type="button"
              className="segment__time"
              data-start={segment.start}
              data-seek=""
              aria-label={`Play from ${formatClock(segment.start)}`}
            >
              {formatClock(segment.start)}
            </button>
          ) : (
            <span className="segment__time">{formatClock(segment.start)}</span>
          )}
          <span className="segment__text">
            {segment.words && segment.words.length > 0
              ? segment.words.map((word, w) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: words are in time order and never move
                  <span key={w} className="word" data-start={word.start}>
                    {w > 0 && !/^[.,!?;:]/.test(word.text) && !/^\s/.test(word.text) ? ' ' : ''}
                    {word.text}
                  </span>
                ))
              : segment.text.trim()}
          </span>
        </li>
      ))}
    </ol>
  );
});
