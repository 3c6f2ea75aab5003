/**
 * Generators of formula text, shared by the parser property tests (properties.test.ts) and the
 * fuzz kit (test/fuzz/): arbitrary Unicode, formula fragments, random trees, and valid formulas
 * written with noisy spacing, comments, letter case and parentheses.
 */
import fc from 'fast-check';
import { createDefaultRegistry, type CompileOptions } from '../../src/index.js';
import type { BinaryOperator, Expr, UnaryOperator } from '../../src/formula/ast.js';

/** The longest formula text the generators produce (the parser's default limit, 3,900). */
export const MAX_LENGTH = 3900;

/** Compile options declaring every reference the generators write. */
export const options: CompileOptions = {
  fields: {
    a: 'Number',
    b: 'Text',
    c: 'Boolean',
    d: 'Date',
    Name: 'Text',
    Amount: 'Currency',
    Account: { Name: 'Text', Owner: { Name: 'Text' } },
    Parent__r: { Name: 'Text' },
  },
  constants: { X: 'Text' },
  parameters: { P: { Field: 'Number' } },
  listItem: { value: { Field: 'Text', Name: 'Text' } },
};
export const record = { a: 3, b: 'x', c: true, d: '2024-02-29', Name: 'Ada', Amount: 12.5, Account: { Name: 'Acme', Owner: { Name: 'Bo' } } };

// ---------------------------------------------------------------------------------------------
// Formula-ish text

export const FRAGMENTS = [
  ...['+', '-', '*', '/', '^', '&', '&&', '||', '!', '=', '==', '!=', '<>', '<', '<=', '>', '>=', '|'],
  ...['(', ')', '(', ')', ',', '.', '[', ']', '$', '"', "'", '\\', '/*', '*/', '/* c */', '\n', ' ', ' ', '\t', '\r\n'],
  ...['a', 'b', 'c', 'd', 'Name', 'Account', 'Account.Name', 'Account.Owner.Name', 'Parent__r.Name', 'x', '_', 'foo__c'],
  ...['$Constants.X', '$Parameters.P.Field', '$ListItem.Index', '$ListItem.Value.Field', '$ListItem.IsFirst', '$ListItem.IsLast', '$User'],
  ...['TRUE', 'false', 'Null', 'IF(', 'if(', 'CASE(', 'AND(', 'OR(', 'NOT(', 'LEN(', 'TEXT(', 'ISBLANK(', 'BLANKVALUE(', 'VALUE(', 'MID(', 'FIND('],
  ...['ROUND(', 'MOD(', 'TODAY()', 'NOW()', 'DATE(', 'UPPER(', 'LEFT(', 'REGEX(', 'NOPE('],
  ...['0', '1', '42', '.5', '3.14', '007', '1e5', '9999999999999999999999', '"str"', "'s'", '"a\\"b"', "'\\n'", '"\\q"', '""'],
  ...['#', '@', '~', '%', '?', ':', ';', '{', '}', 'é', '😀', '\u00a0', '\ud800'],
];

export const fragmentText = (maxFragments: number) =>
  fc
    .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: maxFragments })
    .map((parts) => parts.join('').slice(0, MAX_LENGTH));

export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
);

// ---------------------------------------------------------------------------------------------
// Trees

const NO_SPAN = { start: 0, end: 0 };
const BINARY: BinaryOperator[] = ['+', '-', '&', '*', '/', '^', '=', '<>', '<', '<=', '>', '>=', '&&', '||'];
const UNARY: UnaryOperator[] = ['+', '-', '!'];
const isKeyword = (s: string) => /^(true|false|null)$/i.test(s);

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/).filter((s) => !isKeyword(s));
const canonicalNumber = fc
  .tuple(fc.oneof(fc.nat(1000), fc.bigInt({ min: 0n, max: 10n ** 30n })), fc.option(fc.stringMatching(/^[0-9]{0,5}[1-9]$/), { nil: undefined }))
  .map(([int, frac]) => (frac === undefined ? `${int}` : `${int}.${frac}`));
const stringValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', "'", '\\', '\n', '\r', '\t', '\b', '\f', '\v', '*/', '/*', 'a', ' ', '\u2028', '\ud83d'), maxLength: 8 }),
);

