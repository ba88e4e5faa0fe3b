import type { Log } from '../../core/log.js';

/**
 * Ids come from the path normalised to NFC, so that one file named in either
 * form (as macOS may hand it over) is one transcription. On Linux both forms
 * can sit side by side as two files, and the second would be dropped without
 * a word by the database (same id): it is reported instead, for the user to
 * rename. One per scan; only paths that normalisation can change are looked
 * up in the database.
 */
export class NameTwins {
  /** Transcription id → path of everything this scan has taken so far. */
  private readonly ids = new Map<string, string>();

  constructor(
    /** The audio path the database has for a transcription id. */
    private readonly pathOf: (id: string) => Promise<string | undefined>,
    private readonly log?: Log,
  ) {}

  async without<T extends { transcriptionId: string; audioPath: string }>(
    items: T[],
    result: { skippedFiles: string[] },
  ): Promise<T[]> {
    const kept: T[] = [];
    for (const item of items) {
      const { transcriptionId: id, audioPath: path } = item;
      const twin = this.ids.get(id) ?? (/^[\x20-\x7e]*$/.test(path) ? undefined : await this.pathOf(id));
      if (twin !== undefined && twin !== path) {
        result.skippedFiles.push(path);
        this.log?.warn(
          `skipped ${path}: its name differs from ${twin} only in Unicode normalisation (the same ` +
            'letters, encoded differently), so Hark cannot tell them apart; rename one to have both transcribed',
        );
        continue;
      }
      this.ids.set(id, path);
      kept.push(item);
    }
    return kept;
  }
}
