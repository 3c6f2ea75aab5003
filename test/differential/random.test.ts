/**
 * The standing three-way differential (issue 17; random.ts): random well-typed formulas with random
 * records, Parlance against sformula and, where it is reliable, formulon. `npm test` runs a
 * fixed-seed slice (test/helpers/runs.ts); `npm run test:differential -- --count N` runs N formulas
 * (DIFF_COUNT) and prints the disagreement classes; DIFF_SEED changes the seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runs } from '../helpers/runs.js';
import { FORMULON_KNOWN_DIFFERENCES, formulonKnown } from './formulon-known.js';
import { judge, KNOWN_DIFFERENCES } from './harness.js';
import { RANDOM_DIFFERENCES, randomCase, verdictFor, type Engine, type RandomVerdict } from './random.js';

const COUNT = process.env.DIFF_COUNT !== undefined ? Number(process.env.DIFF_COUNT) : runs(1500);
const SEED = process.env.DIFF_SEED !== undefined ? Number(process.env.DIFF_SEED) : 20_261_206;
const EXPLORE = process.env.DIFF_EXPLORE !== undefined;

const sformulaKnown = (...args: Parameters<typeof judge>): string | undefined => {
  const v = judge(...args);
  return v.status === 'explained' ? v.id : undefined;
};

describe('three-way random differential: Parlance, sformula, formulon', () => {
  it(`${COUNT} random formulas (seed ${SEED}): every disagreement is explained`, () => {
    const tally: Record<Engine, Record<string, number>> = { sformula: {}, formulon: {} };
    const unexplained: string[] = [];
    mkdirSync('test/artifacts', { recursive: true });
    for (let i = 0; i < COUNT; i++) {
      const rc = randomCase(SEED, i);
      for (const engine of ['sformula', 'formulon'] as const) {
        const v: RandomVerdict = verdictFor(engine, rc, engine === 'sformula' ? sformulaKnown : formulonKnown);
        const key = v.status === 'explained' ? v.id : v.status;
        tally[engine][key] = (tally[engine][key] ?? 0) + 1;
        if (v.status === 'unexplained') unexplained.push(v.detail);
      }
    }
    if (process.env.DIFF_COUNT !== undefined || EXPLORE) {
      console.log(JSON.stringify({ count: COUNT, seed: SEED, tally }, null, 2));
      writeFileSync('test/artifacts/differential-random.json', `${JSON.stringify({ count: COUNT, seed: SEED, tally }, null, 2)}\n`);
    }
    if (EXPLORE) {
      const groups = new Map<string, string[]>();
      for (const u of unexplained) {
        const key = `${u.split(':')[0] as string} ${/alone: (\S+?)[( ]/.exec(u)?.[1] ?? '?'}`;
        groups.set(key, [...(groups.get(key) ?? []), u]);
      }
      console.log([...groups].map(([k, us]) => `${k}: ${us.length}`).join('\n'));
      writeFileSync('test/artifacts/differential-random-unexplained.txt', [...groups].map(([k, us]) => `== ${k}: ${us.length}\n${us.slice(0, 3).join('\n')}`).join('\n'));
    }
    expect(unexplained.slice(0, 3)).toEqual([]);
    // formulon is compared on part of the formulas only; make sure that part is not empty.
    expect(COUNT < 100 || (tally.formulon.agree ?? 0) > COUNT / 50).toBe(true);
  }, Math.max(60_000, COUNT * 25)); // about 4 ms a formula on a quiet machine; the margin is for a busy one

  it('every explained class names its reason and its evidence, once', () => {
    for (const list of [KNOWN_DIFFERENCES, FORMULON_KNOWN_DIFFERENCES, RANDOM_DIFFERENCES]) {
      const ids = list.map((k) => k.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const k of list) expect([k.id, k.reason.length > 20, k.source.length > 10]).toEqual([k.id, true, true]);
    }
  });
});
