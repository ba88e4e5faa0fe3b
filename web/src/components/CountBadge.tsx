export type BadgeTone = 'neutral' | 'accent' | 'success' | 'danger';

/** A count with its meaning, e.g. "12 pending". */
export function CountBadge({ count, label, tone }: { count: number; label: string; tone: BadgeTone }) {
  return (
    <span className={`badge badge--${tone}`} data-count={count}>
      <span className="badge__count">{count.toLocaleString()}</span> {label}
    </span>
  );
}
