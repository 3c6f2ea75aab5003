/**
 * A long exact decimal, `m × 10^-s` with a BigInt mantissa of at most 39 significant digits (the
 * runtime's precision, MC_PRECISION_INTERNAL), no trailing zero, never zero. It holds what a
 * quotient such as `40 / 120` gives (0.333…, 39 digits), so the `* 100`, ROUND and formatting
 * after it run on integers instead of decimal.js. Every operation here gives exactly what
 * decimal.js gives at 39 significant digits, half-up (test/runtime/num.test.ts); anything else
 * goes through `dec()` (src/formula/runtime/num.ts).
 */
export class Wide {
  constructor(
    readonly m: bigint,
    readonly s: number,
  ) {}

  toString(): string {
    return plainText(this, '0');
  }
}

export const PRECISION = 39;
/** Powers of ten as BigInts, up to twice the precision and a margin (products of two mantissas). */
const P10N = Array.from({ length: 2 * PRECISION + 24 }, (_, i) => 10n ** BigInt(i));
const pow10 = (k: number): bigint => P10N[k] ?? 10n ** BigInt(k);
/** Half of each power of ten (`5 × 10^(k-1)`), for rounding without a multiplication. */
const HALF = P10N.map((p) => p / 2n);
/**
 * Scales that keep every value of at most 39 digits within decimal.js's exponent range (±1000)
 * with a margin; outside, the caller uses decimal.js.
 */
const MAX_S = 950;

