import { Decimal } from 'decimal.js';
import { defineFunction, numericResult, type CallInfo, type Closure, type Emitter, type FunctionSpec, type Overload, type ParamType } from '../registry/registry.js';
import { add, cmp, div, mul, neg, pow, sub, dec, type Num } from '../runtime/num.js';
import { checkJoin } from '../runtime/budget.js';
import { withSpan } from '../runtime/errors.js';
import { isLiteral, literalValue } from '../compile/literal.js';
import type { Span } from '../source.js';
import { checkDate, checkDateTime, MS_PER_DAY, wrapTime } from '../runtime/temporal.js';
import type { ScalarTypeName } from '../types.js';

const p = (name: string, type: ParamType) => ({ name, type });
const two = (a: ParamType, b: ParamType) => [p('left', a), p('right', b)];

/*
 * Salesforce's formula engine (github.com/salesforce/formula-engine, FormulaDateUtil.addDurationToDate
 * and OperatorAddOrSubtract): a Date moves by whole days, the fraction truncated toward zero; a
 * Date/Time moves by the day count rounded half up to whole seconds; a Time moves by whole
 * milliseconds, the fraction truncated toward zero (BigDecimal.longValue).
 */
// JS numbers are always safe integers (runtime/num.ts), so whole numbers skip decimal work.
const wholeDays = (n: Num): number => (typeof n === 'number' ? n : dec(n).trunc().toNumber());
const msFromDays = (n: Num): number =>
  typeof n === 'number' ? n * MS_PER_DAY : dec(n).times(MS_PER_DAY / 1000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber() * 1000;
/** Milliseconds to add to a Time: truncated toward zero, reduced modulo a day (wrapTime makes it non-negative). */
const timeMs = (n: Num): number => (typeof n === 'number' ? n % MS_PER_DAY : dec(n).trunc().mod(MS_PER_DAY).toNumber());

const concat = (a: string | null, b: string | null): string => {
  const x = a ?? '';
  const y = b ?? '';
  checkJoin(x.length + y.length);
  return x + y;
};

/**
 * `a & b & c …` in one closure: blank operands count as empty text, as in `concat`; literal
 * operands are captured as text; errors are located at the chain.
 */
const concatChain = (operands: readonly Closure[], span: Span): Closure => {
  const parts: readonly (Closure | string)[] = operands.map((o) => (isLiteral(o) ? ((literalValue(o) as string | null) ?? '') : o));
  return (ctx) => {
    try {
      let s = '';
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as Closure | string;
        const v = typeof part === 'string' ? part : (part(ctx) as string | null);
        if (v === null || v === '') continue;
        // Checked before each piece is joined (operands run first: they may set the budget).
        checkJoin(s.length + v.length);
        s += v;
      }
      return s;
    } catch (e) {
      throw withSpan(e, span);
    }
  };
};

/** `concatChain` as generated code: the same joins and checks, errors located at the chain. */
const concatEmit = (g: Emitter, info: CallInfo): string => {
  const s = g.local();
  const join = g.capture(checkJoin);
  g.line(`try { ${s} = "";`);
  for (let i = 0; i < g.count; i++) {
    const literal = g.literal(i);
    if (literal !== undefined) {
      const text = (literal.value as string | null) ?? '';
      if (text === '') continue;
      const k = g.capture(text);
      g.line(`${join}(${s}.length + ${k}.length); ${s} += ${k};`);
      continue;
    }
    const v = g.arg(i);
    g.line(`if (${v} !== null && ${v} !== "") { ${join}(${s}.length + ${v}.length); ${s} += ${v}; }`);
  }
  g.line(`} ${g.locate(info.span)}`);
  return s;
};

const plus = defineFunction({
  name: '+',
  kind: 'operator',
  family: 'operator',
  overloads: [
    { params: two('Numeric', 'Numeric'), returns: numericResult, impl: add },
    { params: two('Text', 'Text'), returns: 'Text', nulls: 'accept', impl: concat, chain: concatChain, emit: concatEmit },
    { params: two('Date', 'Numeric'), returns: 'Date', impl: (d: number, n: Num) => checkDate(d + wholeDays(n)) },
    { params: two('Numeric', 'Date'), returns: 'Date', impl: (n: Num, d: number) => checkDate(d + wholeDays(n)) },
    { params: two('DateTime', 'Numeric'), returns: 'DateTime', impl: (t: number, n: Num) => checkDateTime(t + msFromDays(n)) },
    { params: two('Numeric', 'DateTime'), returns: 'DateTime', impl: (n: Num, t: number) => checkDateTime(t + msFromDays(n)) },
    { params: two('Time', 'Numeric'), returns: 'Time', impl: (t: number, n: Num) => wrapTime(t + timeMs(n)) },
    { params: two('Numeric', 'Time'), returns: 'Time', impl: (n: Num, t: number) => wrapTime(t + timeMs(n)) },
  ],
  doc: {
    summary: 'Adds numbers; adds days to a Date or Date/Time, or milliseconds to a Time; joins text.',
    examples: [
      { formula: '0.1 + 0.2', result: '0.3' },
      { formula: 'DATE(2024, 2, 28) + 1', result: '2024-02-29' },
    ],
    notes: [
      'Time arithmetic is on a 24-hour clock: adding 25 hours is the same as adding one hour.',
      'A fractional number of days is truncated for a Date (DATE(2024, 1, 1) + 1.9 is 2024-01-02) and rounded to whole seconds for a Date/Time; a Time moves by whole milliseconds, the fraction truncated.',
    ],
  },
});

