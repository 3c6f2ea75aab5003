/** The differential suites cover every function both engines implement, and every operator; the known differences are well formed. */
import { builtins } from 'sformula';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../src/index.js';
import { DATE_FUNCTIONS, LOGIC_FUNCTIONS, MATH_FUNCTIONS, NOT_DIFFERENTIAL, OPERATORS, TEXT_FUNCTIONS } from './families.js';
import { compare, judge, KNOWN_DIFFERENCES, type Case } from './harness.js';

const covered = new Set<string>([...LOGIC_FUNCTIONS, ...TEXT_FUNCTIONS, ...MATH_FUNCTIONS, ...DATE_FUNCTIONS]);

describe('differential coverage', () => {
  const registry = createDefaultRegistry();
  const ours = registry.functionNames();
  const theirs = Object.keys(builtins as Record<string, unknown>).filter((n) => /^[A-Z][A-Z0-9]*$/.test(n));

  it('covers every function that both engines implement', () => {
    const both = ours.filter((n) => theirs.includes(n));
    expect(both.filter((n) => !covered.has(n))).toEqual([]);
    expect([...covered].filter((n) => !both.includes(n))).toEqual([]);
  });

  it('lists every function only one engine implements', () => {
    const onlyOne = [...ours.filter((n) => !theirs.includes(n)), ...theirs.filter((n) => !ours.includes(n) && registry.getUnsupported(n) !== undefined)];
    expect(onlyOne.filter((n) => !(NOT_DIFFERENTIAL as readonly string[]).includes(n))).toEqual([]);
  });

  it('covers every operator', () => {
    const operators = registry
      .all()
      .filter((f) => f.kind === 'operator')
      .map((f) => f.name);
    expect([...operators].sort()).toEqual([...OPERATORS].sort());
  });

  it('gives every known difference a unique id, a reason and a source', () => {
    const ids = KNOWN_DIFFERENCES.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of KNOWN_DIFFERENCES) {
      expect(k.id).toMatch(/^[a-z0-9-]+$/);
      expect(k.reason.length).toBeGreaterThan(20);
      expect(k.source.length).toBeGreaterThan(10);
    }
  });

  it('fails on a disagreement that no known difference explains', () => {
    const c: Case = { fn: '+', formula: 'a + b', fields: { a: 'Number', b: 'Number' }, record: { a: '1', b: '2' } };
    expect(compare(c).verdict).toEqual({ status: 'agree' });
    expect(judge(c, { kind: 'number', value: '3' }, { kind: 'number', value: '3.0000001' })).toEqual({ status: 'unexplained' });
    expect(judge(c, { kind: 'number', value: '3' }, { kind: 'number', value: null })).toEqual({ status: 'unexplained' });
    expect(judge(c, { kind: 'text', value: '3' }, { kind: 'number', value: '3' })).toEqual({ status: 'unexplained' });
    expect(judge(c, { kind: 'error', message: 'E_INTERNAL: boom' }, { kind: 'number', value: '3' })).toEqual({ status: 'unexplained' });
  });
});
