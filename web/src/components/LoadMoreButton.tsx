/** The next page of a long list; lists never fetch everything at once. */
export function LoadMoreButton({
  shown,
  total,
  loading,
  onClick,
  noun,
}: {
  shown: number;
  total: number | null;
  loading: boolean;
  onClick: () => void;
  noun: string;
}) {
  return (
    <div className="load-more">
      <button type="button" className="button" onClick={onClick} disabled={loading} aria-busy={loading}>
        {loading ? 'Loading…' : `Load more ${noun}`}
      </button>
      {total !== null ? (
        <span className="load-more__count">
          Showing {shown.toLocaleString()} of {total.toLocaleString()}
        </span>
      ) : null}
    </div>
  );
}
