/**
 * Property tests for the parser and printer, each over at least 10,000 generated inputs.
 *
 * (a) Any text, however broken, only ever yields diagnostics or a result: neither parsing nor
 *     compiling (nor evaluating what compiles) throws, and each input finishes quickly.
 * (b) print() is a faithful inverse of parse(): an arbitrary tree prints to text that parses back
 *     to the same tree; parse → print → parse → print is a fixpoint for valid formulas written
 *     with any spacing, comments, letter case and redundant parentheses; and every node's span
 *     covers exactly the text of that node.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFormula, createDefaultRegistry, type CompileOptions, type Diagnostic } from '../../src/index.js';
import { children, print, withoutSpans, type BinaryOperator, type Expr, type UnaryOperator } from '../../src/formula/ast.js';
import { FormulaSyntax } from '../../src/formula/parser/parse.js';
import { runs } from '../helpers/runs.js';

const RUNS = runs(10_000);
const MAX_LENGTH = 3900;
/** Generous: a parse + compile + evaluate takes about a millisecond at most (CPU time). */
const SLOW_MS = 1000;

const syntax = new FormulaSyntax();

const options: CompileOptions = {
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
const record = { a: 3, b: 'x', c: true, d: '2024-02-29', Name: 'Ada', Amount: 12.5, Account: { Name: 'Acme', Owner: { Name: 'Bo' } } };

/** A cheap assertion for the hot loops (vitest's `expect` costs more than the parse). */
function check(condition: boolean, what: string, text: string): void {
  if (!condition) throw new Error(`${what}: ${JSON.stringify(text.slice(0, 300))}`);
}

function checkDiagnostics(diagnostics: readonly Diagnostic[], text: string): void {
  for (const d of diagnostics) {
    const { start, end, line, column } = d.span;
    check(/^[EW]_[A-Z_]+$/.test(d.code) && d.message.length > 0, `bad diagnostic ${d.code} ${d.message}`, text);
    check(start >= 0 && end >= start && end <= text.length && line >= 1 && column >= 1, `bad span ${JSON.stringify(d.span)}`, text);
  }
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Parses, compiles and (when it compiles) evaluates; any throw fails the property. */
function survives(text: string): void {
  const started = cpuMs();
  const parsed = syntax.parse(text);
  checkDiagnostics(parsed.diagnostics, text);
  check((parsed.ast === null) === parsed.diagnostics.some((d) => d.severity === 'error'), 'a tree exactly when there is no error', text);
  const compiled = compileFormula(text, options);
  checkDiagnostics(compiled.diagnostics, text);
  check(parsed.ast !== null || !compiled.ok, 'compiles only what parses', text);
  if (compiled.ok) {
    const result = compiled.evaluate({ record, listItem: { index: 1, value: { Field: 'f', Name: 'n' }, isFirst: true, isLast: false }, now: '2024-01-02T03:04:05Z' });
    check(typeof result === 'object' && result !== null, 'evaluate returns a result', text);
  }
  // CPU time, not wall time, so a busy machine does not make this flaky.
  const elapsed = cpuMs() - started;
  check(elapsed < SLOW_MS, `took ${elapsed.toFixed(0)} ms of CPU`, text);
}

// ---------------------------------------------------------------------------------------------
// Formula-ish text

const FRAGMENTS = [
  ...['+', '-', '*', '/', '^', '&', '&&', '||', '!', '=', '==', '!=', '<>', '<', '<=', '>', '>=', '|'],
  ...['(', ')', '(', ')', ',', '.', '[', ']', '$', '"', "'", '\\', '/*', '*/', '/* c */', '\n', ' ', ' ', '\t', '\r\n'],
  ...['a', 'b', 'c', 'd', 'Name', 'Account', 'Account.Name', 'Account.Owner.Name', 'Parent__r.Name', 'x', '_', 'foo__c'],
  ...['$Constants.X', '$Parameters.P.Field', '$ListItem.Index', '$ListItem.Value.Field', '$ListItem.IsFirst', '$ListItem.IsLast', '$User'],
  ...['TRUE', 'false', 'Null', 'IF(', 'if(', 'CASE(', 'AND(', 'OR(', 'NOT(', 'LEN(', 'TEXT(', 'ISBLANK(', 'BLANKVALUE(', 'VALUE(', 'MID(', 'FIND('],
  ...['ROUND(', 'MOD(', 'TODAY()', 'NOW()', 'DATE(', 'UPPER(', 'LEFT(', 'REGEX(', 'NOPE('],
  ...['0', '1', '42', '.5', '3.14', '007', '1e5', '9999999999999999999999', '"str"', "'s'", '"a\\"b"', "'\\n'", '"\\q"', '""'],
  ...['#', '@', '~', '%', '?', ':', ';', '{', '}', 'é', '😀', '\u00a0', '\ud800'],
];

const fragmentText = (maxFragments: number) =>
  fc
    .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: maxFragments })
    .map((parts) => parts.join('').slice(0, MAX_LENGTH));

