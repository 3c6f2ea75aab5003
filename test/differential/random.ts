/**
 * The standing three-way differential (issue 17): random well-typed formulas, nested up to four
 * levels, over a record of ten fields with random values (blanks, negatives, 18-digit numbers,
 * month ends, leap days, Unicode), evaluated by Parlance, sformula and, where it is reliable,
 * formulon (see formulon.ts).
 *
 * A disagreement is traced to its first divergence: the innermost node of the formula whose
 * result differs while its arguments' results agree. That node is replayed alone, as the
 * single-function case `F(a, b, …)` with its arguments' values as fields, and judged against the
 * explained lists: KNOWN_DIFFERENCES (harness.ts) for sformula, FORMULON_KNOWN_DIFFERENCES below for
 * formulon, and INPUT_DIFFERENCES for both. Each explained entry names its evidence; anything else
 * is unexplained and fails the run.
 */
import fc from 'fast-check';
import { dateText, dateTimeText, maybe, numberText, text } from './arbitraries.js';
import { FORMULON_RELIABLE, isUntypedBlank, runFormulon } from './formulon.js';
import { agree, judge, plainNumber, runOurs, runSformula, type Case, type FieldType, type Outcome, type WireInput } from './harness.js';

type T = 'N' | 'T' | 'B' | 'D' | 'DT';

/** A node of a generated formula. Leaves are fields or literals; `build` writes the node from its arguments' text. */
export interface Node {
  readonly fn: string;
  readonly type: T;
  readonly text: string;
  readonly children: readonly Node[];
  readonly build?: (args: readonly string[]) => string;
  readonly leaf?: 'field' | 'literal';
}

const FIELD_TYPE: Record<T, FieldType> = { N: 'Number', T: 'Text', B: 'Boolean', D: 'Date', DT: 'DateTime' };

export const FIELDS: Readonly<Record<string, FieldType>> = {
  n1: 'Number',
  n2: 'Number',
  n3: 'Number',
  t1: 'Text',
  t2: 'Text',
  b1: 'Boolean',
  d1: 'Date',
  d2: 'Date',
  dt1: 'DateTime',
  c1: 'Number',
};

const FIELDS_OF: Record<T, readonly string[]> = { N: ['n1', 'n2', 'n3'], T: ['t1', 't2'], B: ['b1'], D: ['d1', 'd2'], DT: ['dt1'] };

/** Up to 18 significant digits, as a Salesforce Number(18, 0) or (9, 9) field holds. */
const eighteenDigits = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 10n ** 15n, max: 10n ** 18n - 1n }), fc.integer({ min: 0, max: 18 }))
  .map(([neg, m, scale]) => {
    const digits = m.toString();
    const s = scale === 0 ? digits : `${digits.slice(0, digits.length - scale) || '0'}.${digits.slice(-scale).padStart(scale, '0')}`.replace(/\.?0+$/, '');
    return (neg ? '-' : '') + s.replace(/^0+(?=\d)/, '');
  });

const recordArb: fc.Arbitrary<Record<string, WireInput>> = fc.record({
  n1: maybe(numberText),
  n2: maybe(fc.oneof({ weight: 4, arbitrary: numberText }, { weight: 1, arbitrary: eighteenDigits })),
  n3: maybe(fc.integer({ min: -40, max: 40 }).map(String)),
  t1: maybe(text),
  t2: maybe(fc.constantFrom('a', 'b', 'abc', ' ', 'é', '1', '2.5', 'ABC', 'a;b', '😀')),
  b1: fc.boolean(),
  d1: maybe(dateText),
  d2: maybe(dateText),
  dt1: maybe(dateTimeText),
  // a count: small, sometimes negative or fractional
  c1: maybe(fc.constantFrom('0', '1', '2', '3', '5', '-1', '2.5', '12')),
});

// ---------------------------------------------------------------------------
// Formula generation

