import { isLiteral, literalValue } from '../compile/literal.js';
import { defineFunction, type CallInfo, type Closure, type Emitter, type FunctionSpec, type ParamSpec } from '../registry/registry.js';
import { cmp, type Num } from '../runtime/num.js';
import { isNumeric, type FormulaType } from '../types.js';
import { andClosure, andEmit, orClosure, orEmit } from './operators.js';
import { NUMERIC_TEXT } from './text.js';

const isBlank = (v: unknown): boolean => v === null || v === '';
const TEXT_LIKE: ReadonlySet<FormulaType> = new Set<FormulaType>(['Text', 'Id', 'Picklist', 'MultiPicklist']);

/** Equality used by CASE, chosen at compile time from the expression's type. */
function equalityFor(t: FormulaType): (a: unknown, b: unknown) => boolean {
  if (isNumeric(t)) return (a, b) => a !== null && b !== null && cmp(a as Num, b as Num) === 0;
  if (TEXT_LIKE.has(t)) return (a, b) => (a ?? '') === (b ?? '');
  return (a, b) => a !== null && a === b;
}

/** `equalityFor(t)(a, b)` as generated code (a and b are locals or captured names). */
function equalityCode(t: FormulaType, a: string, b: string, g: Emitter): string {
  if (isNumeric(t)) return `${a} !== null && ${b} !== null && ${g.capture(cmp)}(${a}, ${b}) === 0`;
  if (TEXT_LIKE.has(t)) return `(${a} ?? "") === (${b} ?? "")`;
  return `${a} !== null && ${a} === ${b}`;
}

/** IF as generated code: only the chosen branch runs. */
const ifEmit = (g: Emitter): string => {
  const r = g.local();
  const test = g.arg(0);
  g.line(`if (${test} === true) {`);
  const a = g.arg(1);
  g.line(`${r} = ${a};`);
  g.line('} else {');
  const b = g.arg(2);
  g.line(`${r} = ${b};`);
  g.line('}');
  return r;
};

const IF = defineFunction({
  name: 'IF',
  family: 'logic',
  overloads: [
    {
      params: [
        { name: 'logical_test', type: 'Boolean' },
        { name: 'value_if_true', type: 'T' },
        { name: 'value_if_false', type: 'T' },
      ],
      returns: 'T',
      emit: ifEmit,
      lazy: ([test, whenTrue, whenFalse]: readonly Closure[]) => {
        const t = test as Closure;
        const a = whenTrue as Closure;
        const b = whenFalse as Closure;
        // Literal branches (`IF(Days > 20, "RED", "GREEN")`) are values: no closure call.
        if (isLiteral(a) && isLiteral(b)) {
          const x = literalValue(a);
          const y = literalValue(b);
          return (ctx) => (t(ctx) === true ? x : y);
        }
        if (isLiteral(b)) {
          const y = literalValue(b);
          return (ctx) => (t(ctx) === true ? a(ctx) : y);
        }
        return (ctx) => (t(ctx) === true ? a(ctx) : b(ctx));
      },
    },
  ],
  doc: {
    summary: 'Returns value_if_true when logical_test is true, otherwise value_if_false. Only the chosen branch is evaluated; a blank test counts as false.',
    examples: [
      { formula: 'IF(Days > 20, "RED", "GREEN")', result: 'RED when Days is 21' },
      { formula: 'IF(NOT($ListItem.IsLast), BR(), "")', result: 'a line break except after the last list item' },
    ],
  },
});

const caseParams = (count: number, picklist: boolean): readonly ParamSpec[] | undefined => {
  if (count < 4 || count % 2 !== 0) return undefined;
  const out: ParamSpec[] = [{ name: 'expression', type: picklist ? 'Picklist' : 'T' }];
  for (let i = 1; i < count - 1; i += 2) {
    out.push({ name: `value${(i + 1) / 2}`, type: picklist ? 'Text' : 'T' }, { name: `result${(i + 1) / 2}`, type: 'U' });
  }
  out.push({ name: 'else_result', type: 'U' });
  return out;
};

