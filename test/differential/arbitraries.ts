/**
 * Input generators for the differential tests. Values are in Parlance's wire form; blanks are null.
 * Numbers have at most 15 significant digits, so a JS number holds them exactly (sformula's input).
 */
import fc from 'fast-check';
import type { Case, FieldType, WireInput } from './harness.js';

// ---------------------------------------------------------------------------
// Blanks

/** The value or, about one time in `freq`, blank. */
export const maybe = <T>(arb: fc.Arbitrary<T>, freq = 8): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq });

// ---------------------------------------------------------------------------
// Numbers

/** `mantissa × 10^-scale` as plain decimal text, canonical (no trailing zeros, no leading zeros). */
export function decimalText(negative: boolean, mantissa: bigint, scale: number): string {
  let digits = mantissa.toString();
  let s: string;
  if (scale <= 0) s = mantissa === 0n ? '0' : digits + '0'.repeat(-scale);
  else {
    digits = digits.padStart(scale + 1, '0');
    const int = digits.slice(0, digits.length - scale);
    const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
    s = frac === '' ? int : `${int}.${frac}`;
  }
  return negative && s !== '0' ? `-${s}` : s;
}

const MAX15 = 10n ** 15n - 1n;

const scaled = (maxMantissa: bigint, minScale: number, maxScale: number): fc.Arbitrary<string> =>
  fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: maxMantissa }), fc.integer({ min: minScale, max: maxScale })).map(([n, m, s]) => decimalText(n, m, s));

/** Boundary and rounding-sensitive values. */
export const SPECIAL_NUMBERS = [
  '0',
  '1',
  '-1',
  '0.5',
  '-0.5',
  '1.5',
  '-1.5',
  '2.5',
  '-2.5',
  '0.1',
  '-0.1',
  '0.01',
  '0.005',
  '-0.005',
  '0.49999',
  '0.999999999999999',
  '-0.999999999999999',
  '999999999999999',
  '-999999999999999',
  '123456789012345',
  '0.000000000000001',
  '-0.000000000000001',
  '100',
  '1000000',
  '12.345',
  '3.14159265358979',
  '2',
  '10',
  '-10',
] as const;

/** Numbers: small integers, everyday decimals, many decimals, huge, tiny, halves and boundaries. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
  { weight: 4, arbitrary: scaled(10n ** 9n, 0, 6) },
  { weight: 2, arbitrary: scaled(MAX15, 8, 15) },
  { weight: 1, arbitrary: scaled(MAX15, -5, 0) },
  { weight: 1, arbitrary: scaled(999n, 10, 18) },
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 4 })).map(([n, k, s]) => decimalText(n, BigInt(k) * 10n + 5n, s)) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS) },
);

/** Numbers within ±bound with up to `places` decimals, plus the boundaries. */
export const boundedNumber = (bound: number, places = 4): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -bound, max: bound }).map(String) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.boolean(), fc.integer({ min: 0, max: bound }), fc.integer({ min: 0, max: 10 ** places - 1 }), fc.integer({ min: 1, max: places }))
        .map(([n, i, f, s]) => decimalText(n, BigInt(i) * 10n ** BigInt(s) + (BigInt(f) % 10n ** BigInt(s)), s))
        .filter((x) => Math.abs(Number(x)) <= bound),
    },
    { weight: 1, arbitrary: fc.constantFrom('0', '1', '-1', '0.5', '-0.5', String(bound), String(-bound)) },
  );

/** Non-negative whole-ish numbers for counts and positions: mostly small, sometimes fractional or negative. */
export const countText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: -1 }).map(String) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -3, max: 20 }), fc.constantFrom('.1', '.5', '.9', '.49', '.999')).map(([i, f]) => (i < 0 ? `-${-i}${f}` : `${i}${f}`)) },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '1000', '-0.5', '0.5', '999999999') },
);

// ---------------------------------------------------------------------------
// Text