/** A small deterministic PRNG (mulberry32), so a formula depends only on its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <X>(r: Rand, xs: readonly X[]): X => xs[Math.floor(r() * xs.length)] as X;

const LITERALS: Record<T, readonly string[]> = {
  N: ['0', '1', '2', '3', '10', '0.5', '1.5', '2.5', '100', '0.1', '7'],
  T: ['"abc"', '""', '" a "', '"A"', '"é"', '"1.5"', '"b"', '"ß"'],
  B: ['TRUE', 'FALSE'],
  D: [],
  DT: [],
};

function leaf(r: Rand, type: T): Node {
  const literals = LITERALS[type];
  if (literals.length > 0 && r() < 0.3) return { fn: 'literal', type, text: pick(r, literals), children: [], leaf: 'literal' };
  return { fn: 'field', type, text: pick(r, FIELDS_OF[type]), children: [], leaf: 'field' };
}

/** A count argument: the count field or a small literal. */
function count(r: Rand): Node {
  return r() < 0.5 ? { fn: 'field', type: 'N', text: 'c1', children: [], leaf: 'field' } : { fn: 'literal', type: 'N', text: pick(r, ['0', '1', '2', '3', '4', '-1', '1.5']), children: [], leaf: 'literal' };
}

const call = (name: string) => (args: readonly string[]): string => `${name}(${args.join(', ')})`;
const infix = (op: string) => (args: readonly string[]): string => `(${args[0] as string} ${op} ${args[1] as string})`;

type Production = readonly [weight: number, fn: string, make: (r: Rand, d: number) => readonly Node[], build: (args: readonly string[]) => string];

const g = (type: T) => (r: Rand, d: number): Node => gen(r, type, d);
const args = (...parts: readonly ((r: Rand, d: number) => Node)[]) => (r: Rand, d: number): readonly Node[] => parts.map((p) => p(r, d - 1));
const N = g('N');
const Tx = g('T');
const B = g('B');
const D = g('D');
const DT = g('DT');
const C = (r: Rand): Node => count(r);
const lit = (...xs: string[]) => (r: Rand): Node => ({ fn: 'literal', type: 'N', text: pick(r, xs), children: [], leaf: 'literal' });
const tlit = (...xs: string[]) => (r: Rand): Node => ({ fn: 'literal', type: 'T', text: pick(r, xs), children: [], leaf: 'literal' });

