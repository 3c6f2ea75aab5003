/**
 * Generated evaluation code (src/formula/compile/codegen.ts) against the closures it replaces,
 * the reference: every formula of the corpora the tests have (the benchmark's formulas and
 * records, the golden cases, the random well-typed formulas of the three-way differential, the
 * valid formulas of the parser property tests) compiled both ways gives identical wire results,
 * evaluation results, errors with their spans and budget charges, with a roomy budget and with
 * tight ones. Then: texts that must never reach the generated source, formulas too big or too
 * deep to generate, `new Function` refused (a page's Content Security Policy), and tiering.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FORMULAS } from '../../bench/formulas.js';
import { Budget, createDefaultRegistry, defineFunction, FormulaEngine, type CompileOptions, type EvaluationContext } from '../../src/index.js';
import { MAX_GENERATED_NODES, recheckGeneration } from '../../src/formula/compile/codegen.js';
import { internalsOf, type CompiledFormula } from '../../src/formula/formula.js';
import { TIER_UP_RUNS } from '../../src/formula/compile/compile.js';
import { FIELDS, randomCase } from '../differential/random.js';
import { jsonFiles, readJson } from '../helpers/golden.js';
import { runs } from '../helpers/runs.js';
import { noisy, options as parserOptions, record as parserRecord } from '../parser/generators.js';

const generated = new FormulaEngine({ codegen: 'always' });
const closures = new FormulaEngine({ codegen: 'off' });
const NOW = '2024-03-15T10:20:30.000Z';

interface Case {
  readonly formula: string;
  readonly options: CompileOptions;
  readonly contexts: readonly EvaluationContext[];
}

/** Everything a formula gives for its contexts: results, errors (with spans) and budget charges. */
function outcome(engine: FormulaEngine, c: Case): unknown {
  const f = engine.compile(c.formula, c.options);
  if (!f.ok) return { diagnostics: f.diagnostics };
  const out: unknown[] = [];
  for (const context of c.contexts) {
    out.push(f.evaluateToWire(context), f.evaluate(context));
    for (const limits of [{}, { maxTextLength: 6 }, { maxOperations: 12 }]) {
      const budget = new Budget(limits);
      out.push(f.evaluateToWire({ ...context, budget }), budget.operations);
    }
  }
  return out;
}

/** The body of a compiled formula's generated evaluation function; undefined while it has none. */
const sourceOf = (f: CompiledFormula): string | undefined => internalsOf(f)?.generatedSource();

/** Compares both ways on every case; every formula that compiles must have been generated. */
function compareAll(cases: readonly Case[]): number {
  let compiled = 0;
  for (const c of cases) {
    const expected = outcome(closures, c);
    const f = generated.compile(c.formula, c.options);
    const got = outcome(generated, c);
    expect(got, `${c.formula}\n${f.ok ? sourceOf(f) : ''}`).toEqual(expected);
    if (f.ok) {
      expect(sourceOf(f), `not generated: ${c.formula}`).toBeDefined();
      compiled++;
    }
  }
  return compiled;
}

const goldenCases = (): Case[] =>
  jsonFiles(new URL('../golden/formulas/', import.meta.url).pathname).flatMap((file) =>
    readJson<{ cases: Array<{ formula: string; fields?: Record<string, unknown>; record?: Record<string, unknown>; options?: CompileOptions; context?: EvaluationContext }> }>(file).cases.map(
      (c): Case => ({ formula: c.formula, options: { ...c.options, fields: c.fields ?? {} }, contexts: [{ now: NOW, ...c.context, record: c.record ?? {} }] }),
    ),
  );