const caseLazy = (args: readonly Closure[], info: CallInfo): Closure => {
  const [expr, ...rest] = args as [Closure, ...Closure[]];
  const elseResult = rest[rest.length - 1] as Closure;
  const pairs = rest.slice(0, -1);
  const equals = equalityFor(info.argTypes[0] ?? 'Null');
  if (pairs.every(isLiteral) && isLiteral(elseResult)) {
    // `CASE(Status, "New", "Received", …, "Unknown")`: every value and result is a literal.
    const values = pairs.map(literalValue);
    const last = literalValue(elseResult);
    return (ctx) => {
      const v = expr(ctx);
      for (let i = 0; i < values.length; i += 2) {
        if (equals(v, values[i])) return values[i + 1];
      }
      return last;
    };
  }
  return (ctx) => {
    const v = expr(ctx);
    for (let i = 0; i < pairs.length; i += 2) {
      if (equals(v, (pairs[i] as Closure)(ctx))) return (pairs[i + 1] as Closure)(ctx);
    }
    return elseResult(ctx);
  };
};

/** CASE as generated code: values compared in turn, only the matching result (or the last) runs. */
const caseEmit = (g: Emitter, info: CallInfo): string => {
  const type = info.argTypes[0] ?? 'Null';
  const r = g.local();
  const done = g.label();
  g.line(`${done}: {`);
  const v = g.arg(0);
  for (let i = 1; i < g.count - 1; i += 2) {
    const w = g.arg(i);
    g.line(`if (${equalityCode(type, v, w, g)}) {`);
    const result = g.arg(i + 1);
    g.line(`${r} = ${result}; break ${done};`);
    g.line('}');
  }
  const last = g.arg(g.count - 1);
  g.line(`${r} = ${last};`);
  g.line('}');
  return r;
};

const CASE = defineFunction({
  name: 'CASE',
  family: 'logic',
  overloads: [
    { params: [], shape: { describe: '4, 6, 8 or more (an even number)', expand: (n) => caseParams(n, true) }, returns: 'U', lazy: caseLazy, emit: caseEmit },
    { params: [], shape: { describe: '4, 6, 8 or more (an even number)', expand: (n) => caseParams(n, false) }, returns: 'U', lazy: caseLazy, emit: caseEmit },
  ],
  doc: {
    summary: 'Compares expression with each value in turn and returns the result paired with the first match, or else_result. Values and results are evaluated only as needed.',
    examples: [{ formula: 'CASE(MONTH(CloseDate), 1, "January", 2, "February", "Later")', result: 'February for a date in February' }],
    notes: ['A picklist expression is compared with text values.'],
  },
});

const logical = (name: 'AND' | 'OR', build: (args: readonly Closure[]) => Closure, emit: (g: Emitter) => string, summary: string, example: { formula: string; result: string }): FunctionSpec =>
  defineFunction({
    name,
    family: 'logic',
    overloads: [{ params: [{ name: 'logical', type: 'Boolean', repeat: true }], returns: 'Boolean', lazy: build, emit }],
    doc: { summary, examples: [example] },
  });

const NOT = defineFunction({
  name: 'NOT',
  family: 'logic',
  overloads: [{ params: [{ name: 'logical', type: 'Boolean' }], returns: 'Boolean', impl: (b: boolean) => !b, inline: ([b]) => `!${b}` }],
  doc: { summary: 'Returns FALSE for TRUE and TRUE for FALSE; blank stays blank. The same as the ! operator.', examples: [{ formula: 'NOT(ISBLANK(Subject))', result: 'true when Subject has text' }] },
});

const ISBLANK = defineFunction({
  name: 'ISBLANK',
  family: 'logic',
  overloads: [{ params: [{ name: 'expression', type: 'Any' }], returns: 'Boolean', nulls: 'accept', impl: isBlank, inline: ([v]) => `(${v} === null || ${v} === "")` }],
  doc: {
    summary: 'TRUE if the expression has no value: blank, or empty text.',
    examples: [
      { formula: 'ISBLANK("")', result: 'true' },
      { formula: 'ISBLANK(0)', result: 'false' },
    ],
  },
});

