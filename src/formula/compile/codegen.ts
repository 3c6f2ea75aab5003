/**
 * Evaluation code generation: one JavaScript function per formula (`new Function`), made from the
 * typed tree, doing exactly what the closures of compile.ts do (the reference and the fallback):
 * same values, same errors located at the same spans, the same arguments evaluated in the same
 * order. Every node is a local of one function, so V8 sees one call site per call (direct calls
 * of the builtins, which it can inline) instead of one shared, megamorphic closure per node shape.
 *
 * - Literals, field names, spans and implementations are **captured values**: the generated
 *   source holds only names the generator makes (`c0`, `v1`, `L2`), never text of the formula.
 * - Lazy forms and chains generate code through their `emit` hook in the function registry, and
 *   eager calls whose implementation cannot throw through `inline`; anything without a hook (and
 *   reads other than a bare record field) calls its closure from the generated code.
 * - Not generated (closures are used): where `new Function` is refused (a page whose Content
 *   Security Policy has no 'unsafe-eval'), and formulas above {@link MAX_GENERATED_NODES} nodes or
 *   {@link MAX_GENERATED_DEPTH} levels.
 *
 * test/formula/codegen.test.ts compares both ways on every corpus the tests have.
 */
import type { CallInfo, Closure, Emitter, Overload } from '../registry/registry.js';
import { withSpan } from '../runtime/errors.js';
import { shift } from '../runtime/num.js';
import { fromDouble } from '../runtime/num-read.js';
import { parseDate } from '../runtime/temporal.js';
import type { Span } from '../source.js';
import type { TypedExpr } from '../typecheck/typecheck.js';
import { isNumeric } from '../types.js';

/** Formulas with more nodes than this are evaluated by their closures. */
export const MAX_GENERATED_NODES = 1000;
/** Formulas nested deeper than this (typed tree levels) are evaluated by their closures. */
export const MAX_GENERATED_DEPTH = 100;

type ReadNode = Extract<TypedExpr, { op: 'read' }>;
type CallNode = Extract<TypedExpr, { op: 'call' }>;

/** What the generator needs from the closure compiler. */
export interface CodegenHost {
  readonly blankAs: 'blank' | 'zero';
  /** The closure of a node (what generated code calls where it has no code of its own). */
  compile(node: TypedExpr): Closure;
  /** The input conversion of a field read (its errors and blank handling). */
  converter(node: ReadNode): (v: unknown) => unknown;
}

/** A generated evaluation function and its body (tests read the body). */
export interface Generated {
  readonly closure: Closure;
  readonly source: string;
}

let evalAllowed: boolean | undefined;

/** Forgets whether `new Function` works, so the next generation checks again (for tests). @internal */
export function recheckGeneration(): void {
  evalAllowed = undefined;
}

/** Whether `new Function` works here (a Content Security Policy without 'unsafe-eval' refuses it). */
export function canGenerate(): boolean {
  if (evalAllowed === undefined) {
    try {
      evalAllowed = (new Function('return 1') as () => unknown)() === 1;
    } catch {
      evalAllowed = false;
    }
  }
  return evalAllowed;
}

/** Whether a tree is small and shallow enough to be generated. */
export function fitsGeneration(node: TypedExpr): boolean {
  let nodes = 0;
  const walk = (n: TypedExpr, depth: number): boolean => {
    if (++nodes > MAX_GENERATED_NODES || depth > MAX_GENERATED_DEPTH) return false;
    if (n.op !== 'call') return true;
    for (const a of n.args) if (!walk(a as TypedExpr, depth + 1)) return false;
    return true;
  };
  return walk(node, 1);
}

/**
 * The operands of a left-associative chain of one overload (`a & b & c`), as the closure
 * compiler's `chain` gathers them.
 */