const PRODUCTIONS: Record<T, readonly Production[]> = {
  N: [
    [3, '+', args(N, N), infix('+')],
    [3, '-', args(N, N), infix('-')],
    [3, '*', args(N, N), infix('*')],
    [2, '/', args(N, N), infix('/')],
    [1, '^', args(N, lit('0', '1', '2', '3')), infix('^')],
    [1, 'unary -', args(N), (a) => `-(${a[0] as string})`],
    [1, 'ABS', args(N), call('ABS')],
    [1, 'FLOOR', args(N), call('FLOOR')],
    [1, 'CEILING', args(N), call('CEILING')],
    [2, 'ROUND', args(N, lit('0', '1', '2', '-1')), call('ROUND')],
    [2, 'MOD', args(N, N), call('MOD')],
    [2, 'MAX', args(N, N), call('MAX')],
    [2, 'MIN', args(N, N), call('MIN')],
    [2, 'LEN', args(Tx), call('LEN')],
    [1, 'FIND', args(Tx, Tx), call('FIND')],
    [1, 'VALUE', args(Tx), call('VALUE')],
    [1, 'SQRT', args(N), call('SQRT')],
    [3, 'IF', args(B, N, N), call('IF')],
    [1, 'CASE', (r, d) => [N(r, d - 1), lit('0', '1', '2')(r), N(r, d - 1), N(r, d - 1)], (a) => `CASE(${a.join(', ')})`],
    [2, 'BLANKVALUE', args(N, N), call('BLANKVALUE')],
    [1, 'YEAR', args(D), call('YEAR')],
    [1, 'MONTH', args(D), call('MONTH')],
    [1, 'DAY', args(D), call('DAY')],
    [1, 'WEEKDAY', args(D), call('WEEKDAY')],
    [1, '-', args(D, D), infix('-')],
  ],
  T: [
    [4, '&', args(Tx, Tx), infix('&')],
    [2, 'LEFT', args(Tx, C), call('LEFT')],
    [2, 'RIGHT', args(Tx, C), call('RIGHT')],
    [2, 'MID', args(Tx, C, C), call('MID')],
    [1, 'UPPER', args(Tx), call('UPPER')],
    [1, 'LOWER', args(Tx), call('LOWER')],
    [1, 'TRIM', args(Tx), call('TRIM')],
    [1, 'SUBSTITUTE', (r, d) => [Tx(r, d - 1), tlit('"a"', '"b"', '" "', '""')(r), Tx(r, d - 1)], call('SUBSTITUTE')],
    [2, 'TEXT', args(N), call('TEXT')],
    [1, 'TEXT', args(D), call('TEXT')],
    [1, 'LPAD', args(Tx, C, Tx), call('LPAD')],
    [1, 'RPAD', args(Tx, C, Tx), call('RPAD')],
    [3, 'IF', args(B, Tx, Tx), call('IF')],
    [1, 'CASE', (r, d) => [Tx(r, d - 1), tlit('"a"', '"abc"', '""')(r), Tx(r, d - 1), Tx(r, d - 1)], (a) => `CASE(${a.join(', ')})`],
    [2, 'BLANKVALUE', args(Tx, Tx), call('BLANKVALUE')],
  ],
  B: [
    [2, '=', args(N, N), infix('=')],
    [1, '=', args(Tx, Tx), infix('=')],
    [1, '<>', args(N, N), infix('<>')],
    [2, '<', args(N, N), infix('<')],
    [1, '>=', args(N, N), infix('>=')],
    [1, '>', args(D, D), infix('>')],
    [1, '<=', args(D, D), infix('<=')],
    [2, 'AND', args(B, B), call('AND')],
    [2, 'OR', args(B, B), call('OR')],
    [2, 'NOT', args(B), call('NOT')],
    [1, '&&', args(B, B), infix('&&')],
    [1, '||', args(B, B), infix('||')],
    [2, 'ISBLANK', args(N), call('ISBLANK')],
    [1, 'ISBLANK', args(Tx), call('ISBLANK')],
    [1, 'ISBLANK', args(D), call('ISBLANK')],
    [2, 'CONTAINS', args(Tx, Tx), call('CONTAINS')],
    [1, 'BEGINS', args(Tx, Tx), call('BEGINS')],
    [1, 'ISNUMBER', args(Tx), call('ISNUMBER')],
    [1, 'IF', args(B, B, B), call('IF')],
  ],
  D: [
    [2, '+', args(D, C), infix('+')],
    [2, '-', args(D, C), infix('-')],
    [2, 'ADDMONTHS', args(D, C), call('ADDMONTHS')],
    [1, 'DATE', (r) => [lit('1700', '2000', '2023', '2024', '4000')(r), lit('0', '1', '2', '12', '13')(r), lit('0', '1', '28', '29', '31')(r)], call('DATE')],
    [1, 'DATEVALUE', args(DT), call('DATEVALUE')],
    [2, 'IF', args(B, D, D), call('IF')],
    [1, 'BLANKVALUE', args(D, D), call('BLANKVALUE')],
  ],
  DT: [
    [1, '+', args(DT, C), infix('+')],
    [1, 'DATETIMEVALUE', args(D), call('DATETIMEVALUE')],
    [1, 'IF', args(B, DT, DT), call('IF')],
  ],
};

function gen(r: Rand, type: T, depth: number): Node {
  if (depth <= 0 || r() < 0.2) return leaf(r, type);
  const prods = PRODUCTIONS[type];
  let x = r() * prods.reduce((s, p) => s + p[0], 0);
  let chosen = prods[0] as Production;
  for (const p of prods) {
    x -= p[0];
    if (x < 0) {
      chosen = p;
      break;
    }
  }
  const [, fn, make, build] = chosen;
  const children = make(r, depth);
  return { fn, type, text: build(children.map((c) => c.text)), children, build };
}

export interface RandomCase {
  readonly seed: number;
  readonly root: Node;
  readonly record: Readonly<Record<string, WireInput>>;
}

