/**
 * formulon (github.com/leifg/formulon) as the third engine of the random-formula differential.
 *
 * formulon is reliable on a narrower ground than sformula, so the random differential compares
 * with it only there (`formulonComparable`):
 * - no blank input: formulon types a blank field as the `null` data type, and its functions then
 *   fail (`LEN(null)` throws "Cannot read properties of null", `null + 1` is an ArgumentError);
 * - the functions of FORMULON_RELIABLE only, and numbers that a double holds (at most 15
 *   significant digits): formulon computes with JavaScript doubles.
 */
import type { Case, Outcome, ValueKind, WireInput } from './harness.js';
import { plainNumber } from './harness.js';
import { parse } from 'formulon';

interface FormulonLiteral {
  readonly type: 'literal';
  readonly dataType: string;
  readonly value: unknown;
  readonly options?: Record<string, unknown>;
}
type FormulonResult = FormulonLiteral | { readonly type: 'error'; readonly errorType?: string; readonly message?: string };

const FORMULON_TYPE: Record<string, string> = {
  Number: 'number',
  Currency: 'number',
  Percent: 'number',
  Text: 'text',
  Picklist: 'picklist',
  Boolean: 'checkbox',
  Date: 'date',
  DateTime: 'datetime',
};

const KIND: Record<string, ValueKind> = { number: 'number', text: 'text', checkbox: 'boolean', date: 'date', datetime: 'datetime', time: 'time' };

/**
 * Functions and operators where formulon follows Salesforce closely enough to compare (checked on
 * its integration suite and this differential). Left out: DATE (an impossible date rolls over:
 * DATE(2023, 2, 29) is March 1), TEXT of a number (doubles: no 34-digit quotients), ROUND,
 * FLOOR, CEILING and MOD (doubles), SUBSTITUTE, LPAD/RPAD, VALUE, ISNUMBER, ADDMONTHS (no last-day
 * rule), DATEVALUE, DATETIMEVALUE, `/` and `^` (doubles), and unary minus before a parenthesis (`-(3)` is
 * a syntax error in formulon's grammar).
 */
export const FORMULON_RELIABLE: ReadonlySet<string> = new Set([
  '+',
  '-',
  '*',
  '&',
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  'AND',
  'OR',
  'NOT',
  'IF',
  'CASE',
  'ISBLANK',
  'BLANKVALUE',
  'ABS',
  'MAX',
  'MIN',
  'LEN',
  'LEFT',
  'RIGHT',
  'MID',
  'UPPER',
  'LOWER',
  'TRIM',
  'CONTAINS',
  'BEGINS',
  'FIND',
  'YEAR',
  'MONTH',
  'DAY',
  'WEEKDAY',
]);

function identifier(type: string, v: WireInput): FormulonLiteral {
  if (v === null) return { type: 'literal', dataType: 'null', value: null };
  const dataType = FORMULON_TYPE[type] ?? 'text';
  switch (dataType) {
    case 'number':
      return { type: 'literal', dataType, value: Number(v), options: { length: 18, scale: (String(v).split('.')[1] ?? '').length } };
    case 'text':
    case 'picklist':
      return { type: 'literal', dataType: 'text', value: v, options: { length: 255 } };
    case 'date':
      return { type: 'literal', dataType, value: new Date(`${v as string}T00:00:00.000Z`) };
    case 'datetime':
      return { type: 'literal', dataType, value: new Date(v as string) };
    default:
      return { type: 'literal', dataType, value: v };
  }
}

export function runFormulon(c: Case): Outcome {
  const identifiers: Record<string, FormulonLiteral> = {};
  for (const [k, v] of Object.entries(c.record)) identifiers[k] = identifier(c.fields[k] as string, v);
  let r: FormulonResult;
  try {
    r = parse(c.formula, identifiers as never) as FormulonResult;
  } catch (e) {
    return { kind: 'error', message: `runtime: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (r.type === 'error') return { kind: 'error', message: `${r.errorType ?? 'error'}: ${r.message ?? ''}` };
  if (r.dataType === 'null') return { kind: 'text', value: null, blankOfAnyKind: true } as Outcome;
  const kind = KIND[r.dataType];
  if (kind === undefined) return { kind: 'error', message: `unexpected formulon result type ${r.dataType}` };
  const v = r.value;
  if (v === null || v === undefined || v === '') return { kind, value: null };
  switch (kind) {
    case 'number':
      return { kind, value: typeof v === 'number' ? plainNumber(v) : `non-number ${JSON.stringify(v)}` };
    case 'boolean':
      return { kind, value: v as boolean };
    case 'date':
      return { kind, value: (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10) };
    case 'datetime':
      return { kind, value: v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString() };
    default:
      return { kind, value: String(v) };
  }
}

/** formulon's `null` result is a blank of no particular type. */
export function isUntypedBlank(o: Outcome): boolean {
  return (o as { blankOfAnyKind?: boolean }).blankOfAnyKind === true;
}
