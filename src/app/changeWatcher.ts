/**
 * Notices commits made by other processes (a `hark pause` typed in another
 * terminal) by polling SQLite's data_version, which changes only when another
 * connection commits. One cheap pragma every tenth of a second; no disk reads.
 */
export class ChangeWatcher {
  private timer: NodeJS.Timeout | null = null;
  private last = -1;
  private checking = false;

  constructor(
    private readonly store: { dataVersion(): Promise<number> },
    private readonly onChange: () => Promise<void> | void,
    private readonly intervalMs = 100,
  ) {}

  async start(): Promise<void> {
    this.last = await this.store.dataVersion();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const version = await this.store.dataVersion();
      if (version !== this.last) {
        this.last = version;
        await this.onChange();
      }
    } catch {
      // the database is busy or closing; the next tick tries again
    } finally {
      this.checking = false;
    }
  }
}
