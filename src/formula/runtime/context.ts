import type { Budget } from './budget.js';
import { dateInZone } from './temporal.js';

/** The current list item inside a list template. */
export interface ListItemContext {
  /** 1-based position. */
  readonly index: number;
  readonly value: unknown;
  readonly isFirst: boolean;
  readonly isLast: boolean;
}

/** Everything an evaluation reads, resolved once per `evaluate` call. */
export class RuntimeContext {
  private nowCache: number | undefined;

  constructor(
    readonly record: Readonly<Record<string, unknown>>,
    readonly constants: Readonly<Record<string, unknown>>,
    readonly parameters: Readonly<Record<string, unknown>>,
    readonly listItem: ListItemContext | undefined,
    private readonly clock: () => number,
    readonly zone: string,
    readonly currencyRates: ReadonlyMap<string, unknown>,
    /** The cost budget this evaluation charges (shared with the rest of its request). */
    readonly budget: Budget,
    /** The current instant when the caller gave one (then `clock` is not read). */
    now?: number,
  ) {
    this.nowCache = now;
  }

  /** The same evaluation (same clock reading, zone and data) positioned on a list item. */
  withListItem(listItem: ListItemContext): RuntimeContext {
    return new RuntimeContext(this.record, this.constants, this.parameters, listItem, () => this.nowMs(), this.zone, this.currencyRates, this.budget);
  }

  /** The same evaluation (same clock reading, zone and data) reading bare field names from `record`. */
  withRecord(record: Readonly<Record<string, unknown>>): RuntimeContext {
    return new RuntimeContext(record, this.constants, this.parameters, this.listItem, () => this.nowMs(), this.zone, this.currencyRates, this.budget);
  }

  /** The current instant, read once per evaluation so every NOW() in a formula agrees. */
  nowMs(): number {
    return (this.nowCache ??= this.clock());
  }

  /** Today's date in the evaluation's time zone. */
  today(): number {
    return dateInZone(this.nowMs(), this.zone);
  }
}
