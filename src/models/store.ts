import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequest } from '../core/errors.js';
import { type CatalogModel, catalogModel, DEFAULT_MODEL, MODEL_CATALOG, modelFileName } from './catalog.js';

/** Installed models live in `<dataDir>/models/ggml-<name>.bin`; downloads in progress beside them as `.part`. */
export function modelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

export function modelPath(name: string, dataDir: string): string {
  assertModelName(name);
  return join(modelsDir(dataDir), modelFileName(name));
}

export function partialPath(name: string, dataDir: string): string {
  return `${modelPath(name, dataDir)}.part`;
}

export interface ModelListing {
  name: string;
  path: string;
  installed: boolean;
  /** Bytes on disk when installed, else the download's size (null for a file Hark does not know). */
  sizeBytes: number | null;
  /** Bytes of an unfinished download waiting to be resumed (0 when none). */
  partialBytes: number;
  /** In the catalog (rather than a ggml file the user put in the models folder). */
  known: boolean;
  multilingual: boolean | null;
}

/** Every catalog model, installed or not, and any other ggml model found in the models folder. */
export function listModels(
  dataDir: string,
  catalog: readonly CatalogModel[] = MODEL_CATALOG,
): ModelListing[] {
  const known = catalog.map((entry) => listing(entry.name, dataDir, entry));
  const others = installedNames(dataDir)
    .filter((name) => !catalogModel(name, catalog))
    .map((name) => listing(name, dataDir, undefined));
  return [...known, ...others];
}

function listing(name: string, dataDir: string, entry: CatalogModel | undefined): ModelListing {
  const path = modelPath(name, dataDir);
  const installedBytes = fileSize(path);
  return {
    name,
    path,
    installed: installedBytes !== null,
    sizeBytes: installedBytes ?? entry?.sizeBytes ?? null,
    partialBytes: fileSize(partialPath(name, dataDir)) ?? 0,
    known: entry !== undefined,
    multilingual: entry?.multilingual ?? (name.endsWith('.en') ? false : null),
  };
}

function installedNames(dataDir: string): string[] {
  if (!existsSync(modelsDir(dataDir))) return [];
  return readdirSync(modelsDir(dataDir))
    .map((file) => /^ggml-(.+)\.bin$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined && isModelName(name));
}

function fileSize(path: string): number | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}

/** Deletes an installed model and any unfinished download of it. True if there was something to delete. */
export function removeModel(name: string, dataDir: string): boolean {
  const paths = [modelPath(name, dataDir), partialPath(name, dataDir)].filter((path) => existsSync(path));
  for (const path of paths) rmSync(path, { force: true });
  return paths.length > 0;
}

export interface ResolveModelOptions {
  /** An explicit model file (`--model PATH`): used as it is. */
  modelPath?: string | undefined;
  dataDir: string;
  /** A model by name (`--model-name base.en`): used if installed. */
  name?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/**
 * The model file to transcribe with, or null when there is none. An explicit
 * path wins, then $HARK_MODEL (a path, or the name of an installed model),
 * then the named model, then the default model, then the first installed one.
 */
export function resolveModel(options: ResolveModelOptions): string | null {
  if (options.modelPath) return options.modelPath;
  const fromEnv = (options.env ?? process.env).HARK_MODEL;
  if (fromEnv) {
    const installed = isModelName(fromEnv) ? installedPath(fromEnv, options.dataDir) : null;
    return installed ?? fromEnv;
  }
  if (options.name) return installedPath(options.name, options.dataDir);
  const fallback = [DEFAULT_MODEL, ...installedNames(options.dataDir).sort(byCatalogOrder)];
  for (const name of fallback) {
    const path = installedPath(name, options.dataDir);
    if (path) return path;
  }
  return null;
}

function installedPath(name: string, dataDir: string): string | null {
  const path = modelPath(name, dataDir);
  return fileSize(path) !== null ? path : null;
}

/** Catalog models first, in catalog order; other files after, by name. */
function byCatalogOrder(a: string, b: string): number {
  const rank = (name: string) => {
    const index = MODEL_CATALOG.findIndex((entry) => entry.name === name);
    return index === -1 ? MODEL_CATALOG.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function isModelName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

/** Model names become file names: nothing that could leave the models folder. */
function assertModelName(name: string): void {
  if (!isModelName(name)) throw new BadRequest(`Not a model name: ${JSON.stringify(name)}`);
}
