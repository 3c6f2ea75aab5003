/** The request body checks (src/json-shape.ts, src/server/body.ts) and request date-times (src/server/datetime.ts), without a server. */
import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, jsonTextShapeProblem } from '../../src/json-shape.js';
import { parseJsonBody } from '../../src/server/body.js';
import { isDateTime, parseRequestDateTime } from '../../src/server/datetime.js';
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
});
