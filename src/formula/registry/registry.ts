import type { Span } from '../source.js';
import type { FormulaType, ScalarTypeName } from '../types.js';
import { isNumeric, unify } from '../types.js';
import type { RuntimeContext } from '../runtime/context.js';

/** A compiled expression: reads the context, returns a runtime value (or throws a FormulaRuntimeError). */
export type Closure = (ctx: RuntimeContext) => unknown;

/**
 * What a parameter accepts:
 * - a scalar type name (`Text` also accepts `Id`);
 * - `Numeric`: Number, Currency or Percent;
 * - `Any`: any scalar;
 * - a type variable `T` or `U`: every position with the same variable must unify;
 * - an array: any of these types.
 */
export type ParamType = ScalarTypeName | 'Numeric' | 'Any' | 'T' | 'U' | readonly ScalarTypeName[];

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  /** May be left out (only trailing parameters). */
  readonly optional?: boolean;
  /** The last parameter may repeat (`MAX(n, …)`). */
  readonly repeat?: boolean;
  /** The argument must be a literal (checked at compile time). */
  readonly literal?: boolean;
  /**
   * Checks a constant argument's value at compile time (a literal, or a negated number literal);
   * returns an error message, or undefined when valid. Without `literal`, other arguments are
   * accepted and the implementation checks them at run time.
   */
  readonly validate?: (value: unknown) => string | undefined;
}

/** Compile-time facts a lazy builder or a check may use. */
export interface CallInfo {
  readonly span: Span;
  readonly argTypes: readonly FormulaType[];
  readonly returnType: FormulaType;
}

/**
 * What an `emit` or `inline` hook writes with (src/formula/compile/codegen.ts): generated
 * evaluation code is JavaScript statements in one function whose locals hold the values of the
 * nodes. No text of the formula is ever written into the source: literals, names and spans are
 * captured values, referred to by a name the generator makes.
 * @internal
 */
export interface Emitter {
  /** The number of arguments (of operands, for a chain). */
  readonly count: number;
  /**
   * Writes argument `i`'s statements at this point (so only where it must run, for a lazy form)
   * and returns a JS expression of its value: a local or a captured name, cheap to repeat.
   */
  arg(i: number): string;
  /** Argument `i`'s value when it is a literal. */
  literal(i: number): { readonly value: unknown } | undefined;
  /** The name under which the generated code reads `value` (functions, texts, numbers...). */
  capture(value: unknown): string;
  /** A fresh local variable (declared by the generator). */
  local(): string;
  /** A fresh block label (for `L: { ... break L; ... }`). */
  label(): string;
  /** Appends statements. */
  line(code: string): void;
  /** `catch (e) { ... }` that locates an error at `span` the way a call's closure does (withSpan). */
  locate(span: Span): string;
}

/** One signature of a function, with its implementation. */
export interface Overload {
  readonly params: readonly ParamSpec[];
  /** The result type: a scalar, a type variable, or a rule over the argument types. */
  readonly returns: ScalarTypeName | 'T' | 'U' | ((argTypes: readonly FormulaType[]) => FormulaType);
  /**
   * Eager implementation: receives evaluated arguments. With `nulls: 'propagate'` (the
   * default) a blank argument makes the result blank without calling `impl`.
   */
  readonly impl?: (...args: never[]) => unknown;
  /** Lazy implementation (a special form): receives the argument closures, returns a closure. */
  readonly lazy?: (args: readonly Closure[], info: CallInfo) => Closure;
  /** Eager implementation that also reads the runtime context (clock, zone, rates). */
  readonly contextual?: (ctx: RuntimeContext, ...args: never[]) => unknown;
  readonly nulls?: 'propagate' | 'accept';
  /**
   * For an associative binary operator: an implementation over all operands of a
   * left-associative chain (`a & b & c`), which the compiler uses instead of nesting `impl`.
   * It must give the same result as applying `impl` left to right.
   */
  readonly chain?: (operands: readonly Closure[], span: Span) => Closure;
  /**
   * Generated code for a `lazy` form or a `chain` (its operands are then the arguments): writes
   * its statements with `g` and returns the expression of its value. It must do exactly what the
   * closure does (values, errors and their spans, which arguments run and in which order).
   * Without it, generated code calls the closure. Internal: the built-in functions' hooks, not a
   * public API yet.
   * @internal
   */
  readonly emit?: (g: Emitter, info: CallInfo) => string;
  /**
   * For an `impl` that never throws: a JS expression over its argument expressions that gives
   * what `impl` gives (blank arguments are handled as for `impl`: with `nulls: 'propagate'` it
   * only sees non-blank ones). Without it, generated code calls `impl`. Internal, as `emit`.
   * @internal
   */
  readonly inline?: (args: readonly string[], g: Emitter) => string;
  /** Irregular argument lists (CASE): the parameters for a given count, and how to describe the accepted counts. */
  readonly shape?: { readonly describe: string; readonly expand: (count: number) => readonly ParamSpec[] | undefined };
}

