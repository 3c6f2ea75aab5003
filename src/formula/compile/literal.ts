import type { Closure } from '../registry/registry.js';

/** Literal closures and their values, so a call can capture a literal argument as a value. */
const LITERALS = new WeakMap<Closure, unknown>();

/** The closure of a literal. */
export function literalClosure(value: unknown): Closure {
  const c: Closure = () => value;
  LITERALS.set(c, value);
  return c;
}

/** Whether `c` is the closure of a literal (then {@link literalValue} is its value). */
export function isLiteral(c: Closure): boolean {
  return LITERALS.has(c);
}

/** The value of a literal closure. */
export function literalValue(c: Closure): unknown {
  return LITERALS.get(c);
}

