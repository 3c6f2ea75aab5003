/**
 * The public shapes of compiling and evaluating a formula: options, contexts, results and the
 * compiled formula's interface (src/formula/formula.ts implements them; both are re-exported
 * from the package).
 */
import type { ParseLimits } from './parser/parse.js';
import type { Closure, FunctionRegistry } from './registry/registry.js';
import type { Budget, BudgetOptions } from './runtime/budget.js';
import type { ListItemContext, RuntimeContext } from './runtime/context.js';
import type { RuntimeValue, WireValue } from './runtime/values.js';
import type { Diagnostic } from './diagnostics.js';
import type { Location } from './source.js';
import type { RecordType, ScalarTypeName } from './types.js';

/** A record-shaped type description: field → type spec, or an already built record type. */
export type FieldsSpec = Readonly<Record<string, unknown>> | RecordType;

/** Options for compiling one formula. */
export interface CompileOptions extends ParseLimits {
  /** Field name → type for bare names; nested objects describe relationships (`{"Account": {"Name": "Text"}}`). */
  readonly fields?: FieldsSpec;
  /** Declared constants, for `$Constants.X`. */
  readonly constants?: FieldsSpec;
  /** Declared parameters, for `$Parameters.P` and `$Parameters.P.Field`. */
  readonly parameters?: FieldsSpec;
  /** Inside a list template: the type of `$ListItem.Value`. */
  readonly listItem?: { readonly value: unknown };
  /** The declared result type. A result of another type is a compile error (E_RETURN_TYPE). */
  readonly returnType?: string;
  /** `blank` (default): blank fields stay blank. `zero`: blank number fields read as 0, blank text as "". */
  readonly blankAs?: 'blank' | 'zero';
  /** Decimal places of a Number, Currency or Percent result (rounded half away from zero). */
  readonly scale?: number;
  /** The default limits of each evaluation (text length, operations, time); an evaluation context's `budget` overrides them. */
  readonly budget?: BudgetOptions;
}

/** What an evaluation reads. Every part is optional. */
export interface EvaluationContext {
  /** Field values for bare names, in the wire encoding (or JS values: Decimal, Date, luxon DateTime). */
  readonly record?: Readonly<Record<string, unknown>>;
  readonly constants?: Readonly<Record<string, unknown>>;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly listItem?: ListItemContext;
  /** The current instant for TODAY(), NOW() and TIMENOW(): an ISO string, a Date, epoch ms, or a clock function. Default: the system clock. */
  readonly now?: string | Date | number | (() => Date | number);
  /** IANA time zone for TODAY(). Default `UTC`. TIMENOW() and DATEVALUE(date/time) are always GMT, as in Salesforce. */
  readonly timezone?: string;
  /** ISO currency code → conversion rate to the corporate currency, for CURRENCYRATE(). */
  readonly currencyRates?: Readonly<Record<string, number | string>>;
  /**
   * Limits on this evaluation: options (a fresh budget per evaluation), or a `Budget` object
   * shared by every evaluation of one request so that they are bounded as a whole.
   */
  readonly budget?: Budget | BudgetOptions;
}

/** A runtime error, located in the formula. */
export interface EvaluationError {
  readonly code: string;
  readonly message: string;
  readonly span: Location;
}

export type EvaluationResult =
  | { readonly ok: true; readonly type: ScalarTypeName; readonly value: RuntimeValue }
  | { readonly ok: false; readonly error: EvaluationError };

/** The wire form of a result: `{type, value}` or `{error}`. */
export type WireResult = WireValue | { readonly error: EvaluationError };

/** A compiled formula: immutable, reusable, and safe to evaluate concurrently. */
export interface CompiledFormula {
  readonly source: string;
  /** True when there are no error diagnostics (warnings may remain). */
  readonly ok: boolean;
  /** The result type, or null when the formula does not compile. */
  readonly returnType: ScalarTypeName | null;
  /** Every field path read, as written: `Account.Name`, `$Constants.Title`. */
  readonly dependencies: readonly string[];
  /** Every error and warning, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  evaluate(context?: EvaluationContext): EvaluationResult;
  /** Evaluates and encodes the result for JSON, following the wire contract. */
  evaluateToWire(context?: EvaluationContext): WireResult;
}

/**
 * Internal access for the template engine and renderer: the closure and result type of a
 * compiled formula, so many merge fields can share one runtime context. Not part of the API.
 * @internal
 */
export const INTERNALS: unique symbol = Symbol('parlance.formula.internals');

/** @internal */
export interface FormulaInternals {
  readonly closure: Closure;
  readonly returnType: ScalarTypeName;
  readonly scale: number | undefined;
  /** Builds the runtime context for an evaluation context (validates zone and clock). */
  context(c: EvaluationContext): RuntimeContext;
  /** Turns anything thrown by the closure into a located error. */
  toError(e: unknown): EvaluationError;
  /** The body of the formula's generated evaluation function, once made (tests read it). */
  generatedSource(): string | undefined;
}

/** @internal */
export function internalsOf(f: CompiledFormula): FormulaInternals | undefined {
  return (f as { [INTERNALS]?: FormulaInternals })[INTERNALS];
}

/** Options for an engine instance. */
export interface EngineOptions {
  /** The functions available; defaults to every built-in. */
  readonly registry?: FunctionRegistry;
  /**
   * How evaluation code is made (docs/architecture.md, "How a formula is compiled"): `tiered`
   * (default) generates one JavaScript function per formula after its first evaluations, where
   * `new Function` is allowed; `always` generates it at compile time; `off` keeps the closures.
   * All three give the same results.
   */
  readonly codegen?: 'tiered' | 'always' | 'off';
}