describe('generated code gives what the closures give', () => {
  it('on the benchmark formulas and records, with blanks kept and read as zero', () => {
    const cases = FORMULAS.flatMap((f): Case[] =>
      (['blank', 'zero'] as const).map((blankAs) => ({
        formula: f.formula,
        options: { fields: f.fields, returnType: f.returnType, scale: f.scale, blankAs },
        contexts: [...f.records, Object.fromEntries(Object.keys(f.fields).map((k) => [k, null]))].map((record) => ({ record, now: NOW, timezone: 'Europe/Paris' })),
      })),
    );
    expect(compareAll(cases)).toBeGreaterThan(60);
  });

  it('on hand-picked formulas for each generated form, with blanks, decimals and errors', () => {
    const fields = { n: 'Number', m: 'Currency', p: 'Percent', t: 'Text', u: 'Text', k: 'Picklist', b: 'Boolean', d: 'Date', e: 'Date', dt: 'DateTime' };
    const formulas = [
      'CASE(n, 1.5, "a", 2, "b", 0.1 + 0.2, "c", "z")',
      'CASE(n, m, "same", p, "percent", "other")',
      'CASE(d, e, "same day", DATE(2024, 2, 29), "leap", "other")',
      'CASE(b, TRUE, "yes", FALSE, "no", "blank")',
      'CASE(k, "A", 1, "B", 2, 3) + CASE(t, u, 10, "", 20, 30)',
      'NULLVALUE(n, m) + NULLVALUE(p, 1)',
      'NULLVALUE(t, "sub") & BLANKVALUE(t, "sub") & BLANKVALUE(u, t)',
      'IF(ISNULL(n), "n", "") & IF(ISNULL(t), "t", "") & IF(ISBLANK(t), "bt", "") & IF(ISBLANK(d), "bd", "")',
      'ISPICKVAL(k, "A") || ISPICKVAL(k, "")',
      'AND(b, n > 1, t = u) && OR(b, n < m, NOT(b))',
      'n = m && n <> p && n >= 1.50 && n <= 3 && d < e && dt > NOW() - 1 && t <> u && b = TRUE',
      'IF(n > m, LEFT(t, n), MID(t, m, p)) & TEXT(n / m)',
      'LPAD(t, n) & RPAD(u, m, t) & t & u & TEXT(p)',
      'TEXT(ROUND(n * 1.1, 2)) & " " & TEXT(MOD(n, m)) & " " & TEXT(DAY(d + n))',
      'VALUE(t) + VALUE(u)',
    ];
    const values = [null, '', 0, 1.5, '1.50', 2, -3, 12.345, 1e21, 'x', 'A', 'B', '2024-02-29', '2024-03-01', true, false, '2024-03-15T10:00:00Z', 'not valid'];
    const records = fc.sample(fc.record(Object.fromEntries(Object.keys(fields).map((k) => [k, fc.constantFrom(...values)]))), { seed: 7, numRuns: 40 });
    for (const blank of [null, '']) records.push(Object.fromEntries(Object.keys(fields).map((k) => [k, blank])));
    const cases = formulas.map((formula): Case => ({ formula, options: { fields }, contexts: records.map((record) => ({ record, now: NOW })) }));
    expect(compareAll(cases)).toBe(formulas.length);
  });

  it('on constants, parameters and paths, with values of the wrong type', () => {
    const options: CompileOptions = {
      fields: { Account: { Name: 'Text', Owner: { Name: 'Text' } } },
      constants: { X: 'Text', N: 'Number' },
      parameters: { P: 'Text', Q: { Field: 'Number' } },
    };
    const contexts: EvaluationContext[] = [
      { record: { Account: { Name: 'Acme', Owner: { Name: 'Bo' } } }, constants: { X: 'x', N: 2.5 }, parameters: { P: 'p', Q: { Field: 3 } } },
      { record: { Account: null }, constants: { X: 'x' }, parameters: { P: null, Q: null } },
      { record: { Account: 'text' }, constants: { X: 5, N: 'n' }, parameters: { P: true, Q: { Field: 'f' } } },
      {},
    ];
    const formulas = ['$Constants.X & $Parameters.P & Account.Name & Account.Owner.Name', 'TEXT($Constants.N + $Parameters.Q.Field)', 'BLANKVALUE($Parameters.P, $Constants.X)'];
    expect(compareAll(formulas.map((formula) => ({ formula, options, contexts })))).toBe(formulas.length);
  });

  it('on the golden cases', () => {
    expect(compareAll(goldenCases())).toBeGreaterThan(400);
  });

  it("on the three-way differential's random well-typed formulas", () => {
    const cases = Array.from({ length: runs(3000) }, (_, i): Case => {
      const r = randomCase(20261207, i);
      return { formula: r.root.text, options: { fields: FIELDS, blankAs: i % 3 === 0 ? 'zero' : 'blank' }, contexts: [{ record: r.record, now: NOW }, { record: {}, now: NOW }] };
    });
    expect(compareAll(cases)).toBeGreaterThan(cases.length / 2);
  });

  it("on the parser property tests' valid formulas (every reference kind, spacing and spelling)", () => {
    const listItem = { index: 2, value: { Field: 'f', Name: 'n' }, isFirst: false, isLast: true };
    const contexts: EvaluationContext[] = [
      { record: parserRecord, constants: { X: 'x' }, parameters: { P: { Field: 7 } }, listItem, now: NOW },
      { record: { a: 'not a number', Account: 'not a record' }, now: NOW },
    ];
    const formulas = fc.sample(noisy(), { seed: 19, numRuns: runs(3000) });
    expect(compareAll(formulas.map((formula) => ({ formula, options: parserOptions, contexts })))).toBeGreaterThan(formulas.length / 6);
  });
});

