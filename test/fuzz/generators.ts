/**
 * Generators of the fuzz kit that the differential and parser tests don't already have: formulas
 * that type-check (so that they get evaluated, not only refused), templates, component mutations
 * and request bodies shaped by a JSON Schema. Work is bounded by construction: text grows at most
 * about a million characters (LPAD lengths are small, SUBSTITUTE replaces with short text), so no
 * case can hang `npm test` on code without an evaluation budget; the corpus has the big inputs.
 */
import fc from 'fast-check';
import { dateText, dateTimeText, FIELD, LITERAL_CHARS, numberText, quote, textOf, timeText, zone } from '../differential/arbitraries.js';
import { fragmentText, noisy } from '../parser/generators.js';

// ---------------------------------------------------------------------------------------------
// Formulas that type-check

/** The fields the typed formulas read. */
export const FORMULA_FIELDS = { a: 'Number', b: 'Text', c: 'Boolean', d: 'Date', t: 'DateTime', m: 'Time', p: 'Percent', Amount: 'Currency', Account: { Name: 'Text' } } as const;

/** A record for FORMULA_FIELDS, blanks included. */
export const formulaRecord = fc.record({
  a: FIELD.Number[1],
  b: FIELD.Text[1],
  c: FIELD.Boolean[1],
  d: FIELD.Date[1],
  t: FIELD.DateTime[1],
  m: FIELD.Time[1],
  p: FIELD.Percent[1],
  Amount: FIELD.Currency[1],
  Account: fc.record({ Name: FIELD.Text[1] }),
});

type Kind = 'num' | 'text' | 'bool' | 'date' | 'datetime' | 'time';

const num = (s: string): string => (s.startsWith('-') ? `(${s})` : s);
/** Counts and lengths: small, with the edges (negative, fractional, beyond a JS number). */
const smallNumber = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('(-1)', '0.5', '1000', '(-100000000000000000000)', '99999999999999999999', '1000000000000', '0') },
);

const leaves: Record<Kind, fc.Arbitrary<string>> = {
  num: fc.oneof(
    { weight: 4, arbitrary: numberText.map(num) },
    { weight: 2, arbitrary: fc.constantFrom('a', 'Amount', 'p') },
    { weight: 1, arbitrary: fc.integer({ min: 15, max: 40 }).map((n) => '9'.repeat(n)) },
  ),
  text: fc.oneof({ weight: 4, arbitrary: textOf(LITERAL_CHARS).map(quote) }, { weight: 2, arbitrary: fc.constantFrom('b', 'Account.Name', '""', '" "') }),
  bool: fc.constantFrom('TRUE', 'FALSE', 'c'),
  date: fc.oneof(dateText.map((d) => `DATEVALUE("${d}")`), fc.constantFrom('d', 'TODAY()')),
  datetime: fc.oneof(dateTimeText.map((d) => `DATETIMEVALUE("${d.replace('T', ' ').replace(/\.\d+Z$/, '')}")`), fc.constantFrom('t', 'NOW()')),
  time: fc.oneof(timeText.map((t) => `TIMEVALUE("${t}")`), fc.constantFrom('m', 'TIMENOW()')),
};

