/**
 * Answers kept until anything they depend on changes. A page of the queue
 * status costs from a millisecond (50 tasks) to over ten (500) to read and
 * serialise, and is asked for far more often than the queue changes (page
 * loads, list refreshes, every open tab's event stream), so it is computed
 * once per change (see queueStatus.ts). Every change to the queue or the
 * recording state is an event that clears the whole cache; changes made by
 * other processes arrive as the same events (through the data_version
 * watcher). The running task's progress is not such a change: it is filled
 * in fresh on every answer.
 */
export class StatusCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  private readonly companions = new Map<string, StatusCache<unknown>>();
  private generation = 0;

  constructor(private readonly maxEntries = 64) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    // A computation that fails, or that raced with a change, is not kept.
    value.then(
      () => {
        if (generation !== this.generation) this.entries.delete(key);
      },
      () => this.entries.delete(key),
    );
    return value;
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
    for (const companion of this.companions.values()) companion.invalidate();
  }

  /**
   * A cache of another kind of answer, cleared with this one: what every page shares (the
   * queue's totals) is computed once per change, not once per page asked for.
   */
  companion<U>(name: string): StatusCache<U> {
    let companion = this.companions.get(name);
    if (!companion) {
      companion = new StatusCache<unknown>(this.maxEntries);
      this.companions.set(name, companion);
    }
    return companion as StatusCache<U>;
  }
}
