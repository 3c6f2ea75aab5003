import { Compiler, type RootClosure } from './compile/compile.js';
import { DiagnosticBag, DiagnosticCode, type Diagnostic } from './diagnostics.js';
import { FormulaSyntax } from './parser/parse.js';
import { createDefaultRegistry } from './registry/default-registry.js';
import type { FunctionRegistry } from './registry/registry.js';
import { Budget, setActiveBudget, type BudgetOptions } from './runtime/budget.js';
import { EMPTY, NO_RATES, nowMemo, RuntimeContext, type NowMemo } from './runtime/context.js';
import { FormulaRuntimeError, RuntimeErrorCode } from './runtime/errors.js';
import { roundTo, type Num } from './runtime/num.js';
import { checkDate, dateInZone, isValidZone } from './runtime/temporal.js';
import { encodeValue, publicValue, type EncodeOptions, type RuntimeValue } from './runtime/values.js';
import { SourceText } from './source.js';
import { dependencies, TypeChecker, type TypeEnvironment } from './typecheck/typecheck.js';
import {
  EMPTY_RECORD,
  isAssignable,
  isNumeric,
  SpecCache,
  parseScalarTypeName,
  parseTypeSpec,
  typeName,
  type FormulaType,
  type RecordType,
  type ScalarTypeName,
  type TypeSpecError,
} from './types.js';
import {
  INTERNALS,
  type CompiledFormula,
  type CompileOptions,
  type EngineOptions,
  type EvaluationContext,
  type EvaluationError,
  type EvaluationResult,
  type FieldsSpec,
  type FormulaInternals,
  type WireResult,
} from './formula-types.js';

export * from './formula-types.js';


function toRecordType(spec: FieldsSpec | undefined, pointer: string, errors: TypeSpecError[], cache: SpecCache, globals = false): RecordType {
  if (spec === undefined) return EMPTY_RECORD;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    errors.push({ pointer, message: 'Expected an object of field name → type' });
    return EMPTY_RECORD;
  }
  // A built record type or a spec (told apart by the spec cache, from the object's keys).
  return cache.recordOption(spec, pointer, errors, globals);
}

function asFormulaType(spec: unknown, pointer: string, errors: TypeSpecError[]): FormulaType {
  const t = spec as { kind?: unknown; fields?: unknown };
  if (t !== null && typeof t === 'object' && ((t.kind === 'record' && t.fields instanceof Map) || t.kind === 'list')) return spec as FormulaType;
  return parseTypeSpec(spec, pointer, errors);
}

/**
 * A formula engine: one function registry, one reusable parser. Instances share nothing, so
 * tests and tenants can each have their own.
 */
export class FormulaEngine {
  readonly registry: FunctionRegistry;
  private readonly syntax = new FormulaSyntax();
  /** Field specs this engine has parsed, reused while unchanged (per engine: nothing is shared). */
  private readonly specs = new SpecCache();
  private readonly codegen: 'tiered' | 'always' | 'off';
  private readonly compilers: Array<Compiler | undefined> = [undefined, undefined, undefined, undefined];

  constructor(options: EngineOptions = {}) {
    this.registry = options.registry ?? createDefaultRegistry();
    this.codegen = options.codegen ?? 'tiered';
  }