const minus = defineFunction({
  name: '-',
  kind: 'operator',
  family: 'operator',
  overloads: [
    { params: two('Numeric', 'Numeric'), returns: numericResult, impl: sub },
    { params: two('Date', 'Date'), returns: 'Number', impl: (a: number, b: number) => a - b },
    { params: two('Date', 'Numeric'), returns: 'Date', impl: (d: number, n: Num) => checkDate(d - wholeDays(n)) },
    { params: two('DateTime', 'DateTime'), returns: 'Number', impl: (a: number, b: number) => div(a - b, MS_PER_DAY) },
    { params: two('DateTime', 'Numeric'), returns: 'DateTime', impl: (t: number, n: Num) => checkDateTime(t - msFromDays(n)) },
    { params: two('Time', 'Time'), returns: 'Number', impl: (a: number, b: number) => wrapTime(a - b) },
    { params: two('Time', 'Numeric'), returns: 'Time', impl: (t: number, n: Num) => wrapTime(t - timeMs(n)) },
  ],
  doc: {
    summary: 'Subtracts numbers; the days between two Dates; the fractional days between two Date/Times; the milliseconds between two Times on a 24-hour clock.',
    examples: [
      { formula: 'DATE(2024, 3, 1) - DATE(2024, 2, 1)', result: '29' },
      { formula: 'TIMEVALUE("05:00:00.000") - TIMEVALUE("07:00:00.000")', result: '79200000' },
    ],
  },
});

const ampersand = defineFunction({
  name: '&',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: two('Text', 'Text'), returns: 'Text', nulls: 'accept', impl: concat, chain: concatChain, emit: concatEmit }],
  doc: { summary: 'Joins two text values. A blank side counts as empty text.', examples: [{ formula: '"Case " & "00001006"', result: 'Case 00001006' }] },
});

const times = defineFunction({
  name: '*',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: two('Numeric', 'Numeric'), returns: numericResult, impl: mul }],
  doc: { summary: 'Multiplies two numbers.', examples: [{ formula: '1.1 * 3', result: '3.3' }] },
});

const divide = defineFunction({
  name: '/',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: two('Numeric', 'Numeric'), returns: numericResult, impl: div }],
  doc: { summary: 'Divides two numbers. Dividing by zero is an error.', examples: [{ formula: '10 / 4', result: '2.5' }] },
});

const power = defineFunction({
  name: '^',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: two('Numeric', 'Numeric'), returns: 'Number', impl: pow }],
  doc: { summary: 'Raises a number to a power. Left-associative: 2 ^ 3 ^ 2 is 64.', examples: [{ formula: '2 ^ 10', result: '1024' }] },
});

const ORDERED: readonly ScalarTypeName[] = ['Date', 'DateTime', 'Time'];
const intCmp = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A comparison operator. `js` is the JS operator that gives `test(c)` from two numbers' order
 * (`===` for `=`): generated code compares integers (JS numbers are safe integers, runtime/num.ts),
 * Dates, Date/Times and Times directly.
 */
function comparison(name: string, js: string, test: (c: number) => boolean, withEquality: boolean, summary: string, example: { formula: string; result: string }): FunctionSpec {
  const overloads: Overload[] = [
    {
      params: two('Numeric', 'Numeric'),
      returns: 'Boolean',
      impl: (a: Num, b: Num) => test(cmp(a, b)),
      inline: ([a, b], g) => `(typeof ${a} === 'number' && typeof ${b} === 'number' ? ${a} ${js} ${b} : ${g.capture(cmp)}(${a}, ${b}) ${js} 0)`,
    },
    ...ORDERED.map((t): Overload => ({ params: two(t, t), returns: 'Boolean', impl: (a: number, b: number) => test(intCmp(a, b)), inline: ([a, b]) => `${a} ${js} ${b}` })),
  ];
  if (withEquality) {
    overloads.push(
      {
        params: two('Text', 'Text'),
        returns: 'Boolean',
        nulls: 'accept',
        impl: (a: string | null, b: string | null) => test((a ?? '') === (b ?? '') ? 0 : 1),
        inline: ([a, b]) => `(${a} ?? "") ${js} (${b} ?? "")`,
      },
      { params: two('Boolean', 'Boolean'), returns: 'Boolean', impl: (a: boolean, b: boolean) => test(a === b ? 0 : 1), inline: ([a, b]) => `${a} ${js} ${b}` },
    );
  }
  return defineFunction({ name, kind: 'operator', family: 'operator', overloads, doc: { summary, examples: [example] } });
}

