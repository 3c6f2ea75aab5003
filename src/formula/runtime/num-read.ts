/**
 * Reading input numbers (record fields, constants, parameters, literals) into formula numbers
 * (src/formula/runtime/num.ts): JSON numbers, decimal text and Decimals, with the short exact
 * forms found without building text where possible.
 */
import { Decimal } from 'decimal.js';
import { compact, Dec, fixed, Fixed, P10, type Num } from './num.js';
import { Wide } from './wide.js';

const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses an input number: a JSON number, a decimal string or a Decimal. Returns `undefined`
 * when the input is not a number, so the caller can say where the problem is.
 */
export function toNum(v: unknown): Num | undefined {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    if (!Number.isFinite(v)) return undefined;
    return fromDouble(v);
  }
  if (typeof v === 'string') {
    const short = shortDecimal(v);
    if (short !== undefined) return short;
    const s = v.trim();
    if (s.length !== v.length) {
      const trimmed = shortDecimal(s);
      if (trimmed !== undefined) return trimmed;
    }
    if (!DECIMAL_TEXT.test(s)) return undefined;
    const d = new Dec(s);
    return d.isFinite() ? compact(d) : undefined;
  }
  if (v instanceof Fixed || v instanceof Wide) return v;
  if (Decimal.isDecimal(v)) return (v as Decimal).isFinite() ? compact(new Dec(v as Decimal)) : undefined;
  return undefined;
}

/**
 * A finite double that is not a safe integer as a formula number: the decimal its shortest text
 * stands for (21.5 is "21.5"), as decimal.js reads it.
 */
export function fromDouble(v: number): Num {
  return shortDouble(v) ?? shortDecimal(String(v)) ?? new Dec(v);
}

/**
 * A double that is not a safe integer, as the short exact decimal its shortest text stands for
 * (`0.35` → 35 × 10^-2), without building that text: the fewest decimal places `s` for which an
 * integer `m` below 10^15 gives back exactly the same double as `m / 10^s`. Below 10^15 every
 * decimal is a distinct double, so that `m` is unique, and it is the one `String(v)` writes (the
 * shortest text that reads back as `v`). `a × 10^s` is within 0.25 of `m` (two roundings, each
 * at most 2^-53 relative, of a value under 10^15), so `Math.round` finds it. Undefined outside
 * that range (the caller then reads the text).
 */
function shortDouble(v: number): Num | undefined {
  const a = v < 0 ? -v : v;
  if (!(a >= 1e-6 && a < 1e15)) return undefined;
  for (let s = 1; s <= 15; s++) {
    const p = P10[s] as number;
    const m = Math.round(a * p);
    if (m >= 1e15) return undefined;
    if (m / p === a) return fixed(v < 0 ? -m : m, s);
  }
  return undefined;
}

/**
 * Plain decimal text (`[+-]digits[.digits]`) with at most 15 digits each side and 15 in all, as
 * an exact small number; undefined for anything else. A hand-written scan: field values arrive
 * as text on the wire, and this runs on every read.
 */
function shortDecimal(text: string): Num | undefined {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) {
    negative = first === 45;
    i = 1;
  }
  let mant = 0;
  let intDigits = 0;
  let fracDigits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && !dot) {
      dot = true;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return undefined;
    mant = mant * 10 + d;
    if (dot) fracDigits++;
    else intDigits++;
  }
  // The digits before the decimal point count as written, leading zeros included, as before.
  if (intDigits + fracDigits === 0 || intDigits + fracDigits > 15) return undefined;
  return fixed(negative ? -mant : mant, fracDigits);
}
