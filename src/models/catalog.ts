import { readFileSync } from 'node:fs';
import { isEnglishOnlyModel } from '../core/languages.js';

/**
 * whisper.cpp's published ggml models. Sizes are the exact byte counts the
 * Hugging Face repository serves; SHA-1s are the ones whisper.cpp lists in its
 * models/README.md.
 *
 * The quantized models (q5_0 / q8_0 of medium and large-v3-turbo; small has no
 * q5_0 on Hugging Face, only q5_1, which whisper.cpp's download script offers):
 * - SHA-1: whisper.cpp's own model list on Hugging Face, the README of
 *   huggingface.co/ggerganov/whisper.cpp (commit fb5ed93, "Add quantized model
 *   sizes and hashes"; large-v3-turbo-q5_0's is also in models/README.md of
 *   github.com/ggml-org/whisper.cpp at 233fe1fc9b48a09e361d3594520838ca266537fe).
 *   The rows after small-q8_0 were read in a verbatim copy of that table (the
 *   stored page was cut there); every row that could be compared matches.
 * - SHA-256: each file's Git LFS object id, shown on its page at
 *   huggingface.co/ggerganov/whisper.cpp/blob/main/<file>.
 * - Size: the Git LFS pointer's `size` for that same SHA-256: ggerganov/whisper.cpp
 *   commit 98aa99a ("Add Whisper Large v3 Turbo") for large-v3-turbo-q5_0; for
 *   medium-q5_0, small-q8_0 and medium-q8_0, pointers with the identical object
 *   id in other Hugging Face repositories (the pages of ggerganov/whisper.cpp
 *   round the size to MB). For small-q5_1 and large-v3-turbo-q8_0 no pointer
 *   could be reached: their size is null, and the download takes it from the
 *   server's Content-Length / Content-Range and checks both hashes.
 */

export interface CatalogModel {
  /** As whisper.cpp names it: `base.en`, `large-v3`... The file is `ggml-<name>.bin`. */
  name: string;
  /** The exact byte count, or null where no source gives it: the server's Content-Length is checked instead. */
  sizeBytes: number | null;
  sha1: string;
  /** The Hugging Face Git LFS object id, where known: checked beside the SHA-1. */
  sha256?: string | undefined;
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
  // Quantized: smaller and faster on a laptop CPU, for a little accuracy (sources above).
  model(
    'small-q5_1',
    null,
    '6fe57ddcfdd1c6b07cdcc73aaf620810ce5fc771',
    'ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb',
  ),
  model(
    'small-q8_0',
    264_464_607,
    'bcad8a2083f4e53d648d586b7dbc0cd673d8afad',
    '49c8fb02b65e6049d5fa6c04f81f53b867b5ec9540406812c643f177317f779f',
  ),
  model(
    'medium-q5_0',
    539_212_467,
    '7718d4c1ec62ca96998f058114db98236937490e',
    '19fea4b380c3a618ec4723c3eef2eb785ffba0d0538cf43f8f235e7b3b34220f',
  ),
  model(
    'medium-q8_0',
    823_369_779,
    'e66645948aff4bebbec71b3485c576f3d63af5d6',
    '42a1ffcbe4167d224232443396968db4d02d4e8e87e213d3ee2e03095dea6502',
  ),
  model(
    'large-v3-turbo-q5_0',
    574_041_195,
    'e050f7970618a659205450ad97eb95a18d69c9ee',
    '394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2',
  ),
  model(
    'large-v3-turbo-q8_0',
    null,
    '01bf15bedffe9f39d65c1b6ff9b687ea91f59e0e',
    '317eb69c11673c9de1e1f0d459b253999804ec71ac4c23c17ecf5fbe24e259a1',
  ),
];

/** The model Hark uses when the user has not chosen one: fast on a laptop CPU, good on English. */
export const DEFAULT_MODEL = 'base.en';

export const DEFAULT_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

function model(name: string, sizeBytes: number | null, sha1: string, sha256?: string): CatalogModel {
  const multilingual = !isEnglishOnlyModel(name);
  // A quantized model shows its size class's hints: whisper.cpp documents its smaller disk and
  // memory, not a speed or accuracy figure to rank it by.
  const hints = HINTS[name.replace(/-q\d_\d$/, '').replace(/\.en$/, '')];
  return {
    name,
    sizeBytes,
    sha1,
    ...(sha256 ? { sha256 } : {}),
    multilingual,
    languages: multilingual ? 'multilingual' : 'en',
    ...hints,
  };
}

/**
 * A catalog from a JSON file (HARK_MODEL_CATALOG, a test switch): a list of
 * `{name, sizeBytes, sha1, sha256?}`, so tests can serve synthetic models and never the internet.
 */
export function loadCatalog(file: string | null): readonly CatalogModel[] {
  if (!file) return MODEL_CATALOG;
  const entries = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    sizeBytes: number | null;
    sha1: string;
    sha256?: string;
  }[];
  return entries.map((entry) => model(entry.name, entry.sizeBytes, entry.sha1, entry.sha256));
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