  /** Parses, type-checks and compiles a formula. Never throws for bad input: problems are diagnostics. */
  compile(source: string, options: CompileOptions = {}): CompiledFormula {
    const parsed = this.syntax.parse(source, options);
    const bag = new DiagnosticBag(parsed.source);
    if (parsed.diagnostics.length > 0) bag.items.push(...parsed.diagnostics);
    const optionErrors: TypeSpecError[] = [];
    const fields = toRecordType(options.fields, '/fields', optionErrors, this.specs, true);
    const constants = toRecordType(options.constants, '/constants', optionErrors, this.specs);
    const parameters = toRecordType(options.parameters, '/parameters', optionErrors, this.specs);
    // Two literal shapes rather than a conditional spread (which builds the object on a slow path).
    const env: TypeEnvironment =
      options.listItem === undefined
        ? { fields, constants, parameters }
        : { fields, constants, parameters, listItem: { value: asFormulaType(options.listItem.value, '/listItem/value', optionErrors) } };
    let declared: ScalarTypeName | undefined;
    if (options.returnType !== undefined) {
      declared = parseScalarTypeName(options.returnType);
      if (declared === undefined) optionErrors.push({ pointer: '/returnType', message: `Unknown return type '${options.returnType}'` });
    }
    if (options.scale !== undefined && !(Number.isInteger(options.scale) && options.scale >= 0 && options.scale <= 18)) {
      optionErrors.push({ pointer: '/scale', message: 'scale must be a whole number from 0 to 18' });
    }
    for (const e of optionErrors) {
      bag.items.push({ code: DiagnosticCode.InvalidOption, severity: 'error', message: `${e.pointer}: ${e.message}`, span: { start: 0, end: 0, line: 1, column: 1 }, found: e.pointer });
    }
    if (parsed.ast === null) return this.failed(source, bag.items);

    let typed;
    let root: RootClosure;
    let deps: string[];
    try {
      typed = new TypeChecker(this.registry, env, bag).check(parsed.ast);
      const dateOfDateTime = declared === 'Date' && typed.type === 'DateTime';
      if (declared !== undefined && !dateOfDateTime && !isAssignable(declared, typed.type)) {
        bag.error(
          DiagnosticCode.ReturnType,
          `Formula result is data type (${typeName(typed.type)}), incompatible with expected data type (${declared})`,
          parsed.ast.span,
          { expected: [declared], found: typeName(typed.type) },
        );
      }
      root = this.compiler(options.blankAs === 'zero', bag.hasErrors).compileRoot(typed);
      if (dateOfDateTime) root = gmtDateResult(root);
      // In the try: it recurses over the tree as the checker and the compiler do.
      deps = dependencies(typed);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      bag.error(DiagnosticCode.NestingTooDeep, 'Formula is too complex to compile', { start: 0, end: source.length });
      return this.failed(source, bag.items);
    }
    if (bag.items.length > 1) bag.items.sort((a, b) => a.span.start - b.span.start);
    if (bag.hasErrors) return this.failed(source, bag.items, deps);
    const resultType = declared ?? publicType(typed.type);
    return new Compiled(source, parsed.source, resultType, deps, bag.items, root, options.scale, options.budget);
  }

  /** The closure compiler of these settings, kept (a Compiler holds only its settings). */
  private compiler(zero: boolean, off: boolean): Compiler {
    const at = (zero ? 1 : 0) + (off ? 2 : 0);
    return (this.compilers[at] ??= new Compiler({ blankAs: zero ? 'zero' : 'blank', codegen: off ? 'off' : this.codegen }));
  }

  private failed(source: string, diagnostics: readonly Diagnostic[], deps: readonly string[] = []): CompiledFormula {
    const first = diagnostics.find((d) => d.severity === 'error') as Diagnostic;
    const error: EvaluationError = { code: first.code, message: first.message, span: first.span };
    return {
      source,
      ok: false,
      returnType: null,
      dependencies: deps,
      diagnostics,
      evaluate: () => ({ ok: false, error }),
      evaluateToWire: () => ({ error }),
    };
  }
}

/**
 * A Date/Time result of a formula declared as Date: its GMT date, as a Salesforce org stores it
 * (sformula's org-verified fixture, `Datetime01__c - 0.5` as a Date formula; sformula src/cast.ts
 * converts with `dayjs(value).utc()`). See docs/compatibility.md.
 */
function gmtDateResult(root: RootClosure): RootClosure {
  const toDate = (v: unknown): unknown => (typeof v === 'number' ? checkDate(dateInZone(v, 'UTC')) : v);
  // `root.inner` is read per call: it changes when the formula's code is generated.
  return {
    weight: root.weight,
    span: root.span,
    closure: (ctx) => toDate(root.closure(ctx)),
    inner: (ctx) => toDate(root.inner(ctx)),
    get source() {
      return root.source;
    },
  };
}

/** The type reported for a result: `Null` (a formula that is only NULL) reads as Text. */
function publicType(t: FormulaType): ScalarTypeName {
  return typeof t === 'string' && t !== 'Null' && t !== 'Unknown' ? t : 'Text';
}

/** The encoding options of a formula without a scale, shared (never changed). */
const NO_SCALE: EncodeOptions = {};

/** The encoding options of each valid scale (0-18), shared (never changed): one object fewer per compile. */
const SCALES: readonly EncodeOptions[] = Array.from({ length: 19 }, (_, scale) => ({ scale }));

class Compiled implements CompiledFormula {
  readonly ok = true;
  private lastZone: string | undefined;
  /** The runtime context evaluations reuse (see `take`). */
  private kept: RuntimeContext | undefined;
  /** The last `now` text this formula parsed and its clock: callers pass one `now` to many evaluations. */
  private readonly nowMemo: NowMemo = nowMemo();
  /** Decimal places `evaluate` rounds a numeric result to (the scale, +2 for a Percent), if any. */
  private readonly roundPlaces: number | undefined;
  private readonly encodeOptions: EncodeOptions;
  /** No default budget: an evaluation without a budget of its own charges the shared unlimited one. */
  private readonly plainBudget: boolean;
  /** Built on first use (templates ask for it; most formulas never do). */
  private internals: FormulaInternals | undefined;

