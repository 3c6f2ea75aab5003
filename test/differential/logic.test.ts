/** Differential tests of the logical functions against sformula. */
import fc from 'fast-check';
import { cases, casesWith, FIELD, LITERAL_CHARS, maybe, numericLookingText, quote, textOf, type FieldGen } from './arbitraries.js';
import type { Case, Property } from './harness.js';
import { LOGIC_FUNCTIONS } from './families.js';
import { familySuite } from './suite.js';

const { Number: N, Currency: C, Text: T, Date: D, DateTime: DT, Time: TM, Boolean: B } = FIELD;

const p = (name: string, arbitrary: fc.Arbitrary<Case>, runs: number): Property => ({ name, arbitrary, runs });

/** Small whole numbers, so CASE values match often. */
const small: FieldGen = ['Number', maybe(fc.integer({ min: -1, max: 4 }).map(String), 6)];
const smallText: FieldGen = ['Text', maybe(fc.constantFrom('', 'a', 'b', 'A', ' a', 'c'), 6)];
const PICK = ['a', 'b', 'A', 'B c', 'é', '1'] as const;
const picklist: FieldGen = ['Picklist', maybe(fc.constantFrom<string>(...PICK, ''), 6)];
const multi: FieldGen = ['MultiPicklist', maybe(fc.subarray([...PICK]).map((a) => a.join(';')), 6)];
const literal = fc.oneof(fc.constantFrom<string>(...PICK), textOf(LITERAL_CHARS, 4));

/** A case whose formula embeds a generated literal. */
const withLiteral = (fn: string, build: (lit: string) => string, fields: readonly FieldGen[], lit: fc.Arbitrary<string> = literal): fc.Arbitrary<Case> =>
  fc.tuple(lit, cases(fn, '', fields)).map(([l, c]) => ({ ...c, formula: build(l) }));

