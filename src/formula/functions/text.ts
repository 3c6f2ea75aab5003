import { Decimal } from 'decimal.js';
import { defineFunction, type FunctionSpec } from '../registry/registry.js';
import { chargeText } from '../runtime/budget.js';
import { cmp, dec, numberText, type Num } from '../runtime/num.js';
import { toNum } from '../runtime/num-read.js';
import { formatDate, formatTime } from '../runtime/temporal.js';

/**
 * TEXT of a number: every digit of the exact decimal (not cut to 18 places), plain notation, no
 * grouping, no trailing zeros, and no leading zero (`0.5` → `.5`), as Salesforce does
 * (formula-engine BigDecimalHelper.formatBigDecimal: stripTrailingZeros().toPlainString()).
 */
export function numberToText(n: Num): string {
  return numberText(n);
}

/** TEXT of a Date/Time: `YYYY-MM-DD HH:mm:ssZ` in UTC. */
export function dateTimeToText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** A plain decimal number, optionally signed and in scientific notation (`2E2`); no spaces, grouping, hex or Infinity. */
export const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

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
  ],
  doc: {
    summary: 'Converts a number, date, date/time, time or picklist value to text. Numbers have no grouping or currency symbol and no leading zero; dates are YYYY-MM-DD; date/times are YYYY-MM-DD HH:mm:ssZ in UTC; times are HH:mm:ss.SSS.',
    examples: [
      { formula: 'TEXT(1357.95)', result: '1357.95' },
      { formula: 'TEXT(0.5)', result: '.5' },
      { formula: 'TEXT(DATE(2026, 11, 21))', result: '2026-11-21' },
    ],
    notes: [
      'TEXT of a blank Date/Time is "Z", as Salesforce (and sformula, tested against a live org) return.',
      'TEXT does not take a checkbox (Boolean), as in Salesforce: write IF(Checkbox__c, "true", "false").',
    ],
  },
});

const VALUE = defineFunction({
  name: 'VALUE',
  family: 'text',
  overloads: [
    {
      params: [{ name: 'text', type: 'Text' }],
      returns: 'Number',
      impl: (s: string) => (NUMERIC_TEXT.test(s) ? (toNum(s) ?? null) : null),
    },
  ],
  doc: {
    summary:
      'Converts text that holds a number (digits with an optional sign, decimal point and exponent) to a number. Text that is not a number, including text with spaces around the number, gives blank, as in Salesforce.',
    examples: [
      { formula: 'VALUE("42.50")', result: '42.5' },
      { formula: '1 + VALUE("$123")', result: 'null' },
      { formula: 'VALUE(" 42 ")', result: 'null' },
    ],
    notes: [
      'Invalid text gives blank, as the help page shows (1 + VALUE("$123") is blank), not an error. Spaces around the number make it invalid too: write VALUE(TRIM(Text__c)).',
    ],
  },
});

export const coreTextFunctions: readonly FunctionSpec[] = [BR, TEXT, VALUE];

// ---------------------------------------------------------------------------
// Text functions. Their semantics follow Salesforce's in-memory formula evaluator
// (github.com/salesforce/formula-engine, commands/Function*.java); docs/compatibility.md lists where
// sformula, formulon or the help pages differ. Text is counted in UTF-16 code units, as Salesforce
// does: a character outside the Basic Multilingual Plane (an emoji, "𠮟") counts as 2 (Salesforce
// KB 005166849). Counts and positions are truncated toward zero, as Java's intValue() does.

type Text = string | null;

/** A count or position argument as a whole JS number: truncated toward zero and clamped to the safe range. */
function whole(n: Num): number {
  if (typeof n === 'number') return n;
  const d = dec(n).toDecimalPlaces(0, Decimal.ROUND_DOWN).toNumber();
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, d));
}

/** BEGINS/CONTAINS: a blank compare_text is TRUE; otherwise blank text gives blank (Salesforce's FunctionBegins/FunctionContains). */
const textTest =
  (test: (text: string, compare: string) => boolean) =>
  (text: Text, compare: Text): boolean | null => {
    if (compare === null || compare === '') return true;
    if (text === null || text === '') return null;
    return test(text, compare);
  };


const textParam = (name: string) => ({ name, type: 'Text' as const });
const numberParam = (name: string) => ({ name, type: 'Numeric' as const });