  constructor(
    readonly source: string,
    private readonly text: SourceText,
    readonly returnType: ScalarTypeName,
    readonly dependencies: readonly string[],
    readonly diagnostics: readonly Diagnostic[],
    private readonly root: RootClosure,
    scale: number | undefined,
    private readonly budgetDefaults: BudgetOptions | undefined,
  ) {
    this.roundPlaces = scale !== undefined && isNumeric(returnType) ? (returnType === 'Percent' ? scale + 2 : scale) : undefined;
    this.encodeOptions = scale === undefined ? NO_SCALE : (SCALES[scale] as EncodeOptions);
    this.plainBudget = budgetDefaults === undefined;
  }

  get [INTERNALS](): FormulaInternals {
    return (this.internals ??= {
      closure: this.root.closure,
      returnType: this.returnType,
      scale: this.encodeOptions.scale,
      context: (c) => this.context(c),
      toError: (e) => this.toError(e),
      generatedSource: () => this.root.source,
    });
  }

  evaluate(context: EvaluationContext = {}): EvaluationResult {
    const ctx = this.enter(context);
    if (ctx === undefined) return this.evaluateChecked(context);
    let value: RuntimeValue;
    try {
      setActiveBudget(ctx.budget);
      value = this.root.inner(ctx) as RuntimeValue;
    } catch (e) {
      this.release(ctx);
      return { ok: false, error: this.toError(e) };
    }
    this.release(ctx);
    if (this.roundPlaces !== undefined && value !== null) value = roundTo(value as Num, this.roundPlaces);
    return { ok: true, type: this.returnType, value: publicValue(value) };
  }

  /**
   * Same result as encoding `evaluate()`, without the intermediate result object and without
   * rounding twice: `encodeValue` formats a number at the scale, half up, which gives the same
   * digits as rounding to the scale first (for a Percent, rounding to scale + 2 places and then
   * scaling by 100 equals scaling by 100 and rounding to the scale).
   */
  evaluateToWire(context: EvaluationContext = {}): WireResult {
    const ctx = this.enter(context);
    if (ctx === undefined) return this.evaluateToWireChecked(context);
    let value: RuntimeValue;
    try {
      // The shared unlimited budget (see `enter`): charging it could never fail, so it is not charged.
      setActiveBudget(ctx.budget);
      value = this.root.inner(ctx) as RuntimeValue;
    } catch (e) {
      this.release(ctx);
      return { error: this.toError(e) };
    }
    this.release(ctx);
    return encodeValue(this.returnType, value, this.encodeOptions);
  }

  /** `evaluate` for any context (a budget, currency rates, a zone not checked yet, a nested evaluation). */
  private evaluateChecked(context: EvaluationContext): EvaluationResult {
    let ctx: RuntimeContext | undefined;
    try {
      ctx = this.take(context);
      let value = this.run(ctx) as RuntimeValue;
      this.give(ctx);
      if (this.roundPlaces !== undefined && value !== null) value = roundTo(value as Num, this.roundPlaces);
      return { ok: true, type: this.returnType, value: publicValue(value) };
    } catch (e) {
      if (ctx !== undefined) this.give(ctx);
      return { ok: false, error: this.toError(e) };
    }
  }

  /** `evaluateToWire` for any context (see `evaluateChecked`). */
  private evaluateToWireChecked(context: EvaluationContext): WireResult {
    let ctx: RuntimeContext | undefined;
    try {
      ctx = this.take(context);
      const value = this.run(ctx) as RuntimeValue;
      this.give(ctx);
      return encodeValue(this.returnType, value, this.encodeOptions);
    } catch (e) {
      if (ctx !== undefined) this.give(ctx);
      return { error: this.toError(e) };
    }
  }

  /**
   * The kept runtime context set up for the common evaluation: no budget of its own and none by
   * default (so the shared unlimited one, which a kept context holds once cleared), no currency
   * rates, a zone already checked, and the kept context free (not an evaluation nested in a
   * clock function). Only the parts the caller gives are written (`RuntimeContext.enter`).
   * `undefined` for anything else.
   */
  private enter(c: EvaluationContext): RuntimeContext | undefined {
    const kept = this.kept;
    const zone = c.timezone;
    if (kept === undefined || !this.plainBudget || c.budget !== undefined || c.currencyRates !== undefined) return undefined;
    if (zone !== undefined && zone !== 'UTC' && zone !== this.lastZone) return undefined;
    this.kept = undefined;
    return kept.enter(c.record, c.constants, c.parameters, c.listItem, c.now, zone ?? 'UTC');
  }

  /** The root closure with its budget charge inlined (one call less per evaluation). */
  private run(ctx: RuntimeContext): unknown {
    const root = this.root;
    const budget = ctx.budget;
    budget.use(root.weight, root.span);
    setActiveBudget(budget);
    return root.inner(ctx);
  }

