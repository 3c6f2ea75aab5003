/** The linking normalizers (src/linking/normalize.ts): examples, and properties with fast-check. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeE164, normalizeEmail, normalizeExact, normalizerKey, normalizeText, normalizeValue } from '../../src/linking/normalize.js';

describe('e164', () => {
  it('reads numbers without + in the region, and numbers with + in any region', () => {
    expect(normalizeE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizeE164('415.555.2671', 'US')).toBe('+14155552671');
    expect(normalizeE164('+1 415 555 2671')).toBe('+14155552671');
    expect(normalizeE164('+1 415 555 2671', 'GB')).toBe('+14155552671');
    expect(normalizeE164('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(normalizeE164('020 7946 0018', 'US')).toBeUndefined();
    expect(normalizeE164('4155552671')).toBeUndefined();
  });

  it('gives nothing for what is not a valid number', () => {
    for (const v of ['', '   ', 'n/a', '+1 555', '+999 123 456', '12']) expect(normalizeE164(v, 'US'), v).toBeUndefined();
  });

  it('is idempotent, and its result is E.164', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[0-9 ().-]{0,20}$/), fc.constantFrom('US', 'GB', 'CA', 'FR', undefined), (text, region) => {
        const once = normalizeE164(text, region);
        if (once === undefined) return;
        expect(once).toMatch(/^\+[1-9]\d{1,14}$/);
        expect(normalizeE164(once, region)).toBe(once);
        expect(normalizeE164(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('email', () => {
  it('trims and case-folds, and needs one @ with text on both sides', () => {
    expect(normalizeEmail('  Ann.Lee@Example.COM ')).toBe('ann.lee@example.com');
    expect(normalizeEmail('STRAẞE@example.de')).toBe(normalizeEmail('strasse@EXAMPLE.de'));
    for (const v of ['', 'n/a', '@example.com', 'ann@', 'a@b@c', 'a b@c.d']) expect(normalizeEmail(v), v).toBeUndefined();
  });

  it('is idempotent, and insensitive to case and surrounding space', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), maxLength: 3 }), (email, pad) => {
        const once = normalizeEmail(email);
        expect(once).toBeDefined();
        expect(normalizeEmail(once!)).toBe(once);
        expect(normalizeEmail(`${pad}${email.toUpperCase()}${pad}`)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('text', () => {
  it('collapses white space, trims and case-folds; accents stay', () => {
    expect(normalizeText('  Ann \t\n  LEE ')).toBe('ann lee');
    expect(normalizeText('Straße')).toBe(normalizeText('STRASSE'));
    expect(normalizeText('Σίσυφος')).toBe(normalizeText('ΣΊΣΥΦΟΣ'));
    expect(normalizeText('Leé')).not.toBe(normalizeText('Lee'));
    expect(normalizeText('e\u0301')).toBe(normalizeText('é'));
    expect(normalizeText(' \t ')).toBeUndefined();
  });

  it('is idempotent and insensitive to case and to how white space is written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const once = normalizeText(text);
        if (once === undefined) return;
        expect(normalizeText(once)).toBe(once);
        expect(normalizeText(text.toUpperCase())).toBe(normalizeText(text.toLowerCase()));
        expect(normalizeText(`  ${text.replace(/ /g, ' \t ')}\n`)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('exact', () => {
  it('keeps text as it is, and compares numbers, booleans and dates in their canonical form', () => {
    expect(normalizeExact('Ann Lee')).toBe('Ann Lee');
    expect(normalizeExact('ann lee')).not.toBe(normalizeExact('Ann Lee'));
    expect(normalizeExact('')).toBeUndefined();
    expect(normalizeExact('0042.50', 'Number')).toBe('42.5');
    expect(normalizeExact(42.5, 'Number')).toBe('42.5');
    expect(normalizeExact('forty', 'Number')).toBeUndefined();
    expect(normalizeExact(true, 'Boolean')).toBe('true');
    expect(normalizeExact('false', 'Boolean')).toBe('false');
    expect(normalizeExact('2020-02-29', 'Date')).toBe('2020-02-29');
    expect(normalizeExact('2021-02-29', 'Date')).toBeUndefined();
  });

  it('is idempotent on numbers', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (n) => {
        const once = normalizeExact(n, 'Number');
        expect(once).toBeDefined();
        expect(normalizeExact(once, 'Number')).toBe(once);
      }),
    );
  });
});

describe('normalizeValue', () => {
  it('applies the spec, and never matches blanks or non-scalar values', () => {
    expect(normalizeValue({ normalizer: 'e164', region: 'US' }, '415 555 2671')).toBe('+14155552671');
    expect(normalizeValue({ normalizer: 'text' }, 12)).toBe('12');
    for (const v of [null, undefined, {}, [], '']) {
      for (const normalizer of ['e164', 'email', 'text', 'exact'] as const) expect(normalizeValue({ normalizer }, v)).toBeUndefined();
    }
  });

  it('names keys by normalizer and, for e164, region', () => {
    expect(normalizerKey({ normalizer: 'e164', region: 'US' })).toBe('e164:US');
    expect(normalizerKey({ normalizer: 'e164' })).toBe('e164');
    expect(normalizerKey({ normalizer: 'text', region: 'US' })).toBe('text');
  });
});
