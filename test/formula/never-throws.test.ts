/**
 * Every input gets a diagnostic or a result, never an exception: compile, evaluate,
 * evaluateToWire, template render and component render, over random inputs built from the
 * formula language's own pieces (and the inputs of issue 14 as regression cases).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget, compileComponent, compileFormula, compileTemplate, createDefaultRegistry } from '../../src/index.js';

const FUNCTIONS = createDefaultRegistry().functionNames();
const atom = fc.oneof(
  fc.constantFrom('0', '1', '-1', '.5', '12.25', '9'.repeat(18), '9'.repeat(34), '9'.repeat(35), '9'.repeat(1002), `0.${'3'.repeat(60)}`),
  fc.constantFrom('"a"', '""', '"ß"', '"😀"', '"x\\"y"', 'TRUE', 'FALSE', 'NULL', 's', 'n', 'd', 'b', 'Account.Name', '$Constants.T'),
  fc.constantFrom('LPAD("a", 1000000, "b")', 'LPAD("a", 131072, "b")', 'RPAD(s, n, "-")', 'DATE(2024, 2, 29)', 'NOW()', 'TODAY()', 'BR()'),
);
const op = fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' ^ ', ' & ', ' = ', ' <> ', ' < ', ' >= ', ' && ', ' || ');
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('e'), op, tie('e')).map(([a, o, b]) => `${a}${o}${b}`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('e'), { maxLength: 4 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `-${e}`),
  ),
})).e;
/** Formula-ish text plus arbitrary characters: unbalanced parentheses, stray quotes, anything. */
const source = fc.oneof(expr, fc.string({ maxLength: 60 }), fc.tuple(expr, fc.string({ maxLength: 8 })).map(([a, b]) => a + b));
const value = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.string({ maxLength: 20 }), fc.boolean(), fc.constantFrom('2024-02-29', '1e400', 'NaN', '9'.repeat(400)), fc.object({ maxDepth: 1 }));
const record = fc.record({ s: value, n: value, d: value, b: value, Account: fc.oneof(value, fc.record({ Name: value })) }, { requiredKeys: [] });
const FIELDS = { s: 'Text', n: 'Number', d: 'Date', b: 'Boolean', Account: { Name: 'Text' } };
const RUNS = { numRuns: 1500 };

const small = () => new Budget({ maxOperations: 200_000 });

describe('never throws', () => {
  it('compile, evaluate and evaluateToWire, for any source and any record', () => {
    fc.assert(
      fc.property(source, record, (src, rec) => {
        const f = compileFormula(src, { fields: FIELDS, constants: { T: 'Text' } });
        const r = f.evaluate({ record: rec, constants: { T: 'x' }, budget: small() });
        const w = f.evaluateToWire({ record: rec, constants: { T: 'x' }, budget: small() });
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(typeof r.error.code).toBe('string');
        if (r.ok) expect(r.value === null || r.value !== undefined).toBe(true);
        expect('error' in w || 'value' in w).toBe(true);
        if (!f.ok) expect(f.diagnostics.some((d) => d.severity === 'error' && typeof d.span.start === 'number')).toBe(true);
      }),
      RUNS,
    );
  });

  it('template compile and render, for any merge fields and data', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(source.map((s) => `{!${s}}`), fc.string({ maxLength: 10 })), { maxLength: 5 }), value, (pieces, v) => {
        const t = compileTemplate(pieces.join(''), { constants: { T: 'Text' }, strict: pieces.length % 2 === 0 });
        const r = t.render({ constants: { T: v }, budget: small() });
        expect(typeof r.ok).toBe('boolean');
        expect(typeof r.text).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('component render, for any option title formula and any parameters', () => {
    fc.assert(
      fc.property(source, fc.oneof(value, fc.array(fc.record({ Name: value }), { maxLength: 3 })), fc.constantFrom('EmbeddedWeb', 'SmsLongCode', 'Nope', ''), (formula, names, channel) => {
        const c = compileComponent({
          name: 'Q',
          type: 'QuestionStaticOptions',
          constants: { Title: { type: 'Text', value: 'Pick' }, Options: { type: 'List<Option>', value: [{ Name: 'A' }, { Name: 'B' }] } },
          formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options', title: { type: 'Formula', formula } } }],
        });
        const outcome = c.render({ channel, parameters: { X: names } }, { budget: small() });
        expect(typeof outcome.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('issue 14 regressions', () => {
  const heavy = '{!LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",1000000,"b"),"b","c"),"c","d"))}';

  it('400 heavy merge fields: clear errors, not a stalled render', () => {
    const r = compileTemplate(heavy.repeat(400)).render({ budget: { maxOperations: 1_000_000 } });
    expect(r.ok).toBe(false);
    // Each field fails at its LPAD, before building anything.
    expect(new Set(r.errors.map((e) => e.code))).toEqual(new Set(['E_TEXT_TOO_LONG']));
    expect(r.errors[0]).toMatchObject({ span: { line: 1, column: 29 } });
    const capped = compileTemplate(heavy.replace('1000000', '100000').repeat(400)).render({ budget: { maxOperations: 1_000_000 } });
    expect(capped.errors.map((e) => e.code)).toEqual(['E_BUDGET_EXCEEDED']);
  });

  it('a 1,002-digit literal: a compile diagnostic everywhere, evaluateToWire never throws', () => {
    const big = '9'.repeat(1002);
    expect(compileFormula(big).evaluateToWire()).toMatchObject({ error: { code: 'E_NUMBER_OUT_OF_RANGE', span: { start: 0, end: 1002 } } });
    expect(compileTemplate(`{!${big}}`).render()).toMatchObject({ ok: false, errors: [{ code: 'E_NUMBER_OUT_OF_RANGE' }] });
  });
});
