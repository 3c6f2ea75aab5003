import { Budget } from './budget.js';
import { FormulaRuntimeError, RuntimeErrorCode } from './errors.js';
import { dateInZone, parseDateTime } from './temporal.js';

/** The current list item inside a list template. */
export interface ListItemContext {
  /** 1-based position. */
  readonly index: number;
  readonly value: unknown;
  readonly isFirst: boolean;
  readonly isLast: boolean;
}

/** The data of an evaluation given none (shared, frozen). @internal */
export const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
const UNLIMITED = Budget.unlimited();

/** The currency rates of an evaluation given none (shared, never changed). @internal */
export const NO_RATES: ReadonlyMap<string, unknown> = new Map();

/** The `now` of an evaluation as its caller gave it: an ISO text, a Date, epoch ms, a clock function, or none (the system clock). */
export type NowInput = string | Date | number | (() => Date | number) | undefined;

/**
 * The last `now` text parsed and its instant (parsing is pure, so the result can be reused):
 * callers pass one `now` to many evaluations.
 * @internal
 */
export interface NowMemo {
  text: string | undefined;
  ms: number;
}

/** A fresh memo for a context's `now`. @internal */
export function nowMemo(): NowMemo {
  return { text: undefined, ms: 0 };
}

/**
 * Everything an evaluation reads, resolved once per `evaluate` call. A compiled formula reuses
 * one (see `reset`): its fields are read-only to everything else.
 */
export class RuntimeContext {
  private nowCache: number | undefined = undefined;

  constructor(
    public record: Readonly<Record<string, unknown>>,
    public constants: Readonly<Record<string, unknown>>,
    public parameters: Readonly<Record<string, unknown>>,
    public listItem: ListItemContext | undefined,
    /**
     * The caller's `now`, read lazily (on the first NOW()/TODAY()/TIMENOW()), or the context
     * this one derives from (same clock reading).
     */
    private now: NowInput | RuntimeContext,
    public zone: string,
    public currencyRates: ReadonlyMap<string, unknown>,
    /** The cost budget this evaluation charges (shared with the rest of its request). */
    public budget: Budget,
    /** Where a `now` text parsed last is kept (the formula's or template's own). */
    private readonly memo?: NowMemo,
  ) {}

  /**
   * The same object for another evaluation (a compiled formula keeps one: evaluation is
   * synchronous, and a nested evaluation of the same formula gets a fresh one).
   * @internal
   */
  reset(
    record: Readonly<Record<string, unknown>>,
    constants: Readonly<Record<string, unknown>>,
    parameters: Readonly<Record<string, unknown>>,
    listItem: ListItemContext | undefined,
    now: NowInput,
    zone: string,
    currencyRates: ReadonlyMap<string, unknown>,
    budget: Budget,
  ): this {
    this.record = record;
    this.constants = constants;
    this.parameters = parameters;
    this.listItem = listItem;
    this.now = now;
    this.zone = zone;
    this.currencyRates = currencyRates;
    this.budget = budget;
    this.nowCache = undefined;
    return this;
  }

  /**
   * Sets up a cleared context (see `clear`) for an evaluation with the default budget and no
   * currency rates: only what the caller gives is written (the rest already holds its default).
   * @internal
   */
  enter(
    record: Readonly<Record<string, unknown>> | undefined,
    constants: Readonly<Record<string, unknown>> | undefined,
    parameters: Readonly<Record<string, unknown>> | undefined,
    listItem: ListItemContext | undefined,
    now: NowInput,
    zone: string,
  ): this {
    // `!= null`: a null record reads as none, as `record ?? EMPTY` does.
    if (record != null) this.record = record;
    if (constants != null) this.constants = constants;
    if (parameters != null) this.parameters = parameters;
    if (listItem !== undefined) this.listItem = listItem;
    if (now !== undefined) this.now = now;
    if (this.zone !== zone) this.zone = zone;
    return this;
  }

  /**
   * Drops the references to an evaluation's data (a kept context must not hold a record, a
   * request's budget or its rates alive) and puts every field `enter` does not write back to its
   * default. Writes only what changed: a store costs more than a comparison here.
   * @internal
   */
  clear(): void {
    this.release();
    if (this.budget !== UNLIMITED) this.budget = UNLIMITED;
    if (this.currencyRates !== NO_RATES) this.currencyRates = NO_RATES;
  }

  /** `clear` for a context set up by `enter` (its budget and rates are the defaults already). @internal */
  release(): void {
    if (this.record !== EMPTY) this.record = EMPTY;
    if (this.constants !== EMPTY) this.constants = EMPTY;
    if (this.parameters !== EMPTY) this.parameters = EMPTY;
    if (this.listItem !== undefined) this.listItem = undefined;
    if (this.now !== undefined) this.now = undefined;
    if (this.nowCache !== undefined) this.nowCache = undefined;
  }

  /** The same evaluation (same clock reading, zone and data) positioned on a list item. */
  withListItem(listItem: ListItemContext): RuntimeContext {
    return new RuntimeContext(this.record, this.constants, this.parameters, listItem, this, this.zone, this.currencyRates, this.budget);
  }

  /** The same evaluation (same clock reading, zone and data) reading bare field names from `record`. */
  withRecord(record: Readonly<Record<string, unknown>>): RuntimeContext {
    return new RuntimeContext(record, this.constants, this.parameters, this.listItem, this, this.zone, this.currencyRates, this.budget);
  }

  /**
   * The current instant, read once per evaluation so every NOW() in a formula agrees. A `now`
   * text is parsed here, on the first read: a bad one is an E_INVALID_INPUT error located (by
   * the caller's closure) at the clock call, and a formula that never reads the clock ignores it.
   */
  nowMs(): number {
    return (this.nowCache ??= this.readNow());
  }

  /** Today's date in the evaluation's time zone. */
  today(): number {
    return dateInZone(this.nowMs(), this.zone);
  }

  private readNow(): number {
    const now = this.now;
    if (typeof now === 'string') return instantOf(now, this.memo);
    if (typeof now === 'number') return now;
    if (now instanceof Date) {
      const ms = now.getTime();
      // An invalid Date takes `instantOf`, which reports it.
      return Number.isNaN(ms) ? instantOf(now) : ms;
    }
    if (now === undefined) return Date.now();
    if (now instanceof RuntimeContext) return now.nowMs();
    if (typeof now === 'function') {
      const v = now();
      return typeof v === 'number' ? v : v.getTime();
    }
    return instantOf(now, this.memo);
  }
}

/** A given instant (an ISO text or a Date) in epoch ms; a bad one is an E_INVALID_INPUT error. */
export function instantOf(now: string | Date, memo?: NowMemo): number {
  if (memo !== undefined && now === memo.text) return memo.ms;
  const ms = parseDateTime(now);
  if (ms === undefined) throw new FormulaRuntimeError(RuntimeErrorCode.InvalidInput, `Invalid 'now': expected an ISO 8601 date-time with an offset, received ${JSON.stringify(String(now))}`);
  if (memo !== undefined && typeof now === 'string') {
    memo.text = now;
    memo.ms = ms;
  }
  return ms;
}
