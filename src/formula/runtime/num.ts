import { Decimal } from 'decimal.js';
import { fail, RuntimeErrorCode } from './errors.js';

/**
 * The decimal type used for every fractional number: 39 significant digits (formula-engine
 * BigDecimalHelper.MC_PRECISION_INTERNAL, Oracle NUMBER's precision), half-up rounding
 * (away from zero, as Salesforce rounds), plain notation. A clone, so the global Decimal is
 * never touched.
 */
export const Dec = Decimal.clone({ precision: 39, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -1000, toExpPos: 1000, maxE: 1000, minE: -1000 });
export type Dec = Decimal;

/**
 * A short exact decimal, `m × 10^-s`: a safe-integer mantissa `m` and a scale `s` (1 to 22),
 * normalized so `m` has no trailing zero. Most amounts in messages (prices, percentages,
 * coordinates) fit, and integer arithmetic on them is much faster than decimal.js. Every
 * operation checks that it stays within safe integers and falls back to decimal.js otherwise.
 */
export class Fixed {
  constructor(
    readonly m: number,
    readonly s: number,
  ) {}

  toString(): string {
    return formatNum(this);
  }
}

/**
 * A formula number: an exact decimal, in one of three representations chosen for speed:
 * a safe integer as a JS number, a short decimal as a `Fixed`, anything else as a decimal.js
 * `Dec` (39 significant digits). Every operation on the first two is checked to stay exact, so
 * there are no binary floating-point fractions anywhere. Use `dec()` to get a Decimal.
 */
export type Num = number | Fixed | Decimal;

const MAX = Number.MAX_SAFE_INTEGER;
/** Powers of ten that doubles hold exactly. */
const P10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_SCALE = 22;

const isSmall = (n: Num): n is number | Fixed => typeof n === 'number' || n instanceof Fixed;
const mantissa = (n: number | Fixed): number => (typeof n === 'number' ? n : n.m);
const scaleOf = (n: number | Fixed): number => (typeof n === 'number' ? 0 : n.s);

/** A normalized small decimal: trailing zeros removed, a whole value as a JS number. */
function fixed(m: number, s: number): Num {
  if (m === 0) return 0;
  while (s > 0 && m % 10 === 0) {
    m /= 10;
    s--;
  }
  return s === 0 ? m : new Fixed(m, s);
}

export function dec(n: Num): Decimal {
  if (typeof n === 'number') return new Dec(n);
  if (n instanceof Fixed) return new Dec(`${n.m}e-${n.s}`);
  return n;
}

/** Whether a value is a formula number (any representation). */
export function isNum(v: unknown): v is Num {
  return typeof v === 'number' || v instanceof Fixed || Decimal.isDecimal(v);
}

/** Both operands brought to one scale, or undefined if that leaves the safe range. */
function aligned(a: number | Fixed, b: number | Fixed): [number, number, number] | undefined {
  const sa = scaleOf(a);
  const sb = scaleOf(b);
  const s = sa > sb ? sa : sb;
  const ma = mantissa(a) * P10[s - sa]!;
  const mb = mantissa(b) * P10[s - sb]!;
  if (ma > MAX || ma < -MAX || mb > MAX || mb < -MAX) return undefined;
  return [ma, mb, s];
}

function finite(d: Decimal): Decimal {
  if (!d.isFinite()) fail(RuntimeErrorCode.NumberOutOfRange, 'Number is out of range');
  return d;
}

export function add(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  } else if (isSmall(a) && isSmall(b)) {
    const x = aligned(a, b);
    if (x !== undefined) {
      const r = x[0] + x[1];
      if (r <= MAX && r >= -MAX) return fixed(r, x[2]);
    }
  }
  return finite(dec(a).plus(dec(b)));
}

export function sub(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  } else if (isSmall(a) && isSmall(b)) {
    const x = aligned(a, b);
    if (x !== undefined) {
      const r = x[0] - x[1];
      if (r <= MAX && r >= -MAX) return fixed(r, x[2]);
    }
  }
  return finite(dec(a).minus(dec(b)));
}

export function mul(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX && r >= -MAX) return r === 0 ? 0 : r;
  } else if (isSmall(a) && isSmall(b)) {
    // The product of two integers is exact in a double when it is within the safe range.
    const r = mantissa(a) * mantissa(b);
    const s = scaleOf(a) + scaleOf(b);
    if (r <= MAX && r >= -MAX && s <= MAX_SCALE) return fixed(r, s);
  }
  return finite(dec(a).times(dec(b)));
}

export function div(a: Num, b: Num): Num {
  if (isZero(b)) fail(RuntimeErrorCode.DivisionByZero, 'Division by zero');
  if (typeof a === 'number' && typeof b === 'number' && a % b === 0) {
    const r = a / b;
    return r === 0 ? 0 : r;
  }
  if (isSmall(a) && isSmall(b)) {
    const exact = exactQuotient(a, b);
    if (exact !== undefined) return exact;
  }
  return finite(dec(a).div(dec(b)));
}

/**
 * a / b when it is a short exact decimal (10 / 4 = 2.5): the smallest k for which a·10^k is a
 * multiple of b, found with exact integer arithmetic. Undefined for quotients like 1 / 3.
 */
function exactQuotient(a: number | Fixed, b: number | Fixed): Num | undefined {
  const x = aligned(a, b);
  if (x === undefined) return undefined;
  const [ma, mb] = x;
  for (let k = 0; k <= 15; k++) {
    const scaled = ma * P10[k]!;
    if (scaled > MAX || scaled < -MAX) return undefined;
    if (scaled % mb === 0) return fixed(scaled / mb, k);
  }
  return undefined;
}

