/**
 * Differential testing against sformula (github.com/stomita/sformula, tested by its author
 * against a live Salesforce org).
 *
 * A case is a formula, its field types and one record. Both engines evaluate it; both results are
 * normalised to one comparable form (`Outcome`) and compared. A disagreement fails the suite unless
 * one entry of `KNOWN_DIFFERENCES` recognises it: each entry names the deviation, says why, and
 * cites the source that shows Salesforce's behaviour. docs/compatibility.md lists the same entries
 * under "Differential testing against sformula".
 *
 * Value conventions:
 * - Generators produce record values in Parlance's wire form (numbers as decimal strings, times
 *   as `HH:mm:ss.SSS`). sformula gets JS numbers (generated numbers have at most 15 significant
 *   digits, so the JS number is the same decimal) and times with its `Z` suffix.
 * - sformula returns numbers as JS doubles (cast.ts: `value.toNumber()`), so two numbers agree when
 *   our exact decimal text rounds to the very same double.
 * - Blank text is null in both (sformula's result goes through BLANKVALUE(x, null); our wire
 *   encodes "" as null).
 * - sformula reads dates in the process time zone (dayjs local time). The harness runs it with
 *   TZ=UTC, or with TZ set to the case's time zone for zone-dependent functions, and fakes the clock
 *   for TODAY(), NOW() and TIMENOW().
 * - Two errors agree whatever their messages (sformula's compile errors are exceptions, its runtime
 *   "errors" are mostly blanks, which the known differences name).
 *
 * Seeds are fixed (derived from DIFF_SEED, default 20261121, and the property's name), so a run is
 * reproducible; a failure prints the seed. DIFF_EXPLORE=1 prints unexplained disagreements instead
 * of failing (for development); DIFF_REPORT=1 prints the statistics per function.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { parseSync, type Formula } from 'sformula';
import { vi } from 'vitest';
import { compileFormula, type CompiledFormula } from '../../src/index.js';
import { runs } from '../helpers/runs.js';

// ---------------------------------------------------------------------------
// Cases

export type FieldType = 'Number' | 'Currency' | 'Percent' | 'Text' | 'Id' | 'Picklist' | 'MultiPicklist' | 'Boolean' | 'Date' | 'DateTime' | 'Time';

/** A record value in Parlance's wire form; `null` is blank. */
export type WireInput = string | boolean | null;

export interface Case {
  /** The function or operator the case exercises, for the statistics (`ROUND`, `+`, …). */
  readonly fn: string;
  readonly formula: string;
  readonly fields: Readonly<Record<string, FieldType>>;
  readonly record: Readonly<Record<string, WireInput>>;
  readonly returnType?: FieldType;
  readonly scale?: number;
  readonly blankAs?: 'blank' | 'zero';
  /** IANA zone: our evaluation zone, and sformula's process zone (TZ). Default UTC. */
  readonly timezone?: string;
  /** The clock, as an ISO instant (TODAY, NOW, TIMENOW). */
  readonly now?: string;
}

const SF_TYPE: Record<FieldType, string> = {
  Number: 'number',
  Currency: 'currency',
  Percent: 'percent',
  Text: 'string',
  Id: 'id',
  Picklist: 'picklist',
  MultiPicklist: 'multipicklist',
  Boolean: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
};

const NUMERIC: ReadonlySet<string> = new Set(['Number', 'Currency', 'Percent']);

// ---------------------------------------------------------------------------
// Outcomes

export type ValueKind = 'number' | 'text' | 'boolean' | 'date' | 'datetime' | 'time';

/** One engine's result in comparable form. Numbers are decimal text; blank is null. */
export type Outcome = { readonly kind: 'error'; readonly message: string } | { readonly kind: ValueKind; readonly value: string | boolean | null };

const KIND_OF_WIRE: Record<string, ValueKind> = {
  Number: 'number',
  Currency: 'number',
  Percent: 'number',
  Text: 'text',
  Id: 'text',
  Picklist: 'text',
  MultiPicklist: 'text',
  Boolean: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
};

const KIND_OF_SF: Record<string, ValueKind> = {
  number: 'number',
  currency: 'number',
  percent: 'number',
  string: 'text',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
};

/** Plain decimal text of a JS number, without exponent (`1e-7` → `0.0000001`). */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [mantissa, expText] = s.split(/e/i) as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const point = (mantissa.replace(/^-/, '').indexOf('.') + 1 || mantissa.replace(/^-/, '').length + 1) - 1 + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + out;
}

/** Two decimal texts denote the same JS double (sformula returns doubles). */
export function sameDouble(a: string, b: string): boolean {
  return Number(a) === Number(b);
}

// ---------------------------------------------------------------------------
// Running the engines

const oursCache = new Map<string, CompiledFormula>();
const sfCache = new Map<string, Formula | Error>();

function cacheKey(c: Case): string {
  return JSON.stringify([c.formula, c.fields, c.returnType ?? null, c.scale ?? null, c.blankAs ?? null]);
}

