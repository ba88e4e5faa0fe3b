import { BadRequest } from './errors.js';

/**
 * The languages whisper knows, code and name, in whisper.cpp's own order (its
 * language ids): g_lang in src/whisper.cpp of github.com/ggml-org/whisper.cpp
 * at commit 233fe1fc9b48a09e361d3594520838ca266537fe.
 */
export const WHISPER_LANGUAGES: readonly (readonly [code: string, name: string])[] = [
  ['en', 'english'],
  ['zh', 'chinese'],
  ['de', 'german'],
  ['es', 'spanish'],
  ['ru', 'russian'],
  ['ko', 'korean'],
  ['fr', 'french'],
  ['ja', 'japanese'],
  ['pt', 'portuguese'],
  ['tr', 'turkish'],
  ['pl', 'polish'],
  ['ca', 'catalan'],
  ['nl', 'dutch'],
  ['ar', 'arabic'],
  ['sv', 'swedish'],
  ['it', 'italian'],
  ['id', 'indonesian'],
  ['hi', 'hindi'],
  ['fi', 'finnish'],
  ['vi', 'vietnamese'],
  ['he', 'hebrew'],
  ['uk', 'ukrainian'],
  ['el', 'greek'],
  ['ms', 'malay'],
  ['cs', 'czech'],
  ['ro', 'romanian'],
  ['da', 'danish'],
  ['hu', 'hungarian'],
  ['ta', 'tamil'],
  ['no', 'norwegian'],
  ['th', 'thai'],
  ['ur', 'urdu'],
  ['hr', 'croatian'],
  ['bg', 'bulgarian'],
  ['lt', 'lithuanian'],
  ['la', 'latin'],
  ['mi', 'maori'],
  ['ml', 'malayalam'],
  ['cy', 'welsh'],
  ['sk', 'slovak'],
  ['te', 'telugu'],
  ['fa', 'persian'],
  ['lv', 'latvian'],
  ['bn', 'bengali'],
  ['sr', 'serbian'],
  ['az', 'azerbaijani'],
  ['sl', 'slovenian'],
  ['kn', 'kannada'],
  ['et', 'estonian'],
  ['mk', 'macedonian'],
  ['br', 'breton'],
  ['eu', 'basque'],
  ['is', 'icelandic'],
  ['hy', 'armenian'],
  ['ne', 'nepali'],
  ['mn', 'mongolian'],
  ['bs', 'bosnian'],
  ['kk', 'kazakh'],
  ['sq', 'albanian'],
  ['sw', 'swahili'],
  ['gl', 'galician'],
  ['mr', 'marathi'],
  ['pa', 'punjabi'],
  ['si', 'sinhala'],
  ['km', 'khmer'],
  ['sn', 'shona'],
  ['yo', 'yoruba'],
  ['so', 'somali'],
  ['af', 'afrikaans'],
  ['oc', 'occitan'],
  ['ka', 'georgian'],
  ['be', 'belarusian'],
  ['tg', 'tajik'],
  ['sd', 'sindhi'],
  ['gu', 'gujarati'],
  ['am', 'amharic'],
  ['yi', 'yiddish'],
  ['lo', 'lao'],
  ['uz', 'uzbek'],
  ['fo', 'faroese'],
  ['ht', 'haitian creole'],
  ['ps', 'pashto'],
  ['tk', 'turkmen'],
  ['nn', 'nynorsk'],
  ['mt', 'maltese'],
  ['sa', 'sanskrit'],
  ['lb', 'luxembourgish'],
  ['my', 'myanmar'],
  ['bo', 'tibetan'],
  ['tl', 'tagalog'],
  ['mg', 'malagasy'],
  ['as', 'assamese'],
  ['tt', 'tatar'],
  ['haw', 'hawaiian'],
  ['ln', 'lingala'],
  ['ha', 'hausa'],
  ['ba', 'bashkir'],
  ['jw', 'javanese'],
  ['su', 'sundanese'],
  ['yue', 'cantonese'],
];

