/**
 * Issue 17, white space: formulas pasted from web pages carry U+00A0, U+200B, U+FEFF and other
 * Unicode spaces. Outside string literals they are white space with a W_UNUSUAL_WHITESPACE warning
 * at each one (formulon evaluates `MIN(a, \u200B\nb)`); inside string literals they are kept.
 */
import { describe, expect, it } from 'vitest';
import { print } from '../../src/formula/ast.js';
import { FormulaSyntax } from '../../src/formula/parser/parse.js';
import { compileFormula } from '../../src/index.js';

/** \p{Zs} other than U+0020, and the invisible U+200B–U+200D, U+2060, U+FEFF. */
const UNUSUAL = [
  0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b, 0x200c, 0x200d, 0x202f, 0x205f, 0x2060, 0x3000, 0xfeff,
].map((c) => String.fromCodePoint(c));

describe('unusual white space outside string literals', () => {
  it('covers every \\p{Zs} character except U+0020', () => {
    const zs: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (/\p{Zs}/u.test(String.fromCharCode(c)) && c !== 0x20) zs.push(String.fromCharCode(c));
    expect(zs.every((ch) => UNUSUAL.includes(ch))).toBe(true);
  });

  it('the issue\'s example MIN(a, \\u200B\\nb) evaluates, with one warning located on the U+200B', () => {
    const source = 'MIN(a, \u200B\nb)';
    const f = compileFormula(source, { fields: { a: 'Number', b: 'Number' } });
    expect(f.ok).toBe(true);
    expect(f.diagnostics).toEqual([
      expect.objectContaining({ code: 'W_UNUSUAL_WHITESPACE', severity: 'warning', span: expect.objectContaining({ start: 7, end: 8, line: 1, column: 8 }) }),
    ]);
    expect(f.diagnostics[0]?.message).toContain('U+200B (ZERO WIDTH SPACE)');
    expect(f.evaluateToWire({ record: { a: '3', b: '2' } })).toEqual({ type: 'Number', value: '2' });
  });

  it.each(UNUSUAL.map((ch) => [`U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`, ch]))('%s between tokens is a space, with a warning', (_name, ch) => {
    const f = compileFormula(`1${ch}+${ch}2`);
    expect(f.ok).toBe(true);
    expect(f.diagnostics.map((d) => [d.code, d.span.start, d.span.end])).toEqual([
      ['W_UNUSUAL_WHITESPACE', 1, 2],
      ['W_UNUSUAL_WHITESPACE', 3, 4],
    ]);
    expect(f.evaluateToWire()).toEqual({ type: 'Number', value: '3' });
  });

  it('points at each one of a run, and at one at the start (a byte-order mark)', () => {
    const f = compileFormula('\uFEFF1 +\u00A0\u00A0\u200B2');
    expect(f.diagnostics.map((d) => d.span.start)).toEqual([0, 4, 5, 6]);
    expect(f.evaluateToWire()).toEqual({ type: 'Number', value: '3' });
  });

  it('the parse golden\'s white-space case (moved from test/golden/parse/literals.json): " \\t1\\r\\n+\\u00a02\\ufeff " is (1 + 2), with two warnings', () => {
    const r = new FormulaSyntax().parse(' \t1\r\n+\u00a02\ufeff ');
    expect(r.ast === null ? null : print(r.ast)).toBe('(1 + 2)');
    expect(r.diagnostics.map((d) => [d.code, d.span.start, d.span.line, d.span.column])).toEqual([
      ['W_UNUSUAL_WHITESPACE', 6, 2, 2],
      ['W_UNUSUAL_WHITESPACE', 8, 2, 4],
    ]);
  });

  it('separates tokens like a space: a\\u00A0b is two operands, a syntax error as `a b` is', () => {
    const f = compileFormula('a\u00A0b', { fields: { a: 'Number', b: 'Number' } });
    expect(f.ok).toBe(false);
    expect(f.diagnostics.map((d) => d.code)).toEqual(['W_UNUSUAL_WHITESPACE', 'E_SYNTAX']);
  });

  it('a formula of only unusual white space is empty', () => {
    const f = compileFormula('\u200B\u00A0');
    expect(f.ok).toBe(false);
    expect(f.diagnostics.map((d) => d.code)).toContain('E_SYNTAX');
  });
});

describe('unusual white space inside string literals and comments', () => {
  it('is kept in a string literal, with no warning', () => {
    for (const ch of UNUSUAL) {
      const f = compileFormula(`"a${ch}b" & 'c${ch}'`);
      expect(f.diagnostics).toEqual([]);
      expect(f.evaluateToWire()).toEqual({ type: 'Text', value: `a${ch}bc${ch}` });
    }
  });

  it('is part of a comment, with no warning', () => {
    const f = compileFormula('1 /* pasted\u00A0comment\u200B */ + 2');
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire()).toEqual({ type: 'Number', value: '3' });
  });
});
