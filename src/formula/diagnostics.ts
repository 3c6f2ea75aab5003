import type { Location, Span } from './source.js';
import { SourceText } from './source.js';

/** Stable diagnostic codes. Their meaning never changes; new codes may be added. */
export const DiagnosticCode = {
  // lexical and syntax
  UnexpectedCharacter: 'E_UNEXPECTED_CHARACTER',
  UnterminatedString: 'E_UNTERMINATED_STRING',
  UnterminatedComment: 'E_UNTERMINATED_COMMENT',
  InvalidEscape: 'E_INVALID_ESCAPE',
  Syntax: 'E_SYNTAX',
  DynamicReference: 'E_DYNAMIC_REFERENCE',
  // limits
  FormulaTooLong: 'E_FORMULA_TOO_LONG',
  NestingTooDeep: 'E_NESTING_TOO_DEEP',
  NumberOutOfRange: 'E_NUMBER_OUT_OF_RANGE',
  // names and types
  UnknownField: 'E_UNKNOWN_FIELD',
  UnknownGlobal: 'E_UNKNOWN_GLOBAL',
  FunctionNotSupported: 'E_FUNCTION_NOT_SUPPORTED',
  ArgumentCount: 'E_ARGUMENT_COUNT',
  TypeMismatch: 'E_TYPE_MISMATCH',
  ReturnType: 'E_RETURN_TYPE',
  PicklistUsage: 'E_PICKLIST_USAGE',
  NotAValue: 'E_NOT_A_VALUE',
  InvalidArgument: 'E_INVALID_ARGUMENT',
  InvalidOption: 'E_INVALID_OPTION',
  // templates
  UnterminatedMergeField: 'E_UNTERMINATED_MERGE_FIELD',
  EmptyMergeField: 'E_EMPTY_MERGE_FIELD',
  UnknownListTemplate: 'E_UNKNOWN_LIST_TEMPLATE',
  ListTemplateCycle: 'E_LIST_TEMPLATE_CYCLE',
  InvalidListSource: 'E_INVALID_LIST_SOURCE',
  // warnings
  AlwaysFalse: 'W_ALWAYS_FALSE',
  MergeFieldNearMiss: 'W_MERGE_FIELD_NEAR_MISS',
  UnknownReferenceBlank: 'W_UNKNOWN_REFERENCE_BLANK',
  UnusualWhitespace: 'W_UNUSUAL_WHITESPACE',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export type Severity = 'error' | 'warning';

/** A compile-time problem: a value with a stable code, a message and where it is. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Location;
  /** Expected types or tokens, where that applies. */
  readonly expected?: readonly string[];
  /** What was found instead, where that applies. */
  readonly found?: string;
  /** Which text the span refers to when it is not the main source, such as `$ListTemplates.OptionsList`. */
  readonly origin?: string;
}

/** Collects diagnostics for one source text, locating spans as they are added. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  constructor(readonly source: SourceText) {}

  error(code: string, message: string, at: Span, extra?: { expected?: readonly string[]; found?: string }): void {
    this.items.push({ code, severity: 'error', message, span: this.source.locate(at), ...extra });
  }

  warning(code: string, message: string, at: Span): void {
    this.items.push({ code, severity: 'warning', message, span: this.source.locate(at) });
  }

  get hasErrors(): boolean {
    // A loop rather than `some` with a closure: every compile asks, mostly of an empty list.
    const items = this.items;
    for (let i = 0; i < items.length; i++) if ((items[i] as Diagnostic).severity === 'error') return true;
    return false;
  }
}

/** Human-readable form with a code frame (`>> 3|` and a caret), for terminals. */
export function formatDiagnostic(d: Diagnostic, text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const { line, column } = d.span;
  const out = [`${d.severity} ${d.code}: ${d.message} (line ${line}, column ${column})`];
  for (let l = Math.max(1, line - 1); l <= Math.min(lines.length, line + 1); l++) {
    const marker = l === line ? '>>' : '  ';
    out.push(`${marker} ${String(l).padStart(3)}| ${lines[l - 1] ?? ''}`);
    if (l === line) {
      const width = Math.max(1, Math.min(d.span.end - d.span.start, (lines[l - 1] ?? '').length - column + 1));
      out.push(`${' '.repeat(7 + column)}${'^'.repeat(width)}`);
    }
  }
  return out.join('\n');
}