const BEGINS = defineFunction({
  name: 'BEGINS',
  family: 'text',
  overloads: [
    {
      params: [textParam('text'), textParam('compare_text')],
      returns: 'Boolean',
      nulls: 'accept',
      impl: textTest((text, compare) => text.startsWith(compare)),
    },
  ],
  doc: {
    summary:
      'TRUE if text begins with compare_text. Case-sensitive. A blank compare_text gives TRUE; otherwise blank text gives blank, so a validation rule treats a blank field as valid.',
    examples: [
      { formula: 'IF(BEGINS(Product_type__c, "ICU"), "Medical", "Technical")', result: 'Medical when Product_type__c is "ICU-3000"' },
      { formula: 'BEGINS("Salesforce", "sales")', result: 'false' },
    ],
  },
});

const CONTAINS = defineFunction({
  name: 'CONTAINS',
  family: 'text',
  overloads: [
    {
      params: [textParam('text'), textParam('compare_text')],
      returns: 'Boolean',
      nulls: 'accept',
      impl: textTest((text, compare) => text.includes(compare)),
    },
  ],
  doc: {
    summary:
      'TRUE if text contains compare_text. Case-sensitive. A blank compare_text gives TRUE (Salesforce treats it as contained in everything); otherwise blank text gives blank.',
    examples: [
      { formula: 'IF(CONTAINS(Product_Type__c, "part"), "Parts", "Service")', result: 'Parts when Product_Type__c is "spare part"' },
      { formula: 'CONTAINS("0123456789", "")', result: 'true' },
    ],
    notes: [
      'CONTAINS does not accept multi-select picklists: use INCLUDES.',
      'CONTAINS("0123456789", LEFT(Code, 1)) checks that Code starts with a digit, but is TRUE for a blank Code too: add NOT(ISBLANK(Code)).',
    ],
  },
});

const FIND = defineFunction({
  name: 'FIND',
  family: 'text',
  overloads: [
    {
      params: [textParam('search_text'), textParam('text'), { ...numberParam('start_num'), optional: true }],
      returns: 'Number',
      nulls: 'accept',
      impl: (search: Text, text: Text, start?: Num | null) => {
        if (search === null || search === '' || text === null || text === '') return 0;
        if (start !== undefined && start !== null && cmp(start, 0) <= 0) return 0;
        const from = start === undefined || start === null ? 0 : Math.max(0, whole(start) - 1);
        return text.indexOf(search, from) + 1;
      },
    },
  ],
  doc: {
    summary:
      'The 1-based position of search_text in text, or 0 when it is not found. Case-sensitive, no wildcards. The search starts at start_num (default 1); a start_num of 0 or less, or past the end of text, gives 0. A blank search_text or text gives 0.',
    examples: [
      { formula: 'FIND(" ", "Market Street")', result: '7' },
      { formula: 'FIND("o", "Hello World", 6)', result: '8' },
      { formula: 'FIND("o", "Hello World", 0)', result: '0' },
      { formula: 'FIND("x", "Hello")', result: '0' },
      { formula: 'SUBSTITUTE(Email, LEFT(Email, FIND("@", Email)), "www.")', result: 'www.example.com when Email is "jo@example.com"' },
    ],
    notes: [
      'A start_num of 0 or less gives 0 (help customize_functions_find). A fractional start_num above 0 is truncated, so 0.5 searches from the first character, as Salesforce\'s formula engine does; a blank one counts as 1.',
    ],
  },
});

const LEFT = defineFunction({
  name: 'LEFT',
  family: 'text',
  overloads: [
    {
      params: [textParam('text'), numberParam('num_chars')],
      returns: 'Text',
      nulls: 'accept',
      impl: (text: Text, count: Num | null) => (text === null || count === null ? '' : text.slice(0, Math.max(0, whole(count)))),
    },
  ],
  doc: {
    summary: 'The first num_chars characters of text. A num_chars below zero counts as zero; one past the end returns the whole text.',
    examples: [
      { formula: 'LEFT("Salesforce", 5)', result: 'Sales' },
      { formula: 'TRIM(LEFT(LastName, 5)) & "-" & TRIM(RIGHT(SSN__c, 4))', result: 'Smith-6789 when LastName is "Smithson" and SSN__c is "123-45-6789"' },
    ],
    notes: ['A fractional num_chars is truncated.'],
  },
});

