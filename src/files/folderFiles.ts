import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FolderFile, foldersOf, parseFolderFile } from '../core/folderLanguage.js';

/** The name of a folder's own settings file: `{ "language": "de", "translate": false }`. */
export const FOLDER_FILE = '.hark.json';

/**
 * Reads the `.hark.json` of every folder a file is in, from the notes folder
 * down. A folder without one says nothing; a bad one throws with its reason.
 */
export async function readFolderFiles(notesRoot: string, relativePath: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  for (const folder of foldersOf(relativePath)) {
    let text: string;
    try {
      text = await readFile(join(notesRoot, folder, FOLDER_FILE), 'utf8');
    } catch {
      continue;
    }
    out.push(parseFolderFile(folder, text));
  }
  return out;
}
