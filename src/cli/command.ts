import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type HarkConfig, OPTION_SPECS, type RawOptions, resolveConfig } from '../app/config.js';
import { armCrashPoint } from '../core/crashPoints.js';
import { BadRequest } from '../core/errors.js';

type OptionConfig = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Options this command declared, and the shared ones, as parsed. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  config: () => HarkConfig;
  out: (text: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: OptionConfig;
  run(ctx: CommandContext): Promise<number | undefined> | number | undefined;
}

const SHARED_OPTIONS: OptionConfig = Object.fromEntries(
  Object.entries(OPTION_SPECS).map(([name, spec]) => [name, { type: spec.type }]),
);

/** Parses argv for `command` (shared options plus its own) and runs it. */
export async function runCommand(command: Command, argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...SHARED_OPTIONS, ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new BadRequest(`${(error as Error).message}\nusage: ${command.usage}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  let config: HarkConfig | null = null;
  const ctx: CommandContext = {
    values,
    positionals: parsed.positionals,
    config: () => {
      if (config === null) {
        config = resolveConfig(values as RawOptions);
        // This process's crash-point switch (a test switch, see core/crashPoints.ts).
        armCrashPoint(config.crashAt, () => process.kill(process.pid, 'SIGKILL'));
      }
      return config;
    },
    out: (text) => process.stdout.write(`${text}\n`),
  };
  return (await command.run(ctx)) ?? 0;
}

/** A positional task id, checked. */
export function taskIdArg(ctx: CommandContext, usage: string): number {
  const raw = ctx.positionals[0];
  const id = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(id) || id <= 0) throw new BadRequest(`usage: ${usage}`);
  return id;
}