const pathSegment = identifier.map((name) => ({ name, span: NO_SPAN }));
/** References the compile options declare, so generated formulas also get through the type checker. */
const KNOWN_REFERENCES: Array<[string | null, string[]]> = [
  ...['a', 'b', 'c', 'd', 'Name', 'Amount'].map((f): [null, string[]] => [null, [f]]),
  [null, ['Account', 'Name']],
  [null, ['Account', 'Owner', 'Name']],
  [null, ['Parent__r', 'Name']],
  ['Constants', ['X']],
  ['Parameters', ['P', 'Field']],
  ['ListItem', ['Index']],
  ['ListItem', ['Value', 'Field']],
  ['ListItem', ['IsFirst']],
  ['ListItem', ['IsLast']],
];
export const FUNCTION_NAMES = createDefaultRegistry().functionNames();
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  canonicalNumber.map((value): Expr => ({ kind: 'Number', value, span: NO_SPAN })),
  stringValue.map((value): Expr => ({ kind: 'String', value, span: NO_SPAN })),
  fc.boolean().map((value): Expr => ({ kind: 'Boolean', value, span: NO_SPAN })),
  fc.constant<Expr>({ kind: 'Null', span: NO_SPAN }),
  fc.constantFrom(...KNOWN_REFERENCES).map(([global, path]): Expr => ({ kind: 'Reference', global, path: path.map((name) => ({ name, span: NO_SPAN })), span: NO_SPAN })),
  fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((path): Expr => ({ kind: 'Reference', global: null, path, span: NO_SPAN })),
  fc
    .tuple(identifier, fc.array(pathSegment, { maxLength: 3 }))
    .map(([global, path]): Expr => ({ kind: 'Reference', global, path, span: NO_SPAN })),
);
const functionName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FUNCTION_NAMES) }, { weight: 1, arbitrary: identifier.map((s) => s.toUpperCase()) });

export const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(fc.constantFrom(...UNARY), tie('tree'))
      .map(([op, operand]): Expr => ({ kind: 'Unary', op, operand, span: NO_SPAN })),
    fc
      .tuple(fc.constantFrom(...BINARY), tie('tree'), tie('tree'))
      .map(([op, left, right]): Expr => ({ kind: 'Binary', op, left, right, opSpan: NO_SPAN, span: NO_SPAN })),
    fc
      .tuple(functionName, fc.array(tie('tree'), { maxLength: 4 }))
      .map(([name, args]): Expr => ({ kind: 'Call', name, nameSpan: NO_SPAN, args, span: NO_SPAN })),
  ),
}));

/**
 * Writes a tree as a valid formula the way a person might: random spacing and comments, any
 * letter case for keywords and function names, either quote style, `==`/`!=` spellings, numbers
 * like `.5` or `007.50`, and parentheses only sometimes (so precedence decides the tree).
 */
export function noisy(): fc.Arbitrary<string> {
  return fc.tuple(tree, fc.infiniteStream(fc.nat(1000))).map(([t, stream]) => {
    const it = stream[Symbol.iterator]();
    const pick = (n: number) => (it.next().value as number) % n;
    const gap = () => ['', ' ', '', '  ', '\n', '\t', ' /* c */ ', '/**/', '\r\n  '][pick(9)] as string;
    const anyCase = (s: string) => [s, s.toLowerCase(), s.replace(/./g, (c) => (pick(2) === 0 ? c.toLowerCase() : c.toUpperCase()))][pick(3)] as string;
    const quote = (value: string) => {
      const q = pick(2) === 0 ? '"' : "'";
      const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', [q]: `\\${q}` };
      return q + value.replace(/[\\\n\r\t\b\f"']/g, (c) => escapes[c] ?? (pick(2) === 0 ? c : `\\${c}`)) + q;
    };
    const number = (value: string) => {
      let text = pick(3) === 0 ? `00${value}` : value;
      if (pick(3) === 0) text = text.includes('.') ? `${text}00` : `${text}.0`;
      return text.startsWith('0.') && pick(2) === 0 ? text.slice(1) : text;
    };
    const op = (o: BinaryOperator) => (o === '=' && pick(2) === 0 ? '==' : o === '<>' && pick(2) === 0 ? '!=' : o);
    const write = (e: Expr): string => {
      let text: string;
      switch (e.kind) {
        case 'Number':
          text = number(e.value);
          break;
        case 'String':
          text = quote(e.value);
          break;
        case 'Boolean':
          text = anyCase(e.value ? 'TRUE' : 'FALSE');
          break;
        case 'Null':
          text = anyCase('NULL');
          break;
        case 'Reference':
          text = [...(e.global === null ? [] : [`$${e.global}`]), ...e.path.map((s) => s.name)].join('.');
          break;
        case 'Call':
          text = `${anyCase(e.name)}${pick(4) === 0 ? ' ' : ''}(${gap()}${e.args.map((a) => write(a)).join(`${gap()},${gap()}`)}${gap()})`;
          break;
        case 'Unary':
          text = `${e.op}${gap()}${write(e.operand)}`;
          break;
        case 'Binary':
          text = `${write(e.left)}${gap()}${op(e.op)}${gap()}${write(e.right)}`;
          break;
        case 'Error':
          throw new Error('not generated');
      }
      return pick(3) === 0 ? `(${gap()}${text}${gap()})` : text;
    };
    return write(t);
  });
}