/** The number of decimal digits of a non-negative BigInt (comparisons only: no text, no allocation). */
function digitCount(a: bigint): number {
  let lo = 1;
  let hi = P10N.length - 1;
  if (a >= P10N[hi]!) return a.toString().length;
  // The smallest d with a < 10^d.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a < P10N[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The number of decimal digits of a non-negative safe integer. */
function smallDigits(a: number): number {
  let d = 1;
  while (d < 16 && a >= P10[d]!) d++;
  return d;
}
const P10 = Array.from({ length: 17 }, (_, i) => 10 ** i);

/**
 * `m / 10^k` rounded half away from zero to an integer (k ≥ 1): `(|m| + 10^k / 2) / 10^k`,
 * truncated. For a quotient, the dropped digits alone decide, because half of 10^k is an
 * integer (so a tail beyond them cannot turn "below half" into "half").
 */
function dropDigits(m: bigint, k: number): bigint {
  const p = pow10(k);
  const half = HALF[k] ?? p / 2n;
  return m > 0n ? (m + half) / p : -((half - m) / p);
}

/**
 * `m × 10^-s` (exact, m ≠ 0) rounded to 39 significant digits half-up, without trailing zeros;
 * undefined when its exponent is near decimal.js's limits.
 */
export function rounded(m: bigint, s: number): Wide | undefined {
  const a = m < 0n ? -m : m;
  if (a >= P10N[PRECISION]!) {
    const k = digitCount(a) - PRECISION;
    m = dropDigits(m, k);
    s -= k;
  }
  return strip(m, s);
}

/** A Wide without trailing zeros (m ≠ 0, at most 39 digits); undefined near decimal.js's exponent limits. */
function strip(m: bigint, s: number): Wide | undefined {
  while (m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  return s > MAX_S || s < -MAX_S ? undefined : new Wide(m, s);
}

/** `(a × 10^-sa) × (b × 10^-sb)` at 39 significant digits, as decimal.js's `times` (a, b ≠ 0). */
export function wideMul(a: bigint, sa: number, b: bigint, sb: number): Wide | undefined {
  return rounded(a * b, sa + sb);
}

/**
 * `w × (c × 10^-cs)` for a short decimal (c a non-zero safe integer) at 39 significant digits:
 * a power of ten (`* 100`) only moves the point, without a BigInt operation.
 */
export function mulSmall(w: Wide, c: number, cs: number): Wide | undefined {
  while (c % 10 === 0) {
    c /= 10;
    cs--;
  }
  if (c === 1 || c === -1) {
    const s = w.s + cs;
    return s > MAX_S || s < -MAX_S ? undefined : new Wide(c === 1 ? w.m : -w.m, s);
  }
  return rounded(w.m * BigInt(c), w.s + cs);
}

/**
 * `(a / b) × 10^-s` at 39 significant digits, half-up, as decimal.js's `div` (a, b ≠ 0): the
 * integer quotient is taken with at least 40 digits, so the digits dropped by the rounding
 * decide it alone (see `dropDigits`).
 */
export function wideDiv(a: bigint, b: bigint, s: number): Wide | undefined {
  const negative = a < 0n !== b < 0n;
  const x = a < 0n ? -a : a;
  const y = b < 0n ? -b : b;
  const k = PRECISION + 1 + digitCount(y) - digitCount(x);
  const q = k >= 0 ? (x * pow10(k)) / y : x / (y * pow10(-k));
  return rounded(negative ? -q : q, s + k);
}

/**
 * `a / b` (safe integers, b ≠ 0) at 39 significant digits, half-up: `wideDiv` for the quotient
 * of two short decimals, with the digit counts taken on the doubles. The integer quotient has
 * 40 or 41 digits; the rounding drops one or two.
 */
export function smallDiv(a: number, b: number): Wide | undefined {
  const x = a < 0 ? -a : a;
  const y = b < 0 ? -b : b;
  const k = PRECISION + 1 + smallDigits(y) - smallDigits(x);
  const q = (BigInt(x) * P10N[k]!) / BigInt(y);
  const drop = q >= P10N[PRECISION + 1]! ? 2 : 1;
  const m = (q + HALF[drop]!) / P10N[drop]!;
  return strip(a < 0 !== b < 0 ? -m : m, k - drop);
}

/**
 * Rounded half away from zero to `places` ≥ 0 decimal places, as an exact mantissa and scale
 * (`[0n, places]` when it rounds to zero).
 */
export function wideRound(w: Wide, places: number): [bigint, number] {
  return w.s <= places ? [w.m, w.s] : [dropDigits(w.m, w.s - places), places];
}

/** `'0'.repeat(k)` for the usual scales, built once. */
const ZEROS = Array.from({ length: 23 }, (_, k) => '0'.repeat(k));
export const zeros = (k: number): string => ZEROS[k] ?? '0'.repeat(k);

/**
 * Digits with a decimal point `s` places from the right, zero-padded to `places` decimal
 * places (`places` ≥ `s` ≥ 0); `lead` is what stands before the point of a value below one ("0",
 * or "" for TEXT()).
 */
export function pointed(digits: string, s: number, places: number, lead: string): string {
  if (places === 0) return digits;
  const missing = places - s;
  let text: string;
  if (s === 0) text = `${digits}.`;
  else if (digits.length > s) text = `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
  else text = `${lead}.${zeros(s - digits.length)}${digits}`;
  return missing > 0 ? text + zeros(missing) : text;
}

/** `m × 10^-s` in plain notation with `places` decimal places (≥ s when s > 0); no sign on zero. */
function text(m: bigint, s: number, places: number, lead: string): string {
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  if (s < 0) {
    digits += zeros(-s);
    s = 0;
  }
  const t = pointed(digits, s, places < s ? s : places, lead);
  return negative ? `-${t}` : t;
}

/** Every digit in plain notation, no trailing zeros (`lead` as in `pointed`). */
export function plainText(w: Wide, lead: string): string {
  return text(w.m, w.s, 0, lead);
}

/**
 * Decimal text as `formatNum` writes it: with a scale, exactly that many places (half-up, no sign
 * on a zero); without, at most `maxPlaces` places and no trailing zeros.
 */
export function formatWide(w: Wide, scale: number | undefined, maxPlaces: number): string {
  let [m, s] = wideRound(w, scale ?? maxPlaces);
  if (scale === undefined) {
    if (m === 0n) return '0';
    while (s > 0 && m % 10n === 0n) {
      m /= 10n;
      s--;
    }
  }
  return text(m, s, scale ?? 0, '0');
}