type Gen = (kind: Kind, depth: number) => fc.Arbitrary<string>;
const call = (name: string, ...args: fc.Arbitrary<string>[]): fc.Arbitrary<string> => fc.tuple(...args).map((a) => `${name}(${a.join(', ')})`);
const op = (o: string, l: fc.Arbitrary<string>, r: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(l, r).map(([x, y]) => `(${x} ${o} ${y})`);

function composites(kind: Kind, g: (k: Kind) => fc.Arbitrary<string>): fc.Arbitrary<string>[] {
  const [n, t, b, d, dt, tm] = [g('num'), g('text'), g('bool'), g('date'), g('datetime'), g('time')];
  const same = g(kind);
  const shared = [call('IF', b, same, same), call('BLANKVALUE', same, same), call('CASE', n, n, same, n, same, same)];
  switch (kind) {
    case 'num':
      return [
        ...shared,
        ...['+', '-', '*', '/', '^'].map((o) => op(o, n, n)),
        ...['ABS', 'SQRT', 'EXP', 'LN', 'LOG', 'CEILING', 'FLOOR'].map((f) => call(f, n)),
        ...['ROUND', 'MOD', 'MCEILING', 'MFLOOR'].map((f) => call(f, n, smallNumber)),
        call('MAX', n, n, n),
        call('MIN', n, n),
        call('LEN', t),
        call('VALUE', t),
        call('FIND', t, t),
        ...['YEAR', 'MONTH', 'DAY', 'WEEKDAY'].map((f) => call(f, d)),
        ...['HOUR', 'MINUTE', 'SECOND', 'MILLISECOND'].map((f) => call(f, tm)),
        op('-', d, d),
        op('-', dt, dt),
        call('NULLVALUE', n, n),
        fc.tuple(n, n, n, n).map(([w, x, y, z]) => `DISTANCE(GEOLOCATION(${w}, ${x}), GEOLOCATION(${y}, ${z}), "km")`),
      ];
    case 'text':
      return [
        ...shared,
        op('&', t, t),
        call('LPAD', t, smallNumber, leaves.text),
        call('RPAD', t, smallNumber),
        call('SUBSTITUTE', t, leaves.text, leaves.text),
        call('LEFT', t, smallNumber),
        call('RIGHT', t, smallNumber),
        call('MID', t, smallNumber, smallNumber),
        ...['UPPER', 'LOWER', 'TRIM', 'CASESAFEID'].map((f) => call(f, t)),
        ...[n, d, dt, tm].map((x) => call('TEXT', x)),
        fc.constant('BR()'),
      ];
    case 'bool':
      return [
        call('IF', b, b, b),
        ...['<', '<=', '=', '<>'].map((o) => op(o, n, n)),
        op('=', t, t),
        op('<', d, d),
        op('&&', b, b),
        op('||', b, b),
        call('AND', b, b, b),
        call('OR', b, b),
        call('NOT', b),
        ...[n, t, d].map((x) => call('ISBLANK', x)),
        call('ISNUMBER', t),
        call('CONTAINS', t, t),
        call('BEGINS', t, t),
      ];
    case 'date':
      return [...shared, op('+', d, n), op('-', d, n), call('ADDMONTHS', d, n), call('DATE', n, n, n), call('DATEVALUE', t), call('DATEVALUE', dt)];
    case 'datetime':
      return [...shared, op('+', dt, n), op('-', dt, n), call('DATETIMEVALUE', t), call('DATETIMEVALUE', d)];
    case 'time':
      return [...shared, op('+', tm, n), call('TIMEVALUE', t), call('TIMEVALUE', dt)];
  }
}

const built = new Map<string, fc.Arbitrary<string>>();

/** An expression of the kind, at most `depth` calls deep (built once per kind and depth: building is the costly part). */
export const typedExpr: Gen = (kind, depth) => {
  const key = `${kind}/${depth}`;
  let arb = built.get(key);
  if (arb === undefined) {
    arb = depth <= 0 ? leaves[kind] : fc.oneof({ weight: 1, arbitrary: leaves[kind] }, { weight: 2, arbitrary: fc.oneof(...composites(kind, (k) => typedExpr(k, depth - 1))) });
    built.set(key, arb);
  }
  return arb;
};

const KINDS: Kind[] = ['num', 'text', 'bool', 'date', 'datetime', 'time'];

/** A formula that usually type-checks: a typed tree up to 3 deep, of any result kind. */
export const typedFormula: fc.Arbitrary<string> = fc.oneof(...KINDS.map((k) => typedExpr(k, 3)));

/** The formula families: typed trees, noisy valid formulas (parser kit), broken fragments. */
export const anyFormula: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: typedFormula },
  { weight: 2, arbitrary: noisy() },
  { weight: 1, arbitrary: fragmentText(30) },
);

/** Evaluation settings: now, zone, and sometimes a result type or scale. */
export const evaluationSettings = fc.record({
  now: dateTimeText,
  timezone: zone,
  scale: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined, freq: 4 }),
  returnType: fc.option(fc.constantFrom('Number', 'Text', 'Currency', 'Percent', 'Date', 'Boolean'), { nil: undefined, freq: 6 }),
});

// ---------------------------------------------------------------------------------------------
// Templates

/** Literal template text: anything, including braces and stray `{!`. */
const templateLiteral = fc.oneof(
  { weight: 4, arbitrary: textOf(['a', ' ', 'é', '\n', '\r\n', '😀', '.', '}', '{', '!', '$']) },
  { weight: 1, arbitrary: fc.constantFrom('{!', '{!}', '{{!1}', '}', '{!"a"', '\\{!1}', '{! }') },
);

