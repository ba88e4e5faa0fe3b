/**
 * What `npm test` runs before the tests: the type checks (Node code and web UI), the lint and the
 * build (dist/ and the UI), side by side rather than one after another. Each is single-threaded
 * for most of its time, so on two cores this takes about half as long as `npm run typecheck &&
 * npm run lint && npm run build`, and it checks exactly the same things.
 *
 *   npx tsx scripts/checks.ts
 *
 * The build's compile skips its own type check (`--noCheck`: the same JavaScript, emitted without
 * checking again what `tsc -p .` checks beside it, src/ included); `npm run build` on its own
 * still checks. Each step's output is printed when it ends; the exit code is non-zero if any failed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Step {
  name: string;
  /** Commands run one after another (a step's later command needs its earlier one). */
  commands: string[][];
}

const STEPS: Step[] = [
  { name: 'typecheck (Node)', commands: [['tsc', '-p', '.']] },
  { name: 'typecheck (web)', commands: [['tsc', '-p', 'web']] },
  { name: 'lint', commands: [['biome', 'check', '.']] },
  {
    name: 'build',
    commands: [
      ['tsc', '-p', 'tsconfig.build.json', '--noCheck'],
      ['vite', 'build', 'web', '--logLevel', 'warn'],
    ],
  },
];

interface Outcome {
  ok: boolean;
  output: string;
}

function run(command: string[]): Promise<Outcome> {
  const [program = '', ...args] = command;
  return new Promise((resolve) => {
    // The project's own binary, as an npm script would run it.
    const child = spawn(`${ROOT}node_modules/.bin/${program}`, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) => resolve({ ok: false, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

async function runStep(step: Step): Promise<boolean> {
  const started = performance.now();
  let output = '';
  let ok = true;
  for (const command of step.commands) {
    const outcome = await run(command);
    output += outcome.output;
    if (!outcome.ok) {
      ok = false;
      break;
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${ok ? '✓' : '✗'} ${step.name} (${seconds} s)\n${output}`);
  return ok;
}

const results = await Promise.all(STEPS.map(runStep));
if (results.includes(false)) {
  process.stderr.write('checks failed\n');
  process.exitCode = 1;
}
