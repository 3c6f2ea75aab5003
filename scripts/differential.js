// The standing three-way differential (test/differential/random.test.ts) on more formulas than
// `npm test` runs: `npm run test:differential -- --count 20000 [--seed N]`. It prints the
// disagreement classes with their counts and writes them to test/artifacts/differential-random.json.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' }, seed: { type: 'string' } } });
for (const [name, v] of Object.entries(values)) {
  if (v !== undefined && !/^\d+$/.test(v)) {
    console.error(`--${name} must be a whole number, received ${v}`);
    process.exit(2);
  }
}
const env = { ...process.env, DIFF_COUNT: values.count, ...(values.seed !== undefined ? { DIFF_SEED: values.seed } : {}) };
const r = spawnSync('npx', ['vitest', 'run', 'test/differential/random.test.ts'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
