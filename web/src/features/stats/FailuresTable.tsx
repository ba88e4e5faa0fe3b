import type { StatsJson } from './api';

/** Failures by kind over the chosen days, most common first. */
export function FailuresTable({ failures }: { failures: StatsJson['failures_by_kind'] }) {
  return (
    <section className="card stats__failures" aria-labelledby="stats-failures">
      <h3 id="stats-failures">Failures by kind</h3>
      {failures.length === 0 ? (
        <p className="stats__empty">No failures in these days.</p>
      ) : (
        <table className="stats__table">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {[...failures]
              .sort((a, b) => b.count - a.count)
              .map((f) => (
                <tr key={f.kind}>
                  <td>{f.kind.replaceAll('_', ' ')}</td>
                  <td>{f.count.toLocaleString()}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
