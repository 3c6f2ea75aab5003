import type { Span } from '../source.js';
import { FormulaRuntimeError, RuntimeErrorCode } from './errors.js';

/** Limits on one evaluation, one template rendering or one whole request (see docs/formula-language.md, "Limits"). */
export interface BudgetOptions {
  /** Longest text value a formula may build, in characters. Default 131,072 (a Salesforce Long Text Area). */
  readonly maxTextLength?: number;
  /**
   * Most work units: one per formula node of each evaluation, one per list template entry, one
   * per 64 characters of text built or scanned. Default 20,000,000.
   */
  readonly maxOperations?: number;
  /** Wall-clock time allowed, in milliseconds, measured from the budget's creation. Default: none. */
  readonly timeoutMs?: number;
  /** The clock the time limit reads, in milliseconds (any origin). Default `performance.now`. */
  readonly clock?: () => number;
}

/** The longest Salesforce text field (Long Text Area), in characters: the default text cap. */
export const DEFAULT_MAX_TEXT_LENGTH = 131_072;
export const DEFAULT_MAX_OPERATIONS = 20_000_000;
/** Characters of text per work unit. */
const TEXT_UNIT_SHIFT = 6;
/** Work units between two readings of the clock. */
const CLOCK_INTERVAL = 2048;

const systemClock = (): number => performance.now();
const BRAND: unique symbol = Symbol('parlance.budget');

/** A brand check rather than `instanceof`, which measured far slower here on the render path (bench/README.md). */
function isBudget(v: unknown): v is Budget {
  return v !== undefined && (v as { [BRAND]?: true })[BRAND] === true;
}

/**
 * The cost model of evaluation, in the style of liquidjs's `Limiter`: one object per request,
 * shared by every formula, template and list entry it evaluates. The evaluator charges it as it
 * goes; past a limit it throws a located runtime error (E_TEXT_TOO_LONG, E_BUDGET_EXCEEDED) that
 * the `evaluate`/`render` boundaries turn into results. Once exceeded it stays exceeded.
 */
export class Budget {
  readonly [BRAND] = true as const;
  readonly maxTextLength: number;
  readonly maxOperations: number;
  readonly timeoutMs: number | undefined;
  private readonly clock: () => number;
  private readonly deadline: number;
  /** Work units used so far. */
  private used = 0;
  /** The count at which the limits are checked next (a single comparison on the fast path). */
  private nextCheck: number;
  private exceededMessage: string | undefined;

  constructor(options: BudgetOptions = {}) {
    this.maxTextLength = options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
    this.maxOperations = options.maxOperations ?? DEFAULT_MAX_OPERATIONS;
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock ?? systemClock;
    this.deadline = options.timeoutMs === undefined ? Infinity : this.clock() + options.timeoutMs;
    this.nextCheck = Math.min(this.maxOperations + 1, this.deadline === Infinity ? Infinity : CLOCK_INTERVAL);
  }

  /** A budget for `given`: the same object when it already is one, else a fresh one with those options. */
  static of(given: Budget | BudgetOptions | undefined, defaults?: BudgetOptions): Budget {
    if (isBudget(given)) return given;
    if (given === undefined) return new Budget(defaults);
    return new Budget(defaults === undefined ? given : { ...defaults, ...given });
  }

  /**
   * The budget of a single evaluation given none: the default text cap, and no operations or
   * time limit (one evaluation's work is bounded by its formula's size times the text cap). One
   * shared object, so plain evaluations allocate nothing for it. Renders always get a budget of
   * their own.
   * @internal
   */
  static unlimited(): Budget {
    return UNLIMITED;
  }

  /**
   * Starts this budget over (no work used), for a caller that reuses one object for many
   * sequential renders. Only for budgets without a time limit (the deadline is fixed at creation).
   * @internal
   */
  restart(): this {
    if (this.timeoutMs !== undefined) throw new Error('A budget with a time limit cannot be restarted');
    this.used = 0;
    this.exceededMessage = undefined;
    this.nextCheck = this.maxOperations + 1;
    return this;
  }

  /** Work units used so far. */
  get operations(): number {
    return this.used;
  }

  /** Charges `units` of work; throws E_BUDGET_EXCEEDED (located at `span`, if given) past a limit. */
  use(units: number, span?: Span): void {
    if ((this.used += units) >= this.nextCheck) this.check(span);
  }

  /**
   * Charges building (or scanning) a text of `length` characters, before it is built: throws
   * E_TEXT_TOO_LONG when it would be longer than the cap.
   */
  text(length: number, span?: Span): void {
    if (length > this.maxTextLength) {
      throw new FormulaRuntimeError(RuntimeErrorCode.TextTooLong, `Text result is too long (${length} characters). Maximum is ${this.maxTextLength}`, span);
    }
    this.use(1 + (length >>> TEXT_UNIT_SHIFT), span);
  }

  /** Whether a limit is already exceeded (reads the clock). */
  exhausted(): boolean {
    if (this.exceededMessage === undefined) this.detect();
    return this.exceededMessage !== undefined;
  }

  private check(span: Span | undefined): void {
    if (this.exceededMessage === undefined) this.detect();
    if (this.exceededMessage !== undefined) throw new FormulaRuntimeError(RuntimeErrorCode.BudgetExceeded, this.exceededMessage, span);
    this.nextCheck = Math.min(this.maxOperations + 1, this.deadline === Infinity ? Infinity : this.used + CLOCK_INTERVAL);
  }

  private detect(): void {
    if (this.used > this.maxOperations) {
      this.exceededMessage = `Evaluation used more than its budget of ${this.maxOperations.toLocaleString('en-US')} operations`;
    } else if (this.deadline !== Infinity && this.clock() >= this.deadline) {
      this.exceededMessage = `Evaluation took longer than its budget of ${this.timeoutMs} ms`;
    }
    // Every later charge takes the slow path and fails the same way.
    if (this.exceededMessage !== undefined) this.nextCheck = -Infinity;
  }
}

const UNLIMITED = new Budget({ maxOperations: Infinity });

/** The budget of the evaluation running now (evaluation is synchronous: one at a time). */
let active: Budget = UNLIMITED;

/** The budget builtins charge: the one of the evaluation running now. */
export function activeBudget(): Budget {
  return active;
}

/** Makes `budget` the one builtins charge (each formula run sets its own on entry). */
export function setActiveBudget(budget: Budget): void {
  active = budget;
}

/** Checks that joining texts into `length` characters stays within the active cap (joining itself costs nothing: strings are ropes). */
export function checkJoin(length: number): void {
  if (length > active.maxTextLength) active.text(length);
}

/** Charges building a text of `length` characters to the active budget (see {@link Budget.text}). */
export function chargeText(length: number): void {
  active.text(length);
}
