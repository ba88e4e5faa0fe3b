import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { BadRequest, EngineFailed } from '../core/errors.js';
import type { Segment } from '../core/types.js';
import { throwIfAborted } from './abortable.js';
import { fillPlaceholders, splitCommandLine, usesPlaceholder } from './commandLine.js';
import { runInProcessGroup } from './processGroup.js';
import { type ChunkRecognizer, type RecognizeOptions, SAMPLE_RATE } from './recognizer.js';
import { formatOfExtension, parseTranscript, type TranscriptFormat } from './transcriptFormats.js';
import { withWindowWav } from './wav.js';

export interface CommandRecognizerOptions {
  /**
   * The command, e.g. `whisper-cli -m ggml-base.en.bin -f {input} -oj -of {output}`.
   * `{input}` is a 16 kHz mono 16-bit wav of the window; `{output}` a path the
   * program may write its result to (with or without an extension of its
   * own). Without `{output}`, stdout is read.
   */
  template: string;
  /** How to read the output; `auto` (the default) guesses from the file's extension and content. */
  format?: TranscriptFormat | 'auto';
  /** A window that takes longer is killed (its whole process group) and fails. Default 600 s. */
  timeoutSeconds?: number;
  /** For logs and the database; default `command:<program name>`. */
  name?: string;
}

/**
 * Any external recogniser, run once per window: whisper.cpp's `whisper-cli`,
 * faster-whisper, a cloud CLI. It runs with `shell: false` in its own process
 * group, so a time-out or an abort kills it together with anything it
 * started.
 */
export class CommandRecognizer implements ChunkRecognizer {
  readonly name: string;
  private readonly words: string[];

  constructor(private readonly options: CommandRecognizerOptions) {
    this.words = splitCommandLine(options.template);
    const program = this.words[0];
    if (program === undefined) throw new BadRequest('The recogniser command is empty');
    if (!usesPlaceholder(this.words, 'input')) {
      throw new BadRequest(`The recogniser command must pass the audio as {input}: ${options.template}`);
    }
    this.name = options.name ?? `command:${basename(program)}`;
  }

  async recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    throwIfAborted(options.signal);
    const windowSeconds = samples.length / SAMPLE_RATE;
    return withWindowWav(samples, async (input, folder) => {
      const output = join(folder, 'output');
      const [program = '', ...args] = fillPlaceholders(this.words, { input, output });
      const result = await runInProcessGroup(program, args, {
        signal: options.signal,
        label: this.name,
        timeoutMs: (this.options.timeoutSeconds ?? 600) * 1000,
      });
      if (result.code !== 0) {
        const status =
          result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
        throw new EngineFailed(
          `${this.name} ${status}: ${result.stderrTail.at(-1) ?? 'it printed nothing on stderr'}`,
        );
      }
      const { content, format } = usesPlaceholder(this.words, 'output')
        ? await readOutputFile(folder, this.options.format ?? 'auto', this.name)
        : { content: result.stdout, format: this.options.format ?? 'auto' };
      return parseTranscript(content, format, windowSeconds);
    });
  }

  async dispose(): Promise<void> {
    // Nothing outlives a recognize() call.
  }
}

/**
 * Finds what the program wrote for `{output}`: the path itself, or the path
 * with an extension added (whisper-cli's `-of out -oj` writes `out.json`).
 */
async function readOutputFile(
  folder: string,
  format: TranscriptFormat | 'auto',
  name: string,
): Promise<{ content: string; format: TranscriptFormat | 'auto' }> {
  const written = (await readdir(folder)).filter((file) => file === 'output' || file.startsWith('output.'));
  const file = written.sort()[0];
  if (file === undefined) throw new EngineFailed(`${name} finished without writing its {output} file`);
  const content = await readFile(join(folder, file), 'utf8');
  return { content, format: format === 'auto' ? (formatOfExtension(extname(file)) ?? 'auto') : format };
}
