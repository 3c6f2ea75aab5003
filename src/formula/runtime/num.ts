import { Decimal } from 'decimal.js';
import { fail, RuntimeErrorCode } from './errors.js';
import { formatWide, mulSmall, plainText, pointed, rounded, smallDiv, Wide, wideDiv, wideMul, wideRound, zeros } from './wide.js';

export { Wide } from './wide.js';

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
 * A formula number: an exact decimal, in one of four representations chosen for speed:
 * a safe integer as a JS number, a short decimal as a `Fixed`, a long quotient (at most 39
 * significant digits) as a `Wide` (BigInt mantissa, src/formula/runtime/wide.ts), anything else
 * as a decimal.js `Dec` (39 significant digits). Every operation on the first three is checked
 * to stay exact or to round exactly as decimal.js does, so there are no binary floating-point
 * fractions anywhere. Use `dec()` to get a Decimal.
 */
export type Num = number | Fixed | Wide | Decimal;

const MAX = Number.MAX_SAFE_INTEGER;
/** Powers of ten that doubles hold exactly. */
export const P10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_SCALE = 22;

const isSmall = (n: Num): n is number | Fixed => typeof n === 'number' || n instanceof Fixed;
const mantissa = (n: number | Fixed): number => (typeof n === 'number' ? n : n.m);
const scaleOf = (n: number | Fixed): number => (typeof n === 'number' ? 0 : n.s);

/** A normalized small decimal: trailing zeros removed, a whole value as a JS number. */
export function fixed(m: number, s: number): Num {
  if (m === 0) return 0;
  // m / 10 is an integer exactly when 10 divides m: otherwise it lies at least 0.1 from an
  // integer, and a safe integer's tenth is rounded by less than 0.07. (No double `%`, which is a
  // library call.)
  while (s > 0) {
    const q = m / 10;
    if (Math.trunc(q) !== q) break;
    m = q;
    s--;
  }
  return s === 0 ? m : new Fixed(m, s);
}

export function dec(n: Num): Decimal {
  if (typeof n === 'number') return new Dec(n);
  if (n instanceof Fixed) return new Dec(`${n.m}e-${n.s}`);
  if (n instanceof Wide) return new Dec(`${n.m}e${-n.s}`);
  return n;
}

/** Whether a value is a formula number (any representation). */
export function isNum(v: unknown): v is Num {
  return typeof v === 'number' || v instanceof Fixed || v instanceof Wide || Decimal.isDecimal(v);
}

/** A non-zero exact operand as a BigInt mantissa and a scale; undefined for a Decimal or zero. */
function bigOf(n: Num): [bigint, number] | undefined {
  if (typeof n === 'number') return n === 0 ? undefined : [BigInt(n), 0];
  if (n instanceof Fixed) return [BigInt(n.m), n.s];
  return n instanceof Wide ? [n.m, n.s] : undefined;
}

/** A `Wide` result in the smallest representation that holds it (a short one is a Fixed or a number). */
function narrow(w: Wide): Num {
  const m = w.m;
  if (m > MAX_BIG || m < -MAX_BIG) return w;
  if (w.s >= 0) return w.s <= MAX_SCALE ? fixed(Number(m), w.s) : w;
  const r = Number(m) * (P10[-w.s] ?? Infinity);
  return r <= MAX && r >= -MAX ? r : w;
}
const MAX_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** A product's Wide, narrowed; decimal.js's product when the Wide could not hold it. */
function narrowed(w: Wide | undefined, a: Num, b: Num): Num {
  return w !== undefined ? narrow(w) : finite(dec(a).times(dec(b)));
}

/** The last `align` result: both mantissas at the common scale `alignedS` (no array per call). */
let alignedA = 0;
let alignedB = 0;
let alignedS = 0;

/**
 * Brings both operands to one scale in `alignedA`, `alignedB` and `alignedS`; false if that leaves
 * the safe range. The results are read right after the call (nothing runs in between).
 */
function align(a: number | Fixed, b: number | Fixed): boolean {
  let ma: number;
  let mb: number;
  let s: number;
  if (typeof a === 'number') {
    ma = a;
    s = 0;
  } else {
    ma = a.m;
    s = a.s;
  }
  if (typeof b === 'number') {
    mb = s > 0 ? b * P10[s]! : b;
  } else {
    mb = b.m;
    if (b.s > s) {
      ma *= P10[b.s - s]!;
      s = b.s;
    } else if (b.s < s) mb *= P10[s - b.s]!;
  }
  if (ma > MAX || ma < -MAX || mb > MAX || mb < -MAX) return false;
  alignedA = ma;
  alignedB = mb;
  alignedS = s;
  return true;
}