export function chainOperands(node: CallNode): TypedExpr[] {
  let left: TypedExpr = node;
  const rights: TypedExpr[] = [];
  while (left.op === 'call' && left.overload === node.overload && left.args.length === 2) {
    rights.push(left.args[1] as TypedExpr);
    left = left.args[0] as TypedExpr;
  }
  // Pushed in order rather than a spread of the reversed array (one array fewer).
  const operands: TypedExpr[] = [left];
  for (let i = rights.length - 1; i >= 0; i--) operands.push(rights[i] as TypedExpr);
  return operands;
}

/**
 * The generated evaluation function of a formula, or undefined where it cannot be made (no
 * `new Function`, a tree too big or too deep, or a registry hook that wrote invalid code: the
 * closures are the reference, so evaluation goes on with them).
 */
export function generate(node: TypedExpr, host: CodegenHost): Generated | undefined {
  if (!canGenerate() || !fitsGeneration(node)) return undefined;
  try {
    return new Generator(host).build(node);
  } catch {
    // A hook wrote code that does not compile: the closures go on (the differential test
    // requires every formula it compiles to have been generated).
    return undefined;
  }
}

const isPlainLiteral = (n: TypedExpr): boolean => n.op === 'const' && n.value !== null;

class Generator {
  private readonly names: string[] = [];
  private readonly values: unknown[] = [];
  private readonly known = new Map<unknown, string>();
  private readonly lines: string[] = [];
  private locals = 0;
  private labels = 0;
  private readsRecord = false;

  constructor(private readonly host: CodegenHost) {}

  build(root: TypedExpr): Generated {
    const result = this.expr(root);
    const declared = Array.from({ length: this.locals }, (_, i) => `v${i}`);
    const body = [
      declared.length > 0 ? `let ${declared.join(', ')};` : '',
      this.readsRecord ? 'const R = ctx.record;' : '',
      ...this.lines,
      `return ${result};`,
    ].join('\n');
    const factory = new Function(...this.names, `'use strict';\nreturn function formula(ctx) {\n${body}\n};`) as (...captured: unknown[]) => Closure;
    return { closure: factory(...this.values), source: body };
  }

  capture(value: unknown): string {
    if (value === null) return 'null';
    if (value === true) return 'true';
    if (value === false) return 'false';
    // Functions, texts and objects are captured once; numbers each time (0 and -0 are one Map key).
    const shared = typeof value !== 'number';
    if (shared) {
      const name = this.known.get(value);
      if (name !== undefined) return name;
    }
    const name = `c${this.names.length}`;
    this.names.push(name);
    this.values.push(value);
    if (shared) this.known.set(value, name);
    return name;
  }

  local(): string {
    return `v${this.locals++}`;
  }

  label(): string {
    return `L${this.labels++}`;
  }

  line(code: string): void {
    this.lines.push(code);
  }

  locate(span: Span): string {
    return `catch (e) { throw ${this.capture(withSpan)}(e, ${this.capture(span)}); }`;
  }

  /** Writes a node's statements; returns the expression of its value (a local or a captured name). */
  expr(node: TypedExpr): string {
    switch (node.op) {
      case 'const':
        return this.capture(node.value);
      case 'read':
        if (node.path.length !== 1 || node.source === 'listItem') return this.closure(node);
        return node.source === 'record' ? this.recordField(node, node.path[0] as string) : this.globalField(node, node.source, node.path[0] as string);
      case 'call':
        return this.call(node);
      default:
        return this.closure(node);
    }
  }

  /** The node's closure, called from the generated code. */
  private closure(node: TypedExpr): string {
    const v = this.local();
    this.line(`${v} = ${this.capture(this.host.compile(node))}(ctx);`);
    return v;
  }

  private call(node: CallNode): string {
    const o: Overload = node.overload;
    const info: CallInfo = { span: node.span, argTypes: node.argTypes, returnType: node.type };
    if (o.chain !== undefined) return o.emit === undefined ? this.closure(node) : o.emit(this.emitter(chainOperands(node)), info);
    if (o.lazy !== undefined) return o.emit === undefined ? this.closure(node) : o.emit(this.emitter(node.args as readonly TypedExpr[]), info);
    return this.eager(node, o);
  }

