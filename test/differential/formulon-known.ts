/**
 * Explained differences between Parlance and formulon (random.test.ts), found by the random
 * differential. Each entry names its evidence for Parlance's behaviour and the formulon behaviour
 * it recognises; a matcher recognises only that behaviour, on the isolated node `F(a, b, …)`.
 */
import { Decimal } from 'decimal.js';
import { field, javaInt, javaMid, javaTrim, type Case, type Outcome } from './harness.js';

export interface FormulonDifference {
  readonly id: string;
  readonly functions?: readonly string[];
  readonly reason: string;
  readonly source: string;
  readonly matches: (c: Case, ours: Outcome, theirs: Outcome) => boolean;
}

const MS_PER_DAY = 86_400_000;
const fractional = (v: unknown): boolean => v !== null && !Number.isInteger(Number(v));

export const FORMULON_KNOWN_DIFFERENCES: FormulonDifference[] = [
  {
    id: 'formulon-blank-text-fails',
    reason:
      'A blank text computed inside a formula (RIGHT("A", -1), an empty MID) makes formulon\'s BEGINS, CONTAINS and other functions throw a JavaScript TypeError ("Cannot read properties of null"); Parlance gives their Salesforce results for a blank argument (BEGINS and CONTAINS of blank text are blank, IF treats that as FALSE).',
    source: 'salesforce/formula-engine FunctionBegins and FunctionContains (blank text: null); Salesforce KB 000325671 ("CONTAINS treats a blank value as TRUE" for compare_text); formulon lib/functions.js (no null check)',
    matches: (c, ours, theirs) => theirs.kind === 'error' && /Cannot read properties of null/.test(theirs.message) && ours.kind !== 'error' && Object.values(c.record).some((v) => v === null || v === ''),
  },
  {
    id: 'right-fractional-count',
    functions: ['RIGHT'],
    reason: 'RIGHT with a fractional count (RIGHT("abcABCde", 2.81)) is blank, as in a live org; formulon takes characters anyway.',
    source: 'issue 17\'s replay of sformula\'s org-verified fixture `RIGHT(Text01__c, Number01__c)`; sformula src/builtin/string.ts RIGHT ("num must be an integer value"); docs/compatibility.md',
    matches: (c, ours) => fractional(field(c, 'b')) && ours.kind === 'text' && ours.value === null,
  },
  {
    id: 'count-truncated',
    functions: ['LEFT', 'MID'],
    reason: 'A fractional count or position is truncated toward zero (LEFT("1.5", 2.5) is "1."); formulon rounds it.',
    source: 'salesforce/formula-engine FunctionLeft and FunctionMid (intValue()); sformula agrees (test/differential text suite)',
    matches: (c, ours) =>
      ours.kind === 'text' &&
      (c.fn === 'LEFT'
        ? fractional(field(c, 'b')) && ours.value === (String(field(c, 'a') ?? '').slice(0, Math.max(0, javaInt(field(c, 'b')))) || null)
        : (fractional(field(c, 'b')) || fractional(field(c, 'c'))) && ours.value === javaMid(field(c, 'a'), field(c, 'b'), field(c, 'c'))),
  },
  {
    id: 'mid-start-below-one',
    functions: ['MID'],
    reason: 'MID with a start_num below 1 starts at the first character (MID("abc", 0, 2) is "ab"); formulon counts from the end or shortens the result.',
    source: 'salesforce/formula-engine FunctionMid (start below 1 counts as 1); sformula agrees (docs/compatibility.md, MID)',
    matches: (c, ours) => Number(field(c, 'b')) < 1 && ours.kind === 'text' && ours.value === javaMid(field(c, 'a'), field(c, 'b'), field(c, 'c')),
  },
  {
    id: 'right-count-beyond-length',
    functions: ['RIGHT'],
    reason: 'RIGHT with a count at least the length of the text returns the whole text (RIGHT("aß", 3) is "aß"); formulon drops characters.',
    source: 'salesforce/formula-engine FunctionRight (the whole text when num_chars >= its length); sformula agrees (test/differential text suite)',
    matches: (c, ours) => Number.isInteger(Number(field(c, 'b'))) && Number(field(c, 'b')) >= String(field(c, 'a') ?? '').length && ours.kind === 'text' && ours.value === (field(c, 'a') || null),
  },
  {
    id: 'date-range-1700-4000',
    reason: 'A date or date/time outside 1700-01-01 to 4000-12-31 is E_DATE_OUT_OF_RANGE; formulon returns it.',
    source: 'Salesforce knowledge article 000383587 (valid dates are 1700-01-01 to 4000-12-31)',
    matches: (_c, ours, theirs) =>
      ours.kind === 'error' && ours.message.startsWith('E_DATE_OUT_OF_RANGE') && (theirs.kind === 'date' || theirs.kind === 'datetime') && typeof theirs.value === 'string' && (theirs.value < '1700' || theirs.value >= '4001'),
  },
  {
    id: 'trim-spaces-only',
    functions: ['TRIM'],
    reason: 'TRIM removes only spaces at the ends of the text, keeping tabs and line breaks; formulon removes all white space.',
    source: 'salesforce/formula-engine FormulaTextUtil.formulaTrim (strips \' \' only); SQL TRIM() strips spaces',
    matches: (c, ours) => typeof field(c, 'a') === 'string' && ours.kind === 'text' && ours.value === javaTrim(String(field(c, 'a'))),
  },
  {
    id: 'output-18-decimal-places',
    reason: 'Without a scale, Parlance prints at most 18 decimal places (rounded half up) of an exact decimal; formulon returns a double. They differ by at most half a unit in the 18th place plus one unit in the last place of the double.',
    source: 'Salesforce help "Formula Data Types": a Number formula returns a decimal of up to 18 digits, rounded half up',
    matches: (_c, ours, theirs) => {
      if (ours.kind !== 'number' || theirs.kind !== 'number' || ours.value === null || theirs.value === null) return false;
      const t = Number(theirs.value);
      if (!Number.isFinite(t)) return false;
      const ulp = t === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(Math.abs(t))) - 52);
      return new Decimal(String(ours.value)).minus(String(theirs.value)).abs().lte(new Decimal('5e-19').plus(ulp));
    },
  },
  {
    id: 'date-fraction-truncated',
    functions: ['+', '-'],
    reason: 'A Date plus or minus a fractional number of days moves by the whole days only, truncated toward zero (2004-02-29 - 1.5 is 2004-02-28); formulon rounds the result down to a day boundary (2004-02-27).',
    source: 'stomita/sformula test/fixtures/formula-defs.yml `Date01__c + 0.5` (org-verified); salesforce/formula-engine FormulaDateUtil.addDurationToDate',
    matches: (c, ours) => {
      if (c.fields.a !== 'Date' || !fractional(field(c, 'b')) || ours.kind !== 'date' || typeof ours.value !== 'string') return false;
      const days = Math.trunc(Number(field(c, 'b'))) * (c.fn === '-' ? -1 : 1);
      return new Date(Date.parse(`${String(field(c, 'a'))}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10) === ours.value;
    },
  },
];

export function formulonKnown(c: Case, ours: Outcome, theirs: Outcome): string | undefined {
  for (const k of FORMULON_KNOWN_DIFFERENCES) {
    if (k.functions !== undefined && !k.functions.includes(c.fn)) continue;
    if (k.matches(c, ours, theirs)) return k.id;
  }
  return undefined;
}