export type Family = 'operator' | 'logic' | 'text' | 'math' | 'date' | 'geolocation';

export interface FunctionDoc {
  readonly summary: string;
  /** Worked examples: a formula and its result as shown to users. */
  readonly examples: readonly { readonly formula: string; readonly result: string }[];
  readonly notes?: readonly string[];
}

export interface FunctionSpec {
  /** Upper-case function name, or the operator symbol. */
  readonly name: string;
  readonly family: Family;
  /** Operators are named `+`, `unary -` and so on; they are not callable by name. */
  readonly kind: 'function' | 'operator';
  readonly overloads: readonly Overload[];
  /** Reads the clock: results change between evaluations. */
  readonly volatile?: boolean;
  readonly doc: FunctionDoc;
  /** A compile-time warning for calls that are valid but almost certainly a mistake. */
  readonly lint?: (argTypes: readonly FormulaType[]) => string | undefined;
}

/** Declares a function; the identity function that gives type checking to registry entries. */
export function defineFunction(spec: Omit<FunctionSpec, 'kind'> & { kind?: 'function' | 'operator' }): FunctionSpec {
  return { kind: 'function', ...spec };
}

/** A function on the seed's unsupported list, with the reason given to users. */
export interface UnsupportedFunction {
  readonly name: string;
  readonly reason: string;
}

/**
 * A set of functions for one engine instance. Built-ins are installed by
 * `createDefaultRegistry`; users may add their own with `register`.
 */
export class FunctionRegistry {
  private readonly functions = new Map<string, FunctionSpec>();
  private readonly unsupported = new Map<string, UnsupportedFunction>();
  private readonly aliases = new Map<string, string>();

  register(spec: FunctionSpec): this {
    const key = spec.kind === 'operator' ? spec.name : spec.name.toUpperCase();
    if (this.functions.has(key)) throw new Error(`Function ${key} is already registered`);
    if (spec.overloads.length === 0) throw new Error(`Function ${key} has no signature`);
    for (const o of spec.overloads) {
      if ([o.impl, o.lazy, o.contextual].filter((x) => x !== undefined).length !== 1) {
        throw new Error(`Function ${key}: each signature needs exactly one of impl, lazy or contextual`);
      }
      if (o.inline !== undefined && o.impl === undefined) throw new Error(`Function ${key}: inline goes with impl`);
      if (o.emit !== undefined && o.lazy === undefined && o.chain === undefined) throw new Error(`Function ${key}: emit goes with lazy or chain`);
    }
    this.functions.set(key, spec);
    return this;
  }

  registerAll(specs: Iterable<FunctionSpec>): this {
    for (const s of specs) this.register(s);
    return this;
  }

  markUnsupported(entry: UnsupportedFunction): this {
    this.unsupported.set(entry.name.toUpperCase(), entry);
    return this;
  }

  /**
   * Makes `alias` another name of the registered function `target` (the seed's spelling NULLVAL
   * for NULLVALUE, G:4703-4775). Calls under the alias resolve to the target's specification.
   */
  alias(alias: string, target: string): this {
    const key = alias.toUpperCase();
    if (!this.functions.has(target.toUpperCase())) throw new Error(`Alias ${key}: no function ${target.toUpperCase()}`);
    if (this.functions.has(key)) throw new Error(`Alias ${key} is already a function`);
    this.aliases.set(key, target.toUpperCase());
    return this;
  }

  get(name: string): FunctionSpec | undefined {
    const direct = this.functions.get(name);
    if (direct !== undefined) return direct;
    const target = this.aliases.get(name.toUpperCase());
    return target === undefined ? undefined : this.functions.get(target);
  }

  /** The aliases, as alias -> function name. */
  aliasNames(): ReadonlyMap<string, string> {
    return this.aliases;
  }

  getUnsupported(name: string): UnsupportedFunction | undefined {
    return this.unsupported.get(name.toUpperCase());
  }

  /** Callable functions (not operators), sorted by name. */
  functionNames(): string[] {
    return [...this.functions.values()]
      .filter((f) => f.kind === 'function')
      .map((f) => f.name)
      .sort();
  }

  all(): FunctionSpec[] {
    return [...this.functions.values()];
  }

  unsupportedNames(): string[] {
    return [...this.unsupported.keys()].sort();
  }
}

// ---------------------------------------------------------------------------
// Overload resolution (used by the type checker)