describe('generated source', () => {
  // Texts that would break out of a string, a comment or a template, or end a line, in JS source.
  const NASTY = ['"', "'", '`', '${globalThis.pwned = 1}', '*/', '/*', '\u2028', '\u2029', '\n', '\\', '</script>', '"); globalThis.pwned = 1; ("', '`); globalThis.pwned = 1; (`', 'v0', 'c0', 'ctx'];
  const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'ctx', 'R', 'c0', 'v0', 'L0', 'e'];

  it('never holds the text of a literal, and literals keep their value', () => {
    for (const [i, s] of NASTY.entries()) {
      const other = NASTY[(i + 1) % NASTY.length] as string;
      const formula = `IF(Flag, ${quote(s)}, ${quote(other)}) & CASE(Key, ${quote(s)}, ${quote(other)}, ${quote(s)}) & ${quote(s)}`;
      const c: Case = { formula, options: { fields: { Flag: 'Boolean', Key: 'Text' } }, contexts: [true, false].map((Flag) => ({ record: { Flag, Key: s } })) };
      compareAll([c]);
      const f = generated.compile(formula, c.options);
      expect(f.evaluateToWire({ record: { Flag: true, Key: s } })).toEqual({ type: 'Text', value: s + other + s });
      const source = sourceOf(f);
      expect(source).toBeDefined();
      for (const marker of ['pwned', '${', '</script>', '\u2028', '\u2029', '`', '*/']) expect(source).not.toContain(marker);
    }
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('reads fields named like JS internals and its own names as plain fields', () => {
    const fields = JSON.parse(`{${NAMES.map((n) => `"${n}": "Text"`).join(', ')}}`) as Record<string, unknown>;
    const record = JSON.parse(`{${NAMES.map((n) => `"${n}": "<${n}>"`).join(', ')}}`) as Record<string, unknown>;
    const formula = NAMES.join(' & ');
    const c: Case = { formula, options: { fields }, contexts: [{ record }, { record: {} }, { record: { ...record, constructor: 5 } }] };
    compareAll([c]);
    const f = generated.compile(formula, { fields });
    expect(f.ok).toBe(true);
    expect(f.evaluateToWire({ record })).toEqual({ type: 'Text', value: NAMES.map((n) => `<${n}>`).join('') });
    const source = sourceOf(f);
    expect(source).toBeDefined();
    for (const n of ['__proto__', 'constructor', 'hasOwnProperty', 'prototype']) expect(source).not.toContain(n);
  });
});

describe('fallback to the closures', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    recheckGeneration();
  });

  it('for a formula too big to generate, with the same result', () => {
    const formula = `1${' + 1'.repeat(MAX_GENERATED_NODES)}`;
    const f = generated.compile(formula, { maxLength: 10_000 });
    expect(f.ok && sourceOf(f)).toBeUndefined();
    const small = generated.compile(`1${' + 1'.repeat(10)}`);
    expect(small.ok && sourceOf(small)).toBeDefined();
    expect(f.evaluateToWire()).toEqual({ type: 'Number', value: String(MAX_GENERATED_NODES + 1) });
  });

  it('for a formula too deep to generate: a result or "too complex", never a crash, as the closures give', () => {
    for (const depth of [150, 3000, 20_000]) {
      const formula = `${'IF(c, '.repeat(depth)}a${', 0)'.repeat(depth)}`;
      const options: CompileOptions = { fields: { a: 'Number', c: 'Boolean' }, maxDepth: 100_000, maxLength: 1_000_000 };
      const c: Case = { formula, options, contexts: [{ record: { a: 4, c: true } }] };
      const got = outcome(generated, c);
      expect(got).toEqual(outcome(closures, c));
      const f = generated.compile(formula, options);
      const r = f.evaluateToWire({ record: { a: 4, c: true } });
      if (f.ok && 'error' in r) expect(r.error.message).toBe('Formula is too complex to evaluate');
      else if (f.ok) expect(r).toEqual({ type: 'Number', value: '4' });
      else expect(f.diagnostics[0]?.message).toMatch(/too complex/);
    }
  });

  it("where new Function is refused (a Content Security Policy without 'unsafe-eval')", () => {
    vi.stubGlobal('Function', function refused() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source");
    });
    recheckGeneration();
    const f = generated.compile('IF(Days > 20, "RED", "GREEN")', { fields: { Days: 'Number' } });
    expect(f.ok).toBe(true);
    expect(f.ok && sourceOf(f)).toBeUndefined();
    expect(f.evaluateToWire({ record: { Days: 21 } })).toEqual({ type: 'Text', value: 'RED' });
  });
});