/** a + b (a - b when `minus`) of two small decimals; undefined when it leaves the safe range. */
function sumSmall(a: number | Fixed, b: number | Fixed, minus: boolean): Num | undefined {
  if (!align(a, b)) return undefined;
  const r = minus ? alignedA - alignedB : alignedA + alignedB;
  return r <= MAX && r >= -MAX ? fixed(r, alignedS) : undefined;
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
    const r = sumSmall(a, b, false);
    if (r !== undefined) return r;
  }
  return finite(dec(a).plus(dec(b)));
}

export function sub(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  } else if (isSmall(a) && isSmall(b)) {
    const r = sumSmall(a, b, true);
    if (r !== undefined) return r;
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
  if (a instanceof Wide || b instanceof Wide) {
    // A zero operand goes to decimal.js, which keeps the sign of a negative zero.
    if (a instanceof Wide && isSmall(b) && b !== 0) return narrowed(mulSmall(a, mantissa(b), scaleOf(b)), a, b);
    if (b instanceof Wide && isSmall(a) && a !== 0) return narrowed(mulSmall(b, mantissa(a), scaleOf(a)), a, b);
    const x = bigOf(a);
    const y = bigOf(b);
    const w = x !== undefined && y !== undefined ? wideMul(x[0], x[1], y[0], y[1]) : undefined;
    if (w !== undefined) return narrow(w);
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
    if (align(a, b)) {
      const ma = alignedA;
      const mb = alignedB;
      const exact = exactQuotient(ma, mb);
      if (exact !== undefined) return exact;
      // a / b = ma / mb exactly (one scale): 39 digits of the integer quotient.
      const w = smallDiv(ma, mb);
      if (w !== undefined) return narrow(w);
    }
  }
  if (a instanceof Wide || b instanceof Wide) {
    const x = bigOf(a);
    const y = bigOf(b);
    // A zero dividend goes to decimal.js (0 / -x is a negative zero there).
    if (x !== undefined && y !== undefined) {
      const w = wideDiv(x[0], y[0], x[1] - y[1]);
      if (w !== undefined) return narrow(w);
    }
  }
  return finite(dec(a).div(dec(b)));
}

/**
 * ma / mb (two mantissas at one scale) when it is a short exact decimal (10 / 4 = 2.5): the
 * smallest k for which ma·10^k is a multiple of mb, found with exact integer arithmetic. Undefined for quotients like 1 / 3.
 */
