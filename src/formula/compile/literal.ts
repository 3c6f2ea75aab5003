import type { Closure } from '../registry/registry.js';

/**
 * The mark of a literal's closure, holding its value, so a call can capture a literal argument
 * as a value. A property on the closure: a WeakMap entry per literal made compiling 10-17 %
 * slower (bench/builds.js --only compile).
 */
const LITERAL: unique symbol = Symbol('parlance.literal');

interface LiteralClosure extends Closure {
  [LITERAL]?: { readonly value: unknown };
}

/** The closure of a literal. */
export function literalClosure(value: unknown): Closure {
  const c: LiteralClosure = () => value;
  c[LITERAL] = { value };
  return c;
}

/** Whether `c` is the closure of a literal (then {@link literalValue} is its value). */
export function isLiteral(c: Closure): boolean {
  return (c as LiteralClosure)[LITERAL] !== undefined;
}

/** The value of a literal closure. */
export function literalValue(c: Closure): unknown {
  return (c as LiteralClosure)[LITERAL]?.value;
}