/** Characters that stress text functions: ASCII, spaces, accents, case-mapping oddities, surrogate pairs. */
export const TEXT_CHARS = ['a', 'b', 'c', 'x', 'A', 'B', 'Z', ' ', ' ', '-', '.', '0', '1', '5', '9', ',', 'é', 'É', 'ß', 'ı', 'İ', 'Σ', 'ς', 'ﬁ', 'ö', '日', '😀', '𠮟', '\t', '\n', '_', '@', ';'] as const;

export const textOf = (chars: readonly string[], maxLength = 12): fc.Arbitrary<string> => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));

export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: textOf(TEXT_CHARS) },
  { weight: 2, arbitrary: textOf(['a', 'b', 'A', ' ']) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '  a  ', 'Hello World', 'Salesforce', 'ABC', 'abc', 'a;b;c') },
);

/** Text that often reads as a number. */
export const numericLookingText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: numberText },
  { weight: 2, arbitrary: textOf(['0', '1', '2', '9', '.', '-', '+', 'e', 'E', ' ', ',', 'x', 'a']) },
  { weight: 1, arbitrary: fc.constantFrom('', ' 42 ', '1e3', '1E-2', '.5', '5.', '-.5', '+3', '0x1F', '0b1', 'Infinity', 'NaN', '1,000', '1 000', '١٢', '0012', '--1', '1e', '12a') },
);

/** Characters a text literal may hold in both grammars (no quotes, backslashes or control characters). */
export const LITERAL_CHARS = ['a', 'b', 'c', 'A', 'B', ' ', '-', '1', 'é', ';'] as const;

export const quote = (s: string): string => `"${s}"`;

// ---------------------------------------------------------------------------
// Dates and times

export const MS_PER_DAY = 86_400_000;
const MIN_DAY = Date.UTC(1700, 0, 1) / MS_PER_DAY;
const MAX_DAY = Date.UTC(4000, 11, 31) / MS_PER_DAY;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export const formatDay = (days: number): string => new Date(days * MS_PER_DAY).toISOString().slice(0, 10);

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const lastDay = (y: number, m: number): number => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;

const year = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1990, max: 2040 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1700, max: 4000 }) },
  { weight: 2, arbitrary: fc.constantFrom(1700, 1800, 1900, 2000, 2004, 2023, 2024, 2100, 2400, 3999, 4000) },
);

/** Dates in 1700–4000: any day, month ends, leap days and Feb 28, year boundaries. */
export const dateText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: MIN_DAY, max: MAX_DAY }).map(formatDay) },
  { weight: 3, arbitrary: fc.tuple(year, fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${pad(y, 4)}-${pad(m)}-${pad(lastDay(y, m))}`) },
  { weight: 2, arbitrary: fc.tuple(year, fc.constantFrom(28, 29)).map(([y, d]) => `${pad(y, 4)}-02-${pad(isLeap(y) ? d : 28)}`) },
  { weight: 2, arbitrary: fc.tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(Math.min(d, lastDay(y, m)))}`) },
  { weight: 1, arbitrary: fc.constantFrom('1700-01-01', '4000-12-31', '1999-12-31', '2000-01-01', '2000-02-29', '2024-02-29', '2100-02-28', '1970-01-01') },
);

/** Milliseconds of a day, with boundaries. */
export const timeOfDayMs: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: MS_PER_DAY - 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 24 * 60 - 1 }).map((m) => m * 60_000) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 999, 1000, 43_200_000, MS_PER_DAY - 1, MS_PER_DAY - 1000) },
);

export const formatTime = (ms: number): string =>
  `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor((ms % 3_600_000) / 60_000))}:${pad(Math.floor((ms % 60_000) / 1000))}.${pad(ms % 1000, 3)}`;

export const timeText: fc.Arbitrary<string> = timeOfDayMs.map(formatTime);

