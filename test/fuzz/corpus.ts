/**
 * The adversarial corpus: inputs that stalled, crashed or escaped the diagnostics (issue 14's
 * table), and every crash the fuzz kit has found since. Each entry is a regression case: the fuzz
 * tests (test/fuzz/*.test.ts) assert the correct behaviour for it, and `npm run test:abuse`
 * (scripts/abuse.js) sends the HTTP entries to a real server while STOP messages arrive.
 *
 * Plain data and small builders only (no test-runner imports), so that the abuse script can load
 * it too. Sizes are those of the reports: small bodies (a few KiB) that cost a lot of work.
 */

// ---------------------------------------------------------------------------------------------
// Builders

/** `{"a": {"a": … 0 …}}` nested `depth` deep (objects), or `[[…0…]]` (arrays). */
export function deepJson(depth: number, kind: 'object' | 'array' = 'object'): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}

/** The same as JSON text, built without recursion (JSON.stringify of it may itself overflow). */
export function deepJsonText(depth: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object' ? '{"a":'.repeat(depth) + '0' + '}'.repeat(depth) : '['.repeat(depth) + '0' + ']'.repeat(depth);
}

/** Pads a formula with trailing spaces to exactly `length` characters. */
const padTo = (text: string, length: number): string => (text.length >= length ? text : text + ' '.repeat(length - text.length));

// ---------------------------------------------------------------------------------------------
// Formulas

/** 1 MB of text built three times over: cheap to send, expensive to evaluate. */
export const SUBSTITUTE_BOMB = 'LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",1000000,"b"),"b","c"),"c","d"))';
/** The template merge field of the table's first row. */
export const SUBSTITUTE_BOMB_FIELD = `{!${SUBSTITUTE_BOMB}}`;
/** A number literal of 1,002 digits: compiled without a diagnostic and evaluated to a Number with no value. */
export const BIG_LITERAL = '9'.repeat(1002);
/** A formula of 3,818 characters made of LPAD/SUBSTITUTE work (the table's fourth row). */
export const LONG_FORMULA = padTo(Array.from({ length: 79 }, () => 'LEN(SUBSTITUTE(LPAD("a",1000000,"b"),"b","cc"))').join('+'), 3818);

export interface FormulaCase {
  readonly name: string;
  readonly source: string;
  /** Compile options: field types, returnType, scale… */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly returnType?: string;
  readonly scale?: number;
  /** Field values (wire form) and evaluation settings. */
  readonly record?: Readonly<Record<string, unknown>>;
  readonly now?: string;
  readonly timezone?: string;
  /**
   * `diagnostic`: must not compile, with an error diagnostic inside [spanStart, spanEnd).
   * `typed` (default): compiles or not, and whatever it evaluates to is a typed value or a typed error.
   */
  readonly expect?: { readonly kind: 'diagnostic'; readonly spanStart: number; readonly spanEnd: number } | { readonly kind: 'typed' };
}

/** An error diagnostic located on the `length` characters at `start` (a sign before them may be included). */
const diagnosticAt = (start: number, length: number): FormulaCase['expect'] => ({ kind: 'diagnostic', spanStart: start, spanEnd: start + length });

