/** The request body checks (src/json-shape.ts, src/server/body.ts) and request date-times (src/server/datetime.ts), without a server. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, jsonTextShapeProblem } from '../../src/json-shape.js';
import { parseJsonBody } from '../../src/server/body.js';
import { DATE_TIME_PATTERN, isDateTime, parseRequestDateTime } from '../../src/server/datetime.js';
import { MAX_YEAR, MIN_YEAR } from '../../src/formula/runtime/temporal.js';
import { HttpProblem } from '../../src/server/problem.js';

const problemOf = (text: string, maxDepth = 64): unknown => {
  try {
    parseJsonBody(text, maxDepth);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(HttpProblem);
    const p = e as HttpProblem;
    return { status: p.status, ...p.errors[0] };
  }
};

describe('parseJsonBody', () => {
  it('takes any JSON within the limits', () => {
    expect(parseJsonBody('{"a":[1,{"b":"c"}],"constructor":"x","n":1e308}', 64)).toEqual({ a: [1, { b: 'c' }], constructor: 'x', n: 1e308 });
    expect(parseJsonBody(`${'['.repeat(64)}${']'.repeat(64)}`, 64)).toBeDefined();
    expect(parseJsonBody('"\\ud83d\\ude00"', 64)).toBe('😀');
  });

  it('refuses each problem with its code and pointer', () => {
    expect(problemOf(`${'['.repeat(65)}${']'.repeat(65)}`)).toMatchObject({ status: 400, code: 'E_JSON_TOO_DEEP', pointer: '/0'.repeat(64) });
    expect(problemOf(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`)).toMatchObject({ code: 'E_JSON_TOO_DEEP' });
    expect(problemOf('{"a":[{"__proto__":1}]}')).toMatchObject({ code: 'E_FORBIDDEN_KEY', pointer: '/a/0/__proto__' });
    expect(problemOf('{"a":{"\\u005f_proto__":1}}')).toMatchObject({ code: 'E_FORBIDDEN_KEY', pointer: '/a/__proto__' });
    expect(problemOf('{"x/y":{"constructor":{"prototype":null}}}')).toMatchObject({ code: 'E_FORBIDDEN_KEY', pointer: '/x~1y/constructor' });
    expect(problemOf('{"a":[1,-1e400]}')).toMatchObject({ code: 'E_NUMBER_OUT_OF_RANGE', pointer: '/a/1' });
    expect(problemOf('1e400')).toMatchObject({ code: 'E_NUMBER_OUT_OF_RANGE', pointer: '' });
    expect(problemOf('{"t":"a\\u0000b"}')).toMatchObject({ code: 'E_INVALID_TEXT', pointer: '/t', message: 'Contains U+0000' });
    expect(problemOf('{"k\\u0000":1}')).toMatchObject({ code: 'E_INVALID_TEXT', pointer: '/k\u0000' });
    expect(problemOf('["\\udc00x"]')).toMatchObject({ code: 'E_INVALID_TEXT', pointer: '/0', message: 'Contains a lone surrogate' });
    expect(problemOf('{"a": }')).toMatchObject({ code: 'E_INVALID_JSON' });
    expect(problemOf('  ')).toMatchObject({ code: 'E_INVALID_JSON' });
  });

  it('the fast path finds exactly what the full walk finds', () => {
    const texts = ['{}', '[[[1]]]', `${'['.repeat(10)}1e999${']'.repeat(10)}`, '{"a":{"b":{"c":[1,2,{"d":null}]}}}', '{"constructor":{"prototype":1}}', '{"s":"\\u0000"}', `{"a":${'{"b":'.repeat(5)}1${'}'.repeat(5)}}`];
    for (const maxDepth of [1, 2, 3, 6, 64]) {
      for (const text of texts) {
        const value: unknown = JSON.parse(text);
        const limits = { maxDepth, storableText: true };
        expect(jsonTextShapeProblem(text, value, limits), `${text} at ${maxDepth}`).toEqual(jsonShapeProblem(value, limits));
      }
    }
  });
});

describe('request date-times', () => {
  it('takes ISO 8601 with an offset in years 1700-4000, on days that exist', () => {
    for (const s of ['2026-11-21T10:00:00Z', '2026-11-21T10:00Z', '2026-11-21t10:00:00.5z', '2026-11-21T10:00:00+01', '2026-11-21T10:00:00+0130', '2024-02-29T00:00:00Z', '1700-01-01T00:00:00Z', '4000-12-31T23:59:59.999999999Z']) expect(isDateTime(s), s).toBe(true);
    expect(parseRequestDateTime('2026-11-21T11:30:00.250+01:30')).toBe(Date.parse('2026-11-21T10:00:00.250Z'));
  });

  it('refuses the rest', () => {
    for (const s of ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-02-31T10:00:00Z', '2023-02-29T00:00:00Z', '2026-11-21T24:00:00Z', '2026-11-21T10:60:00Z', '2026-11-21T10:00:00', '2026-11-21', '1699-12-31T23:59:59Z', '1700-01-01T00:30:00+01:00', '4001-01-01T00:00:00Z', '0050-01-01T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-21T10:00:00+24:00', ' 2026-11-21T10:00:00Z']) expect(isDateTime(s), s).toBe(false);
  });

  it('reads by hand exactly what the regular expression of the previous reader took (property)', () => {
    // The previous reader, kept as the reference: DATE_TIME_PATTERN, then the same range checks.
    const reference = (s: string): number | undefined => {
      const m = DATE_TIME_PATTERN.exec(s);
      if (m === null) return undefined;
      const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
      const [year, month, day, hour, minute, second, oh, om] = [n(1), n(2), n(3), n(4), n(5), n(6), n(9), n(10)];
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
      if (year < MIN_YEAR - 1 || year > MAX_YEAR + 1 || month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59 || oh > 23 || om > 59) return undefined;
      const ms = Date.UTC(year, month - 1, day, hour, minute, second, m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000) - (m[8] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
      return ms >= Date.UTC(MIN_YEAR, 0, 1) && ms < Date.UTC(MAX_YEAR + 1, 0, 1) ? ms : undefined;
    };
    // Two digits, mostly in a part's range and sometimes just past it.
    const d = (max: number) => fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max }) }, fc.integer({ min: 0, max: 99 })).map((n) => String(n).padStart(2, '0'));
    // Near-valid date-times: every part optional or replaced, so both the accepted and the refused side are reached.
    const part = <T,>(a: fc.Arbitrary<T>, other: string[]) => fc.oneof({ weight: 20, arbitrary: a }, fc.constantFrom(...other));
    const candidate = fc
      .tuple(
        part(fc.integer({ min: 1690, max: 4010 }).map(String), ['0000', '999', '12345', '20a6']),
        part(d(13), ['1', '001', '1a']),
        part(d(32), ['3', '']),
        fc.constantFrom('T', 'T', 'T', 't', ' ', 'TT'),
        part(d(24), ['7', '']),
        part(d(60), ['5', '']),
        fc.option(fc.tuple(part(d(60), ['1', '']), fc.option(fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^[0-9]{0,11}$/))))),
        fc.oneof(fc.constantFrom('Z', 'Z', 'Z', 'z', '', 'ZZ', 'Z ', '+', '-'), fc.tuple(fc.constantFrom('+', '-'), part(d(24), ['1', '']), fc.constantFrom('', ':', '::'), fc.option(part(d(60), ['1', '123'])))),
      )
      .map(([y, mo, dd, t, h, mi, sec, z]) => {
        const seconds = sec === null ? '' : `:${sec[0]}${sec[1] === null ? '' : `${sec[1][0]}${sec[1][1]}`}`;
        const zone = typeof z === 'string' ? z : `${z[0]}${z[1]}${z[3] === null ? '' : `${z[2]}${z[3]}`}`;
        return `${y}-${mo}-${dd}${t}${h}:${mi}${seconds}${zone}`;
      });
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: candidate }, fc.string({ maxLength: 40 })), (s) => {
        const expected = reference(s);
        if (expected !== undefined) accepted++;
        expect(parseRequestDateTime(s), s).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
    // The generator reaches the accepted side often enough to compare instants, not only refusals.
    expect(accepted).toBeGreaterThan(500);
  });
});