describe('registry hooks', () => {
  const doc = { summary: 'test', examples: [] };
  it('go with the implementation they stand for', () => {
    const registry = createDefaultRegistry();
    const inlineLazy = defineFunction({ name: 'T1', family: 'logic', doc, overloads: [{ params: [], returns: 'Number', lazy: () => () => 1, inline: () => '1' }] });
    const emitEager = defineFunction({ name: 'T2', family: 'logic', doc, overloads: [{ params: [], returns: 'Number', impl: () => 1, emit: () => '1' }] });
    expect(() => registry.register(inlineLazy)).toThrow('inline goes with impl');
    expect(() => registry.register(emitEager)).toThrow('emit goes with lazy or chain');
  });

  it('that write invalid code leave the formula to its closures', () => {
    const registry = createDefaultRegistry().register(
      defineFunction({
        name: 'TWICE',
        family: 'math',
        doc,
        overloads: [{ params: [{ name: 'n', type: 'Number' }], returns: 'Number', lazy: ([a]) => (ctx) => [a?.(ctx), a?.(ctx)].length, emit: () => 'not ) valid (' }],
      }),
    );
    const f = new FormulaEngine({ registry, codegen: 'always' }).compile('TWICE(1) + 1');
    expect(f.ok).toBe(true);
    expect(f.ok && sourceOf(f)).toBeUndefined();
    expect(f.evaluateToWire()).toEqual({ type: 'Number', value: '3' });
  });
});

describe('tiering', () => {
  it(`generates a formula's code after ${TIER_UP_RUNS} evaluations, and results do not change`, () => {
    const formula = 'IF(Days > 20, "RED", "GREEN") & TEXT(ROUND(Amount * 1.1, 2))';
    const options = { fields: { Days: 'Number', Amount: 'Currency' } };
    const f = new FormulaEngine().compile(formula, options);
    const reference = closures.compile(formula, options);
    for (let i = 0; i < TIER_UP_RUNS * 2; i++) {
      if (i === TIER_UP_RUNS - 1) expect(sourceOf(f)).toBeUndefined();
      const context = { record: { Days: i, Amount: i + 0.05 } };
      expect(f.evaluateToWire(context)).toEqual(reference.evaluateToWire(context));
    }
    expect(sourceOf(f)).toBeDefined();
  });

  it('never generates code with codegen: off', () => {
    const f = closures.compile('1 + 1');
    for (let i = 0; i < TIER_UP_RUNS * 2; i++) f.evaluate();
    expect(sourceOf(f)).toBeUndefined();
  });
});
