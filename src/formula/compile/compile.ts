import type { Closure, Overload } from '../registry/registry.js';
import { setActiveBudget } from '../runtime/budget.js';
import { chainOperands, generate, type CodegenHost } from './codegen.js';
import { isLiteral, literalClosure, literalValue } from './literal.js';
import { FormulaRuntimeError, RuntimeErrorCode, withSpan } from '../runtime/errors.js';
import { shift } from '../runtime/num.js';
import { fromDouble } from '../runtime/num-read.js';
import { parseDate } from '../runtime/temporal.js';
import { decodeRuntimeValue, INPUT_FORMS } from '../runtime/values.js';
import type { Span } from '../source.js';
import type { TypedExpr } from '../typecheck/typecheck.js';
import { isNumeric, type ScalarTypeName } from '../types.js';

export interface CompileSettings {
  /** `zero`: a blank number field reads as 0 and blank text as "" (Salesforce's "treat blank fields as zeroes"). */
  readonly blankAs: 'blank' | 'zero';
  /**
   * Generated evaluation code (codegen.ts): `tiered` (default) after a formula's first
   * {@link TIER_UP_RUNS} evaluations, `always` at once, `off` never (closures only).
   */
  readonly codegen?: 'tiered' | 'always' | 'off';
}

/**
 * Evaluations of a formula by its closures before its code is generated (`codegen: 'tiered'`).
 * Generating costs about 15–25 µs of CPU per benchmark formula, more than compiling it (about
 * 12 µs), and saves up to about 60 ns per evaluation: it pays after some hundreds (bench/README.md).
 */
export const TIER_UP_RUNS = 256;

type Impl = (...args: unknown[]) => unknown;

/** Passes the runtime context itself as an argument. */
const contextArgument: Closure = (ctx) => ctx;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

/** A literal argument that is not blank (a blank one keeps the generic path: the call is blank). */
const plainLiteral = (c: Closure): boolean => isLiteral(c) && literalValue(c) !== null;