export const FORMULA_CASES: readonly FormulaCase[] = [
  { name: 'a literal of 1,002 digits', source: BIG_LITERAL, expect: diagnosticAt(0, 1002) },
  { name: 'a literal of 1,002 digits in a sum', source: `1 + ${BIG_LITERAL}`, expect: diagnosticAt(4, 1002) },
  { name: 'a negative literal of 1,002 digits', source: `-${BIG_LITERAL}`, expect: diagnosticAt(1, 1002) },
  { name: 'a literal of 1,002 digits with decimals', source: `${BIG_LITERAL}.5`, expect: diagnosticAt(0, 1004) },
  { name: 'a literal of 1,002 digits as TEXT()', source: `TEXT(${BIG_LITERAL})`, expect: diagnosticAt(5, 1002) },
  { name: 'a literal of 309 digits (above the double range)', source: '9'.repeat(309) },
  { name: 'a literal of 19 digits', source: '9'.repeat(19) },
  { name: 'a literal with 1,000 decimals', source: `0.${'0'.repeat(1000)}1` },
  { name: 'the SUBSTITUTE bomb', source: SUBSTITUTE_BOMB },
  { name: 'a 3,818-character formula of LPAD work', source: LONG_FORMULA },
  { name: 'a power overflow', source: '10^400' },
  { name: 'a power tower', source: '9^9^9' },
  { name: 'EXP overflow', source: 'EXP(1000)' },
  { name: 'exponent syntax', source: '1e1' },
  { name: 'products of large literals', source: `${'9'.repeat(18)} * ${'9'.repeat(18)} * ${'9'.repeat(18)} * ${'9'.repeat(18)}` },
  { name: 'LN(0)', source: 'LN(0)' },
  { name: 'SQRT(-1)', source: 'SQRT(-1)' },
  { name: 'division by zero', source: '1/0' },
  { name: 'MOD by zero', source: 'MOD(1, 0)' },
  { name: 'VALUE of a huge number', source: `VALUE("${BIG_LITERAL}")` },
  { name: 'VALUE of 1e400', source: 'VALUE("1e400")' },
  { name: 'ROUND to a million places', source: 'ROUND(1.5, 1000000)' },
  { name: 'ROUND to minus a million places', source: 'ROUND(1.5, -1000000)' },
  { name: 'LPAD to 10^12', source: 'LEN(LPAD("a", 1000000000000, "b"))' },
  { name: 'RPAD to 10^15', source: 'LEN(RPAD("a", 1000000000000000))' },
  { name: 'LPAD to a huge literal', source: 'LEN(LPAD("a", 99999999999999999999))' },
  { name: 'SUBSTITUTE growth', source: 'LEN(SUBSTITUTE(SUBSTITUTE(LPAD("a",2000,"b"),"b",LPAD("c",2000,"c")),"c",LPAD("d",200,"d")))' },
  { name: 'concatenation growth', source: 'LEN(LPAD("a",1000000,"b") & LPAD("a",1000000,"b") & LPAD("a",1000000,"b"))' },
  { name: 'MID with huge positions', source: 'MID("abc", 1000000000000000, 1000000000000000)' },
  { name: 'LEFT with a huge negative count', source: 'LEFT("abc", -100000000000000000000)' },
  { name: 'DATE in year 275760', source: 'DATE(275760, 9, 13)' },
  { name: 'DATE in year 0', source: 'DATE(0, 1, 1)' },
  { name: 'ADDMONTHS by a billion', source: 'ADDMONTHS(DATE(2020, 1, 1), 1000000000)' },
  { name: 'a date plus 10^12 days', source: 'DATE(2020, 1, 1) + 1000000000000' },
  { name: 'NOW plus 10^12 days', source: 'NOW() + 1000000000000' },
  { name: 'TODAY minus 10^9 days', source: 'TODAY() - 1000000000' },
  { name: 'DATEVALUE of year +275760', source: 'DATEVALUE("+275760-09-13")' },
  { name: 'DATEVALUE of year 0', source: 'DATEVALUE("0000-01-01")' },
  { name: 'DATETIMEVALUE of year 0', source: 'DATETIMEVALUE("0000-01-01 00:00:00")' },
  { name: 'TIMEVALUE out of range', source: 'TIMEVALUE("25:99:99.9999")' },
  { name: 'GEOLOCATION out of range', source: 'DISTANCE(GEOLOCATION(1e3, 1e3), GEOLOCATION(-1000, 99999), "km")' },
  { name: 'CURRENCYRATE of an unknown code', source: 'CURRENCYRATE("XXX")' },
  { name: 'CASE with 2,000 arms', source: `CASE(1, ${Array.from({ length: 2000 }, (_, i) => `${i}, "v${i}"`).join(', ')}, "other")` },
  { name: 'IF nested 90 deep', source: `${'IF(TRUE, '.repeat(90)}1${', 0)'.repeat(90)}` },
  { name: 'parentheses 150 deep', source: `${'('.repeat(150)}1${')'.repeat(150)}` },
  { name: 'unary minus 3,000 times', source: `${'-'.repeat(3000)}1` },
  { name: 'NOT 1,000 times', source: `${'NOT('.repeat(900)}TRUE${')'.repeat(900)}` },
  { name: 'a 3,900-character string literal', source: `"${'x'.repeat(3898)}"` },
  { name: 'a formula longer than 3,900 characters', source: `"${'x'.repeat(5000)}"` },
  { name: 'lone surrogates', source: '"\ud800" & "\udfff"' },
  { name: 'a huge Number field value', source: 'a + 1', fields: { a: 'Number' }, record: { a: BIG_LITERAL } },
  { name: 'a huge Number field value as text', source: 'TEXT(a)', fields: { a: 'Number' }, record: { a: `-${BIG_LITERAL}.${BIG_LITERAL}` } },
  { name: 'a Number field in exponent form', source: 'a * 2', fields: { a: 'Number' }, record: { a: '1e400' } },
  { name: 'a Date field in year 0', source: 'd + 1', fields: { d: 'Date' }, record: { d: '0000-01-01' } },
  { name: 'a Date field in year +275760', source: 'YEAR(d)', fields: { d: 'Date' }, record: { d: '+275760-09-13' } },
  { name: 'a DateTime field in year +275760', source: 'TEXT(t)', fields: { t: 'DateTime' }, record: { t: '+275760-09-13T00:00:00Z' } },
  { name: 'a DateTime field in year 0', source: 'DATEVALUE(t)', fields: { t: 'DateTime' }, record: { t: '0000-01-01T00:00:00Z' } },
  { name: 'a Text field of 1 MB', source: 'LEN(SUBSTITUTE(b, "x", "yy"))', fields: { b: 'Text' }, record: { b: 'x'.repeat(1_000_000) } },
  { name: 'now in year +275760', source: 'TODAY()', now: '+275760-09-13T00:00:00Z' },
  { name: 'now in year 0', source: 'NOW()', now: '0000-01-01T00:00:00Z' },
  { name: 'an unknown time zone', source: 'TODAY()', timezone: 'Not/AZone' },
  { name: 'scale 1,000', source: '1/3', scale: 1000 },
  { name: 'a Percent result of a huge value', source: '10^300', returnType: 'Percent' },
];