/**
 * Type-variable bindings while a call's overloads are matched: the two type variables, `T` and
 * `U`, in two fields (clearing them allocates nothing, unlike a Map's `clear()`).
 */
export class Bindings {
  private t: FormulaType | undefined = undefined;
  private u: FormulaType | undefined = undefined;

  get(name: 'T' | 'U'): FormulaType | undefined {
    return name === 'T' ? this.t : this.u;
  }

  set(name: 'T' | 'U', type: FormulaType): void {
    if (name === 'T') this.t = type;
    else this.u = type;
  }

  clear(): void {
    this.t = undefined;
    this.u = undefined;
  }
}

/** Expansions of overloads with a repeating last parameter or a shape, by argument count (they are pure, so computed once). */
const EXPANSIONS = new WeakMap<Overload, Array<readonly ParamSpec[] | null>>();

/**
 * The parameters for a call with `count` arguments, or `undefined` if that count does not fit.
 * A trailing `repeat` parameter may occur any number of times (at least once unless optional);
 * `shape.expand` handles irregular forms such as CASE.
 */
export function expandParams(o: Overload, count: number): readonly ParamSpec[] | undefined {
  // Every parameter given once (the common case): the list itself, whether or not the last repeats.
  if (o.shape === undefined && count === o.params.length) return o.params;
  let known = EXPANSIONS.get(o);
  const cached = known?.[count];
  if (cached !== undefined) return cached ?? undefined;
  const expanded = expand(o, count);
  if (count < 256) {
    if (known === undefined) EXPANSIONS.set(o, (known = []));
    known[count] = expanded ?? null;
  }
  return expanded;
}

function expand(o: Overload, count: number): readonly ParamSpec[] | undefined {
  if (o.shape !== undefined) return o.shape.expand(count);
  const params = o.params;
  let min = 0;
  for (const p of params) if (p.optional !== true) min++;
  const last = params[params.length - 1];
  if (last?.repeat === true) {
    if (count < min) return undefined;
    const out = params.slice(0, -1);
    while (out.length < count) out.push(last);
    return out;
  }
  return count >= min && count <= params.length ? params.slice(0, count) : undefined;
}

/** The accepted argument counts, for "Expected …" messages. */
export function describeArity(o: Overload): string {
  if (o.shape !== undefined) return o.shape.describe;
  const min = o.params.filter((p) => p.optional !== true).length;
  if (o.params[o.params.length - 1]?.repeat === true) return `${min} or more`;
  return min === o.params.length ? String(min) : `${min} to ${o.params.length}`;
}

/** Whether an argument type fits a parameter type; binds type variables as it goes. */
export function accepts(param: ParamType, arg: FormulaType, bindings: Bindings): boolean {
  if (arg === 'Unknown') return true;
  if (typeof param === 'string') {
    switch (param) {
      case 'Any':
        return typeof arg === 'string';
      case 'Numeric':
        return arg === 'Null' || isNumeric(arg);
      case 'T':
      case 'U': {
        if (typeof arg !== 'string') return false;
        const bound = bindings.get(param);
        if (bound === undefined) {
          bindings.set(param, arg);
          return true;
        }
        const u = unify(bound, arg);
        if (u === undefined) return false;
        bindings.set(param, u);
        return true;
      }
      case 'Text':
        return arg === 'Null' || arg === 'Text' || arg === 'Id';
      default:
        return arg === 'Null' || arg === param;
    }
  }
  if (arg === 'Null') return true;
  if (typeof arg !== 'string') return false;
  // A loop rather than `some` with a closure: this runs for every argument of every overload tried.
  for (let i = 0; i < param.length; i++) if (accepts(param[i] as ParamType, arg, bindings)) return true;
  return false;
}

/** Human description of a parameter type, for "Expected …" messages. */
export function describeParam(param: ParamType, bindings?: Bindings): string[] {
  if (typeof param === 'string') {
    switch (param) {
      case 'Any':
        return ['any value'];
      case 'Numeric':
        return ['Number'];
      case 'T':
      case 'U': {
        const b = bindings?.get(param);
        return [typeof b === 'string' && b !== 'Null' ? b : 'any value'];
      }
      default:
        return [param];
    }
  }
  return [...param];
}

export function resolveReturn(o: Overload, argTypes: readonly FormulaType[], bindings: Bindings): FormulaType {
  const r = o.returns;
  if (typeof r === 'function') return r(argTypes);
  if (r === 'T' || r === 'U') {
    const b = bindings.get(r) ?? 'Null';
    return b;
  }
  return r;
}

/** Result type rule for arithmetic: Currency if any operand is Currency, else Number. */
export function numericResult(argTypes: readonly FormulaType[]): FormulaType {
  return argTypes.includes('Currency') ? 'Currency' : 'Number';
}
