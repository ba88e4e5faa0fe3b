import { parseArgs } from 'node:util';
import { formatMultiNodeSummary, runMultiNodeSoak } from '../tests/soak/multiNode.js';
import { runSoak } from '../tests/soak/runSoak.js';
import { formatSummary } from '../tests/soak/summary.js';

/**
 * The crash soak (`npm run soak`): a generated notes library, Hark started
 * for real and SIGKILLed again and again, every invariant checked after each
 * restart and at the end. Same seed, same run: a failure can be replayed.
 *
 *   npm run soak -- [--files 200] [--kills 100] [--seed N] [--dir PATH] [--keep] [--quick] [--parallel N]
 *
 * --quick is the short version's shape (one-sentence notes, shorter lives); --parallel N starts
 * every life with `hark start --parallel N`.
 *
 * Several nodes on PostgreSQL (issue 10): a main node and workers on one shared notes folder,
 * random nodes SIGKILLed, the server restarted under them (a throw-away cluster of its own):
 *
 *   npm run soak -- --nodes 3 --store postgres [--files 100] [--kills 50] [--pg-restarts 2] [--reclaim restart-main|lease]
 */
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '200' },
    kills: { type: 'string', default: '100' },
    seed: { type: 'string' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    parallel: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '1' },
    store: { type: 'string', default: 'sqlite' },
    'pg-restarts': { type: 'string', default: '2' },
    reclaim: { type: 'string', default: 'lease' },
  },
});

if (values.nodes !== '1' || values.store !== 'sqlite') await multiNode();

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const files = Number(values.files);
const kills = Number(values.kills);
const parallel = Number(values.parallel);
if (![seed, files, kills, parallel].every(Number.isInteger) || files < 10 || kills < 1 || parallel < 1) {
  console.error(
    'usage: npm run soak -- [--files N>=10] [--kills N>=1] [--seed N] [--dir PATH] [--keep] [--parallel N>=1]',
  );
  process.exit(2);
}
const replay = `npm run soak -- --files ${files} --kills ${kills} --seed ${seed}`;
console.error(
  `replay with: ${replay}${values.quick ? ' --quick' : ''}${parallel > 1 ? ` --parallel ${parallel}` : ''}`,
);
const report = await runSoak({
  files,
  kills,
  seed,
  ...(values.dir ? { dir: values.dir } : {}),
  keep: values.keep,
  quick: values.quick,
  ...(parallel > 1 ? { parallel } : {}),
  log: (line) => console.error(line),
});
console.log(formatSummary(report));
const broken = report.lost.length + report.duplicates.length + report.violations.length;
process.exit(broken === 0 ? 0 : 1);

async function multiNode(): Promise<never> {
  const nodes = Number(values.nodes);
  const files = Number(values.files === '200' ? 100 : values.files);
  const kills = Number(values.kills === '100' ? 50 : values.kills);
  const pgRestarts = Number(values['pg-restarts']);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const reclaim = values.reclaim;
  if (
    values.store !== 'postgres' ||
    ![nodes, files, kills, pgRestarts, seed].every(Number.isInteger) ||
    nodes < 2 ||
    files < 10 ||
    (reclaim !== 'restart-main' && reclaim !== 'lease')
  ) {
    console.error(
      'usage: npm run soak -- --nodes N>=2 --store postgres [--files N] [--kills N] [--pg-restarts N] [--seed N] [--reclaim restart-main|lease]',
    );
    process.exit(2);
  }
  console.error(
    `replay with: npm run soak -- --nodes ${nodes} --store postgres --files ${files} --kills ${kills} --pg-restarts ${pgRestarts} --seed ${seed}`,
  );
  const report = await runMultiNodeSoak({
    nodes,
    files,
    kills,
    pgRestarts,
    seed,
    reclaim,
    ...(values.dir ? { dir: values.dir } : {}),
    keep: values.keep,
    quick: values.quick,
    log: (line) => console.error(line),
  });
  console.log(formatMultiNodeSummary(report));
  const broken = report.lost.length + report.duplicates.length + report.violations.length;
  process.exit(broken === 0 ? 0 : 1);
}
