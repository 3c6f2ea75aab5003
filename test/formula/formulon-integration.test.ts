/**
 * Issue 17: formulon's integration suite replayed in Parlance. Its cases are the formulas of
 * Salesforce's help pages of example formulas ("Examples of Advanced Formula Fields", "Sample Date
 * Formulas"), each with records and the results formulon's author expects; the fixture
 * test/fixtures/formulon-integration.json names the help page of every example.
 *
 * Every case passes, except the 41 whose formula uses HYPERLINK, IMAGE or GETSESSIONID: Parlance
 * refuses those at compile time with E_FUNCTION_NOT_SUPPORTED (HTML output and session ids have no
 * place in a messaging component; docs/functions.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/index.js';

type Literal = readonly [string, unknown];
interface Suite {
  readonly context: string;
  readonly record: Readonly<Record<string, Literal>>;
  readonly expected: Literal;
}
interface Example {
  readonly file: string;
  readonly help: string;
  readonly name: string;
  readonly formula: string;
  readonly disabled?: boolean;
  readonly labels?: Readonly<Record<string, Literal>>;
  readonly suites: readonly Suite[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/formulon-integration.json', import.meta.url), 'utf8')) as { examples: Example[] };

const TYPE: Record<string, string> = { number: 'Number', text: 'Text', picklist: 'Picklist', checkbox: 'Boolean', date: 'Date', datetime: 'DateTime' };
const UNSUPPORTED = /\b(HYPERLINK|IMAGE|GETSESSIONID)\s*\(/;

/** Sets `a.b.c` in a nested object. */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1] as string] = value;
}

/** Field types from every suite of the example: a blank ("null") value takes the type the field has elsewhere. */
function fieldsOf(example: Example): Record<string, unknown> {
  const types = new Map<string, string>();
  for (const s of example.suites) {
    for (const [name, [dataType]] of Object.entries({ ...example.labels, ...s.record })) {
      const t = TYPE[dataType];
      if (t !== undefined && !types.has(name)) types.set(name, t);
    }
  }
  const fields: Record<string, unknown> = {};
  for (const [name, t] of types) put(fields, name, t);
  return fields;
}

function recordOf(example: Example, suite: Suite): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, [dataType, value]] of Object.entries({ ...example.labels, ...suite.record })) {
    put(record, name, value === null ? null : dataType === 'number' ? String(value) : value);
  }
  return record;
}

/**
 * formulon's expected numbers are JavaScript doubles (148024.42849183443 for `100000 * 1.04 ^ 10`);
 * Parlance computes exact decimals. They agree when they are the same double, or within a relative
 * 1e-15 where formulon's double arithmetic rounded (EXP, a quotient).
 */
function sameNumber(ours: string, expected: number): boolean {
  const a = Number(ours);
  return a === expected || Math.abs(a - expected) <= Math.abs(expected) * 1e-15;
}

const cases = fixture.examples.flatMap((example) => example.suites.map((suite) => ({ example, suite })));

describe('formulon integration suite (Salesforce help example formulas)', () => {
  it('has the 241 cases of formulon test/integration, 41 of them with HYPERLINK, IMAGE or GETSESSIONID', () => {
    expect(cases).toHaveLength(241);
    expect(cases.filter((c) => UNSUPPORTED.test(c.example.formula))).toHaveLength(41);
  });

  const supported = cases.filter((c) => !UNSUPPORTED.test(c.example.formula));
  it.each(supported.map((c) => [`${c.example.file} ${c.example.name} (help ${c.example.help}): ${c.suite.context}`, c] as const))('%s', (_name, { example, suite }) => {
    const f = compileFormula(example.formula, { fields: fieldsOf(example) });
    expect(f.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = f.evaluateToWire({ record: recordOf(example, suite) });
    expect(result).not.toHaveProperty('error');
    const { value } = result as { type: string; value: unknown };
    const [dataType, expected] = suite.expected;
    if (dataType === 'null' || expected === '') expect(value).toBeNull();
    else if (dataType === 'number') expect(sameNumber(value as string, expected as number), `${String(value)} vs ${String(expected)}`).toBe(true);
    else expect(value).toEqual(expected);
  });

  const refused = cases.filter((c) => UNSUPPORTED.test(c.example.formula));
  it.each(refused.map((c) => [`${c.example.file} ${c.example.name}: ${c.suite.context}`, c] as const))('refused with E_FUNCTION_NOT_SUPPORTED: %s', (_name, { example }) => {
    const f = compileFormula(example.formula, { fields: fieldsOf(example) });
    expect(f.ok).toBe(false);
    expect(f.diagnostics.map((d) => d.code)).toContain('E_FUNCTION_NOT_SUPPORTED');
  });
});