/** n × 10^k, exactly (k may be negative): moves the decimal point. */
export function shift(n: Num, k: number): Num {
  if (isSmall(n)) {
    const s = scaleOf(n) - k;
    if (s >= 0 && s <= MAX_SCALE) return fixed(mantissa(n), s);
    if (s < 0 && -s < P10.length) {
      const m = mantissa(n) * P10[-s]!;
      if (m <= MAX && m >= -MAX) return m;
    }
  }
  return finite(dec(n).times(new Dec(10).pow(k)));
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
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return a instanceof Fixed ? new Fixed(-a.m, a.s) : a.neg();
}

export function cmp(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (isSmall(a) && isSmall(b)) {
    const x = aligned(a, b);
    if (x !== undefined) return x[0] < x[1] ? -1 : x[0] > x[1] ? 1 : 0;
  }
  return dec(a).cmp(dec(b));
}

/** A Fixed is never zero (zero is normalized to the JS number 0). */
export function isZero(n: Num): boolean {
  return typeof n === 'number' ? n === 0 : n instanceof Fixed ? false : n.isZero();
}

export function isNegative(n: Num): boolean {
  return typeof n === 'number' ? n < 0 : n instanceof Fixed ? n.m < 0 : n.isNegative();
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
    if (!Number.isFinite(v)) return undefined;
    // A JSON number stands for its shortest decimal text (21.5 is "21.5"), as decimal.js reads it.
    return shortDecimal(String(v)) ?? new Dec(v);
  }
  if (typeof v === 'string') {
    const s = v.trim();
    const short = shortDecimal(s);
    if (short !== undefined) return short;
    if (!DECIMAL_TEXT.test(s)) return undefined;
    const d = new Dec(s);
    return d.isFinite() ? compact(d) : undefined;
  }
  if (v instanceof Fixed) return v;
  if (Decimal.isDecimal(v)) return (v as Decimal).isFinite() ? compact(new Dec(v as Decimal)) : undefined;
  return undefined;
}

const SHORT_DECIMAL = /^([+-]?)(\d{0,15})(?:\.(\d{0,15}))?$/;

/** Plain decimal text with at most 15 digits each side and 15 in all, as an exact small number. */
function shortDecimal(text: string): Num | undefined {
  const m = SHORT_DECIMAL.exec(text);
  if (m === null) return undefined;
  const int = m[2] as string;
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  if (int.length + frac.length > 15) return undefined;
  const mant = Number(int + frac);
  return fixed(m[1] === '-' ? -mant : mant, frac.length);
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
  else if (n instanceof Fixed) return formatFixed(n, scale);
  else if (scale !== undefined) s = n.toFixed(scale, Decimal.ROUND_HALF_UP);
  else s = (n.decimalPlaces() <= DEFAULT_OUTPUT_PLACES ? n : n.toDecimalPlaces(DEFAULT_OUTPUT_PLACES, Decimal.ROUND_HALF_UP)).toFixed();
  return s.startsWith('-') && /^-0(?:\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** `m / 10^k` rounded half away from zero to an integer, exactly (m and the result are safe integers). */
function roundMantissa(m: number, k: number): number {
  const p = P10[k]!;
  let q = Math.trunc(m / p);
  let r = m - q * p;
  // The floating-point quotient may be off by one; the remainder, computed exactly, says so.
  while (r >= p) {
    q++;
    r -= p;
  }
  while (r <= -p) {
    q--;
    r += p;
  }
  if (m > 0 && r < 0) {
    q--;
    r += p;
  } else if (m < 0 && r > 0) {
    q++;
    r -= p;
  }
  if (2 * Math.abs(r) >= p) q += m < 0 ? -1 : 1;
  return q;
}

/** Every digit of a number, plain notation, no trailing zeros (TEXT() of a number). */
export function exactText(n: Num): string {
  if (typeof n === 'number') return String(n);
  if (n instanceof Fixed) return formatFixed(n, undefined, MAX_SCALE);
  return n.toFixed();
}

function formatFixed(n: Fixed, scale: number | undefined, maxPlaces = DEFAULT_OUTPUT_PLACES): string {
  let m = n.m;
  let s = n.s;
  const places = scale ?? maxPlaces;
  if (places < s) {
    m = roundMantissa(m, s - places);
    s = places;
  }
  const negative = m < 0;
  let digits = String(negative ? -m : m);
  let int = digits;
  let frac = '';
  if (s > 0) {
    digits = digits.padStart(s + 1, '0');
    int = digits.slice(0, digits.length - s);
    frac = digits.slice(digits.length - s);
  }
  if (scale === undefined) frac = frac.replace(/0+$/, '');
  else frac = frac.padEnd(scale, '0');
  const text = frac === '' ? int : `${int}.${frac}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Rounds half away from zero to `places` decimal places; negative places round left of the point. */
export function roundTo(n: Num, places: number): Num {
  if (typeof n === 'number' && places >= 0) return n;
  if (n instanceof Fixed && places >= 0) return places >= n.s ? n : fixed(roundMantissa(n.m, n.s - places), places);
  const d = dec(n);
  // Already within `places` decimal places (decimalPlaces() is cheap): nothing to round.
  if (places >= 0) return compact(d.decimalPlaces() <= places ? d : d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
  const unit = new Dec(10).pow(-places);
  return compact(d.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(unit));
}