/** Merge-field formulas of a template: template references, typed formulas or fragments. */
const mergeFormula = fc.oneof(
  { weight: 4, arbitrary: typedFormula },
  { weight: 3, arbitrary: fc.constantFrom('$Constants.T', '$Constants.N', '$ListTemplates.Items', '$ListTemplates.Nope', '$Parameters.P.Name', '$Constants.Missing', 'BR()', '$ListTemplates.Outer') },
  { weight: 1, arbitrary: fragmentText(12) },
);

export const templateText: fc.Arbitrary<string> = fc
  .array(fc.oneof(templateLiteral, mergeFormula.map((f) => `{!${f}}`)), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** List-item templates, which may read `$ListItem` and other list templates (nesting, cycles). */
const itemTemplate = fc
  .array(fc.oneof(templateLiteral, fc.constantFrom('{!$ListItem.Index}', '{!$ListItem.Value.Name}', '{!IF($ListItem.IsLast, "", BR())}', '{!$ListTemplates.Items}', '{!$ListTemplates.Outer}', '{!$ListItem.Nope}'), typedFormula.map((f) => `{!${f}}`)), { maxLength: 4 })
  .map((p) => p.join(''));

export const templateSettings = fc.record({
  listTemplates: fc.array(
    fc.record({ name: fc.constantFrom('Items', 'Outer', 'items', 'X'), source: fc.constantFrom('$Constants.L', '$Constants.L', '$Constants.T', '$Parameters.P', '$Constants.Nope'), template: itemTemplate }),
    { maxLength: 3 },
  ),
  lineBreaks: fc.constantFrom('br' as const, 'preserve' as const),
  strict: fc.boolean(),
  items: fc.integer({ min: 0, max: 30 }),
  T: fc.option(textOf(LITERAL_CHARS, 20), { nil: null }),
  N: fc.option(numberText, { nil: null }),
  now: dateTimeText,
  timezone: zone,
});

// ---------------------------------------------------------------------------------------------
// Mutations of JSON documents (components, request bodies)

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values to put in place of another: formulas, templates, wrong types, edge values. */
export const strangeValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: templateText },
  { weight: 2, arbitrary: typedFormula.map((f) => `{!${f}}`) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, '', 0, -1, 1e300, 'Text', 'List<Option>', 'RecordId', 'Number', '$Constants.Options', '$Parameters.P', [], {}, '__proto__', 'constructor', '9'.repeat(40)) },
);

/** Every path (list of keys) inside a JSON value, the root included. */
export function paths(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

export interface Mutation {
  readonly at: number;
  readonly how: 'replace' | 'delete' | 'add' | 'duplicate';
  readonly key: string;
  readonly value: Json;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  how: fc.constantFrom('replace' as const, 'replace' as const, 'delete' as const, 'add' as const, 'duplicate' as const),
  key: fc.constantFrom('name', 'type', 'value', 'template', 'source', 'title', 'extra', 'Name', 'Id', 'formats', 'constants', 'parameters'),
  value: strangeValue,
});

/** Applies mutations to a deep copy of the document. */
export function mutate(doc: Json, mutations: readonly Mutation[]): Json {
  let root = structuredClone(doc);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.at % all.length] as Array<string | number>;
    if (path.length === 0) {
      if (m.how === 'replace') root = m.value;
      continue;
    }
    let parent: Json = root;
    for (const k of path.slice(0, -1)) parent = (parent as Record<string, Json>)[k as string] as Json;
    const last = path[path.length - 1] as string | number;
    const container = parent as Record<string | number, Json>;
    if (m.how === 'replace') container[last] = m.value;
    else if (m.how === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete container[last];
    } else if (m.how === 'duplicate' && Array.isArray(parent)) parent.push(structuredClone(parent[last as number] as Json));
    else if (!Array.isArray(parent)) container[m.key] = m.value;
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Values from a JSON Schema (request bodies)

interface Schema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly Json[];
  readonly const?: Json;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly $ref?: string;
  readonly pattern?: string;
  readonly required?: readonly string[];
}

/** Strings the routes care about: E.164 numbers, channel types, dates, keywords, names. */
const interestingString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('+14155550100', '+14155550199', 'fz-sms', 'fz-web', 'Fuzz_Text', 'STOP', 'START', 'HELP', 'YES', 'SmsLongCode', 'EmbeddedWeb', 'FacebookEnhanced', 'Text', 'Contact', 'auto', 'suggest', 'OptedOut', 'en', 'en-US', 'UTC') },
  { weight: 2, arbitrary: fc.constantFrom('2026-11-21T10:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-02-30', 'not a date', '', ' ', '1', '__proto__', 'constructor', 'a\u0000b', '\ud800') },
  { weight: 2, arbitrary: textOf(LITERAL_CHARS, 10) },
  { weight: 1, arbitrary: templateText },
);