// ---------------------------------------------------------------------------------------------
// Templates

export interface TemplateCase {
  readonly name: string;
  readonly template: string;
  readonly constantTypes?: Readonly<Record<string, unknown>>;
  readonly constants?: Readonly<Record<string, unknown>>;
  readonly listTemplates?: ReadonlyArray<{ name: string; source: string; template: string; lineBreaks?: 'br' | 'preserve' }>;
  readonly lineBreaks?: 'br' | 'preserve';
}

const items = (n: number): Array<{ Name: string }> => Array.from({ length: n }, (_, i) => ({ Name: `n${i}` }));

/** The table's second row: three list templates, each rendering the next for every one of 1,000 items. */
export const NESTED_LISTS: TemplateCase = {
  name: 'list templates nested 3 deep, 1,000 items each',
  template: '{!$ListTemplates.A}',
  constantTypes: { L: [{ Name: 'Text' }] },
  constants: { L: items(1000) },
  listTemplates: [
    { name: 'A', source: '$Constants.L', template: '{!$ListTemplates.B}' },
    { name: 'B', source: '$Constants.L', template: '{!$ListTemplates.C}' },
    { name: 'C', source: '$Constants.L', template: '{!$ListItem.Value.Name}' },
  ],
};

export const TEMPLATE_CASES: readonly TemplateCase[] = [
  { name: '400 SUBSTITUTE bombs', template: SUBSTITUTE_BOMB_FIELD.repeat(400) },
  NESTED_LISTS,
  { name: 'a list template that renders itself', template: '{!$ListTemplates.A}', constantTypes: { L: [{ Name: 'Text' }] }, constants: { L: items(3) }, listTemplates: [{ name: 'A', source: '$Constants.L', template: '{!$ListTemplates.A}' }] },
  {
    name: 'two list templates that render each other',
    template: '{!$ListTemplates.A}',
    constantTypes: { L: [{ Name: 'Text' }] },
    constants: { L: items(3) },
    listTemplates: [
      { name: 'A', source: '$Constants.L', template: '{!$ListTemplates.B}' },
      { name: 'B', source: '$Constants.L', template: '{!$ListTemplates.A}' },
    ],
  },
  { name: 'a list of 100,000 items', template: '{!$ListTemplates.A}', constantTypes: { L: [{ Name: 'Text' }] }, constants: { L: items(100_000) }, listTemplates: [{ name: 'A', source: '$Constants.L', template: '{!$ListItem.Value.Name}' }] },
  { name: 'a list item that pads to a megabyte', template: '{!$ListTemplates.A}', constantTypes: { L: [{ Name: 'Text' }] }, constants: { L: items(1000) }, listTemplates: [{ name: 'A', source: '$Constants.L', template: '{!LPAD($ListItem.Value.Name, 1000000, "x")}' }] },
  { name: '10,000 merge fields', template: '{!1}'.repeat(10_000) },
  { name: '5,000 BR()', template: '{!BR()}'.repeat(5000) },
  { name: '200 KB of literal text', template: 'x'.repeat(200_000) },
  { name: 'an unclosed merge field', template: `{!${'('.repeat(50)}` },
  { name: 'merge fields inside merge fields', template: '{!{!{!1}}}' },
  { name: 'a merge field of 1,002 digits', template: `{!${BIG_LITERAL}}` },
  { name: 'a merge field in preserve mode with CRLF', template: 'a\r\n{!"b"}\r\n'.repeat(1000), lineBreaks: 'preserve' },
  { name: 'a constant of 1 MB', template: '{!LEN(SUBSTITUTE($Constants.T, "x", "yy"))}', constantTypes: { T: 'Text' }, constants: { T: 'x'.repeat(1_000_000) } },
  { name: 'a constant Number of 1,002 digits', template: '{!$Constants.N + 1}', constantTypes: { N: 'Number' }, constants: { N: BIG_LITERAL } },
  { name: 'a list source that is not declared', template: '{!$ListTemplates.A}', listTemplates: [{ name: 'A', source: '$Constants.Nope', template: 'x' }] },
];

