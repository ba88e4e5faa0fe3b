import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Log } from '../core/log.js';
import { isHidden } from '../core/orphans.js';
import { within } from './confine.js';

/** One folder of the notes folder, as listed. */
export interface FolderListing {
  /** The folder, relative to the notes folder ('' is the folder itself), '/'-separated. */
  folder: string;
  /** Its regular files that are not hidden, by name. */
  files: string[];
  /** Every name in it (hidden ones too): what a file's sidecar is looked up in. Built when first asked. */
  names(): ReadonlySet<string>;
}

/** What a walk could not enter, said as it goes. */
export interface WalkReport {
  directories: number;
  /** Folders that could not be read (permissions), relative to the notes folder. */
  unreadable: string[];
  /** Links skipped: loops, or pointing outside the notes folder. */
  skippedLinks: string[];
}

/**
 * Lists every folder of the notes folder once, by real path, so a link that
 * loops back ends the walk there. Linked folders are followed only when they
 * lead inside the notes folder, and only after every real one is read, so a
 * file is named by its real path; linked files are never listed (inside the
 * folder they are found under their real name, outside it they are not
 * Hark's to read). Synchronous reads (much faster than the thread pool for
 * many small calls); paths built by string (path.join costs more than the reads).
 */
export function* walkTree(root: string, report: WalkReport, log?: Log): Generator<FolderListing> {
  const rootReal = realpathSync(root);
  const visited = new Set<string>([rootReal]);
  // Folders to read: [path relative to the notes folder, real path].
  const stack: [string, string][] = [['', rootReal]];
  const linked: string[] = [];
  while (stack.length > 0 || linked.length > 0) {
    let next = stack.pop();
    if (next === undefined) {
      const link = linked.pop() as string;
      const real = firstVisit(`${root}/${link}`, visited);
      if (real === null) {
        report.skippedLinks.push(link);
        continue;
      }
      next = [link, real];
    }
    const [folder, realDir] = next;
    const dir = folder === '' ? root : `${root}/${folder}`;
    const entries = readDirectory(dir, folder, report, log);
    if (!entries) continue;
    report.directories++;
    const files: string[] = [];
    for (const entry of entries) {
      const name = entry.name;
      if (isHidden(name)) continue;
      const path = folder === '' ? name : `${folder}/${name}`;
      if (entry.isDirectory()) {
        // A real folder's real path is its parent's plus its name: no need to ask the OS.
        const real = `${realDir}/${name}`;
        if (visited.has(real)) continue;
        visited.add(real);
        stack.push([path, real]);
      } else if (entry.isSymbolicLink()) {
        if (leadsToFolderInside(`${dir}/${name}`, rootReal)) linked.push(path);
        else report.skippedLinks.push(path);
      } else if (entry.isFile()) {
        files.push(name);
      }
    }
    let names: Set<string> | null = null;
    yield { folder, files, names: () => (names ??= new Set(entries.map((entry) => entry.name))) };
  }
}

function readDirectory(dir: string, folder: string, report: WalkReport, log?: Log): Dirent[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const shown = folder || '.';
    report.unreadable.push(shown);
    log?.warn(`skipped unreadable folder ${shown}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    return null;
  }
}

function leadsToFolderInside(path: string, rootReal: string): boolean {
  try {
    const real = realpathSync(path);
    return within(rootReal, real) && statSync(real).isDirectory();
  } catch {
    return false; // dangling
  }
}

/** Each folder is entered once, by real path. */
function firstVisit(path: string, visited: Set<string>): string | null {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null;
  }
  if (visited.has(real)) return null;
  visited.add(real);
  return real;
}