/** The `index`-th formula and record of a run with base seed `seed`. */
export function randomCase(seed: number, index: number): RandomCase {
  const s = (Math.imul(seed, 0x9e3779b1) + index) | 0;
  const r = rng(s);
  const root = gen(r, pick(r, ['N', 'N', 'T', 'T', 'B', 'D', 'DT'] as const), 4);
  const [record] = fc.sample(recordArb, { seed: s, numRuns: 1 });
  return { seed: s, root, record: record as Record<string, WireInput> };
}

export const caseOf = (root: Node, record: Readonly<Record<string, WireInput>>): Case => ({ fn: root.fn, formula: root.text, fields: FIELDS, record });

// ---------------------------------------------------------------------------
// Tracing a disagreement to its first divergence

export type Engine = 'sformula' | 'formulon';

/** Agreement, or a difference that only concerns how a result is handed out, not the value inside a formula. */
function sameInside(engine: Engine, c: Case, ours: Outcome, theirs: Outcome): boolean {
  if (agree(ours, theirs) || (isUntypedBlank(theirs) && ours.kind !== 'error' && ours.value === null)) return true;
  if (engine === 'formulon') return false;
  const v = judge(c, ours, theirs);
  if (v.status !== 'explained') return false;
  if (v.id === 'text-result-not-trimmed') {
    // Only the final result is trimmed by sformula: compare the text inside the formula, between brackets.
    const wrapped: Case = { ...c, formula: `"[" & ${c.formula} & "]"` };
    return agree(runOurs(wrapped), runSformula(wrapped));
  }
  return v.id === 'blank-checkbox-result' || v.id === 'output-18-decimal-places';
}

const run = (engine: Engine, c: Case): Outcome => (engine === 'sformula' ? runSformula(c) : runFormulon(c));

export interface Divergence {
  readonly node: Node;
  /** The node alone: `F(a, b, …)` over its arguments' values. */
  readonly isolated: Case;
  readonly ours: Outcome;
  readonly theirs: Outcome;
  /** The node where it stands: its own text over the whole record. */
  readonly inPlace: Case;
  readonly inPlaceOurs: Outcome;
  readonly inPlaceTheirs: Outcome;
  /** An argument agreed only within a number's printing tolerance (digits below the 18th decimal place). */
  readonly approximateArgument: boolean;
  /** An argument is a blank text computed by the formula (not a field). */
  readonly blankTextArgument: boolean;
}

/** The innermost node under `node` whose result differs while its arguments agree. */
export function firstDivergence(engine: Engine, node: Node, record: Readonly<Record<string, WireInput>>): Divergence {
  const values: WireInput[] = [];
  let approximateArgument = false;
  let blankTextArgument = false;
  for (const child of node.children) {
    const c = caseOf(child, record);
    const ours = runOurs(c);
    const theirs = run(engine, c);
    if (child.leaf === undefined && !sameInside(engine, c, ours, theirs)) return firstDivergence(engine, child, record);
    // A number printed with 18 decimal places may be rounded: its hidden digits can differ.
    if (ours.kind === 'number' && (!agree(ours, theirs) || /\.\d{18}$/.test(String(ours.value)))) approximateArgument = true;
    if (child.leaf === undefined && ours.kind === 'text' && ours.value === null) blankTextArgument = true;
    values.push(ours.kind === 'error' ? null : (ours.value as WireInput));
  }
  const names = node.children.map((_, i) => String.fromCharCode(97 + i));
  const inPlace = caseOf(node, record);
  const isolated: Case =
    node.build === undefined
      ? inPlace
      : {
          fn: node.fn,
          formula: node.build(names).replace(/^\((.*)\)$/s, '$1'),
          fields: Object.fromEntries(node.children.map((ch, i) => [names[i] as string, FIELD_TYPE[ch.type]])),
          record: Object.fromEntries(node.children.map((_, i) => [names[i] as string, values[i] ?? null])),
        };
  return { node, isolated, ours: runOurs(isolated), theirs: run(engine, isolated), inPlace, inPlaceOurs: runOurs(inPlace), inPlaceTheirs: run(engine, inPlace), approximateArgument, blankTextArgument };
}

