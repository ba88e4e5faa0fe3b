#!/usr/bin/env node
import { HarkError } from '../core/errors.js';
import { type Command, runCommand } from './command.js';
import { doctorCommand } from './commands/doctor.js';
import { exportCommand } from './commands/export.js';
import { modelsCommand } from './commands/models.js';
import { editCommand, notesCommand, renameCommand, restoreCommand, rmCommand } from './commands/notes.js';
import { openCommand } from './commands/open.js';
import { pairCommand } from './commands/pair.js';
import {
  cancelCommand,
  clearCancelledCommand,
  clearCompletedCommand,
  moveToFrontCommand,
  pauseCommand,
  removeTaskCommand,
  resumeCommand,
  retryCommand,
} from './commands/queueActions.js';
import { scanCommand } from './commands/scan.js';
import { settingsCommand } from './commands/settings.js';
import { startCommand } from './commands/start.js';
import { statsCommand } from './commands/stats.js';
import { statusCommand } from './commands/status.js';
import { tasksCommand } from './commands/tasks.js';
import { transcribeCommand } from './commands/transcribe.js';
import { transcribeNowCommand } from './commands/transcribeNow.js';
import { workerCommand } from './commands/worker.js';

export const COMMANDS: Command[] = [
  startCommand,
  workerCommand,
  openCommand,
  pairCommand,
  scanCommand,
  statusCommand,
  tasksCommand,
  statsCommand,
  settingsCommand,
  pauseCommand,
  resumeCommand,
  retryCommand,
  cancelCommand,
  moveToFrontCommand,
  clearCompletedCommand,
  clearCancelledCommand,
  removeTaskCommand,
  notesCommand,
  renameCommand,
  editCommand,
  rmCommand,
  restoreCommand,
  exportCommand,
  transcribeCommand,
  transcribeNowCommand,
  modelsCommand,
  doctorCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: hark <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --notes DIR (HARK_NOTES_DIR), --data DIR (HARK_DATA_DIR) and --store URL',
    '(HARK_DATABASE_URL: a PostgreSQL queue shared by several machines). `hark <command> --help` for more.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`hark: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  try {
    return await runCommand(command, rest);
  } catch (error) {
    if (error instanceof HarkError) {
      process.stderr.write(`hark: ${error.message} [${error.kind}]\n`);
      return error.kind === 'bad_request' ? 2 : 1;
    }
    process.stderr.write(`hark: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*[\\/]/, ''));
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`hark: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