const E164 = fc.constantFrom('+14155550100', '+14155550199', '+14155550142', '+447700900123');
const INSTANT = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('2026-11-21T10:00:00Z', '2026-11-21T09:00:00-05:00', '2026-11-20T23:59:59.999Z') }, { weight: 1, arbitrary: fc.constantFrom('0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-02-30T00:00:00Z', 'yesterday') });
const PERSON = fc.constantFrom('rep-1', 'rep-2', 'bot-1', 'flow');

/** Good values for the properties the routes read, by property name (strings only). */
const NAMED: Record<string, fc.Arbitrary<string>> = {
  from: E164,
  platformKey: E164,
  text: fc.constantFrom('STOP', 'START', 'HELP', 'YES', 'hello', 'ARRET', ' stop '),
  receivedAt: INSTANT,
  now: INSTANT,
  channelId: fc.constantFrom('fz-sms', 'fz-web'),
  channel: fc.constantFrom('EmbeddedWeb', 'EmbeddedInApp', 'FacebookEnhanced', 'SmsLongCode', 'WhatsAppEnhanced'),
  repId: PERSON,
  agentId: PERSON,
  agent: PERSON,
  by: PERSON,
  target: PERSON,
  template: templateText,
  formula: typedFormula,
  timezone: zone,
  locale: fc.constantFrom('en-US', 'fr-CA', 'es'),
  language: fc.constantFrom('en', 'fr', 'es'),
  object: fc.constantFrom('Contact', 'Lead', 'PersonAccount'),
  name: fc.constantFrom('Fuzz_Text', 'Rule one', 'Ada Lovelace'),
  component: fc.constantFrom('Fuzz_Text', 'Fuzz_Missing'),
};

/** A value for the schema, often right, sometimes of another type (so that validation is exercised too). */
export function fromSchema(schema: Schema, resolve: (ref: string) => Schema, depth = 0, property?: string): fc.Arbitrary<Json> {
  if (schema.$ref !== undefined) return depth > 6 ? fc.constant(null) : fromSchema(resolve(schema.$ref), resolve, depth + 1, property);
  const named = property === undefined ? undefined : NAMED[property];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const right = named !== undefined && type === 'string' && schema.enum === undefined ? named : rightValue(schema, resolve, depth);
  return fc.oneof({ weight: 15, arbitrary: right }, { weight: 1, arbitrary: strangeValue });
}

function rightValue(schema: Schema, resolve: (ref: string) => Schema, depth: number): fc.Arbitrary<Json> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined && alternatives.length > 0 && depth < 6) return fc.oneof(...alternatives.map((s) => fromSchema(s, resolve, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const props = schema.properties;
  if ((type === 'object' || (type === undefined && props !== undefined)) && depth < 6) {
    if (props === undefined) return fc.dictionary(fc.constantFrom('a', 'Name', 'T', 'P', 'Id'), strangeValue, { maxKeys: 3 }) as fc.Arbitrary<Json>;
    const record: Record<string, fc.Arbitrary<Json>> = {};
    for (const [k, s] of Object.entries(props)) record[k] = fromSchema(s, resolve, depth + 1, k);
    const required = (schema.required ?? []).filter((k) => k in record);
    // Usually every required key, sometimes one missing.
    return fc.oneof({ weight: 9, arbitrary: fc.record(record, { requiredKeys: required }) }, { weight: 1, arbitrary: fc.record(record, { requiredKeys: [] }) }) as fc.Arbitrary<Json>;
  }
  if (type === 'array' && depth < 6) return fc.array(schema.items !== undefined ? fromSchema(schema.items, resolve, depth + 1) : strangeValue, { maxLength: 3 });
  if (type === 'string') return schema.pattern !== undefined ? fc.oneof({ weight: 2, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) }, { weight: 1, arbitrary: interestingString }) : interestingString;
  if (type === 'integer') return fc.oneof(fc.integer({ min: -2, max: 20 }), fc.constantFrom(1e15, 2 ** 31, -(2 ** 63)));
  if (type === 'number') return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5, max: 50 }));
  if (type === 'boolean') return fc.boolean();
  return strangeValue;
}