/** Every function and operator of the formula, and whether formulon is compared on it. */
export function functionsOf(node: Node): string[] {
  return node.leaf !== undefined ? [] : [node.fn, ...node.children.flatMap(functionsOf)];
}

/** Fields the formula reads. */
export function fieldsOf(node: Node): string[] {
  return node.leaf === 'field' ? [node.text] : node.children.flatMap(fieldsOf);
}

/** Whether formulon is compared on this formula and record (see formulon.ts). */
export function formulonComparable(rc: RandomCase): boolean {
  if (!functionsOf(rc.root).every((f) => FORMULON_RELIABLE.has(f))) return false;
  return fieldsOf(rc.root).every((f) => rc.record[f] !== null && !(FIELDS[f] === 'Number' && String(rc.record[f]).replace(/[-.]/g, '').replace(/^0+/, '').length > 15));
}

// ---------------------------------------------------------------------------
// Verdicts

export type RandomVerdict = { readonly status: 'agree' } | { readonly status: 'skipped' } | { readonly status: 'explained'; readonly id: string } | { readonly status: 'unexplained'; readonly detail: string };

/** A formula's record with every number rounded to the nearest double, as sformula and formulon receive it. */
function asDoubles(record: Readonly<Record<string, WireInput>>): Record<string, WireInput> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, FIELDS[k] === 'Number' && v !== null ? plainNumber(Number(v)) : v]));
}

const beyondDouble = (rc: RandomCase): boolean =>
  fieldsOf(rc.root).some((f) => FIELDS[f] === 'Number' && rc.record[f] !== null && plainNumber(Number(rc.record[f])) !== rc.record[f]);

function describeDivergence(engine: Engine, rc: RandomCase, d: Divergence): string {
  return (
    `${engine}: formula ${rc.root.text}\n  record ${JSON.stringify(rc.record)} (seed ${rc.seed})\n` +
    `  first divergence: ${d.node.text}\n  alone: ${d.isolated.formula} ${JSON.stringify(d.isolated.record)}\n` +
    `  parlance ${JSON.stringify(d.ours)}\n  ${engine} ${JSON.stringify(d.theirs)}`
  );
}

/** The verdict on one engine for one random case. */
export function verdictFor(engine: Engine, rc: RandomCase, known: (c: Case, ours: Outcome, theirs: Outcome) => string | undefined): RandomVerdict {
  if (engine === 'formulon' && !formulonComparable(rc)) return { status: 'skipped' };
  const top = caseOf(rc.root, rc.record);
  const ours = runOurs(top);
  const theirs = run(engine, top);
  if (agree(ours, theirs) || (isUntypedBlank(theirs) && ours.kind !== 'error' && ours.value === null)) return { status: 'agree' };
  if (engine === 'sformula') {
    const v = judge(top, ours, theirs);
    if (v.status === 'explained' && sameInside(engine, top, ours, theirs)) return v;
  }
  if (beyondDouble(rc)) {
    // The same formula on the doubles that the other engine received: agreement means the extra digits made the difference.
    const v = verdictFor(engine, { ...rc, record: asDoubles(rc.record) }, known);
    if (v.status === 'agree') return { status: 'explained', id: 'input-beyond-double' };
    if (v.status === 'explained') return v;
  }
  const d = firstDivergence(engine, rc.root, rc.record);
  const id = known(d.isolated, d.ours, d.theirs) ?? known(d.inPlace, d.inPlaceOurs, d.inPlaceTheirs);
  if (id !== undefined) return { status: 'explained', id };
  const id2 = engine === 'sformula' ? randomOnly(d, sameInside(engine, d.isolated, d.ours, d.theirs)) : undefined;
  if (id2 !== undefined) return { status: 'explained', id: id2 };
  return { status: 'unexplained', detail: describeDivergence(engine, rc, d) };
}

// ---------------------------------------------------------------------------
// Differences that only nested formulas show (sformula)