const ISNULL = defineFunction({
  name: 'ISNULL',
  family: 'logic',
  overloads: [
    {
      params: [{ name: 'expression', type: 'Any' }],
      returns: 'Boolean',
      lazy: ([arg]: readonly Closure[], info: CallInfo) => {
        const a = arg as Closure;
        if (TEXT_LIKE.has(info.argTypes[0] ?? 'Null')) return () => false;
        return (ctx) => a(ctx) === null;
      },
      emit: (g, info) => {
        // Text is never null: the argument is not evaluated.
        if (TEXT_LIKE.has(info.argTypes[0] ?? 'Null')) return 'false';
        const a = g.arg(0);
        const r = g.local();
        g.line(`${r} = ${a} === null;`);
        return r;
      },
    },
  ],
  lint: (types) =>
    TEXT_LIKE.has(types[0] ?? 'Null') ? 'ISNULL() of a text value is always FALSE, because text is never null in Salesforce. Use ISBLANK() instead' : undefined,
  doc: {
    summary: 'TRUE if the expression is null. Text is never null in Salesforce, so ISNULL of a text value is always FALSE: use ISBLANK instead.',
    examples: [{ formula: 'ISNULL(Amount)', result: 'true when Amount is blank' }],
  },
});

/** NULLVALUE/BLANKVALUE as generated code: the substitute runs only when `missing` holds (never without it). */
function substituteEmit(g: Emitter, missing: ((v: string) => string) | undefined): string {
  const v = g.arg(0);
  if (missing === undefined) return v;
  const r = g.local();
  g.line(`if (${missing(v)}) {`);
  const s = g.arg(1);
  g.line(`${r} = ${s};`);
  g.line(`} else ${r} = ${v};`);
  return r;
}

const NULLVALUE = defineFunction({
  name: 'NULLVALUE',
  family: 'logic',
  overloads: [
    {
      params: [
        { name: 'expression', type: 'T' },
        { name: 'substitute_expression', type: 'T' },
      ],
      returns: 'T',
      lazy: ([expr, sub]: readonly Closure[], info: CallInfo) => {
        const e = expr as Closure;
        const s = sub as Closure;
        if (TEXT_LIKE.has(info.argTypes[0] ?? 'Null')) return e;
        return (ctx) => {
          const v = e(ctx);
          return v === null ? s(ctx) : v;
        };
      },
      emit: (g, info) => substituteEmit(g, TEXT_LIKE.has(info.argTypes[0] ?? 'Null') ? undefined : (v) => `${v} === null`),
    },
  ],
  lint: (types) =>
    TEXT_LIKE.has(types[0] ?? 'Null') ? 'NULLVALUE() never replaces a text value, because text is never null in Salesforce. Use BLANKVALUE() instead' : undefined,
  doc: {
    summary: 'Returns substitute_expression when expression is null, otherwise expression. Text is never null, so use BLANKVALUE for text. Written NULLVAL in the seed list, and NULLVAL(expression, substitute_expression) is accepted as the same function.',
    examples: [{ formula: 'NULLVALUE(Amount, 0)', result: '0 when Amount is blank' }],
  },
});

const BLANKVALUE = defineFunction({
  name: 'BLANKVALUE',
  family: 'logic',
  overloads: [
    {
      params: [
        { name: 'expression', type: 'T' },
        { name: 'substitute_expression', type: 'T' },
      ],
      returns: 'T',
      lazy: ([expr, sub]: readonly Closure[]) => {
        const e = expr as Closure;
        const s = sub as Closure;
        return (ctx) => {
          const v = e(ctx);
          return isBlank(v) ? s(ctx) : v;
        };
      },
      emit: (g) => substituteEmit(g, (v) => `(${v} === null || ${v} === "")`),
    },
  ],
  doc: {
    summary: 'Returns substitute_expression when expression is blank (null or empty text), otherwise expression. The substitute is evaluated only when needed.',
    examples: [{ formula: 'BLANKVALUE($Parameters.Name, "there")', result: '"there" when Name is blank' }],
  },
});