const RIGHT = defineFunction({
  name: 'RIGHT',
  family: 'text',
  overloads: [
    {
      params: [textParam('text'), numberParam('num_chars')],
      returns: 'Text',
      nulls: 'accept',
      impl: (text: Text, count: Num | null) => {
        if (text === null || count === null) return '';
        // A fractional num_chars gives blank in a live org (sformula's org-verified fixture; see
        // docs/compatibility.md), although formula-engine's in-memory path truncates it.
        if (typeof count !== 'number' && !dec(count).isInteger()) return '';
        const n = whole(count);
        return n <= 0 ? '' : text.slice(Math.max(0, text.length - n));
      },
    },
  ],
  doc: {
    summary: 'The last num_chars characters of text. Zero or a negative num_chars gives empty text; one past the start returns the whole text.',
    examples: [
      { formula: 'RIGHT("Salesforce", 5)', result: 'force' },
      { formula: 'RIGHT("123-45-6789", 4)', result: '6789' },
      { formula: 'RIGHT("abcABCde", 2.81)', result: 'null' },
    ],
    notes: ['A fractional num_chars gives blank, as in a Salesforce org (LEFT truncates it instead).'],
  },
});

const MID = defineFunction({
  name: 'MID',
  family: 'text',
  overloads: [
    {
      params: [textParam('text'), numberParam('start_num'), numberParam('num_chars')],
      returns: 'Text',
      nulls: 'accept',
      impl: (text: Text, start: Num | null, count: Num | null) => {
        if (text === null || start === null || count === null) return '';
        const first = cmp(start, 1) < 0 ? 1 : start;
        if (cmp(count, 0) <= 0 || cmp(first, text.length) > 0) return '';
        const from = whole(first) - 1;
        return text.slice(from, from + whole(count));
      },
    },
  ],
  doc: {
    summary:
      'num_chars characters of text starting at the 1-based position start_num. A start_num below 1 counts as 1; a start_num past the end gives empty text; a num_chars below zero counts as zero.',
    examples: [
      { formula: 'MID("Salesforce", 3, 4)', result: 'lesf' },
      { formula: 'MID(Division, 3, 4)', result: 'four characters of Division starting with the third' },
    ],
    notes: ['Fractional arguments are truncated, after the check against the end of text: MID("abc", 3.5, 1) is blank.'],
  },
});

const LEN = defineFunction({
  name: 'LEN',
  family: 'text',
  overloads: [{ params: [textParam('text')], returns: 'Number', nulls: 'accept', impl: (text: Text) => (text === null ? 0 : text.length) }],
  doc: {
    summary: 'The number of characters in text. Blank text has length 0.',
    examples: [
      { formula: 'LEN("Salesforce")', result: '10' },
      { formula: 'LEN(Bank_Account_Number__c) <> 10', result: 'true unless the field holds exactly 10 characters' },
    ],
    notes: [
      'Characters are counted in UTF-16 code units, as in Salesforce: an emoji or a character such as "𠮟" counts as 2. LEFT, MID, RIGHT, FIND, LPAD and RPAD count the same way.',
    ],
  },
});