const CODES = new Set(WHISPER_LANGUAGES.map(([code]) => code));

/** A whisper language code, or `auto`: detect it per window (multilingual models only). */
export type LanguageChoice = string;

export function isWhisperLanguage(code: string): boolean {
  return CODES.has(code);
}

/**
 * Reads `--language`: `auto`, a whisper code, or a language's English name
 * ("German" → `de`). Undefined stays undefined (the engine's default applies).
 */
export function parseLanguage(value: string | undefined): LanguageChoice | undefined {
  if (value === undefined) return undefined;
  const wanted = value.trim().toLowerCase();
  if (wanted === 'auto' || CODES.has(wanted)) return wanted;
  const byName = WHISPER_LANGUAGES.find(([, name]) => name === wanted);
  if (byName) return byName[0];
  throw new BadRequest(
    `--language must be auto or a language code whisper knows (got "${value}"): ${[...CODES].join(', ')}`,
  );
}

/** What a language request is checked against: the engine, and for whisper the model's name. */
export interface LanguageTarget {
  engine: 'whisper' | 'pocketsphinx' | 'other';
  /** The whisper model's name, e.g. `base.en` or `large-v3-turbo-q5_0`. */
  modelName?: string;
  /** What the loaded model says of itself, when known; otherwise the name decides. */
  multilingual?: boolean;
}

export interface LanguagePlan {
  /** What the engine is asked for: a code, or `auto`. */
  language: LanguageChoice;
  translate: boolean;
}

/** `base.en`, `small.en-q5_1`, `medium.en-q5_0`: whisper.cpp's English-only models. */
export function isEnglishOnlyModel(modelName: string): boolean {
  return /\.en(?:$|[-_.])/.test(modelName);
}

/** The multilingual model of the same size: `base.en` → `base`, `small.en-q5_1` → `small-q5_1`. */
export function multilingualCounterpart(modelName: string): string {
  return modelName.replace(/\.en(?=$|[-_.])/, '');
}

/**
 * Decides the language and task an engine runs with, or says why the
 * combination cannot work, before any audio is touched: an English-only model
 * or pocketsphinx hears English and nothing else, and cannot translate.
 * Defaults: English for English-only engines, detection for multilingual models.
 */
export function planLanguage(
  requested: { language?: LanguageChoice | undefined; translate?: boolean | undefined },
  target: LanguageTarget,
): LanguagePlan {
  const translate = requested.translate === true;
  const language = requested.language;
  if (language !== undefined && language !== 'auto' && !isWhisperLanguage(language)) {
    throw new BadRequest(`unknown language "${language}": whisper knows ${[...CODES].join(', ')}`);
  }
  if (target.engine === 'pocketsphinx') {
    if ((language !== undefined && language !== 'en') || translate) {
      throw new BadRequest(
        `pocketsphinx is English-only: it cannot hear ${describe(language)}${translate ? ' or translate' : ''}; use whisper with a multilingual model (hark models pull base)`,
      );
    }
    return { language: 'en', translate: false };
  }
  if (target.engine === 'other') return { language: language ?? 'auto', translate };
  const name = target.modelName ?? 'this model';
  const englishOnly = target.multilingual === undefined ? isEnglishOnlyModel(name) : !target.multilingual;
  if (!englishOnly) return { language: language ?? 'auto', translate };
  if ((language !== undefined && language !== 'en') || translate) {
    const suggestion = isEnglishOnlyModel(name) ? multilingualCounterpart(name) : 'base';
    throw new BadRequest(
      `the whisper model ${name} is English-only: it cannot ${translate ? 'translate' : `hear ${describe(language)}`}; use the multilingual model ${suggestion} (hark models pull ${suggestion}, then --model-name ${suggestion})`,
    );
  }
  return { language: 'en', translate: false };
}

function describe(language: LanguageChoice | undefined): string {
  if (language === undefined || language === 'auto') return 'other languages (auto)';
  const name = WHISPER_LANGUAGES.find(([code]) => code === language)?.[1];
  return name ? `${name} (${language})` : language;
}