const ISNUMBER = defineFunction({
  name: 'ISNUMBER',
  family: 'logic',
  overloads: [
    {
      params: [{ name: 'text', type: 'Text' }],
      returns: 'Boolean',
      nulls: 'accept',
      // Blank text gives blank (FALSE at the top of a Checkbox formula, and NOT() of it is blank too):
      // sformula's org-verified fixture has `NOT(ISNUMBER(Text01__c))` FALSE for a blank Text01__c.
      impl: (text: string | null) => (text === null || text === '' ? null : NUMERIC_TEXT.test(text)),
    },
  ],
  doc: {
    summary:
      'TRUE if text is a number: digits with an optional sign, decimal point and exponent ("-12", ".5", "2E2"). Not locale-aware: "123,12", "1 000", text with spaces and hexadecimal are FALSE. Blank text gives blank, which IF() treats as FALSE, and so does NOT(ISNUMBER(blank)), as in a Salesforce org.',
    examples: [
      { formula: 'ISNUMBER("2E2")', result: 'true' },
      { formula: 'ISNUMBER("1 000")', result: 'false' },
      { formula: 'OR(LEN(Bank_Account_Number__c) <> 10, NOT(ISNUMBER(Bank_Account_Number__c)))', result: 'false only for 10 digits, such as "1234567890"' },
    ],
    notes: ['Text that ISNUMBER accepts can be converted with VALUE.'],
  },
});

const ISPICKVAL = defineFunction({
  name: 'ISPICKVAL',
  family: 'logic',
  overloads: [
    {
      params: [
        { name: 'picklist_field', type: 'Picklist' },
        { name: 'text_literal', type: 'Text', literal: true },
      ],
      returns: 'Boolean',
      nulls: 'accept',
      impl: (value: string | null, literal: string | null) => (value ?? '') === (literal ?? ''),
      inline: ([value, literal]) => `(${value} ?? "") === (${literal} ?? "")`,
    },
  ],
  doc: {
    summary: 'TRUE if the picklist value equals text_literal. Case-sensitive. text_literal must be a quoted text, not a field or a function result. ISPICKVAL(field, "") is TRUE when the picklist is blank.',
    examples: [
      { formula: 'ISPICKVAL(StageName, "Closed Won")', result: 'true when StageName is Closed Won' },
      { formula: 'IF(ISPICKVAL(Priority, "High"), "Urgent", "Normal")', result: 'Urgent when Priority is High' },
    ],
    notes: ['To compare a picklist with several values, use CASE(picklist_field, "A", …).'],
  },
});

const INCLUDES = defineFunction({
  name: 'INCLUDES',
  family: 'logic',
  overloads: [
    {
      params: [
        { name: 'multiselect_picklist_field', type: 'MultiPicklist' },
        {
          name: 'text_literal',
          type: 'Text',
          literal: true,
          validate: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : "The text_literal parameter of function 'INCLUDES()' must not be blank"),
        },
      ],
      returns: 'Boolean',
      nulls: 'accept',
      impl: (values: string | null, literal: string) => values !== null && values !== '' && values.split(';').includes(literal),
    },
  ],
  doc: {
    summary:
      'TRUE if one of the values selected in a multi-select picklist equals text_literal. Case-sensitive, whole values only. text_literal must be a quoted, non-blank text, not a field or a function result.',
    examples: [
      { formula: 'INCLUDES(Hobbies__c, "Golf")', result: 'true when Hobbies__c is "Golf;Tennis"' },
      { formula: 'INCLUDES(Hobbies__c, "Golf")', result: 'false when Hobbies__c is "Minigolf"' },
    ],
    notes: ['Use ISBLANK to check whether a multi-select picklist is empty; INCLUDES of a blank field is FALSE.'],
  },
});

export const logicFunctions: readonly FunctionSpec[] = [
  IF,
  CASE,
  logical('AND', andClosure, andEmit, 'TRUE if every argument is TRUE. Stops at the first FALSE; otherwise blank if any argument is blank. The same as &&.', { formula: 'AND(1 < 2, "a" = "a")', result: 'true' }),
  logical('OR', orClosure, orEmit, 'TRUE if any argument is TRUE. Stops at the first TRUE; otherwise blank if any argument is blank. The same as ||.', { formula: 'OR(1 > 2, "a" = "a")', result: 'true' }),
  NOT,
  ISBLANK,
  ISNULL,
  NULLVALUE,
  BLANKVALUE,
  ISNUMBER,
  ISPICKVAL,
  INCLUDES,
];