  private emitter(args: readonly TypedExpr[]): Emitter {
    return {
      count: args.length,
      arg: (i) => this.expr(args[i] as TypedExpr),
      literal: (i) => {
        const a = args[i] as TypedExpr;
        return a.op === 'const' ? { value: a.value } : undefined;
      },
      capture: (v) => this.capture(v),
      local: () => this.local(),
      label: () => this.label(),
      line: (code) => this.line(code),
      locate: (span) => this.locate(span),
    };
  }

  /**
   * An eager call, as compile.ts's `eager`: arguments in order, a blank one ends the call with a
   * blank result (unless the function accepts blanks), then the implementation, its errors
   * located at the call.
   */
  private eager(node: CallNode, o: Overload): string {
    const args = node.args as readonly TypedExpr[];
    const propagate = o.nulls !== 'accept';
    const result = this.local();
    const checked = propagate && args.some((a) => !isPlainLiteral(a));
    const label = checked ? this.label() : '';
    if (checked) this.line(`${result} = null; ${label}: {`);
    const values: string[] = [];
    for (const a of args) {
      const v = this.expr(a);
      if (propagate && !isPlainLiteral(a)) this.line(`if (${v} === null) break ${label};`);
      values.push(v);
    }
    if (o.inline !== undefined) {
      this.line(`${result} = ${o.inline(values, this.emitter(args))};`);
    } else {
      const impl = this.capture(o.contextual ?? o.impl);
      const list = o.contextual !== undefined ? ['ctx', ...values] : values;
      this.line(`try { ${result} = ${impl}(${list.join(', ')}); } ${this.locate(node.span)}`);
    }
    if (checked) this.line('}');
    return result;
  }

  /** `$Constants.X`, `$Parameters.P`: read and converted as compile.ts's `read` does. */
  private globalField(node: ReadNode, source: 'constants' | 'parameters', name: string): string {
    const v = this.local();
    const from = source === 'constants' ? 'ctx.constants' : 'ctx.parameters';
    this.line(`${v} = ${this.capture(this.host.converter(node))}(${from}[${this.capture(name)}]);`);
    return v;
  }

  /** A bare record field: read and converted inline, with compile.ts's `recordField` fast paths. */
  private recordField(node: ReadNode, name: string): string {
    this.readsRecord = true;
    const type = node.type;
    const key = this.capture(name);
    const convert = this.capture(this.host.converter(node));
    const v = this.local();
    this.line(`${v} = R[${key}];`);
    if (type === 'Text' || type === 'Id' || type === 'Picklist') {
      const blank = this.host.blankAs === 'zero' && type === 'Text' ? '""' : 'null';
      this.line(`if (typeof ${v} !== 'string') ${v} = ${v} === null || ${v} === undefined ? ${blank} : ${convert}(${v});`);
    } else if (isNumeric(type) && type !== 'Percent') {
      const fd = this.capture(fromDouble);
      this.line(
        `if (typeof ${v} !== 'number') ${v} = ${convert}(${v}); else if (!Number.isSafeInteger(${v})) ${v} = Number.isFinite(${v}) ? ${fd}(${v}) : ${convert}(${v}); else if (${v} === 0) ${v} = 0;`,
      );
    } else if (type === 'Percent') {
      const fd = this.capture(fromDouble);
      const sh = this.capture(shift);
      this.line(
        `if (typeof ${v} !== 'number' || !Number.isFinite(${v})) ${v} = ${convert}(${v}); else ${v} = ${sh}(Number.isSafeInteger(${v}) ? (${v} === 0 ? 0 : ${v}) : ${fd}(${v}), -2);`,
      );
    } else if (type === 'Boolean') {
      this.line(`if (typeof ${v} !== 'boolean') ${v} = ${convert}(${v});`);
    } else if (type === 'Date') {
      const days = this.local();
      this.line(`${days} = typeof ${v} === 'string' ? ${this.capture(parseDate)}(${v}) : undefined;`);
      this.line(`${v} = ${days} !== undefined ? ${days} : ${convert}(${v});`);
    } else {
      this.line(`${v} = ${convert}(${v});`);
    }
    return v;
  }
}