const anyText = fc.oneof(
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
const FUNCTION_NAMES = createDefaultRegistry().functionNames();
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

const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
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
function noisy(): fc.Arbitrary<string> {
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

function* nodes(root: Expr): Generator<Expr> {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    yield node;
    stack.push(...children(node));
  }
}

function parsed(text: string): Expr {
  const r = syntax.parse(text);
  if (r.ast === null) throw new Error(`${JSON.stringify(text)} does not parse: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.ast;
}

/** Compares trees by shape; JSON text is a cheap deep-equality for these plain values. */
function sameTree(actual: Expr, expected: Expr, what: string): void {
  const [a, b] = [JSON.stringify(withoutSpans(actual)), JSON.stringify(withoutSpans(expected))];
  if (a !== b) expect(withoutSpans(actual), what).toEqual(withoutSpans(expected)); // the readable diff
}

// ---------------------------------------------------------------------------------------------

const startedCpu = cpuMs();
afterAll(() => {
  console.log(`parser properties: ${((cpuMs() - startedCpu) / 1000).toFixed(1)} s of CPU`);
});

describe('parser robustness (a)', () => {
  it('arbitrary Unicode text yields diagnostics or a result, never a throw or a hang', () => {
    fc.assert(fc.property(anyText, survives), { numRuns: RUNS });
  });

  it('text built from formula fragments yields diagnostics or a result, never a throw or a hang', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 20, arbitrary: fragmentText(40) }, { weight: 1, arbitrary: fragmentText(1500) }), survives),
      { numRuns: RUNS },
    );
  });

  it('valid formulas, and valid formulas with a cut or an inserted fragment, yield diagnostics or a result', () => {
    const edited = fc
      .tuple(noisy(), fc.nat(), fc.nat(6), fc.constantFrom('', ...FRAGMENTS), fc.nat(2))
      .map(([text, at, cut, insert, how]) => {
        if (how === 0) return text;
        const i = at % (text.length + 1);
        return (text.slice(0, i) + insert + text.slice(i + (how === 1 ? cut : 0))).slice(0, MAX_LENGTH);
      });
    fc.assert(fc.property(edited, survives), { numRuns: RUNS });
  });
});

describe('printer and parser round trips (b)', () => {
  it('print(tree) parses back to the same tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const text = print(t);
        sameTree(parsed(text), t, text);
      }),
      { numRuns: RUNS },
    );
  });

  it('the noisy writer only writes valid formulas, and parse → print → parse → print is a fixpoint', () => {
    fc.assert(
      fc.property(noisy(), (text) => {
        const first = parsed(text);
        const printed = print(first);
        const second = parsed(printed);
        sameTree(second, first, printed);
        if (print(second) !== printed) expect(print(second)).toBe(printed);
      }),
      { numRuns: RUNS },
    );
  });

  it('every node span covers exactly that node: its text parses to the same node', () => {
    fc.assert(
      fc.property(noisy(), (text) => {
        for (const node of nodes(parsed(text))) {
          check(node.span.start >= 0 && node.span.end <= text.length, `span ${JSON.stringify(node.span)} out of range`, text);
          const own = text.slice(node.span.start, node.span.end);
          sameTree(parsed(own), node, `span of ${print(node)} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
