/**
 * A longer fuzz run (`npm run fuzz`): the properties of test/fuzz/ with more inputs, a new seed, or
 * for a given time, through vitest. `npm test` runs the same properties with the fixed seed and
 * the default counts (about 20,000 inputs).
 *
 *   npm run fuzz -- [--count N | --seconds S] [--seed N] [--collect] [--only formulas|templates|components|http]
 *
 * --count N     inputs per property
 * --seconds S   run each property for S seconds instead (fast-check stops between two inputs)
 * --seed N      the seed (default: a new random one, printed first, so a failure can be replayed)
 * --collect     don't stop at the first failure: list every kind of failure seen, with one input
 * --only F      one family (a test file of test/fuzz/)
 *
 * With neither --count nor --seconds, runs the npm test counts with a new seed.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run fuzz -- [--count N | --seconds S] [--seed N] [--collect] [--only formulas|templates|components|http]\n';
let values;
try {
  ({ values } = parseArgs({
    options: {
      count: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      collect: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  process.stderr.write(`fuzz: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const positiveInteger = (name) => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    process.stderr.write(`fuzz: --${name} must be a positive whole number (got ${raw})\n${USAGE}`);
    process.exit(2);
  }
  return Number(raw);
};
const count = positiveInteger('count');
const seconds = positiveInteger('seconds');
if (count !== undefined && seconds !== undefined) {
  process.stderr.write(`fuzz: give --count or --seconds, not both\n${USAGE}`);
  process.exit(2);
}
const FAMILIES = ['formulas', 'templates', 'components', 'http'];
if (values.only !== undefined && !FAMILIES.includes(values.only)) {
  process.stderr.write(`fuzz: --only must be one of ${FAMILIES.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const seed = positiveInteger('seed') ?? randomInt(1, 2 ** 31);

const env = { ...process.env, PARLANCE_FUZZ_SEED: String(seed) };
if (count !== undefined) env.PARLANCE_FUZZ_COUNT = String(count);
if (seconds !== undefined) env.PARLANCE_FUZZ_SECONDS = String(seconds);
if (values.collect) env.PARLANCE_FUZZ_COLLECT = '1';

const files = (values.only === undefined ? FAMILIES : [values.only]).map((f) => `test/fuzz/${f}.test.ts`);
// No per-test time limit for a long run: the properties are bounded by count or by --seconds.
const timeout = seconds !== undefined ? (seconds * 4 + 300) * 1000 : 24 * 3600 * 1000;
process.stdout.write(`fuzz: seed ${seed}${count !== undefined ? `, ${count} inputs per property` : ''}${seconds !== undefined ? `, ${seconds} s per property` : ''}${values.collect ? ', collecting failures' : ''} (replay: npm run fuzz -- --seed ${seed}${count !== undefined ? ` --count ${count}` : ''})\n`);
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const r = spawnSync(process.execPath, [vitest, 'run', ...files, '--testTimeout', String(timeout), '-t', 'fuzzing'], { stdio: 'inherit', env, cwd: fileURLToPath(new URL('..', import.meta.url)) });
process.exit(r.status ?? 1);
