import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { casesRun, checkProperty, exploredCounts, MIN_CASES_PER_FUNCTION, statsJson, statsTable, type Property } from './harness.js';

/**
 * One family's differential suite: a test per property, then a check that every function of the
 * family ran at least MIN_CASES_PER_FUNCTION cases. With DIFF_REPORT=1 the statistics are printed
 * and written to test/artifacts/differential-<family>.json.
 */
export function familySuite(family: string, functions: readonly string[], properties: readonly Property[]): void {
  describe(`differential against sformula: ${family}`, () => {
    for (const p of properties) {
      it(p.name, () => checkProperty(p.name, p.arbitrary, p.runs));
    }

    it(`runs at least ${MIN_CASES_PER_FUNCTION} cases per function`, () => {
      const short = functions.filter((f) => casesRun(f) < MIN_CASES_PER_FUNCTION).map((f) => `${f}: ${casesRun(f)}`);
      expect(short).toEqual([]);
    });

    afterAll(() => {
      if (process.env.DIFF_EXPLORE !== undefined) console.log('unexplained per property', exploredCounts());
      if (process.env.DIFF_REPORT === undefined) return;
      console.log(`\n${family}\n${statsTable(functions)}`);
      mkdirSync('test/artifacts', { recursive: true });
      writeFileSync(`test/artifacts/differential-${family}.json`, `${JSON.stringify(statsJson(), null, 2)}\n`);
    });
  });
}