function exactQuotient(ma: number, mb: number): Num | undefined {
  // The largest k ≤ 15 with ma·10^k a safe integer. If mb divides ma·10^k it divides every
  // ma·10^j with j > k, so one remainder at the top says whether any k works (a double's `%` is
  // a library call: one instead of sixteen for quotients like 1 / 3).
  const abs = ma < 0 ? -ma : ma;
  let top = 0;
  while (top < 15 && abs * P10[top + 1]! <= MAX) top++;
  if ((ma * P10[top]!) % mb !== 0) return undefined;
  for (let k = 0; k <= top; k++) {
    const scaled = ma * P10[k]!;
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
  } else if (n instanceof Wide) {
    const w = rounded(n.m, n.s - k);
    if (w !== undefined) return narrow(w);
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
  if (a instanceof Wide) return new Wide(-a.m, a.s);
  return a instanceof Fixed ? new Fixed(-a.m, a.s) : a.neg();
}

export function cmp(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (isSmall(a) && isSmall(b)) {
    if (align(a, b)) return alignedA < alignedB ? -1 : alignedA > alignedB ? 1 : 0;
  }
  return dec(a).cmp(dec(b));
}

/** A Fixed or a Wide is never zero (zero is normalized to the JS number 0). */
export function isZero(n: Num): boolean {
  return typeof n === 'number' ? n === 0 : n instanceof Fixed || n instanceof Wide ? false : n.isZero();
}

export function isNegative(n: Num): boolean {
  return typeof n === 'number' ? n < 0 : n instanceof Fixed ? n.m < 0 : n instanceof Wide ? n.m < 0n : n.isNegative();
}

const MAX_DEC = new Dec(MAX);

/** Keeps a result compact: an integral decimal in the safe range becomes a JS number. */
export function compact(d: Decimal): Num {
  // `d.e` is the decimal exponent: below 15 the value is under 1e15, inside the safe range.
  return d.isInteger() && (d.e < 15 || d.abs().lte(MAX_DEC)) ? d.toNumber() : d;
}

/** Maximum decimal places in output when no scale is given (Salesforce's largest scale). */
export const DEFAULT_OUTPUT_PLACES = 18;

/**
 * Canonical decimal text: no exponent. With a scale, exactly that many places (half-up);
 * without, at most 18 places and no trailing zeros.
 */
export function formatNum(n: Num, scale?: number): string {
  let s: string;
  if (typeof n === 'number') {
    // A safe integer's text is plain and exact (no rounding, no exponent); zero has no sign.
    const digits = n === 0 ? '0' : String(n);
    return scale !== undefined && scale > 0 ? `${digits}.${zeros(scale)}` : digits;
  } else if (n instanceof Fixed) return formatFixed(n, scale);
  else if (n instanceof Wide) return formatWide(n, scale, DEFAULT_OUTPUT_PLACES);
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

/** Every digit of a number, plain notation, no trailing zeros. */
export function exactText(n: Num): string {
  if (typeof n === 'number') return String(n);
  if (n instanceof Fixed) return formatFixed(n, undefined, MAX_SCALE);
  if (n instanceof Wide) return plainText(n, '0');
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
  if (scale === undefined) {
    // No trailing zeros (zero itself becomes "0").
    while (s > 0 && m % 10 === 0) {
      m /= 10;
      s--;
    }
  }
  // Negative and still non-zero after rounding: a rounded-away "-0.00" has no sign.
  const negative = m < 0;
  const text = pointed(String(negative ? -m : m), s, scale === undefined ? s : scale, '0');
  return negative ? `-${text}` : text;
}

/**
 * TEXT() of a number: every digit, no trailing zeros, no leading zero before the point (`.5`),
 * and no sign on zero. Safe integers and short decimals are written directly; decimal.js
 * values through their plain text.
 */
export function numberText(n: Num): string {
  if (typeof n === 'number') return n === 0 ? '0' : String(n);
  if (n instanceof Fixed) {
    let m = n.m;
    let s = n.s;
    while (s > 0 && m % 10 === 0) {
      m /= 10;
      s--;
    }
    if (m === 0) return '0';
    const negative = m < 0;
    const text = pointed(String(negative ? -m : m), s, s, '');
    return negative ? `-${text}` : text;
  }
  if (n instanceof Wide) return plainText(n, '');
  const t = n.toFixed();
  if (/^-0(?:\.0*)?$/.test(t)) return '0';
  return t.replace(/^(-?)0\.(?=\d)/, '$1.');
}

/** Rounds half away from zero to `places` decimal places; negative places round left of the point. */
export function roundTo(n: Num, places: number): Num {
  if (typeof n === 'number' && places >= 0) return n;
  if (n instanceof Fixed && places >= 0) return places >= n.s ? n : fixed(roundMantissa(n.m, n.s - places), places);
  if (n instanceof Wide && places >= 0) return roundWide(n, places);
  const d = dec(n);
  // Already within `places` decimal places (decimalPlaces() is cheap): nothing to round.
  if (places >= 0) return compact(d.decimalPlaces() <= places ? d : d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
  const unit = new Dec(10).pow(-places);
  return compact(d.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(unit));
}

/**
 * A Wide rounded to `places` ≥ 0 decimal places, as decimal.js's `toDecimalPlaces` then `compact`
 * give it: a value that rounds to zero is the JS number 0 with the value's sign (-0 from a
 * negative, as `Decimal.toNumber()` gives).
 */
function roundWide(n: Wide, places: number): Num {
  if (places >= n.s) return n;
  const [m, s] = wideRound(n, places);
  if (m === 0n) return n.m < 0n ? -0 : 0;
  if (m <= MAX_BIG && m >= -MAX_BIG && s <= MAX_SCALE) return fixed(Number(m), s);
  const w = rounded(m, s);
  return w === undefined ? roundTo(dec(n), places) : narrow(w);
}