  /**
   * The runtime context of one evaluation: checks the zone, builds the budget and the rates; the
   * formula's kept context when it is free (no allocation), else a fresh one (an evaluation
   * nested in a clock function).
   */
  private take(c: EvaluationContext): RuntimeContext {
    const zone = c.timezone ?? 'UTC';
    if (zone !== 'UTC' && zone !== this.lastZone) {
      if (!isValidZone(zone)) throw unknownZone(zone);
      this.lastZone = zone;
    }
    const budget = c.budget === undefined && this.budgetDefaults === undefined ? Budget.unlimited() : Budget.of(c.budget, this.budgetDefaults);
    const rates = ratesOf(c.currencyRates);
    const kept = this.kept;
    if (kept === undefined) return new RuntimeContext(c.record ?? EMPTY, c.constants ?? EMPTY, c.parameters ?? EMPTY, c.listItem, c.now, zone, rates, budget, this.nowMemo);
    this.kept = undefined;
    return kept.reset(c.record ?? EMPTY, c.constants ?? EMPTY, c.parameters ?? EMPTY, c.listItem, c.now, zone, rates, budget);
  }

  /** Keeps a context set up by `enter` for the next evaluation, without the data of this one (its budget and rates are the defaults already). */
  private release(ctx: RuntimeContext): void {
    ctx.release();
    this.kept = ctx;
  }

  /** Keeps `ctx` for the next evaluation, without the data of this one. */
  private give(ctx: RuntimeContext): void {
    ctx.clear();
    this.kept = ctx;
  }

  private context(c: EvaluationContext): RuntimeContext {
    const zone = c.timezone ?? 'UTC';
    const validated = zone === 'UTC' || zone === this.lastZone;
    const ctx = createRuntimeContext(c, validated, this.nowMemo, this.budgetDefaults);
    this.lastZone = zone;
    return ctx;
  }

  private toError(e: unknown): EvaluationError {
    const whole = { start: 0, end: this.source.length };
    if (e instanceof FormulaRuntimeError) return { code: e.code, message: e.message, span: this.text.locate(e.span ?? whole) };
    if (e instanceof RangeError) return { code: RuntimeErrorCode.Internal, message: 'Formula is too complex to evaluate', span: this.text.locate(whole) };
    return { code: RuntimeErrorCode.Internal, message: `Internal error: ${e instanceof Error ? e.message : String(e)}`, span: this.text.locate(whole) };
  }
}

/**
 * Builds the runtime context of one evaluation: validates the time zone (unless the caller
 * already has). Throws a FormulaRuntimeError for a bad zone. The `now` is kept as given and read
 * on the first clock call of the evaluation (a bad `now` text is an error there, located at the
 * call; a formula that does not read the clock ignores it, as it ignores a field it does not read).
 * @internal
 */
export function createRuntimeContext(c: EvaluationContext, zoneValidated = false, memo?: NowMemo, budgetDefaults?: BudgetOptions, budget?: Budget): RuntimeContext {
  const zone = c.timezone ?? 'UTC';
  if (!zoneValidated && zone !== 'UTC' && !isValidZone(zone)) {
    throw unknownZone(zone);
  }
  const budgetOf = budget ?? (c.budget === undefined && budgetDefaults === undefined ? Budget.unlimited() : Budget.of(c.budget, budgetDefaults));
  return new RuntimeContext(c.record ?? EMPTY, c.constants ?? EMPTY, c.parameters ?? EMPTY, c.listItem, c.now, zone, ratesOf(c.currencyRates), budgetOf, memo);
}

export { nowMemo, type NowMemo } from './runtime/context.js';

function unknownZone(zone: string): FormulaRuntimeError {
  return new FormulaRuntimeError(RuntimeErrorCode.InvalidInput, `Unknown time zone '${zone}': use an IANA name such as Europe/Paris`);
}

function ratesOf(rates: EvaluationContext['currencyRates']): ReadonlyMap<string, unknown> {
  if (rates === undefined) return NO_RATES;
  return new Map(Object.entries(rates).map(([k, v]) => [k.toUpperCase(), v]));
}

/**
 * The shared default engine: building one (its parser and the built-in registry) takes
 * milliseconds, and it keeps nothing callers can see between compilations. Private to the
 * package: nobody can register functions on it.
 */
let defaultEngine: FormulaEngine | undefined;

/** @internal */
export function defaultFormulaEngine(): FormulaEngine {
  return (defaultEngine ??= new FormulaEngine());
}

/**
 * Compiles a formula with the built-in functions. A convenience over
 * `new FormulaEngine().compile(source, options)`; the shared default engine holds no state
 * that callers can see.
 */
export function compileFormula(source: string, options: CompileOptions = {}): CompiledFormula {
  return defaultFormulaEngine().compile(source, options);
}
