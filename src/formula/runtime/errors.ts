import type { Span } from '../source.js';

/** Stable runtime error codes. */
export const RuntimeErrorCode = {
  DivisionByZero: 'E_DIVISION_BY_ZERO',
  InvalidArgument: 'E_INVALID_ARGUMENT',
  NumberOutOfRange: 'E_NUMBER_OUT_OF_RANGE',
  DateOutOfRange: 'E_DATE_OUT_OF_RANGE',
  TextTooLong: 'E_TEXT_TOO_LONG',
  BudgetExceeded: 'E_BUDGET_EXCEEDED',
  InvalidInput: 'E_INVALID_INPUT',
  Internal: 'E_INTERNAL',
} as const;
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/**
 * Thrown inside compiled closures and caught at the `evaluate` boundary, where it becomes an
 * error result. It never escapes the library.
 */
export class FormulaRuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    public span?: Span,
  ) {
    super(message);
    this.name = 'FormulaRuntimeError';
  }
}

export function fail(code: RuntimeErrorCode, message: string): never {
  throw new FormulaRuntimeError(code, message);
}

/**
 * What a call's closure rethrows: a runtime error without a location gets the call's span; a
 * stack overflow becomes a located E_INTERNAL.
 */
export function withSpan(e: unknown, span: Span): unknown {
  if (e instanceof FormulaRuntimeError) {
    e.span ??= span;
    return e;
  }
  if (e instanceof RangeError) return new FormulaRuntimeError(RuntimeErrorCode.Internal, 'Formula is too complex to evaluate', span);
  return e;
}