const properties: Property[] = [
  p(
    'IF',
    fc.oneof(
      cases('IF', 'IF(a > b, c, d)', [N, N, N, N]),
      cases('IF', 'IF(a, b, c)', [B, T, T]),
      cases('IF', 'IF(a > 0, b, c)', [N, D, D]),
      cases('IF', 'IF(a, b, c)', [B, DT, DT]),
      cases('IF', 'IF(a, b, c)', [B, TM, TM]),
      cases('IF', 'IF(a < 0, IF(b > 0, 1, 2), 3)', [N, N]),
      cases('IF', 'IF(ISBLANK(a), "empty", a)', [T]),
      cases('IF', 'IF(a = b, c, -c)', [T, T, C]),
    ),
    2400,
  ),
  p(
    'CASE',
    fc.oneof(
      cases('CASE', 'CASE(a, 1, "one", 2, "two", 0, "zero", "other")', [small]),
      cases('CASE', 'CASE(a, "a", 1, "b", 2, "", 3, 0)', [smallText]),
      cases('CASE', 'CASE(a, b, c, 1, 10, d)', [small, small, N, N]),
      cases('CASE', 'CASE(a, "a", b, "B c", c, d)', [picklist, D, D, D]),
      cases('CASE', 'CASE(a, b, "same", "different")', [smallText, smallText]),
      cases('CASE', 'CASE(a > 0, TRUE, "positive", "not positive")', [N]),
      cases('CASE', 'CASE(a, b, 1, 0)', [D, D]),
    ),
    2400,
  ),
  p(
    'AND',
    fc.oneof(
      cases('AND', 'AND(a, b)', [B, B]),
      cases('AND', 'AND(a > 0, b > 0)', [N, N]),
      cases('AND', 'AND(a, b > 0, c < 5)', [B, N, N]),
      cases('AND', 'AND(a > b)', [N, N]),
      cases('AND', 'AND(a = "x", b <> "y", c)', [smallText, smallText, B]),
    ),
    2000,
  ),
  p(
    'OR',
    fc.oneof(
      cases('OR', 'OR(a, b)', [B, B]),
      cases('OR', 'OR(a > 0, b > 0)', [N, N]),
      cases('OR', 'OR(a, b > 0, c < 5)', [B, N, N]),
      cases('OR', 'OR(a > b)', [N, N]),
      cases('OR', 'OR(a = "x", b <> "y", c)', [smallText, smallText, B]),
    ),
    2000,
  ),
  p('NOT', fc.oneof(cases('NOT', 'NOT(a)', [B]), cases('NOT', 'NOT(a > b)', [N, N]), cases('NOT', 'NOT(NOT(a < b))', [D, D]), cases('NOT', 'NOT(a = b)', [T, T])), 2000),
  p(
    'ISBLANK',
    fc.oneof(
      cases('ISBLANK', 'ISBLANK(a)', [N]),
      cases('ISBLANK', 'ISBLANK(a)', [T]),
      cases('ISBLANK', 'ISBLANK(a)', [D]),
      cases('ISBLANK', 'ISBLANK(a)', [DT]),
      cases('ISBLANK', 'ISBLANK(a)', [TM]),
      cases('ISBLANK', 'ISBLANK(a)', [picklist]),
      cases('ISBLANK', 'ISBLANK(a + b)', [N, N]),
      cases('ISBLANK', 'ISBLANK(a & b)', [T, T]),
      casesWith('ISBLANK', 'ISBLANK(a)', [N], fc.constant({ blankAs: 'zero' as const })),
    ),
    2000,
  ),
  p(
    'ISNULL',
    fc.oneof(
      cases('ISNULL', 'ISNULL(a)', [N]),
      cases('ISNULL', 'ISNULL(a)', [T]),
      cases('ISNULL', 'ISNULL(a)', [D]),
      cases('ISNULL', 'ISNULL(a)', [DT]),
      cases('ISNULL', 'ISNULL(a * b)', [N, N]),
      casesWith('ISNULL', 'ISNULL(a)', [N], fc.constant({ blankAs: 'zero' as const })),
    ),
    2000,
  ),
  p(
    'NULLVALUE',
    fc.oneof(
      cases('NULLVALUE', 'NULLVALUE(a, b)', [N, N]),
      cases('NULLVALUE', 'NULLVALUE(a, 0) + 1', [N]),
      cases('NULLVALUE', 'NULLVALUE(a, b)', [D, D]),
      cases('NULLVALUE', 'NULLVALUE(a, b)', [DT, DT]),
      cases('NULLVALUE', 'NULLVALUE(a, b)', [T, T]),
      cases('NULLVALUE', 'NULLVALUE(a, b)', [C, N]),
      casesWith('NULLVALUE', 'NULLVALUE(a, 5)', [N], fc.constant({ blankAs: 'zero' as const })),
    ),
    2000,
  ),
  p(
    'BLANKVALUE',
    fc.oneof(
      cases('BLANKVALUE', 'BLANKVALUE(a, b)', [T, T]),
      cases('BLANKVALUE', 'BLANKVALUE(a, "none")', [T]),
      cases('BLANKVALUE', 'BLANKVALUE(a, b)', [N, N]),
      cases('BLANKVALUE', 'BLANKVALUE(a, b)', [D, D]),
      cases('BLANKVALUE', 'BLANKVALUE(a, b)', [TM, TM]),
      cases('BLANKVALUE', 'BLANKVALUE(a & b, "x")', [T, T]),
      casesWith('BLANKVALUE', 'BLANKVALUE(a, 5)', [N], fc.constant({ blankAs: 'zero' as const })),
    ),
    2000,
  ),
  p('ISNUMBER', fc.oneof(cases('ISNUMBER', 'ISNUMBER(a)', [['Text', maybe(numericLookingText)]]), cases('ISNUMBER', 'ISNUMBER(a)', [T])), 2000),
  p(
    'ISPICKVAL',
    fc.oneof(
      withLiteral('ISPICKVAL', (l) => `ISPICKVAL(a, ${quote(l)})`, [picklist]),
      cases('ISPICKVAL', 'ISPICKVAL(a, "")', [picklist]),
      withLiteral('ISPICKVAL', (l) => `IF(ISPICKVAL(a, ${quote(l)}), 1, 0)`, [picklist]),
    ),
    2000,
  ),
  p(
    'INCLUDES',
    fc.oneof(
      withLiteral('INCLUDES', (l) => `INCLUDES(a, ${quote(l)})`, [multi], literal.filter((l) => l.trim() !== '')),
      withLiteral('INCLUDES', (l) => `IF(INCLUDES(a, ${quote(l)}), "yes", "no")`, [multi], fc.constantFrom<string>(...PICK)),
    ),
    2000,
  ),
];

familySuite('logic', LOGIC_FUNCTIONS, properties);
