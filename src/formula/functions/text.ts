import { defineFunction, type FunctionSpec } from '../registry/registry.js';
import { fail, RuntimeErrorCode } from '../runtime/errors.js';
import { formatNum, toNum, type Num } from '../runtime/num.js';
import { formatDate, formatTime } from '../runtime/temporal.js';

/** TEXT of a number: plain decimal, no grouping, and no leading zero (`0.5` → `.5`), as Salesforce does. */
export function numberToText(n: Num): string {
  const s = formatNum(n);
  return s.replace(/^(-?)0\.(?=\d)/, '$1.');
}

/** TEXT of a Date/Time: `YYYY-MM-DD HH:mm:ssZ` in UTC. */
export function dateTimeToText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const BR = defineFunction({
  name: 'BR',
  family: 'text',
  overloads: [{ params: [], returns: 'Text', impl: () => '\n' }],
  doc: {
    summary: 'A line break. In formula templates (line-break mode `br`, the default) it is the only way to start a new line.',
    examples: [{ formula: '"Line 1" & BR() & "Line 2"', result: 'Line 1⏎Line 2' }],
  },
});

const TEXT = defineFunction({
  name: 'TEXT',
  family: 'text',
  overloads: [
    { params: [{ name: 'value', type: 'Numeric' }], returns: 'Text', impl: numberToText },
    { params: [{ name: 'value', type: 'Date' }], returns: 'Text', impl: formatDate },
    {
      params: [{ name: 'value', type: 'DateTime' }],
      returns: 'Text',
      nulls: 'accept',
      impl: (ms: number | null) => (ms === null ? 'Z' : dateTimeToText(ms)),
    },
    { params: [{ name: 'value', type: 'Time' }], returns: 'Text', impl: formatTime },
    { params: [{ name: 'value', type: 'Picklist' }], returns: 'Text', impl: (s: string) => s },
    { params: [{ name: 'value', type: 'Boolean' }], returns: 'Text', impl: (b: boolean) => (b ? 'true' : 'false') },
  ],
  doc: {
    summary: 'Converts a number, date, date/time, time, picklist value or checkbox to text. Numbers have no grouping or currency symbol and no leading zero; dates are YYYY-MM-DD; date/times are YYYY-MM-DD HH:mm:ssZ in UTC; times are HH:mm:ss.SSS.',
    examples: [
      { formula: 'TEXT(1357.95)', result: '1357.95' },
      { formula: 'TEXT(0.5)', result: '.5' },
      { formula: 'TEXT(DATE(2026, 11, 21))', result: '2026-11-21' },
    ],
    notes: ['TEXT of a blank Date/Time is "Z", as Salesforce (and sformula, tested against a live org) return.'],
  },
});

const VALUE = defineFunction({
  name: 'VALUE',
  family: 'text',
  overloads: [
    {
      params: [{ name: 'text', type: 'Text' }],
      returns: 'Number',
      impl: (s: string) => {
        const t = s.trim();
        if (t === '') return null;
        const n = NUMERIC_TEXT.test(t) ? toNum(t) : undefined;
        if (n === undefined) fail(RuntimeErrorCode.InvalidArgument, `VALUE() cannot convert "${s.length > 40 ? `${s.slice(0, 40)}…` : s}" to a number`);
        return n;
      },
    },
  ],
  doc: {
    summary: 'Converts text that holds a number to a number. Surrounding spaces are ignored; blank text gives blank; other text is an error.',
    examples: [
      { formula: 'VALUE(" 42.50 ")', result: '42.5' },
      { formula: 'VALUE("abc")', result: 'error E_INVALID_ARGUMENT' },
    ],
  },
});

export const coreTextFunctions: readonly FunctionSpec[] = [BR, TEXT, VALUE];
