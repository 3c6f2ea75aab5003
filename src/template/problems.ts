/** Problems of a template: where a diagnostic or a runtime error lands in the template text. */
import { DiagnosticCode, type Diagnostic } from '../formula/diagnostics.js';
import { FormulaRuntimeError, RuntimeErrorCode } from '../formula/runtime/errors.js';
import type { Location, SourceText } from '../formula/source.js';

/** A problem found while rendering, located in the template (or in the list template `origin`). */
export interface RenderProblem {
  readonly code: string;
  readonly message: string;
  readonly span: Location;
  readonly origin?: string;
}

export interface FieldPosition {
  readonly expressionStart: number;
  readonly expressionLength: number;
  readonly source: SourceText;
  readonly origin?: string;
}

export function relocate(d: Diagnostic, offset: number, text: SourceText, origin: string | undefined): Diagnostic {
  const span = text.locate({ start: d.span.start + offset, end: d.span.end + offset });
  return { ...d, span, ...(origin !== undefined ? { origin } : {}) };
}

export function lenient(d: Diagnostic): Diagnostic {
  return { ...d, code: DiagnosticCode.UnknownReferenceBlank, severity: 'warning', message: `${d.message} It renders as blank (lenient mode).` };
}

export function isExhausted(e: unknown): boolean {
  return e instanceof FormulaRuntimeError && e.code === RuntimeErrorCode.BudgetExceeded;
}

export function partition<T>(items: readonly T[], test: (x: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const x of items) (test(x) ? yes : no).push(x);
  return [yes, no];
}

export function fieldError(e: unknown, at: FieldPosition): RenderProblem {
  const whole = { start: 0, end: at.expressionLength };
  const origin = at.origin !== undefined ? { origin: at.origin } : {};
  if (e instanceof FormulaRuntimeError) {
    const s = e.span ?? whole;
    return { code: e.code, message: e.message, span: at.source.locate({ start: s.start + at.expressionStart, end: s.end + at.expressionStart }), ...origin };
  }
  const message = e instanceof RangeError ? 'Expression is too complex to evaluate' : `Internal error: ${e instanceof Error ? e.message : String(e)}`;
  return { code: RuntimeErrorCode.Internal, message, span: at.source.locate({ start: at.expressionStart, end: at.expressionStart + at.expressionLength }), ...origin };
}