/** Instants that fall on or next to the DST changes of the zones below (2024). */
const DST_INSTANTS = [
  '2024-03-10T07:00:00.000Z', // America/New_York spring forward
  '2024-11-03T06:00:00.000Z', // America/New_York fall back
  '2024-03-31T01:00:00.000Z', // Europe/Paris spring forward
  '2024-10-27T01:00:00.000Z', // Europe/Paris fall back
  '2024-04-06T15:00:00.000Z', // Australia/Lord_Howe
  '2024-10-05T15:30:00.000Z',
  '2024-03-10T05:00:00.000Z',
  '2024-11-03T04:59:59.999Z',
];

/** Instants in 1700–4000 (canonical ISO text), with midnights, DST changes and day edges. */
export const dateTimeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: MIN_DAY * MS_PER_DAY, max: (MAX_DAY + 1) * MS_PER_DAY - 1 }).map((ms) => new Date(ms).toISOString()) },
  { weight: 2, arbitrary: fc.tuple(dateText, timeOfDayMs).map(([d, t]) => `${d}T${formatTime(t)}Z`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...DST_INSTANTS), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }))
      .map(([i, off]) => new Date(Date.parse(i) + Math.round(off / 60_000) * 60_000).toISOString()),
  },
  { weight: 1, arbitrary: fc.constantFrom('1700-01-01T00:00:00.000Z', '4000-12-31T23:59:59.999Z', '2000-02-29T12:00:00.000Z', '2026-11-21T10:00:00.000Z') },
);

/** Time zones with whole, half and quarter hour offsets, DST, and both ends of the offset range. */
export const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/Paris',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
] as const;

export const zone = fc.constantFrom(...ZONES);

// ---------------------------------------------------------------------------
// Case builders

/** A generator of one field's value. */
export type FieldGen = readonly [FieldType, fc.Arbitrary<WireInput>];

/** Blank-or-value generators for each field type. */
export const FIELD: Record<'Number' | 'Currency' | 'Percent' | 'Text' | 'Date' | 'DateTime' | 'Time' | 'Boolean', FieldGen> = {
  Number: ['Number', maybe(numberText)],
  Currency: ['Currency', maybe(numberText)],
  Percent: ['Percent', maybe(numberText)],
  Text: ['Text', maybe(text)],
  Date: ['Date', maybe(dateText)],
  DateTime: ['DateTime', maybe(dateTimeText)],
  Time: ['Time', maybe(timeText)],
  // A Salesforce checkbox is never blank (SOQL: "null matches FALSE values" for a boolean field).
  Boolean: ['Boolean', fc.boolean()],
};

/**
 * Cases for a formula over fields `a`, `b`, … generated independently.
 * `extra` adds case options (scale, returnType, blankAs, timezone, now).
 */
export function cases(fn: string, formula: string, fields: readonly FieldGen[], extra: Partial<Omit<Case, 'fn' | 'formula' | 'fields' | 'record'>> = {}): fc.Arbitrary<Case> {
  const names = fields.map((_, i) => String.fromCharCode(97 + i));
  return fc.tuple(...fields.map(([, arb]) => arb)).map((values) => ({
    fn,
    formula,
    fields: Object.fromEntries(names.map((n, i) => [n, (fields[i] as FieldGen)[0]])),
    record: Object.fromEntries(names.map((n, i) => [n, values[i] as WireInput])),
    ...extra,
  }));
}

/** Like `cases`, with the options drawn per case. */
export function casesWith(
  fn: string,
  formula: string,
  fields: readonly FieldGen[],
  options: fc.Arbitrary<Partial<Omit<Case, 'fn' | 'formula' | 'fields' | 'record'>>>,
): fc.Arbitrary<Case> {
  return fc.tuple(cases(fn, formula, fields), options).map(([c, o]) => ({ ...c, ...o }));
}

/** Scale and blank handling options for numeric results. */
export const numericOptions = fc.record(
  {
    scale: fc.integer({ min: 0, max: 6 }),
    blankAs: fc.constantFrom('blank' as const, 'zero' as const),
  },
  { requiredKeys: [] },
);