const notOperator = defineFunction({
  name: '!',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: [p('value', 'Boolean')], returns: 'Boolean', impl: (b: boolean) => !b, inline: ([b]) => `!${b}` }],
  doc: { summary: 'Logical NOT, the same as NOT(value).', examples: [{ formula: '!TRUE', result: 'false' }] },
});

const unaryMinus = defineFunction({
  name: 'unary -',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: [p('value', 'Numeric')], returns: (t) => (t[0] === 'Null' ? 'Number' : (t[0] as ScalarTypeName)), impl: neg }],
  doc: { summary: 'Negates a number.', examples: [{ formula: '-(2 + 3)', result: '-5' }] },
});

const unaryPlus = defineFunction({
  name: 'unary +',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: [p('value', 'Numeric')], returns: (t) => (t[0] === 'Null' ? 'Number' : (t[0] as ScalarTypeName)), impl: (n: Num) => n }],
  doc: { summary: 'Leaves a number unchanged.', examples: [{ formula: '+5', result: '5' }] },
});

/** `&&` and `||` share the three-valued, short-circuit semantics of AND and OR. */
export function andClosure(args: readonly Closure[]): Closure {
  return (ctx) => {
    let sawNull = false;
    for (const a of args) {
      const v = a(ctx);
      if (v === false) return false;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : true;
  };
}

export function orClosure(args: readonly Closure[]): Closure {
  return (ctx) => {
    let sawNull = false;
    for (const a of args) {
      const v = a(ctx);
      if (v === true) return true;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : false;
  };
}

/** `andClosure` as generated code: stops at the first FALSE; otherwise blank if any was blank. */
export function andEmit(g: Emitter): string {
  return logicalEmit(g, 'false', 'true');
}

export function orEmit(g: Emitter): string {
  return logicalEmit(g, 'true', 'false');
}

function logicalEmit(g: Emitter, stop: 'true' | 'false', otherwise: 'true' | 'false'): string {
  const r = g.local();
  const done = g.label();
  g.line(`${r} = ${otherwise}; ${done}: {`);
  for (let i = 0; i < g.count; i++) {
    const v = g.arg(i);
    g.line(`if (${v} === ${stop}) { ${r} = ${stop}; break ${done}; } if (${v} === null) ${r} = null;`);
  }
  g.line('}');
  return r;
}

const andOperator = defineFunction({
  name: '&&',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: two('Boolean', 'Boolean'), returns: 'Boolean', lazy: andClosure, emit: andEmit }],
  doc: { summary: 'Logical AND, the same as AND(left, right); stops at the first false.', examples: [{ formula: 'TRUE && FALSE', result: 'false' }] },
});

const orOperator = defineFunction({
  name: '||',
  kind: 'operator',
  family: 'operator',
  overloads: [{ params: two('Boolean', 'Boolean'), returns: 'Boolean', lazy: orClosure, emit: orEmit }],
  doc: { summary: 'Logical OR, the same as OR(left, right); stops at the first true.', examples: [{ formula: 'TRUE || FALSE', result: 'true' }] },
});

export const operatorFunctions: readonly FunctionSpec[] = [
  plus,
  minus,
  ampersand,
  times,
  divide,
  power,
  comparison('=', '===', (c) => c === 0, true, 'Equal (also written ==). Text comparison is case-sensitive; blank text equals empty text.', { formula: '1 = 1.0', result: 'true' }),
  comparison('<>', '!==', (c) => c !== 0, true, 'Not equal (also written !=).', { formula: '"a" <> "A"', result: 'true' }),
  comparison('<', '<', (c) => c < 0, false, 'Less than, for numbers, Dates, Date/Times and Times.', { formula: '1 < 2', result: 'true' }),
  comparison('<=', '<=', (c) => c <= 0, false, 'Less than or equal.', { formula: '2 <= 2', result: 'true' }),
  comparison('>', '>', (c) => c > 0, false, 'Greater than.', { formula: '3 > 2', result: 'true' }),
  comparison('>=', '>=', (c) => c >= 0, false, 'Greater than or equal.', { formula: '1 >= 2', result: 'false' }),
  notOperator,
  unaryMinus,
  unaryPlus,
  andOperator,
  orOperator,
];