/** UPPER/LOWER with an optional locale: `tr`, `en_US` or `en-US`. An unknown locale uses the locale-independent rules. */
function changeCase(text: Text, locale: Text | undefined, upper: boolean): string {
  if (text === null) return '';
  const tag = locale === undefined || locale === null ? '' : locale.trim().replaceAll('_', '-');
  let changed: string | undefined;
  if (tag !== '') {
    try {
      changed = upper ? text.toLocaleUpperCase(tag) : text.toLocaleLowerCase(tag);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  changed ??= upper ? text.toUpperCase() : text.toLowerCase();
  // A case change can lengthen text (ß → SS), at most threefold: checked once it is built.
  chargeText(changed.length);
  return changed;
}

const caseFunction = (name: 'UPPER' | 'LOWER', upper: boolean, summary: string, examples: FunctionSpec['doc']['examples']): FunctionSpec =>
  defineFunction({
    name,
    family: 'text',
    overloads: [
      {
        params: [textParam('text'), { ...textParam('locale'), optional: true }],
        returns: 'Text',
        nulls: 'accept',
        impl: (text: Text, locale?: Text) => changeCase(text, locale, upper),
      },
    ],
    doc: {
      summary,
      examples,
      notes: [
        'locale is an optional ISO language code ("tr") or locale code ("tr_TR"); it applies that language\'s rules, such as the Turkish dotted and dotless i. An unrecognized locale is ignored.',
      ],
    },
  });

const UPPER = caseFunction('UPPER', true, 'Converts the letters of text to upper case; other characters are unchanged.', [
  { formula: 'UPPER("mycompany.com")', result: 'MYCOMPANY.COM' },
  { formula: 'UPPER("Mycompany.com 123")', result: 'MYCOMPANY.COM 123' },
  { formula: 'UPPER("istanbul", "tr")', result: 'İSTANBUL' },
]);

const LOWER = caseFunction('LOWER', false, 'Converts the letters of text to lower case; other characters are unchanged.', [
  { formula: 'LOWER("MYCOMPANY.COM")', result: 'mycompany.com' },
  { formula: 'LOWER("Mycompany.com 123")', result: 'mycompany.com 123' },
  { formula: 'LOWER("IZMIR", "tr")', result: 'ızmır' },
]);

/** LPAD/RPAD: pads to `length` with `pad` repeated, or truncates text to `length` (keeping its start). */
function pad(text: Text, length: Num | null, padText: Text | undefined, left: boolean): string {
  const fill = padText === undefined ? ' ' : padText;
  if (text === null || text === '' || length === null || fill === null || fill === '') return '';
  const n = whole(length);
  if (n <= 0) return '';
  if (n <= text.length) return text.slice(0, n);
  chargeText(n);
  const missing = n - text.length;
  const padding = fill.repeat(Math.ceil(missing / fill.length)).slice(0, missing);
  return left ? padding + text : text + padding;
}

const padFunction = (name: 'LPAD' | 'RPAD', left: boolean, summary: string, examples: FunctionSpec['doc']['examples']): FunctionSpec =>
  defineFunction({
    name,
    family: 'text',
    overloads: [
      {
        params: [textParam('text'), numberParam('padded_length'), { ...textParam('pad_string'), optional: true }],
        returns: 'Text',
        nulls: 'accept',
        impl: (text: Text, length: Num | null, padText?: Text) => pad(text, length, padText, left),
      },
    ],
    doc: {
      summary,
      examples,
      notes: [
        'pad_string defaults to a space. Text longer than padded_length is cut to its first padded_length characters; a padded_length of 0 or less gives empty text.',
        'Blank text, or a blank pad_string given explicitly, gives blank (as Oracle LPAD/RPAD and sformula do). A fractional padded_length is truncated.',
      ],
    },
  });

const LPAD = padFunction('LPAD', true, 'Pads text on the left with pad_string, repeated, up to padded_length characters; longer text is truncated to padded_length.', [
  { formula: "LPAD('my_company.com', 14, 'z')", result: 'my_company.com' },
  { formula: "LPAD('my_company.com', 15, 'z')", result: 'zmy_company.com' },
  { formula: 'LPAD("mycompany.com", 2)', result: 'my' },
  { formula: 'LPAD(TEXT(42), 5, "0")', result: '00042' },
]);

const RPAD = padFunction('RPAD', false, 'Pads text on the right with pad_string, repeated, up to padded_length characters; longer text is truncated to padded_length.', [
  { formula: "RPAD('my_company.com', 14, 'z')", result: 'my_company.com' },
  { formula: "RPAD('my_company.com', 15, 'z')", result: 'my_company.comz' },
  { formula: 'RPAD("mycompany.com", 2)', result: 'my' },
]);

const SUBSTITUTE = defineFunction({
  name: 'SUBSTITUTE',
  family: 'text',
  overloads: [
    {
      params: [textParam('text'), textParam('old_text'), textParam('new_text')],
      returns: 'Text',
      nulls: 'accept',
      impl: (text: Text, oldText: Text, newText: Text) => {
        if (text === null) return '';
        // A blank old_text leaves the text unchanged in a live org (sformula's org-verified fixture,
        // `SUBSTITUTE(Text01__c, Text02__c, '*')`; Oracle REPLACE), not blank as formula-engine's Java path.
        if (oldText === null || oldText === '') return text;
        chargeText(text.length);
        const first = text.indexOf(oldText);
        if (first < 0) return text;
        const replacement = newText ?? '';
        if (replacement.length <= oldText.length) {
          // The result is no longer than the text: it cannot pass the cap, so it is built in one
          // pass and charged (the same charge as counting first: its exact length).
          const result = replacement.includes('$') ? text.replaceAll(oldText, () => replacement) : text.replaceAll(oldText, replacement);
          chargeText(result.length);
          return result;
        }
        // A growing result: count first, so that one past the cap is refused before it is built.
        let count = 0;
        for (let i = first; i >= 0; i = text.indexOf(oldText, i + oldText.length)) count++;
        chargeText(text.length + count * (replacement.length - oldText.length));
        // One native pass; a function replacement, so "$&" or "$1" in new_text stay literal.
        return replacement.includes('$') ? text.replaceAll(oldText, () => replacement) : text.replaceAll(oldText, replacement);
      },
    },
  ],
  doc: {
    summary:
      'Replaces every occurrence of old_text in text with new_text, left to right. Case-sensitive. A blank new_text removes old_text; a blank old_text returns text unchanged and a blank text gives blank, as in a Salesforce org.',
    examples: [
      { formula: 'SUBSTITUTE(Name, "Coupon", "Discount")', result: 'Summer Discount when Name is "Summer Coupon"' },
      { formula: 'SUBSTITUTE("a-b-c", "-", "")', result: 'abc' },
      { formula: 'SUBSTITUTE("abc", "", "*")', result: 'abc' },
    ],
    notes: ['Replacement is not recursive: text produced by new_text is not searched again.'],
  },
});

/** Removes leading and trailing spaces (only U+0020, as Salesforce's formulaTrim does). */
function trimSpaces(text: Text): string {
  if (text === null) return '';
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const TRIM = defineFunction({
  name: 'TRIM',
  family: 'text',
  overloads: [{ params: [textParam('text')], returns: 'Text', nulls: 'accept', impl: trimSpaces }],
  doc: {
    summary:
      'Removes the spaces at the beginning and end of text. Other white space (tabs, line breaks) and spaces inside the text are kept, as in Salesforce\'s formula engine. Text of only spaces gives blank.',
    examples: [
      { formula: 'TRIM("  Acme  Inc  ")', result: 'Acme  Inc' },
      { formula: 'TRIM(" a" & BR())', result: 'a⏎' },
      { formula: 'TRIM(LEFT(LastName, 5)) & "-" & TRIM(RIGHT(SSN__c, 4))', result: 'Li-6789 when LastName is "Li" and SSN__c is "123-45-6789"' },
    ],
  },
});

const ID_SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character case-insensitive form of a 15-character Salesforce ID; other lengths are returned unchanged. */
export function caseSafeId(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags += 1 << i;
    }
    suffix += ID_SUFFIX_CHARS.charAt(flags);
  }
  return id + suffix;
}

const CASESAFEID = defineFunction({
  name: 'CASESAFEID',
  family: 'text',
  overloads: [{ params: [{ name: 'id', type: 'Text' }], returns: 'Text', impl: caseSafeId }],
  doc: {
    summary:
      "Converts a 15-character, case-sensitive record ID to the 18-character, case-insensitive form by appending Salesforce's 3-character checksum. Other values, such as an ID that already has 18 characters, are returned unchanged.",
    examples: [
      { formula: 'CASESAFEID("003G000001SUbc4")', result: '003G000001SUbc4IAD' },
      { formula: 'CASESAFEID(Id)', result: 'the 18-character form of the record ID' },
    ],
    notes: [
      'Each 5-character block of the ID gives one checksum character: a bit per upper-case letter A-Z (first character = lowest bit), looked up in "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".',
    ],
  },
});

/** The text functions beyond BR, TEXT and VALUE. */
export const textFunctions: readonly FunctionSpec[] = [BEGINS, CONTAINS, FIND, LEFT, MID, RIGHT, LEN, LOWER, UPPER, LPAD, RPAD, SUBSTITUTE, TRIM, CASESAFEID];