export function runOurs(c: Case): Outcome {
  const key = cacheKey(c);
  let f = oursCache.get(key);
  if (f === undefined) {
    f = compileFormula(c.formula, {
      fields: c.fields,
      ...(c.returnType !== undefined ? { returnType: c.returnType } : {}),
      ...(c.scale !== undefined ? { scale: c.scale } : {}),
      ...(c.blankAs !== undefined ? { blankAs: c.blankAs } : {}),
    });
    oursCache.set(key, f);
  }
  if (!f.ok) {
    const d = f.diagnostics.find((x) => x.severity === 'error');
    return { kind: 'error', message: `compile ${d?.code ?? '?'}: ${d?.message ?? ''}` };
  }
  const w = f.evaluateToWire({ record: c.record, ...(c.now !== undefined ? { now: c.now } : {}), ...(c.timezone !== undefined ? { timezone: c.timezone } : {}) });
  if ('error' in w) return { kind: 'error', message: `${w.error.code}: ${w.error.message}` };
  const kind = KIND_OF_WIRE[w.type];
  if (kind === undefined) return { kind: 'error', message: `unexpected result type ${w.type}` };
  if (w.value === null) return { kind, value: null };
  if (kind === 'number') {
    // sformula reads a Percent as a fraction and never returns the percent type; compare fractions.
    const text = w.value as string;
    return { kind, value: w.type === 'Percent' ? plainNumber(Number(text) / 100) : text };
  }
  return { kind, value: w.value as string | boolean };
}

function sfRecordValue(type: FieldType, v: WireInput): unknown {
  if (v === null) return null;
  if (NUMERIC.has(type)) return Number(v);
  if (type === 'Time') return `${v as string}Z`;
  return v;
}

let currentZone: string | undefined;

/** sformula works in the process time zone; Node re-reads TZ when it is assigned. */
function useZone(zone: string): void {
  // Compared with the environment, not only a cache: test/helpers/setup.ts puts TZ back after each file.
  if (currentZone === zone && process.env.TZ === zone) return;
  process.env.TZ = zone;
  currentZone = zone;
}