/** The classes of disagreement that the random differential adds to KNOWN_DIFFERENCES, with their evidence. */
export const RANDOM_DIFFERENCES: readonly { readonly id: string; readonly reason: string; readonly source: string }[] = [
  {
    id: 'input-beyond-double',
    reason:
      'A record number with more than 15 significant digits (an 18-digit Number field) reaches sformula and formulon as the nearest double; Parlance keeps every digit. The disagreement goes away when Parlance reads the same doubles.',
    source: 'Salesforce help "Custom Field Types" (Number fields hold up to 18 digits); salesforce/formula-engine (BigDecimal values)',
  },
  {
    id: 'digits-below-18-places',
    reason:
      'An argument differs only below the 18th decimal place (Parlance keeps 39 significant digits, sformula 20 decimal places or a double), and the function does not reproduce the disagreement alone: the difference is in those hidden digits.',
    source: 'salesforce/formula-engine BigDecimalHelper.MC_PRECISION_INTERNAL (39 digits); bignumber.js DECIMAL_PLACES 20',
  },
  {
    id: 'step-at-double-precision',
    reason:
      'A step function (MOD, FLOOR, CEILING, ROUND, a comparison) of an argument that differs only below the 18th decimal place jumps one way in Parlance and the other in sformula (MOD(2, 2 / -11): a remainder of 2E-18 or nearly the whole divisor).',
    source: 'salesforce/formula-engine BigDecimalHelper.MC_PRECISION_INTERNAL (39 digits, so Salesforce sees the same step as Parlance up to its 39th digit); bignumber.js DECIMAL_PLACES 20',
  },
  {
    id: 'sformula-quotient-20-places',
    reason:
      'sformula divides to 20 decimal places (bignumber.js DECIMAL_PLACES), so a small quotient keeps few significant digits (2.5 / 1E15 keeps 5); Parlance keeps 39 significant digits. A formula over such a quotient then differs although each function agrees alone.',
    source: 'salesforce/formula-engine OperatorDivide (lhs.divide(rhs, MC_PRECISION_INTERNAL): 39 significant digits); bignumber.js DECIMAL_PLACES default 20',
  },
  {
    id: 'text-number-digits',
    reason: 'TEXT of a number shows all of Parlance\'s digits (up to 39 significant), as Salesforce\'s TEXT does; sformula shows a double\'s when its value went through a double (^, IF). Both denote the same double.',
    source: 'salesforce/formula-engine BigDecimalHelper.formatBigDecimal (every digit) and MC_PRECISION_INTERNAL',
  },
  {
    id: 'sformula-blank-text-inside',
    reason:
      'A blank text computed inside a formula (TEXT of a blank number or date, IF choosing a blank field) is blank text like any other, so CONTAINS("0", TEXT(blank)) is TRUE and LEN(TEXT(blank)) is 0; in sformula such a value is not blank text inside the formula (only its final result is cast to blank), so CONTAINS and LEN give other results than for a blank field.',
    source: 'salesforce/formula-engine FunctionText (null in, null out); stomita/sformula test/fixtures/formula-defs.yml `TEXT(Number02__c)` on a record without Number02__c (blank in the org)',
  },
];

const STEP_FUNCTIONS = new Set(['MOD', 'FLOOR', 'CEILING', 'ROUND', '=', '<>', '<', '<=', '>', '>=']);
const numericText = (o: Outcome): number | undefined =>
  o.kind === 'text' && typeof o.value === 'string' && /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(o.value) ? Number(o.value) : undefined;

/** The classes of RANDOM_DIFFERENCES that a first divergence shows, if any. */
function randomOnly(d: Divergence, isolatedAgrees: boolean): string | undefined {
  if (d.node.fn === 'TEXT' && d.node.children[0]?.type === 'N') {
    const a = numericText(d.inPlaceOurs);
    if (a !== undefined && a === numericText(d.inPlaceTheirs)) return 'text-number-digits';
  }
  if (isolatedAgrees && d.blankTextArgument) return 'sformula-blank-text-inside';
  if (d.approximateArgument && isolatedAgrees) return 'digits-below-18-places';
  if (isolatedAgrees && d.node.text.includes('/')) return 'sformula-quotient-20-places';
  if (d.approximateArgument && STEP_FUNCTIONS.has(d.node.fn)) return 'step-at-double-precision';
  return undefined;
}
