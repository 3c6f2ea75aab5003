import { Decimal } from 'decimal.js';
import { fail, RuntimeErrorCode } from './errors.js';

/**
 * The decimal type used for every fractional number: 34 significant digits, half-up rounding
 * (away from zero, as Salesforce rounds), plain notation. A clone, so the global Decimal is
 * never touched.
 */
export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -1000, toExpPos: 1000, maxE: 1000, minE: -1000 });
export type Dec = Decimal;

/**
 * A formula number: an exact decimal. Safe integers are kept as JS numbers (every operation on
 * them is checked to stay exact); every other value is a decimal.js `Dec`. There are no binary
 * floating-point fractions anywhere.
 */
export type Num = number | Decimal;

const MAX = Number.MAX_SAFE_INTEGER;

export function dec(n: Num): Decimal {
  return typeof n === 'number' ? new Dec(n) : n;
}

function finite(d: Decimal): Decimal {
  if (!d.isFinite()) fail(RuntimeErrorCode.NumberOutOfRange, 'Number is out of range');
  return d;
}

export function add(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return finite(dec(a).plus(b));
}

export function sub(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return finite(dec(a).minus(b));
}

export function mul(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX && r >= -MAX) return r === 0 ? 0 : r;
  }
  return finite(dec(a).times(b));
}

export function div(a: Num, b: Num): Num {
  if (isZero(b)) fail(RuntimeErrorCode.DivisionByZero, 'Division by zero');
  if (typeof a === 'number' && typeof b === 'number' && a % b === 0) {
    const r = a / b;
    return r === 0 ? 0 : r;
  }
  return finite(dec(a).div(b));
}

export function pow(a: Num, b: Num): Num {
  const base = dec(a);
  const exp = dec(b);
  if (base.isZero() && exp.isNegative()) fail(RuntimeErrorCode.DivisionByZero, 'Division by zero: 0 raised to a negative power');
  if (base.isNegative() && !exp.isInteger()) fail(RuntimeErrorCode.InvalidArgument, 'A negative number cannot be raised to a fractional power');
  if (exp.abs().gt(1e6)) fail(RuntimeErrorCode.NumberOutOfRange, 'Exponent is out of range');
  return finite(base.pow(exp));
}

export function neg(a: Num): Num {
  return typeof a === 'number' ? (a === 0 ? 0 : -a) : a.neg();
}

export function cmp(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return dec(a).cmp(b);
}

export function isZero(n: Num): boolean {
  return typeof n === 'number' ? n === 0 : n.isZero();
}

const MAX_DEC = new Dec(MAX);

/** Keeps a result compact: an integral decimal in the safe range becomes a JS number. */
export function compact(d: Decimal): Num {
  // `d.e` is the decimal exponent: below 15 the value is under 1e15, inside the safe range.
  return d.isInteger() && (d.e < 15 || d.abs().lte(MAX_DEC)) ? d.toNumber() : d;
}

const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses an input number: a JSON number, a decimal string or a Decimal. Returns `undefined`
 * when the input is not a number, so the caller can say where the problem is.
 */
export function toNum(v: unknown): Num | undefined {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    return Number.isFinite(v) ? new Dec(v) : undefined;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (!DECIMAL_TEXT.test(s)) return undefined;
    const d = new Dec(s);
    return d.isFinite() ? compact(d) : undefined;
  }
  if (Decimal.isDecimal(v)) return (v as Decimal).isFinite() ? compact(new Dec(v as Decimal)) : undefined;
  return undefined;
}

/** Maximum decimal places in output when no scale is given (Salesforce's largest scale). */
export const DEFAULT_OUTPUT_PLACES = 18;

/**
 * Canonical decimal text: no exponent. With a scale, exactly that many places (half-up);
 * without, at most 18 places and no trailing zeros.
 */
export function formatNum(n: Num, scale?: number): string {
  let s: string;
  if (typeof n === 'number') s = scale !== undefined && scale > 0 ? n.toFixed(scale) : String(n);
  else if (scale !== undefined) s = n.toFixed(scale, Decimal.ROUND_HALF_UP);
  else s = (n.decimalPlaces() <= DEFAULT_OUTPUT_PLACES ? n : n.toDecimalPlaces(DEFAULT_OUTPUT_PLACES, Decimal.ROUND_HALF_UP)).toFixed();
  return s.startsWith('-') && /^-0(?:\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Rounds half away from zero to `places` decimal places; negative places round left of the point. */
export function roundTo(n: Num, places: number): Num {
  if (typeof n === 'number' && places >= 0) return n;
  const d = dec(n);
  // Already within `places` decimal places (decimalPlaces() is cheap): nothing to round.
  if (places >= 0) return compact(d.decimalPlaces() <= places ? d : d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
  const unit = new Dec(10).pow(-places);
  return compact(d.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(unit));
}
