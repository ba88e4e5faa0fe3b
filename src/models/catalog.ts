import { readFileSync } from 'node:fs';
import { isEnglishOnlyModel } from '../core/languages.js';

/**
 * whisper.cpp's published ggml models. Sizes are the exact byte counts the
 * Hugging Face repository serves; SHA-1s are the ones whisper.cpp lists in its
 * models/README.md.
 *
 * Quantized models are not here yet, for want of exact sizes: the downloader
 * checks the byte count before the SHA-1. whisper.cpp's own list
 * (models/README.md and models/download-ggml-model.sh of
 * github.com/ggml-org/whisper.cpp at 233fe1fc9b48a09e361d3594520838ca266537fe)
 * gives a SHA-1 with only a rounded size for large-v3-turbo-q5_0
 * (e050f7970618a659205450ad97eb95a18d69c9ee, "547 MiB"), large-v3-q5_0 and
 * large-v2-q5_0, and names alone (no hash, no size) for small-q5_1, small-q8_0,
 * medium-q5_0, medium-q8_0 and large-v3-turbo-q8_0 (there is no small-q5_0).
 */

export interface CatalogModel {
  /** As whisper.cpp names it: `base.en`, `large-v3`... The file is `ggml-<name>.bin`. */
  name: string;
  sizeBytes: number;
  sha1: string;
  /** False for the English-only `.en` models. */
  multilingual: boolean;
  /** What the model hears: English only (`.en` models), or whisper's every language. */
  languages: 'en' | 'multilingual';
  /** Rough hints for choosing, 1 (slow, rough) to 5 (fast, accurate), from whisper.cpp's and OpenAI's own tables. */
  speed?: number;
  accuracy?: number;
}

/**
 * Speed and accuracy by model size, relative to each other: OpenAI's whisper
 * README gives the relative speeds (tiny ~10x, base ~7x, small ~4x, medium ~2x,
 * large 1x, turbo ~8x) and word error rates falling with size; turbo is close
 * to large-v3 in accuracy.
 */
const HINTS: Record<string, { speed: number; accuracy: number }> = {
  tiny: { speed: 5, accuracy: 1 },
  base: { speed: 4, accuracy: 2 },
  small: { speed: 3, accuracy: 3 },
  medium: { speed: 2, accuracy: 4 },
  'large-v3': { speed: 1, accuracy: 5 },
  'large-v3-turbo': { speed: 3, accuracy: 5 },
};

export const MODEL_CATALOG: readonly CatalogModel[] = [
  model('tiny.en', 77_704_715, 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df'),
  model('tiny', 77_691_713, 'bd577a113a864445d4c299885e0cb97d4ba92b5f'),
  model('base.en', 147_964_211, '137c40403d78fd54d454da0f9bd998f78703390c'),
  model('base', 147_951_465, '465707469ff3a37a2b9b8d8f89f2f99de7299dac'),
  model('small.en', 487_614_201, 'db8a495a91d927739e50b3fc1cc4c6b8f6c2d022'),
  model('small', 487_601_967, '55356645c2b361a969dfd0ef2c5a50d530afd8d5'),
  model('medium.en', 1_533_774_781, '8c30f0e44ce9560643ebd10bbe50cd20eafd3723'),
  model('medium', 1_533_763_059, 'fd9727b6e1217c2f614f9b698455c4ffd82463b4'),
  model('large-v3', 3_095_033_483, 'ad82bf6a9043ceed055076d0fd39f5f186ff8062'),
  model('large-v3-turbo', 1_624_555_275, '4af2b29d7ec73d781377bfd1758ca957a807e941'),
];

/** The model Hark uses when the user has not chosen one: fast on a laptop CPU, good on English. */
export const DEFAULT_MODEL = 'base.en';

export const DEFAULT_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

function model(name: string, sizeBytes: number, sha1: string): CatalogModel {
  const multilingual = !isEnglishOnlyModel(name);
  const hints = HINTS[name.replace(/\.en$/, '')];
  return { name, sizeBytes, sha1, multilingual, languages: multilingual ? 'multilingual' : 'en', ...hints };
}

/**
 * A catalog from a JSON file (HARK_MODEL_CATALOG, a test switch): a list of
 * `{name, sizeBytes, sha1}`, so tests can serve synthetic models and never the internet.
 */
export function loadCatalog(file: string | null): readonly CatalogModel[] {
  if (!file) return MODEL_CATALOG;
  const entries = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    sizeBytes: number;
    sha1: string;
  }[];
  return entries.map((entry) => model(entry.name, entry.sizeBytes, entry.sha1));
}

export function catalogModel(name: string, catalog: readonly CatalogModel[] = MODEL_CATALOG) {
  return catalog.find((entry) => entry.name === name);
}

export function modelFileName(name: string): string {
  return `ggml-${name}.bin`;
}

/** Where to download a model from: the option, else $HARK_MODEL_BASE_URL, else Hugging Face. */
export function modelUrl(name: string, baseUrl?: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = baseUrl ?? env.HARK_MODEL_BASE_URL ?? DEFAULT_BASE_URL;
  return `${base.replace(/\/+$/, '')}/${modelFileName(name)}`;
}