export function runSformula(c: Case): Outcome {
  const key = cacheKey(c);
  let f = sfCache.get(key);
  if (f === undefined) {
    try {
      f = parseSync(c.formula, {
        inputTypes: Object.fromEntries(Object.entries(c.fields).map(([k, t]) => [k, { type: SF_TYPE[t] } as never])),
        ...(c.returnType !== undefined ? { returnType: SF_TYPE[c.returnType] as never } : {}),
        ...(c.scale !== undefined ? { scale: c.scale } : {}),
        ...(c.blankAs === 'zero' ? { blankAsZero: true } : {}),
      });
    } catch (e) {
      f = e instanceof Error ? e : new Error(String(e));
    }
    sfCache.set(key, f);
  }
  if (f instanceof Error) return { kind: 'error', message: `compile: ${f.message}` };
  const record: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.record)) record[k] = sfRecordValue(c.fields[k] as FieldType, v);
  useZone(c.timezone ?? 'UTC');
  let v: unknown;
  try {
    if (c.now !== undefined) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(c.now));
    }
    v = f.evaluate(record);
  } catch (e) {
    return { kind: 'error', message: `runtime: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    if (c.now !== undefined) vi.useRealTimers();
  }
  const kind = KIND_OF_SF[f.returnType];
  if (kind === undefined) return { kind: 'error', message: `unexpected sformula result type ${f.returnType}` };
  if (v === null || v === undefined || v === '') return { kind, value: null };
  switch (kind) {
    case 'number':
      return { kind, value: typeof v === 'number' ? plainNumber(v) : `non-number ${JSON.stringify(v)}` };
    case 'boolean':
      return { kind, value: v as boolean };
    case 'datetime': {
      const ms = Date.parse(String(v));
      return { kind, value: Number.isNaN(ms) ? String(v) : new Date(ms).toISOString() };
    }
    case 'time':
      return { kind, value: String(v).replace(/Z$/, '') };
    default:
      return { kind, value: String(v) };
  }
}

export function agree(ours: Outcome, theirs: Outcome): boolean {
  if (ours.kind === 'error' || theirs.kind === 'error') return ours.kind === 'error' && theirs.kind === 'error';
  if (ours.kind !== theirs.kind) return false;
  if (ours.value === null || theirs.value === null) return ours.value === theirs.value;
  if (ours.kind === 'number') return sameDouble(ours.value as string, theirs.value as string);
  return ours.value === theirs.value;
}

// ---------------------------------------------------------------------------
// Known differences

export interface KnownDifference {
  /** Stable identifier, also used in docs/compatibility.md. */
  readonly id: string;
  /** Functions or operators it applies to (the `fn` of a case); undefined: any. */
  readonly functions?: readonly string[];
  /** Why the engines differ, and which one follows Salesforce. */
  readonly reason: string;
  /** Where Salesforce's behaviour is shown. */
  readonly source: string;
  /** Recognises the disagreement. Must be narrow: it must not hide anything else. */
  readonly matches: (c: Case, ours: Outcome, theirs: Outcome) => boolean;
}

const isError = (o: Outcome): o is { kind: 'error'; message: string } => o.kind === 'error';
const errorCode = (o: Outcome): string | undefined => (o.kind === 'error' ? o.message.split(':')[0] : undefined);
const valueOf = (o: Outcome): string | boolean | null | undefined => (o.kind === 'error' ? undefined : o.value);

export { errorCode, isError, valueOf };

const num = (o: Outcome): number => Number(valueOf(o));
const isNumberValue = (o: Outcome): boolean => o.kind === 'number' && o.value !== null;
const MS_PER_DAY = 86_400_000;

/** Both engines see the same three-valued result inside the formula: IF(f, "T", IF(NOT(f), "F", "N")). */
function sameInnerBoolean(c: Case): boolean {
  const probe: Case = { ...c, formula: `IF(${c.formula}, "T", IF(NOT(${c.formula}), "F", "N"))`, returnType: undefined };
  const a = runOurs(probe);
  const b = runSformula(probe);
  return a.kind === 'text' && b.kind === 'text' && a.value === 'N' && b.value === 'N';
}

const inSalesforceRange = (iso: string): boolean => iso >= '1700-01-01' && iso < '4001-01-01';

/*
 * Small models of formula-engine's in-memory commands (salesforce/formula-engine, commands/*.java),
 * so that a known difference recognises exactly the documented behaviour and nothing else.
 */
export const javaInt = (v: WireInput): number => Math.trunc(Number(v));
export const field = (c: Case, name: string): WireInput => c.record[name] ?? null;

/** FormulaTextUtil.formulaTrim: strips ' ' only; empty is null. */
export function javaTrim(text: string): string | null {
  const t = text.replace(/^ +/, '').replace(/ +$/, '');
  return t === '' ? null : t;
}

/** FunctionMidCommand. */
export function javaMid(text: WireInput, start: WireInput, count: WireInput): string | null {
  if (start === null || count === null) return null;
  const n = Math.max(0, Number(count));
  const first = Math.max(1, Number(start));
  const t = text === null ? '' : String(text);
  if (t === '' || n === 0 || first > t.length) return null;
  const from = Math.trunc(first) - 1;
  return t.slice(from, from + Math.trunc(n)) || null;
}

/** FunctionFindCommand (Java's indexOf), except that a start_num of 0 or less gives 0 (help customize_functions_find). */
function javaFind(search: WireInput, text: WireInput, start: WireInput): number {
  if (search === null || search === '' || text === null || text === '') return 0;
  if (start !== null && Number(start) <= 0) return 0;
  const from = start === null ? 0 : Math.max(0, javaInt(start) - 1);
  return from > String(text).length ? 0 : String(text).indexOf(String(search), from) + 1;
}

/** The case's result for an inner text result, for the wrappers the text suites use. */
function wrapped(c: Case, inner: string | null): string | null {
  if (c.formula.startsWith('"[" & ')) return `[${inner ?? ''}]`;
  if (c.formula.startsWith('LEN(')) return String((inner ?? '').length);
  return inner;
}

const lastDayOf = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const validYmd = (y: number, m: number, d: number): boolean => m >= 1 && m <= 12 && d >= 1 && d <= lastDayOf(y, m);

/** SimpleDateFormat("yyyy-MM-dd"), not lenient, after the `\d{4}-.*` pre-check; text after the date is ignored. */
function javaDateText(s: string): boolean {
  const m = /^\d{4}-[^\n\r]*$/.test(s) ? /^(\d{4})-(\d+)-(\d+)/.exec(s) : null;
  return m !== null && validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** SimpleDateFormat("yyyy-MM-dd HH:mm:ss"), not lenient, read as GMT. */
function javaDateTimeText(s: string): boolean {
  const m = /^\d{4}-[^\n\r]*$/.test(s) ? /^(\d{4})-(\d+)-(\d+) (\d+):(\d+):(\d+)/.exec(s) : null;
  return m !== null && validYmd(Number(m[1]), Number(m[2]), Number(m[3])) && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59;
}

/** FunctionTimeValue.parseTime: SimpleDateFormat("HH:mm:ss.SSS"), not lenient, the whole text. */
function javaTimeText(s: string): boolean {
  const m = /^(\d+):(\d+):(\d+)\.(\d+)$/.exec(s);
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 59 && Number(m[4]) <= 999;
}

/** Whether the date or time arguments of a case are invalid for Salesforce's parser or calendar. */
function invalidDateOrTime(c: Case): boolean {
  const text = String(c.record.a);
  switch (c.fn) {
    case 'DATE': {
      const args = /DATE\((.*)\)/.exec(c.formula)?.[1]?.split(', ') ?? [];
      const [y, m, d] = args.map((x) => javaInt(x in c.record ? (c.record[x] as WireInput) : x));
      return !validYmd(y as number, m as number, d as number);
    }
    case 'DATEVALUE':
      return c.fields.a === 'Text' && !javaDateText(text);
    case 'DATETIMEVALUE':
      return c.fields.a === 'Text' && !javaDateTimeText(text);
    case 'TIMEVALUE':
      return c.fields.a === 'Text' && !javaTimeText(text);
    default:
      return false;
  }
}

/** sformula's EXP/LN/LOG/SQRT against ours (see 'transcendental-precision'). */
function withinTranscendentalTolerance(c: Case, ours: Outcome, theirs: Outcome): boolean {
  if (!isNumberValue(ours) || !isNumberValue(theirs) || !Number.isFinite(num(theirs))) return false;
  const arg = Math.abs(Number(c.record.a ?? 0));
  const relative = c.fn === 'EXP' ? 1e-15 + arg * 1e-16 : 1e-15;
  let tolerance = new Decimal(Math.abs(num(theirs))).times(relative).plus('4e-16');
  if (c.scale !== undefined) {
    // Rounded to the scale: also one unit in the last place, if the unrounded results are within tolerance.
    const unscaled: Case = { ...c, scale: undefined };
    const o = runOurs(unscaled);
    const t = runSformula(unscaled);
    if (!agree(o, t) && !withinTranscendentalTolerance(unscaled, o, t)) return false;
    tolerance = tolerance.plus(new Decimal(10).pow(-c.scale));
  }
  return new Decimal(String(valueOf(ours))).minus(String(valueOf(theirs))).abs().lte(tolerance);
}

/** The GMT date of a Date/Time record value, as `DATEVALUE(a)` or `DAY(DATEVALUE(a))` shows it. */
function gmtDateOf(formula: string, instant: string): string | undefined {
  const iso = new Date(instant).toISOString().slice(0, 10);
  if (formula === 'DATEVALUE(a)') return iso;
  if (formula === 'DAY(DATEVALUE(a))') return String(Number(iso.slice(8, 10)));
  return undefined;
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'blank-checkbox-result',
    reason:
      'A Boolean result that is blank (a comparison or logical operator with a blank operand) is null on our wire, as CONTRACT §1 encodes every blank. sformula casts the final result of a Checkbox formula with !!value (cast.ts), so it reads FALSE. Inside the formula both engines agree: the harness checks IF(f, "T", IF(NOT(f), "F", "N")) gives "N" in both.',
    source: 'Salesforce help "Formula Data Types" (choosing_a_formula_data_type): a Checkbox formula returns true or false; sformula src/cast.ts castValue',
    matches: (c, ours, theirs) => ours.kind === 'boolean' && ours.value === null && theirs.kind === 'boolean' && theirs.value === false && sameInnerBoolean(c),
  },
  {
    id: 'text-result-not-trimmed',
    reason:
      'sformula trims the leading and trailing white space of a Text formula result (cast.ts: "trim the space from the output"), as a Salesforce formula field displays it. Parlance keeps it: a formula result is spliced into a message template, where spaces and line breaks are content.',
    source: 'sformula src/cast.ts castValue (validated by its author against a live org)',
    matches: (_c, ours, theirs) => ours.kind === 'text' && theirs.kind === 'text' && typeof ours.value === 'string' && (ours.value.trim() === '' ? null : ours.value.trim()) === theirs.value,
  },
  {
    id: 'division-by-zero-error',
    reason: 'Dividing by zero is an error in Parlance (E_DIVISION_BY_ZERO), as Salesforce shows #Error!; sformula returns blank.',
    source:
      'salesforce/formula-engine OperatorDivide.execute (BigDecimal.divide throws on a zero divisor); Salesforce help customize_functions_divide guards divisions with IF(x > 0, …); sformula src/builtin/operator.ts $$DIVIDE_NUMBER$$',
    matches: (c, ours, theirs) => c.formula === 'a / b' && Number(c.record.b ?? 0) === 0 && errorCode(ours) === 'E_DIVISION_BY_ZERO' && theirs.kind === 'number' && theirs.value === null,
  },
  {
    id: 'output-18-decimal-places',
    reason:
      'Without a scale, Parlance prints at most 18 decimal places (rounded half up), the largest scale of a Salesforce number, of an exact decimal; sformula returns a binary double. They differ by at most half a unit in the 18th place plus one unit in the last place of the double.',
    source: 'Salesforce help "Formula Data Types" (choosing_a_formula_data_type): a Number formula returns a decimal of up to 18 digits, rounded half up; sformula src/cast.ts (BigNumber.toNumber)',
    matches: (_c, ours, theirs) => {
      if (!isNumberValue(ours) || !isNumberValue(theirs) || !Number.isFinite(num(theirs))) return false;
      const t = num(theirs);
      const ulp = t === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(Math.abs(t))) - 52);
      return new Decimal(String(valueOf(ours))).minus(String(valueOf(theirs))).abs().lte(new Decimal('5e-19').plus(ulp));
    },
  },
  {
    id: 'non-finite-number-error',
    reason: 'A result that is not a finite number (0 ^ -1) is an error in Parlance, as in Salesforce; sformula returns Infinity or NaN.',
    source: 'salesforce/formula-engine BigDecimalHelper.formulaPower ("Out of range argument to POWER() function"); BigDecimal has no infinity',
    matches: (_c, ours, theirs) => ours.kind === 'error' && theirs.kind === 'number' && theirs.value !== null && !Number.isFinite(num(theirs)),
  },
  {
    id: 'time-difference-24-hour-clock',
    functions: ['-', 'TIMENOW'],
    reason: 'Time − Time is the positive number of milliseconds on a 24-hour clock (5 AM − 7 AM is 22 hours); sformula returns a negative difference.',
    source: 'Salesforce Summer \'18 release notes (rn_forcecom_field_time_ga; shared/PLATFORM-FACTS.md §6); salesforce/formula-engine OperatorAddOrSubtract (difference + one day, remainder of one day)',
    matches: (c, ours, theirs) =>
      /\bTIME|Time/.test(`${c.formula} ${Object.values(c.fields).join(' ')}`) &&
      c.formula.includes('-') &&
      isNumberValue(ours) &&
      isNumberValue(theirs) &&
      (((num(theirs) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) === num(ours),
  },
  {
    id: 'date-range-1700-4000',
    reason: 'Salesforce dates run from 1700-01-01 to 4000-12-31; a result outside is E_DATE_OUT_OF_RANGE in Parlance. sformula returns the out-of-range date.',
    source: 'Salesforce knowledge article 000383587 (valid dates are 1700-01-01 to 4000-12-31); developer.salesforce.com Data Loader "Data Import Dates"',
    matches: (c, ours, theirs) =>
      errorCode(ours) === 'E_DATE_OUT_OF_RANGE' &&
      (theirs.kind === 'date' || theirs.kind === 'datetime') &&
      // sformula's DATE() gives blank for a year past 9999
      (typeof theirs.value === 'string' ? !inSalesforceRange(theirs.value) : c.fn === 'DATE' && Object.values(c.record).some((v) => Number(v) > 9999)),
  },
  {
    id: 'datetime-days-whole-seconds',
    functions: ['+', '-'],
    reason:
      'A Date/Time moves by the day count rounded half up to whole seconds, as Salesforce does ("round to the nearest second", like Oracle). sformula adds the exact milliseconds, computed in binary floating point.',
    source: 'salesforce/formula-engine FormulaDateUtil.addDurationToDate (truncate = false) and OperatorAddOrSubtract.getJavascript (Math.round(86400 * n) * 1000)',
    matches: (c, ours, theirs) => {
      if (c.fields.a !== 'DateTime' || ours.kind !== 'datetime' || theirs.kind !== 'datetime' || ours.value === null || theirs.value === null) return false;
      const sign = c.formula === 'a - b' ? -1 : 1;
      const seconds = new Decimal(String(c.record.b)).times(86_400).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
      const o = Date.parse(String(ours.value));
      return o === Date.parse(String(c.record.a)) + sign * seconds * 1000 && Math.abs(o - Date.parse(String(theirs.value))) <= 500;
    },
  },
  {
    id: 'time-fraction-truncated-first',
    functions: ['+', '-'],
    reason:
      'Time ± a fractional number of milliseconds: Salesforce truncates the number to whole milliseconds before adding (BigDecimal.longValue); sformula adds the fraction and truncates the sum, which differs by 1 ms for negative sums.',
    source: 'salesforce/formula-engine OperatorAddOrSubtractFormulaCommand.execute (millisecsToAdd = rhs.longValue())',
    matches: (c, ours, theirs) => {
      if (c.fields.a !== 'Time' || ours.kind !== 'time' || theirs.kind !== 'time' || ours.value === null || theirs.value === null) return false;
      const b = Number(c.record.b);
      const sign = c.formula === 'a - b' ? -1 : 1;
      const toMs = (t: string) => Number(t.slice(0, 2)) * 3_600_000 + Number(t.slice(3, 5)) * 60_000 + Number(t.slice(6, 8)) * 1000 + Number(t.slice(9, 12));
      const expected = (((toMs(String(c.record.a)) + sign * Math.trunc(b)) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
      const d = Math.abs(toMs(String(ours.value)) - toMs(String(theirs.value)));
      return !Number.isInteger(b) && toMs(String(ours.value)) === expected && (d === 1 || d === MS_PER_DAY - 1);
    },
  },
  {
    id: 'case-blank-never-matches',
    functions: ['CASE'],
    reason:
      'CASE on a blank number, date or other non-text value matches no value, not even a blank one (blank is not equal to blank); sformula matches blank with blank. Text compares blank and empty text as equal in both.',
    source: 'salesforce/formula-engine FunctionCase (SQL CASE x WHEN …, and the JavaScript "Make sure null != null"); sformula src/builtin/types.ts isEquivalent',
    matches: (c) => c.record.a === null && c.record.b === null && !['Text', 'Picklist', 'Id', 'MultiPicklist'].includes(String(c.fields.a)),
  },
  {
    id: 'ispickval-blank',
    functions: ['ISPICKVAL'],
    reason: 'ISPICKVAL(field, "") is TRUE for a blank picklist: "" is the none-selected value. sformula returns FALSE for a blank picklist whatever the literal.',
    source: 'salesforce/formula-engine FunctionIsPickVal.comparePointwise ("The none selected picklist value") and compareBulk (IS NULL)',
    matches: (c, ours, theirs) => c.record.a === null && /ISPICKVAL\(a, ""\)/.test(c.formula) && valueOf(ours) !== valueOf(theirs),
  },
  {
    id: 'isnumber-java-syntax',
    functions: ['ISNUMBER'],
    reason:
      'ISNUMBER accepts what Java\'s BigDecimal parses: no surrounding white space, no "Infinity". sformula uses JavaScript\'s Number(), which accepts " 5 ", "\\t" (as 0) and "Infinity".',
    source: 'salesforce/formula-engine BigDecimalHelper.functionIsNumber (new BigDecimal(input)); sformula src/builtin/logic.ts ISNUMBER',
    matches: (c, ours, theirs) => valueOf(ours) === false && valueOf(theirs) === true && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(String(c.record.a)),
  },
  {
    id: 'mid-fractional-start',
    functions: ['MID'],
    reason:
      'MID compares a fractional start_num with the text before truncating it: below 1 it starts at the first character, past the length of the text it gives blank (MID("abc", 3.5, 1) is blank). sformula rounds start_num down first, so MID("a", 0.5, 1) is blank there and MID("abc", 3.5, 1) is "c".',
    source: 'salesforce/formula-engine FunctionMidCommand.execute (start < 1 becomes 1; start > length gives null; then intValue())',
    matches: (c, ours, theirs) =>
      c.formula.includes('MID(a, b, c)') && !Number.isInteger(Number(c.record.b)) && theirs.kind === 'text' && ours.kind === 'text' && ours.value === wrapped(c, javaMid(field(c, 'a'), field(c, 'b'), field(c, 'c'))),
  },
  {
    id: 'begins-contains-blank-text',
    functions: ['BEGINS', 'CONTAINS'],
    reason: 'BEGINS and CONTAINS of blank text (with a non-blank compare_text) are blank, so a validation rule passes for a blank field; sformula returns FALSE.',
    source: 'salesforce/formula-engine FunctionBeginsCommand and FunctionContains (blank compare_text: TRUE; blank text: null)',
    matches: (c, ours, theirs) => (c.record.a === null || c.record.a === '') && ours.kind === 'boolean' && ours.value === null && theirs.kind === 'boolean' && theirs.value === false,
  },
  {
    id: 'find-start-position',
    functions: ['FIND'],
    reason:
      'FIND truncates a fractional start_num (11.9 searches from 11, 0.5 from 1); sformula rounds it half up. A start_num of 0 or less gives 0 in both (help customize_functions_find).',
    source: 'salesforce/formula-engine FunctionFindCommand.execute (value.indexOf(search, start.intValue() - 1))',
    matches: (c, ours, theirs) => {
      const start = Number(c.record.c);
      return c.formula === 'FIND(b, a, c)' && !Number.isInteger(start) && isNumberValue(theirs) && valueOf(ours) === String(javaFind(field(c, 'b'), field(c, 'a'), field(c, 'c')));
    },
  },
  {
    id: 'trim-spaces-only',
    functions: ['TRIM'],
    reason: 'TRIM removes only spaces at the ends of the text, keeping tabs and line breaks; sformula removes all white space (JavaScript \\s).',
    source: 'salesforce/formula-engine FormulaTextUtil.formulaTrim (strips \' \' only); SQL TRIM() strips spaces',
    matches: (c, ours, theirs) =>
      typeof c.record.a === 'string' && /^\s*[^\S ]|[^\S ]\s*$/.test(c.record.a) && ours.kind === theirs.kind && valueOf(ours) === wrapped(c, javaTrim(c.record.a)),
  },
  {
    id: 'datevalue-gmt-date',
    functions: ['DATEVALUE'],
    reason:
      'DATEVALUE of a Date/Time is its GMT date, whatever the evaluation time zone, as a live org gives it; sformula converts it in the process time zone (dayjs local()), which the harness sets to the case\'s zone.',
    source:
      'stomita/sformula test/fixtures/formula-defs.yml `DATEVALUE(Datetime01__c)` on test-records.yml {Datetime01__c: 2018-01-01T14:00:00+09:00}: 2018-01-01 in the scratch org (asserted by sformula\'s CI); issue 17',
    matches: (c, ours, theirs) =>
      c.timezone !== undefined && c.timezone !== 'UTC' && typeof c.record.a === 'string' && ours.kind === theirs.kind && valueOf(ours) === gmtDateOf(c.formula, c.record.a),
  },
  {
    id: 'text-number-plain',
    functions: ['TEXT'],
    reason: 'TEXT of a number never uses exponent notation (TEXT(0.0000001) is ".0000001"); sformula prints bignumber.js exponent notation below 1e-7 ("1e-7").',
    source: 'salesforce/formula-engine BigDecimalHelper.formatBigDecimal (stripTrailingZeros().toPlainString()); Salesforce help customize_functions_text',
    matches: (_c, ours, theirs) =>
      ours.kind === 'text' && theirs.kind === 'text' && /e/.test(String(theirs.value)) && Number(String(ours.value).replace(/^(-?)\./, '$10.')) === Number(theirs.value),
  },
  {
    id: 'value-java-syntax',
    functions: ['VALUE'],
    reason:
      'VALUE reads what Java\'s BigDecimal reads (an optional sign, digits, a point, an exponent); other text, such as " 42 " with spaces, "Infinity" or "0x1F", is not a number and gives blank. sformula uses JavaScript\'s Number(), which also accepts those (and reads "   " as 0).',
    source: 'salesforce/formula-engine FunctionValue (new BigDecimal(input)); Salesforce help customize_functions_value ("If the text in a VALUE function is a non-numerical/invalid format … resolves to a blank value"); sformula src/builtin/string.ts VALUE',
    matches: (c, ours, theirs) =>
      typeof c.record.a === 'string' && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(c.record.a) && ours.kind === 'number' && ours.value === null && theirs.kind === 'number' && theirs.value !== null,
  },
  {
    id: 'text-boolean-type-error',
    functions: ['TEXT'],
    reason: 'TEXT does not take a checkbox (Boolean): a compile-time type error in Parlance, as in Salesforce; sformula returns "true" or "false".',
    source:
      'salesforce/formula-engine FunctionText (its validate() accepts Number, Date, Date/Time, Time and picklist, not Boolean); Salesforce Trailhead "Use Text Formulas": TEXT() converts a Percent, Number, Date, Date/Time, picklist or Currency field',
    matches: (c, ours, theirs) => c.fields.a === 'Boolean' && errorCode(ours) === 'compile E_TYPE_MISMATCH' && theirs.kind === 'text',
  },
  {
    id: 'text-quotient-digits',
    functions: ['TEXT'],
    reason:
      'TEXT shows every digit of a number. An inexact quotient has 39 significant digits in Parlance and Salesforce and 20 decimal places in sformula (in exponent notation below 1e-7), so TEXT(1/3) differs in length; the digits agree up to the shorter one.',
    source: 'salesforce/formula-engine BigDecimalHelper (MC_PRECISION_INTERNAL: 39 digits; formatBigDecimal); bignumber.js DECIMAL_PLACES default 20',
    matches: (c, ours, theirs) => {
      if (!c.formula.includes('/') || ours.kind !== 'text' || theirs.kind !== 'text' || ours.value === null || theirs.value === null) return false;
      const o = String(ours.value).replace(/^(-?)\./, '$10.');
      const raw = String(theirs.value).replace(/^(-?)\./, '$10.');
      if (!/^-?\d+(\.\d+)?$/.test(o) || !/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(raw)) return false;
      const t = new Decimal(raw).toFixed();
      // sformula rounds quotients to 20 places (bignumber.js DECIMAL_PLACES); compare at that precision or ours, whichever is coarser.
      const places = Math.min((o.split('.')[1] ?? '').length, 20);
      return new Decimal(o).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).eq(new Decimal(t).toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
    },
  },
  {
    id: 'math-domain-error',
    functions: ['SQRT', 'LOG', 'LN'],
    reason: 'SQRT of a negative number, and LOG or LN of zero or a negative number, is an error (#Error!); sformula returns blank.',
    source: 'salesforce/formula-engine FunctionSquareRoot (SQL guard arg < 0), FunctionLog and FunctionNaturalLog (guard arg <= 0; Java BigDecimal.valueOf(NaN) throws)',
    matches: (c, ours, theirs) =>
      errorCode(ours) === 'E_INVALID_ARGUMENT' && theirs.kind === 'number' && theirs.value === null && (c.fn === 'SQRT' ? Number(c.record.a ?? 0) < 0 : Number(c.record.a ?? 0) <= 0),
  },
  {
    id: 'exp-fractional-argument',
    functions: ['EXP'],
    reason: 'EXP takes any number (EXP(0.5) is 1.6487…); sformula computes Math.E raised with bignumber.js, which only takes integer powers, and fails.',
    source: 'salesforce/formula-engine FunctionExponent (Math.exp of the argument; SQL EXP); sformula src/builtin/number.ts EXP',
    matches: (c, ours, theirs) => !Number.isInteger(Number(c.record.a)) && isNumberValue(ours) && theirs.kind === 'error' && theirs.message.includes('Exponent not an integer'),
  },
  {
    id: 'transcendental-precision',
    functions: ['EXP', 'LN', 'LOG', 'SQRT'],
    reason:
      'EXP, LN, LOG and SQRT are Java doubles in Parlance, as in Salesforce\'s in-memory evaluator (Math.exp, Math.log, Math.log(x) / Math.log(10), Math.sqrt); sformula uses other double formulas (Math.E raised to a power with bignumber.js, whose error grows with the exponent, and its own LOG). They agree to a relative 1e-15 (plus 1e-16 per unit of the EXP argument) and an absolute 4e-16 (the double rounding of the argument); with a scale, the rounded results may then differ by one unit in the last place.',
    source: 'salesforce/formula-engine FunctionExponent, FunctionNaturalLog, FunctionLog, FunctionSquareRoot (Java Math.exp/log/sqrt on doubles in memory, Oracle EXP/LN/LOG/SQRT in SQL): Salesforce itself is only double-precise here',
    matches: (c, ours, theirs) => withinTranscendentalTolerance(c, ours, theirs),
  },
  {
    id: 'invalid-date-or-time-error',
    functions: ['DATE', 'DATEVALUE', 'DATETIMEVALUE', 'TIMEVALUE'],
    reason:
      'A date or time that does not exist (DATE(2023, 2, 29), DATEVALUE("2024-13-01"), TIMEVALUE("24:00:00.000")) or text in another format is an error (#Error!); sformula returns blank.',
    source:
      'Salesforce help customize_functions_date ("Salesforce displays an error on the detail page if the value of the DATE function … is an invalid date, such as February 29 in a non-leap year"); salesforce/formula-engine FunctionDate, FunctionDateValue, FunctionDatetimeValue, FunctionTimeValue (FormulaDateException)',
    matches: (c, ours, theirs) =>
      errorCode(ours) === 'E_INVALID_ARGUMENT' && (theirs.kind === 'date' || theirs.kind === 'datetime' || theirs.kind === 'time') && theirs.value === null && invalidDateOrTime(c),
  },
  {
    id: 'date-text-java-format',
    functions: ['DATEVALUE', 'TIMEVALUE'],
    reason:
      'DATEVALUE and TIMEVALUE read text as Java\'s SimpleDateFormat does: fields may have one digit ("2005-1-5", "7:05:03.000"), DATEVALUE ignores what follows the date ("2005-11-15 23:00:00"), and the digits after the point count milliseconds ("10:40:55.5" is 5 ms). sformula accepts only exactly YYYY-MM-DD, an ISO date-time, or HH:mm:ss.SSS.',
    source: 'salesforce/formula-engine FunctionDateValue and FunctionTimeValue.parseTime (SimpleDateFormat "yyyy-MM-dd" / "HH:mm:ss.SSS", not lenient, ParsePosition)',
    matches: (c, ours, theirs) =>
      ours.kind !== 'error' &&
      ours.kind === theirs.kind &&
      valueOf(ours) !== null &&
      valueOf(theirs) === null &&
      (c.fn === 'DATEVALUE' ? javaDateText(String(c.record.a)) : javaTimeText(String(c.record.a))),
  },
  {
    id: 'datetimevalue-needs-time',
    functions: ['DATETIMEVALUE'],
    reason:
      'DATETIMEVALUE of text needs "YYYY-MM-DD HH:MM:SS" (read as GMT): a date alone or an ISO 8601 "T" date-time is an error. sformula also accepts those.',
    source: 'salesforce/formula-engine FunctionDatetimeValue.parseDateTime (SimpleDateFormat("yyyy-MM-dd HH:mm:ss"), not lenient); shared/PLATFORM-FACTS.md §6',
    matches: (c, ours, theirs) =>
      errorCode(ours) === 'E_INVALID_ARGUMENT' && theirs.kind === 'datetime' && theirs.value !== null && /^\d{4}-\d{2}-\d{2}(T|$)/.test(String(c.record.a)) && !javaDateTimeText(String(c.record.a)),
  },
  {
    id: 'power-fractional-exponent',
    functions: ['^'],
    reason:
      'A fractional exponent (2 ^ 0.5) is computed by Parlance, as Salesforce\'s SQL (POWER) and JavaScript (Math.pow) evaluators do; sformula fails because bignumber.js only raises to integer powers.',
    source: 'salesforce/formula-engine OperatorPower (getSQL → POWER, getJavascript → Math.pow); sformula src/builtin/operator.ts $$POWER_NUMBER$$ (BigNumber.pow)',
    matches: (c, ours, theirs) => !Number.isInteger(Number(c.record.b)) && isNumberValue(ours) && theirs.kind === 'error' && theirs.message.includes('Exponent not an integer'),
  },
];

// ---------------------------------------------------------------------------
// Statistics

interface FnStats {
  cases: number;
  agreements: number;
  explained: Map<string, number>;
}

const stats = new Map<string, FnStats>();

function statsFor(fn: string): FnStats {
  let s = stats.get(fn);
  if (s === undefined) {
    s = { cases: 0, agreements: 0, explained: new Map() };
    stats.set(fn, s);
  }
  return s;
}

export function casesRun(fn: string): number {
  return stats.get(fn)?.cases ?? 0;
}

/** One line per function: cases, agreements, explained disagreements by category. */
export function statsTable(fns?: readonly string[]): string {
  const names = fns ?? [...stats.keys()].sort();
  const lines = ['| function | cases | agree | explained |', '|---|---:|---:|---|'];
  for (const n of names) {
    const s = stats.get(n);
    if (s === undefined) continue;
    const ex = [...s.explained.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`| ${n} | ${s.cases} | ${s.agreements} | ${ex} |`);
  }
  return lines.join('\n');
}

export function statsJson(): Record<string, { cases: number; agreements: number; explained: Record<string, number> }> {
  return Object.fromEntries([...stats.entries()].map(([k, s]) => [k, { cases: s.cases, agreements: s.agreements, explained: Object.fromEntries(s.explained) }]));
}

// ---------------------------------------------------------------------------
// Comparing

export type Verdict = { readonly status: 'agree' } | { readonly status: 'explained'; readonly id: string } | { readonly status: 'unexplained' };

/** The verdict on two outcomes of one case: agreement, a known difference, or an unexplained disagreement. */
export function judge(c: Case, ours: Outcome, theirs: Outcome): Verdict {
  if (agree(ours, theirs)) return { status: 'agree' };
  for (const k of KNOWN_DIFFERENCES) {
    if (k.functions !== undefined && !k.functions.includes(c.fn)) continue;
    if (k.matches(c, ours, theirs)) return { status: 'explained', id: k.id };
  }
  return { status: 'unexplained' };
}

export function compare(c: Case): { verdict: Verdict; ours: Outcome; theirs: Outcome } {
  const ours = runOurs(c);
  const theirs = runSformula(c);
  return { verdict: judge(c, ours, theirs), ours, theirs };
}

/** The base seed; DIFF_SEED overrides it to explore. Each property derives its own seed from its name. */
const BASE_SEED = process.env.DIFF_SEED !== undefined ? Number(process.env.DIFF_SEED) : 20_261_121;

function seedFor(name: string): number {
  let h = BASE_SEED | 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

export const DEFAULT_RUNS = 2000;

/** DIFF_EXPLORE=1: print unexplained disagreements (a few per property) instead of failing. For development only. */
const EXPLORE = process.env.DIFF_EXPLORE !== undefined;
const explored = new Map<string, number>();

function explore(name: string, c: Case, ours: Outcome, theirs: Outcome): void {
  const n = (explored.get(name) ?? 0) + 1;
  explored.set(name, n);
  if (n <= 6) console.log(`[${name}] ${c.formula} ${JSON.stringify(c.record)} ${JSON.stringify({ returnType: c.returnType, scale: c.scale, blankAs: c.blankAs, timezone: c.timezone, now: c.now })}\n    ours ${JSON.stringify(ours)}\n    sf   ${JSON.stringify(theirs)}`);
}

export function exploredCounts(): Record<string, number> {
  return Object.fromEntries(explored);
}

/**
 * Runs one property: `numRuns` generated cases, each compared. Throws (failing the test, with the
 * seed and the counterexample) on the first unexplained disagreement.
 */
export function checkProperty(name: string, arbitrary: fc.Arbitrary<Case>, numRuns = DEFAULT_RUNS): void {
  const seed = seedFor(name);
  let counting = true;
  try {
    fc.assert(
      fc.property(arbitrary, (c) => {
        const { verdict, ours, theirs } = compare(c);
        if (counting) {
          const s = statsFor(c.fn);
          s.cases++;
          if (verdict.status === 'agree') s.agreements++;
          else if (verdict.status === 'explained') s.explained.set(verdict.id, (s.explained.get(verdict.id) ?? 0) + 1);
        }
        if (verdict.status === 'unexplained' && EXPLORE) {
          explore(name, c, ours, theirs);
          return;
        }
        if (verdict.status === 'unexplained') {
          counting = false;
          throw new Error(
            `Unexplained disagreement (property "${name}", seed ${seed})\n` +
              `  formula: ${c.formula}\n  fields:  ${JSON.stringify(c.fields)}\n  record:  ${JSON.stringify(c.record)}\n` +
              `  options: ${JSON.stringify({ returnType: c.returnType, scale: c.scale, blankAs: c.blankAs, timezone: c.timezone, now: c.now })}\n` +
              `  parlance: ${JSON.stringify(ours)}\n  sformula: ${JSON.stringify(theirs)}`,
          );
        }
      }),
      { seed, numRuns: runs(numRuns) }, // the full count under `npm run test:long` (test/helpers/runs.ts)
    );
  } finally {
    useZone('UTC');
  }
}

// ---------------------------------------------------------------------------
// Family suites

export interface Property {
  /** Unique name; also the seed's source. */
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<Case>;
  readonly runs: number;
}

/** The least number of cases per function or operator: 2,000 under `npm run test:long`, scaled like the properties' counts in `npm test`. */
export const MIN_CASES_PER_FUNCTION = runs(2000);