function eager1(impl: Impl, a: Closure, propagate: boolean, span: Span): Closure {
  // A contextual function without arguments (TODAY(), NOW()) gets the context directly.
  if (a === contextArgument) {
    return (ctx) => {
      try {
        return impl(ctx);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }
  if (!propagate) {
    return (ctx) => {
      const x = a(ctx);
      try {
        return impl(x);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }
  return (ctx) => {
    const x = a(ctx);
    if (x === null) return null;
    try {
      return impl(x);
    } catch (e) {
      throw withSpan(e, span);
    }
  };
}

function eager2(impl: Impl, a: Closure, b: Closure, propagate: boolean, span: Span): Closure {
  if (plainLiteral(b)) {
    // `Days > 20`, `Tier = "Gold"`, `ROUND(x, 2)`, `LEFT(Name, 10)`: the literal is a value.
    const y = literalValue(b);
    if (!propagate) {
      return (ctx) => {
        const x = a(ctx);
        try {
          return impl(x, y);
        } catch (e) {
          throw withSpan(e, span);
        }
      };
    }
    return (ctx) => {
      const x = a(ctx);
      if (x === null) return null;
      try {
        return impl(x, y);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }
  if (plainLiteral(a)) {
    const x = literalValue(a);
    return (ctx) => {
      const y = b(ctx);
      if (propagate && y === null) return null;
      try {
        return impl(x, y);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }
  if (!propagate) {
    return (ctx) => {
      const x = a(ctx);
      const y = b(ctx);
      try {
        return impl(x, y);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }
  return (ctx) => {
    const x = a(ctx);
    if (x === null) return null;
    const y = b(ctx);
    if (y === null) return null;
    try {
      return impl(x, y);
    } catch (e) {
      throw withSpan(e, span);
    }
  };
}

function eager3(impl: Impl, [a, b, c]: readonly [Closure, Closure, Closure], propagate: boolean, span: Span): Closure {
  if (plainLiteral(b) && plainLiteral(c)) {
    // `SUBSTITUTE(Name, " ", "_")`, `MID(Text, 1, 3)`: both literals are values.
    const y = literalValue(b);
    const z = literalValue(c);
    return (ctx) => {
      const x = a(ctx);
      if (propagate && x === null) return null;
      try {
        return impl(x, y, z);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }
  return (ctx) => {
    const x = a(ctx);
    if (propagate && x === null) return null;
    const y = b(ctx);
    if (propagate && y === null) return null;
    const z = c(ctx);
    if (propagate && z === null) return null;
    try {
      return impl(x, y, z);
    } catch (e) {
      throw withSpan(e, span);
    }
  };
}

/**
 * A whole formula: `closure` charges the budget then runs `inner` (callers may inline the
 * charge). `inner` changes once, from the closures to the generated code (read it per call).
 */
export interface RootClosure {
  readonly closure: Closure;
  readonly inner: Closure;
  readonly weight: number;
  readonly span: Span;
  /** The body of the generated evaluation function, once made (undefined while the closures run). @internal */
  readonly source: string | undefined;
}

interface TieredRoot {
  closure: Closure;
  inner: Closure;
  /** What `closure` runs (always `inner`). */
  readonly box: { inner: Closure };
  readonly weight: number;
  readonly span: Span;
  source: string | undefined;
}

/** The error for a field value that is not of its declared type. */
function invalidInput(display: string, scalar: ScalarTypeName, span: Span, v: unknown): never {
  throw new FormulaRuntimeError(RuntimeErrorCode.InvalidInput, `Invalid input for ${display}: expected ${INPUT_FORMS[scalar]}, received ${describe(v)}`, span);
}

/** The number of nodes of a typed expression: the operations one evaluation costs at most. */
export function nodeCount(node: TypedExpr): number {
  if (node.op !== 'call') return 1;
  let n = 1;
  for (const a of node.args) n += nodeCount(a as TypedExpr);
  return n;
}

/**
 * A formula's root: `closure` charges the budget, then runs the current evaluation code, which it
 * reads from a small box that `tierUp` updates with `root.inner` (the box and `inner` always
 * hold the same). Measured, not explained further: when the charging closure read `root.inner`
 * itself (the root made first, then its `closure` replaced by one reading the root), a cold
 * process's compiles kept their garbage through young-generation collections (3.5-5.5 MB of
 * survivors per scavenge instead of about 1 MB, then old-space collections), and 10,000
 * distinct formulas took 420-500 ms of CPU instead of 260-290 (bench/README.md, "Cold compile
 * (issue 19, fifth round)"); with each closure made by a function of its own, so that it holds only
 * what it reads, but still reading the root: 395-440 ms.
 */
function rootOf(closures: Closure, weight: number, span: Span): TieredRoot {
  const box = { inner: closures };
  const closure: Closure = (ctx) => {
    const budget = ctx.budget;
    budget.use(weight, span);
    setActiveBudget(budget);
    return box.inner(ctx);
  };
  return { closure, inner: closures, weight, span, source: undefined, box };
}

/** The closures, counting runs: at the TIER_UP_RUNS-th, the formula's code is generated. */
function tiering(root: TieredRoot, node: TypedExpr, host: Compiler, closures: Closure): Closure {
  let runs = 0;
  return (ctx) => {
    if (++runs >= TIER_UP_RUNS) tierUp(root, node, host, closures);
    return closures(ctx);
  };
}

/** Generated code for the formula from now on, or its closures where none can be made. */
function tierUp(root: TieredRoot, node: TypedExpr, host: Compiler, closures: Closure): void {
  const g = generate(node, host);
  root.inner = root.box.inner = g?.closure ?? closures;
  root.source = g?.source;
}

/** Turns typed expressions into closures; overloads and names are all resolved here, once. */
export class Compiler implements CodegenHost {
  readonly blankAs: 'blank' | 'zero';

  constructor(private readonly settings: CompileSettings) {
    this.blankAs = settings.blankAs;
  }

  /**
   * The closure of a whole formula: each run charges the request's budget one operation per
   * node (an upper bound of the work: formulas have no loops, and lazy forms such as IF and CASE
   * only skip nodes), then makes that budget the one builtins charge. It is not restored
   * afterwards (that would cost a try/finally per evaluation): every formula run sets its own
   * before any builtin runs, and evaluation is synchronous.
   *
   * The evaluation code is the closures, then (see `CompileSettings.codegen`) one generated
   * function doing the same (codegen.ts), where it can be made.
   */
  compileRoot(node: TypedExpr): RootClosure {
    const closures = this.compile(node);
    const root: TieredRoot = rootOf(closures, nodeCount(node), node.span);
    const mode = this.settings.codegen ?? 'tiered';
    if (mode === 'always') tierUp(root, node, this, closures);
    else if (mode === 'tiered') root.inner = root.box.inner = tiering(root, node, this, closures);
    return root;
  }

  compile(node: TypedExpr): Closure {
    switch (node.op) {
      case 'const':
        return literalClosure(node.value);
      case 'read':
        return this.read(node);
      case 'call':
        return this.call(node);
      case 'invalid':
        return () => {
          throw new FormulaRuntimeError(RuntimeErrorCode.Internal, 'Formula has compile errors', node.span);
        };
    }
  }

  private call(node: Extract<TypedExpr, { op: 'call' }>): Closure {
    const o: Overload = node.overload;
    if (o.chain !== undefined) return this.chain(node, o.chain);
    // A contextual implementation gets the runtime context as a leading argument (never blank).
    const contextual = o.lazy === undefined && o.contextual !== undefined;
    // Built by `push` into array literals, not by `map` or a spread: an empty `map` result and a
    // spread have other elements kinds, and each new kind deoptimized the compiler (then
    // optimized again) in a cold process (bench/README.md, "Cold compile (issue 19, fifth round)").
    const args: Closure[] = contextual ? [contextArgument] : [];
    for (const a of node.args) args.push(this.compile(a));
    if (o.lazy !== undefined) return o.lazy(args, { span: node.span, argTypes: node.argTypes, returnType: node.type });
    if (contextual) return this.eager(o.contextual as Impl, args, o.nulls !== 'accept', node.span);
    return this.eager(o.impl as Impl, args, o.nulls !== 'accept', node.span);
  }

  /**
   * A left-associative chain of one operator with one signature (`a & b & c & d`) becomes a
   * single closure over all its operands, built by the signature's `chain` implementation.
   */
  private chain(node: Extract<TypedExpr, { op: 'call' }>, build: NonNullable<Overload['chain']>): Closure {
    // The chain's closure locates its own errors at the chain (one closure layer less). The
    // operands' closures are pushed into an array literal, as in `call` (a `map` result has
    // another elements kind, which deoptimized the compiler in a cold process).
    const operands: Closure[] = [];
    for (const e of chainOperands(node)) operands.push(this.compile(e));
    return build(operands, node.span);
  }

  /**
   * Arity-specialized closures: no argument arrays, no dispatch, blank propagation inline. A
   * literal argument is captured as its value (no closure call), and a call that does not
   * propagate blanks has no blank checks.
   */
  private eager(impl: Impl, args: readonly Closure[], propagate: boolean, span: Span): Closure {
    if (args.length === 0) {
      return () => {
        try {
          return impl();
        } catch (e) {
          throw withSpan(e, span);
        }
      };
    }
    if (args.length === 1) return eager1(impl, args[0] as Closure, propagate, span);
    if (args.length === 2) return eager2(impl, args[0] as Closure, args[1] as Closure, propagate, span);
    if (args.length === 3) return eager3(impl, args as [Closure, Closure, Closure], propagate, span);
    return (ctx) => {
      const values: unknown[] = [];
      for (const f of args) {
        const v = f(ctx);
        if (propagate && v === null) return null;
        values.push(v);
      }
      try {
        return impl(...values);
      } catch (e) {
        throw withSpan(e, span);
      }
    };
  }

  private read(node: Extract<TypedExpr, { op: 'read' }>): Closure {
    const path = node.path;
    const source = node.source;
    // A bare field of the record (the common case): no path walk, and its converter made only
    // when a value needs it (a closure and its context fewer per field at compile time).
    if (source === 'record' && path.length === 1) return this.recordField(node, path[0] as string);
    const convert = this.converter(node);
    const display = node.display;
    const span = node.span;
    if (source !== 'listItem' && path.length === 1) {
      const first = path[0] as string;
      return (ctx) => convert(ctx[source][first]);
    }
    const step = (v: unknown, i: number): unknown => {
      if (v === null || v === undefined) return undefined;
      if (typeof v !== 'object') {
        throw new FormulaRuntimeError(
          RuntimeErrorCode.InvalidInput,
          `Invalid input for ${display}: ${path.slice(0, i).join('.') || 'the value'} should be an object (a record), received ${describe(v)}`,
          span,
        );
      }
      return (v as Record<string, unknown>)[path[i] as string];
    };
    if (source === 'listItem') {
      const member = path[0] as string;
      return (ctx) => {
        const item = ctx.listItem;
        if (item === undefined) throw new FormulaRuntimeError(RuntimeErrorCode.InvalidInput, '$ListItem is only available while a list template renders its items', span);
        let v: unknown = member === 'value' ? item.value : item[member as 'index' | 'isFirst' | 'isLast'];
        for (let i = 1; i < path.length; i++) v = step(v, i);
        return convert(v);
      };
    }
    const first = path[0] as string;
    return (ctx) => {
      let v: unknown = ctx[source][first];
      for (let i = 1; i < path.length; i++) v = step(v, i);
      return convert(v);
    };
  }

  /**
   * A bare field of the record: the read and, for text and whole numbers (the common JSON
   * shapes), the conversion in one closure.
   */
  private recordField(node: Extract<TypedExpr, { op: 'read' }>, name: string): Closure {
    const type = node.type;
    // The converter of the values the fast paths below do not take, made on first need: no
    // closure and context for it per field at compile time (a memo, the same function each time).
    let made: ((v: unknown) => unknown) | undefined;
    const zero = this.settings.blankAs === 'zero';
    if (type === 'Text' || type === 'Id' || type === 'Picklist') {
      const blank = zero && type === 'Text' ? '' : null;
      return (ctx) => {
        const v = ctx.record[name];
        return typeof v === 'string' ? v : v === null || v === undefined ? blank : (made ??= this.converter(node))(v);
      };
    }
    if (isNumeric(type) && type !== 'Percent') {
      return (ctx) => {
        const v = ctx.record[name];
        if (typeof v !== 'number') return (made ??= this.converter(node))(v);
        if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
        return Number.isFinite(v) ? fromDouble(v) : (made ??= this.converter(node))(v);
      };
    }
    if (type === 'Percent') {
      // What the Percent decoder gives (the number read, then divided by 100), without its switch.
      return (ctx) => {
        const v = ctx.record[name];
        if (typeof v !== 'number' || !Number.isFinite(v)) return (made ??= this.converter(node))(v);
        return shift(Number.isSafeInteger(v) ? (v === 0 ? 0 : v) : fromDouble(v), -2);
      };
    }
    if (type === 'Boolean') {
      return (ctx) => {
        const v = ctx.record[name];
        return typeof v === 'boolean' ? v : (made ??= this.converter(node))(v);
      };
    }
    if (type === 'Date') {
      return (ctx) => {
        const v = ctx.record[name];
        const days = typeof v === 'string' ? parseDate(v) : undefined;
        return days !== undefined ? days : (made ??= this.converter(node))(v);
      };
    }
    const convert = this.converter(node);
    return (ctx) => convert(ctx.record[name]);
  }

  /** Input conversion for one field, with fast paths for the common JSON shapes. */
  converter(node: Extract<TypedExpr, { op: 'read' }>): (v: unknown) => unknown {
    const { type, display, span } = node;
    const scalar = type as ScalarTypeName;
    const zero = this.settings.blankAs === 'zero';
    if (isNumeric(type) && scalar !== 'Percent') {
      const blank = zero ? 0 : null;
      return (v) => {
        if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
        if (v === null || v === undefined) return blank;
        return decodeRuntimeValue(scalar, v) ?? invalidInput(display, scalar, span, v);
      };
    }
    if (type === 'Text' || type === 'Id' || type === 'Picklist') {
      const blank = zero && type === 'Text' ? '' : null;
      return (v) => (typeof v === 'string' ? v : v === null || v === undefined ? blank : invalidInput(display, scalar, span, v));
    }
    const blank = zero && scalar === 'Percent' ? 0 : null;
    return (v) => {
      if (v === null || v === undefined) return blank;
      const r = decodeRuntimeValue(scalar, v);
      return r === undefined ? invalidInput(display, scalar, span, v) : r;
    };
  }
}
