/**
 * The formula language service (issue 21): diagnostics, completion, hover, signature help and
 * quick fixes for formulas, formula templates and component definitions. Pure (no DOM, no
 * I/O), for the LSP server and the preview page's editor alike. See docs/editor.md.
 */
export { LanguageService } from './service.js';
export { catalogOfDefinitions } from './catalog-view.js';
export { decodeJsonString, type DecodedString } from './region.js';
export { mergeFieldAt } from './features.js';
export type {
  CatalogView,
  Completion,
  CompletionKind,
  CompletionResult,
  ComponentValidator,
  DocumentKind,
  EmbeddedFormula,
  FormulaContext,
  HoverResult,
  LanguageDiagnostic,
  LanguageDocument,
  LanguageServiceOptions,
  PointerProblem,
  QuickFix,
  SignatureHelpResult,
  SignatureInformation,
  SignatureParameter,
  Span,
  TextEdit,
} from './types.js';
