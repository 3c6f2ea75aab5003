/**
 * Conformance goldens: test/golden/formulas/<family>.json. Each case gives a formula, its field
 * types, a record and the expected wire result, runtime error or compile diagnostics. Tags:
 * `blank` (a blank input), `error` (an error case), `doc` (a worked example from Salesforce's
 * documentation; `source` says where). UPDATE_GOLDEN=1 rewrites `expected` from actual output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compileFormula, createDefaultRegistry, type CompileOptions, type EvaluationContext } from '../../src/index.js';
import { jsonFiles, readJson, UPDATE_GOLDEN, writeJson } from '../helpers/golden.js';

interface GoldenCase {
  name?: string;
  formula: string;
  fields?: Record<string, unknown>;
  record?: Record<string, unknown>;
  options?: Omit<CompileOptions, 'fields'>;
  context?: Omit<EvaluationContext, 'record'>;
  tags?: string[];
  source?: string;
  expected: unknown;
}
interface GoldenFile {
  family: string;
  description?: string;
  cases: GoldenCase[];
}

const dir = new URL('./formulas/', import.meta.url).pathname;
const files = jsonFiles(dir);

function actual(c: GoldenCase): unknown {
  const f = compileFormula(c.formula, { ...c.options, fields: c.fields ?? {} });
  if (!f.ok) return { diagnostics: f.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.span.line, column: d.span.column })) };
  const r = f.evaluateToWire({ ...c.context, record: c.record ?? {} });
  return 'error' in r ? { error: { code: r.error.code, message: r.error.message } } : r;
}

for (const file of files) {
  const golden = readJson<GoldenFile>(file);
  describe(`golden ${golden.family}`, () => {
    for (const [i, c] of golden.cases.entries()) {
      it(`${c.name ?? c.formula} [${i}]`, () => {
        const got = actual(c);
        if (UPDATE_GOLDEN) c.expected = got;
        else expect(got).toEqual(c.expected);
      });
    }
    afterAll(() => {
      if (UPDATE_GOLDEN) writeJson(file, golden);
    });
  });
}

describe('golden coverage', () => {
  const cases = files.flatMap((f) => readJson<GoldenFile>(f).cases);
  const registry = createDefaultRegistry();
  const calls = (c: GoldenCase, name: string) => new RegExp(`(^|[^A-Za-z0-9_.$])${name}\\s*\\(`, 'i').test(c.formula);
  for (const name of registry.functionNames()) {
    it(`${name} has golden cases, including a blank case and an error case`, () => {
      const mine = cases.filter((c) => calls(c, name));
      expect(mine.length, `${name}: no golden case`).toBeGreaterThan(0);
      expect(mine.some((c) => c.tags?.includes('blank')), `${name}: no case tagged "blank"`).toBe(true);
      expect(mine.some((c) => c.tags?.includes('error')), `${name}: no case tagged "error"`).toBe(true);
    });
  }
});
