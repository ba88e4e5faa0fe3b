import { parseArgs } from 'node:util';
import { runSoak } from '../tests/soak/runSoak.js';
import { formatSummary } from '../tests/soak/summary.js';

/**
 * The crash soak (`npm run soak`): a generated notes library, Hark started
 * for real and SIGKILLed again and again, every invariant checked after each
 * restart and at the end. Same seed, same run: a failure can be replayed.
 *
 *   npm run soak -- [--files 200] [--kills 100] [--seed N] [--dir PATH] [--keep] [--quick]
 *
 * --quick is the short version's shape (one-sentence notes, shorter lives).
 */
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '200' },
    kills: { type: 'string', default: '100' },
    seed: { type: 'string' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const files = Number(values.files);
const kills = Number(values.kills);
if (![seed, files, kills].every(Number.isInteger) || files < 10 || kills < 1) {
  console.error('usage: npm run soak -- [--files N>=10] [--kills N>=1] [--seed N] [--dir PATH] [--keep]');
  process.exit(2);
}
console.error(`replay with: npm run soak -- --files ${files} --kills ${kills} --seed ${seed}`);
const report = await runSoak({
  files,
  kills,
  seed,
  ...(values.dir ? { dir: values.dir } : {}),
  keep: values.keep,
  quick: values.quick,
  log: (line) => console.error(line),
});
console.log(formatSummary(report));
const broken = report.lost.length + report.duplicates.length + report.violations.length;
process.exit(broken === 0 ? 0 : 1);
