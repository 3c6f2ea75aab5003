import type { Span } from './source.js';

export type BinaryOperator = '+' | '-' | '&' | '*' | '/' | '^' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '&&' | '||';
export type UnaryOperator = '+' | '-' | '!';

/** One segment of a field path, e.g. `Owner` in `Account.Owner.Name`. */
export interface PathSegment {
  readonly name: string;
  readonly span: Span;
}

export interface NumberLiteral {
  readonly kind: 'Number';
  /** Canonical decimal text (`.5` is stored as `0.5`). */
  readonly value: string;
  readonly span: Span;
}
export interface StringLiteral {
  readonly kind: 'String';
  /** The decoded value, escapes resolved. */
  readonly value: string;
  readonly span: Span;
}
export interface BooleanLiteral {
  readonly kind: 'Boolean';
  readonly value: boolean;
  readonly span: Span;
}
export interface NullLiteral {
  readonly kind: 'Null';
  readonly span: Span;
}
/**
 * A field or global reference: `Days`, `Account.Owner.Name`, `$Constants.Title`,
 * `$ListItem.Value.Name`. `global` is the `$Name` root, if any (without its `$`).
 */
export interface Reference {
  readonly kind: 'Reference';
  readonly global: string | null;
  readonly path: readonly PathSegment[];
  readonly span: Span;
}
export interface Call {
  readonly kind: 'Call';
  /** Upper-cased: function names are case-insensitive. */
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly Expr[];
  readonly span: Span;
}
export interface Unary {
  readonly kind: 'Unary';
  readonly op: UnaryOperator;
  readonly operand: Expr;
  readonly span: Span;
}
export interface Binary {
  readonly kind: 'Binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}
/** Placeholder produced by parser error recovery; never type-checked. */
export interface ErrorNode {
  readonly kind: 'Error';
  readonly span: Span;
}

/** A formula expression. Its `span` covers its source text, including parentheses written around it. */
export type Expr = NumberLiteral | StringLiteral | BooleanLiteral | NullLiteral | Reference | Call | Unary | Binary | ErrorNode;

export const buildNumber = (value: string, span: Span): NumberLiteral => ({ kind: 'Number', value, span });
export const buildString = (value: string, span: Span): StringLiteral => ({ kind: 'String', value, span });
export const buildBoolean = (value: boolean, span: Span): BooleanLiteral => ({ kind: 'Boolean', value, span });
export const buildNull = (span: Span): NullLiteral => ({ kind: 'Null', span });
export const buildReference = (global: string | null, path: readonly PathSegment[], span: Span): Reference => ({
  kind: 'Reference',
  global,
  path,
  span,
});
export const buildCall = (name: string, nameSpan: Span, args: readonly Expr[], span: Span): Call => ({
  kind: 'Call',
  name: name.toUpperCase(),
  nameSpan,
  args,
  span,
});
export const buildUnary = (op: UnaryOperator, operand: Expr, span: Span): Unary => ({ kind: 'Unary', op, operand, span });
export const buildBinary = (op: BinaryOperator, left: Expr, right: Expr, opSpan: Span): Binary => ({
  kind: 'Binary',
  op,
  left,
  right,
  opSpan,
  span: { start: left.span.start, end: right.span.end },
});
export const buildError = (span: Span): ErrorNode => ({ kind: 'Error', span });

/** The direct sub-expressions of a node, in source order. */
export function children(node: Expr): readonly Expr[] {
  switch (node.kind) {
    case 'Call':
      return node.args;
    case 'Unary':
      return [node.operand];
    case 'Binary':
      return [node.left, node.right];
    case 'Number':
    case 'String':
    case 'Boolean':
    case 'Null':
    case 'Reference':
    case 'Error':
      return [];
    default:
      return assertNever(node);
  }
}

/** Depth of the tree (a leaf has depth 1), computed without recursion. */
export function depth(root: Expr): number {
  let max = 0;
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop() as [Expr, number];
    if (d > max) max = d;
    for (const c of children(node)) stack.push([c, d + 1]);
  }
  return max;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** Quotes a string as a formula literal. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t\b\f]/g, (c) => ESCAPES[c] as string)}"`;
}

/**
 * Prints an expression as formula source. Every operator application is parenthesized, so
 * the output parses back to the same tree whatever the precedence.
 */
export function print(node: Expr): string {
  switch (node.kind) {
    case 'Number':
      return node.value;
    case 'String':
      return quoteString(node.value);
    case 'Boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'Null':
      return 'NULL';
    case 'Reference':
      return [node.global === null ? null : `$${node.global}`, ...node.path.map((s) => s.name)].filter((s) => s !== null).join('.');
    case 'Call':
      return `${node.name}(${node.args.map(print).join(', ')})`;
    case 'Unary':
      return `(${node.op}${print(node.operand)})`;
    case 'Binary':
      return `(${print(node.left)} ${node.op} ${print(node.right)})`;
    case 'Error':
      return '<error>';
    default:
      return assertNever(node);
  }
}

/** Strips spans, for comparing trees by shape (tests, snapshots). */
export function withoutSpans(node: Expr): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'span' || key === 'nameSpan' || key === 'opSpan' ? undefined : value)));
}