// ---------------------------------------------------------------------------------------------
// Components

/** An auto-response whose Text format's template is `template` (with one Text constant `T`). */
export function textComponent(name: string, template: string, constants: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'AutoResponse', constants: { T: { type: 'Text', value: 'hello' }, ...constants }, formats: [{ type: 'Text', template }] };
}

/** The table's third row: 40 SUBSTITUTE bombs in one component (about 3.4 KB). */
export const BOMB_COMPONENT = textComponent('Fuzz_Bombs', SUBSTITUTE_BOMB_FIELD.repeat(40));

export interface ComponentCase {
  readonly name: string;
  readonly definition: unknown;
  /** `invalid`: validation must refuse it, with an error at or under `pointer`. `any` (default): any typed outcome. */
  readonly expect?: 'invalid' | 'any';
  readonly pointer?: string;
}

export const COMPONENT_CASES: readonly ComponentCase[] = [
  { name: 'a literal of 1,002 digits in a template', definition: textComponent('Fuzz_Big', `{!${BIG_LITERAL}}`), expect: 'invalid', pointer: '/formats/0/template' },
  { name: 'a literal of 1,002 digits in a list template', definition: { ...textComponent('Fuzz_BigList', '{!$ListTemplates.L}', { O: { type: 'List<Option>', value: [{ Name: 'a', Id: 'a' }] } }), listTemplates: [{ name: 'L', source: '$Constants.O', template: `{!${BIG_LITERAL} + $ListItem.Index}` }] }, expect: 'invalid', pointer: '/listTemplates/0/template' },
  { name: '40 SUBSTITUTE bombs', definition: BOMB_COMPONENT },
  { name: 'a 3,818-character formula', definition: textComponent('Fuzz_Long', `{!${LONG_FORMULA}}`) },
  { name: 'a constant value nested 3,000 deep', definition: textComponent('Fuzz_Deep', '{!$Constants.T}', { D: { type: 'Text', value: deepJson(3000) } }), expect: 'invalid', pointer: '/constants/D/value' },
  { name: 'a constant value nested 100,000 deep', definition: textComponent('Fuzz_Deeper', '{!$Constants.T}', { D: { type: 'Text', value: deepJson(100_000) } }), expect: 'invalid', pointer: '/constants/D/value' },
  { name: 'a list constant nested 100,000 deep', definition: textComponent('Fuzz_DeepList', '{!$Constants.T}', { D: { type: 'List<Option>', value: [deepJson(100_000, 'array')] } }), expect: 'invalid', pointer: '/constants/D/value' },
  { name: 'a __proto__ constant', definition: JSON.parse('{"name":"Fuzz_Proto","type":"AutoResponse","constants":{"__proto__":{"type":"Text","value":"x"}},"formats":[{"type":"Text","template":"{!$Constants.__proto__}"}]}') as unknown },
  { name: 'a constructor constant', definition: textComponent('Fuzz_Ctor', '{!$Constants.constructor}', { constructor: { type: 'Text', value: 'x' } }) },
  { name: 'a list constant of 20,000 options', definition: { name: 'Fuzz_Many', type: 'QuestionStaticOptions', constants: { Title: { type: 'Text', value: 'Pick' }, O: { type: 'List<Option>', value: Array.from({ length: 20_000 }, (_, i) => ({ Name: `o${i}`, Id: `o${i}` })) } }, formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.O' } }] } },
  { name: 'a name of 100,000 characters', definition: textComponent('N'.repeat(100_000), 'x') },
  { name: 'not an object', definition: [[[]]] },
  { name: 'null', definition: null },
];

// ---------------------------------------------------------------------------------------------
// HTTP

/** The API key a case uses (the test servers and the abuse script define keys with these scopes). */
export type Scope = 'admin' | 'service' | 'preview';

export interface HttpCase {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `{channel}` (here and in the body) stands for an SMS long-code channel the harness creates first. */
  readonly path: string;
  readonly scope?: Scope;
  /** The body as sent (JSON text, or anything with another content type). */
  readonly body?: string;
  /** Default `application/json` when there is a body. */
  readonly contentType?: string;
  /** Statuses that are correct. Every case also requires: never 5xx, and a problem+json for every 4xx. */
  readonly status: readonly number[];
  /** Text the problem (detail or errors) must contain, for a clear message. */
  readonly mentions?: string;
  /** For inbound cases: the sender, whose user must exist afterwards when the answer is a 200, and not when it is a 4xx. */
  readonly sender?: string;
}

const json = (v: unknown): string => JSON.stringify(v);
const evaluate = (v: unknown): Pick<HttpCase, 'method' | 'path' | 'body' | 'scope'> => ({ method: 'POST', path: '/v1/formulas/evaluate', body: typeof v === 'string' ? v : json(v), scope: 'service' });
const inbound = (from: string, receivedAt: unknown): Pick<HttpCase, 'method' | 'path' | 'body' | 'scope' | 'sender'> => ({
  method: 'POST',
  path: '/v1/channels/{channel}/inbound',
  body: json({ from, text: 'STOP', receivedAt }),
  scope: 'service',
  sender: from,
});

export const HTTP_CASES: readonly HttpCase[] = [
  // Table row 1: 32 KiB of template that costs 35 s.
  { name: '400 SUBSTITUTE bombs in a template render', method: 'POST', path: '/v1/templates/render', body: json({ template: SUBSTITUTE_BOMB_FIELD.repeat(400) }), scope: 'service', status: [200, 422] },
  // Row 2.
  {
    name: 'list templates nested 3 deep, 1,000 items each',
    method: 'POST',
    path: '/v1/templates/render',
    body: json({ template: NESTED_LISTS.template, constants: NESTED_LISTS.constants, listTemplates: NESTED_LISTS.listTemplates }),
    scope: 'service',
    status: [200, 422],
  },
  // Row 3: a preview key may render an inline component.
  { name: '40 SUBSTITUTE bombs in an inline render with a preview key', method: 'POST', path: '/v1/render', body: json({ channel: 'EmbeddedWeb', component: BOMB_COMPONENT }), scope: 'preview', status: [200, 422] },
  // Row 4.
  { name: 'one 3,818-character formula', ...evaluate({ formula: LONG_FORMULA }), status: [200] },
  { name: 'a batch of 15 3,818-character formulas', ...evaluate({ items: Array.from({ length: 15 }, (_, i) => ({ id: i, formula: LONG_FORMULA })) }), status: [200] },
  // Row 5.
  { name: 'a literal of 1,002 digits', ...evaluate({ formula: BIG_LITERAL }), status: [200, 422] },
  { name: 'a batch with a literal of 1,002 digits and a good item', ...evaluate({ items: [{ id: 'big', formula: BIG_LITERAL }, { id: 'good', formula: '1 + 1' }] }), status: [200] },
  { name: 'a component with a literal of 1,002 digits', method: 'PUT', path: '/v1/components/Fuzz_Big', body: json(textComponent('Fuzz_Big', `{!${BIG_LITERAL}}`)), scope: 'admin', status: [422] },
  { name: 'an inline render of a literal of 1,002 digits', method: 'POST', path: '/v1/render', body: json({ channel: 'EmbeddedWeb', component: textComponent('Fuzz_Big', `{!${BIG_LITERAL}}`) }), scope: 'service', status: [422] },
  // Row 6: dates the database can't hold.
  { name: 'STOP received in year 0', ...inbound('+14155550109', '0000-01-01T00:00:00Z'), status: [400], mentions: 'receivedAt' },
  { name: 'STOP received in year +275760', ...inbound('+14155550101', '+275760-09-13T00:00:00.000Z'), status: [400], mentions: 'receivedAt' },
  { name: 'STOP received at a date that is not one', ...inbound('+14155550102', 'yesterday'), status: [400], mentions: 'receivedAt' },
  { name: 'STOP received on February 30', ...inbound('+14155550103', '2026-02-30T00:00:00Z'), status: [400], mentions: 'receivedAt' },
  { name: 'STOP received at a number', ...inbound('+14155550104', 1e308), status: [400], mentions: 'receivedAt' },
  { name: 'STOP received in year -271821', ...inbound('+14155550105', '-271821-04-20T00:00:00Z'), status: [400], mentions: 'receivedAt' },
  // Row 7: deep JSON.
  { name: 'a record nested 3,000 deep', ...evaluate(`{"formula":"1","record":${deepJsonText(3000)}}`), status: [400] },
  { name: 'an array nested 3,000 deep', ...evaluate(`{"formula":"1","record":{"a":${deepJsonText(3000, 'array')}}}`), status: [400] },
  { name: 'a batch with one item nested 3,000 deep', ...evaluate(`{"items":[{"formula":"1","record":${deepJsonText(3000)}},{"formula":"2"}]}`), status: [200, 400] },
  { name: 'template constants nested 3,000 deep', method: 'POST', path: '/v1/templates/render', body: `{"template":"x","constants":{"C":${deepJsonText(3000)}}}`, scope: 'service', status: [400, 422] },
  { name: 'render parameters nested 3,000 deep', method: 'POST', path: '/v1/render', body: `{"channel":"EmbeddedWeb","component":${json(textComponent('Fuzz_D', 'x'))},"parameters":{"P":${deepJsonText(3000)}}}`, scope: 'service', status: [400, 422] },
  { name: 'user attributes nested 3,000 deep', method: 'PUT', path: '/v1/channels/{channel}/users/+14155550110', body: `{"attributes":{"a":${deepJsonText(3000)}}}`, scope: 'admin', status: [400] },
  { name: 'user attributes nested 3,000 deep, again (an update)', method: 'PUT', path: '/v1/channels/{channel}/users/+14155550110', body: `{"attributes":{"a":${deepJsonText(3000)}}}`, scope: 'admin', status: [400] },
  { name: 'a component nested 3,000 deep', method: 'PUT', path: '/v1/components/Fuzz_Deep', body: `{"name":"Fuzz_Deep","type":"AutoResponse","formats":[{"type":"Text","template":"x"}],"description":${deepJsonText(3000, 'array')}}`, scope: 'admin', status: [400, 422] },
  { name: 'JSON nested 100,000 deep', ...evaluate(deepJsonText(100_000, 'array')), status: [400] },
  // Row 8: content types and prototype keys.
  { name: 'text/plain', ...evaluate({ formula: '1' }), contentType: 'text/plain', status: [415] },
  { name: 'text/plain on an inbound message', ...inbound('+14155550120', undefined), contentType: 'text/plain', status: [415] },
  { name: 'application/x-www-form-urlencoded', ...evaluate('formula=1'), contentType: 'application/x-www-form-urlencoded', status: [415] },
  { name: 'no content type', ...evaluate({ formula: '1' }), contentType: '', status: [400, 415] },
  { name: 'a __proto__ key', ...evaluate('{"formula":"1","__proto__":{"polluted":true}}'), status: [400], mentions: '__proto__' },
  { name: 'a nested __proto__ key', ...evaluate('{"formula":"a","fields":{"a":"Text"},"record":{"__proto__":{"a":"x"}}}'), status: [400], mentions: '__proto__' },
  { name: 'a constructor.prototype key', ...evaluate('{"formula":"1","record":{"constructor":{"prototype":{"polluted":true}}}}'), status: [400], mentions: 'constructor' },
  { name: 'a __proto__ key in an inbound message', ...inbound('+14155550121', undefined), body: '{"from":"+14155550121","text":"STOP","__proto__":{"receivedAt":"2026-01-01T00:00:00Z"}}', status: [400], mentions: '__proto__' },
  // More found while building the kit.
  { name: 'an empty JSON body', ...evaluate(''), status: [400] },
  { name: 'a JSON null body', ...evaluate('null'), status: [400] },
  { name: 'a JSON array body', ...evaluate('[]'), status: [400] },
  { name: 'a JSON string body', ...evaluate('"1"'), status: [400] },
  { name: 'a number too big for a double', ...evaluate('1e999'), status: [400] },
  { name: 'truncated JSON', ...evaluate('{"formula":"1'), status: [400] },
  { name: 'a 1,002-digit record value', ...evaluate({ formula: 'a + 1', fields: { a: 'Number' }, record: { a: BIG_LITERAL } }), status: [200, 422] },
  { name: 'a 1,002-digit JSON number', ...evaluate(`{"formula":"a + 1","fields":{"a":"Number"},"record":{"a":${BIG_LITERAL}}}`), status: [200, 400, 422] },
  { name: 'now in year +275760', ...evaluate({ formula: 'TODAY()', now: '+275760-09-13T00:00:00Z' }), status: [200, 400, 422] },
  { name: 'a render now in year 0', method: 'POST', path: '/v1/render', body: json({ channel: 'EmbeddedWeb', now: '0000-01-01T00:00:00Z', component: textComponent('Fuzz_Now', '{!TODAY()}') }), scope: 'service', status: [200, 400, 422] },
  { name: 'a session id beyond bigint', method: 'GET', path: `/v1/sessions/${'9'.repeat(30)}`, scope: 'service', status: [400, 404] },
  { name: 'a negative session id', method: 'POST', path: '/v1/sessions/-1/end', body: '{}', scope: 'service', status: [400, 404] },
  { name: 'a session list limit of 1e400', method: 'GET', path: '/v1/channels/{channel}/users/+14155550100/sessions?limit=1e400', scope: 'service', status: [400, 404] },
  { name: 'a component version beyond bigint', method: 'GET', path: `/v1/components/Fuzz_Big?version=${'9'.repeat(30)}`, scope: 'service', status: [400, 404] },
  { name: 'a component name of 10,000 characters', method: 'GET', path: `/v1/components/${'N'.repeat(10_000)}`, scope: 'service', status: [400, 404, 414] },
  { name: 'a NUL in a path', method: 'GET', path: '/v1/components/a%00b', scope: 'service', status: [400, 404] },
  { name: 'a platform key of 10,000 characters', method: 'GET', path: `/v1/channels/{channel}/users/${'1'.repeat(10_000)}`, scope: 'service', status: [400, 404, 414] },
  { name: 'a stored component render of version 10^15', method: 'POST', path: '/v1/components/Fuzz_Text/render', body: json({ channel: 'EmbeddedWeb', version: 1e15 }), scope: 'service', status: [400, 404] },
  { name: 'a stored component render of version 2^31', method: 'POST', path: '/v1/components/Fuzz_Text/render', body: json({ channel: 'EmbeddedWeb', version: 2 ** 31 }), scope: 'service', status: [400, 404] },
  { name: 'a linking rule id of 101 characters', method: 'GET', path: `/v1/linking-rules/${'a'.repeat(101)}`, scope: 'service', status: [400, 404, 414] },
  // U+0000 in any text the store keeps: PostgreSQL text and jsonb can't hold it (found by the kit).
  { name: 'a NUL in an inbound message', ...inbound('+14155550140', undefined), body: json({ from: '+14155550140', text: 'a\u0000b' }), status: [200, 400] },
  { name: 'a STOP with a NUL', ...inbound('+14155550141', undefined), body: json({ from: '+14155550141', text: 'STOP\u0000' }), status: [200, 400] },
  { name: 'a NUL in a user name', method: 'PUT', path: '/v1/channels/{channel}/users/+14155550142', body: json({ name: 'a\u0000b' }), scope: 'admin', status: [200, 201, 400] },
  { name: 'a NUL in a user attribute key', method: 'PUT', path: '/v1/channels/{channel}/users/+14155550143', body: json({ attributes: { 'a\u0000b': 'v' } }), scope: 'admin', status: [200, 201, 400] },
  { name: 'a NUL in an imported user', method: 'POST', path: '/v1/channels/{channel}/users:import', body: json([{ platformKey: '+14155550144', name: 'a\u0000b' }]), scope: 'admin', status: [200, 400, 422] },
  { name: 'a NUL in a component', method: 'PUT', path: '/v1/components/Fuzz_Nul', body: json(textComponent('Fuzz_Nul', 'a\u0000b')), scope: 'admin', status: [200, 201, 400, 422] },
  { name: 'a NUL in a record', method: 'PUT', path: '/v1/objects/Contact/records/003000000000009AAA', body: json({ LastName: 'a\u0000b' }), scope: 'admin', status: [200, 201, 400, 422] },
  { name: 'a NUL in a linking rule', method: 'PUT', path: '/v1/linking-rules/fz-nul', body: json({ channelId: '{channel}', object: 'Contact', name: 'a\u0000b', mode: 'auto', conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] }), scope: 'admin', status: [200, 201, 400, 422] },
  { name: 'a NUL in receivedAt', ...inbound('+14155550145', '2026-11-21T10:00:00\u0000Z'), status: [400], mentions: 'receivedAt' },
  // Formulas stored for later: a linking rule's filter runs at every link.
  { name: 'a linking rule filter with a literal of 1,002 digits', method: 'PUT', path: '/v1/linking-rules/fz-big', body: json({ channelId: '{channel}', object: 'Contact', name: 'Big', mode: 'auto', conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }], filter: `${BIG_LITERAL} > 0` }), scope: 'admin', status: [422] },
  { name: 'an outbound check of a component with 40 SUBSTITUTE bombs', method: 'POST', path: '/v1/outbound/check', body: json({ channelId: '{channel}', platformKey: '+14155550100', repId: 'rep-1', content: { kind: 'component', component: BOMB_COMPONENT } }), scope: 'service', status: [200, 422] },
  { name: 'an import of nested rows', method: 'POST', path: '/v1/channels/{channel}/users:import', body: `[${deepJsonText(3000)}]`, scope: 'admin', status: [400, 422] },
  { name: 'an import as text/plain', method: 'POST', path: '/v1/channels/{channel}/users:import', body: 'platformKey\n+14155550130\n', contentType: 'text/plain', scope: 'admin', status: [415] },
  { name: 'a CSV import with a 1,002-digit key', method: 'POST', path: '/v1/channels/{channel}/users:import', body: `platformKey\n+${BIG_LITERAL}\n`, contentType: 'text/csv', scope: 'admin', status: [200, 400, 422] },
];
