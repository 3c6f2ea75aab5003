/**
 * The language service's public types. Everything is located by UTF-16 offsets into the
 * document text (`Span`: half-open `[start, end)`), as editors such as CodeMirror use them; the
 * LSP server turns offsets into line/character positions.
 */
import type { FieldDefinition, ObjectDefinition } from '../catalog/catalog.js';
import type { FieldsSpec, FormulaEngine } from '../formula/formula.js';
import type { RecordType } from '../formula/types.js';
import type { Span } from '../formula/source.js';
import type { ListTemplateDefinition } from '../template/template.js';

export type { Span };

/** What a document holds: one formula, one formula template, or a component definition (JSON). */
export type DocumentKind = 'formula' | 'template' | 'component';

/**
 * The object catalog as the language service reads it: what `ObjectCatalog` offers, so a
 * browser can pass its own (built from JSON it fetched) without loading the catalog's file I/O.
 */
export interface CatalogView {
  get(name: string): ObjectDefinition | undefined;
  names(): string[];
  /** May throw when a reachable reference is missing; the service then treats the object as unknown. */
  recordType(name: string): RecordType | undefined;
}

/** What names mean in a formula or template document (component documents declare their own). */
export interface FormulaContext {
  /** Field name → type for bare names (and `$User`-style globals), as `compileFormula`'s `fields`. */
  readonly fields?: FieldsSpec;
  /** Instead of `fields`: the record is an object of the catalog (`Case`). */
  readonly object?: string;
  readonly constants?: FieldsSpec;
  readonly parameters?: FieldsSpec;
  /** Inside a list template: the type of `$ListItem.Value` (a type spec or a record type). */
  readonly listItem?: { readonly value: unknown };
  /** Template documents: the list templates `{!$ListTemplates.Name}` may name. */
  readonly listTemplates?: readonly ListTemplateDefinition[];
  /** Template documents: how line breaks are treated (default `br`). */
  readonly lineBreaks?: 'br' | 'preserve';
  /** Formula documents: the declared result type. */
  readonly returnType?: string;
  /** Descriptions shown on hover, by `$Constants.Name` / `$Parameters.Name`. */
  readonly descriptions?: Readonly<Record<string, string>>;
}

/** A document given to the service. */
export interface LanguageDocument {
  readonly kind: DocumentKind;
  readonly text: string;
  /** Formula and template documents: what names mean. Ignored for components. */
  readonly context?: FormulaContext;
}

/** A problem found by full component validation (`validateComponent`), located by a JSON pointer. */
export interface PointerProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Whole-definition validation, for component documents: the service checks formulas and
 * templates itself (with exact ranges) and places these problems at the JSON value their pointer
 * names. In Node pass `(d) => validateComponent(d, {catalog})`; a browser may call the server.
 */
export type ComponentValidator = (definition: unknown) => { readonly errors: readonly PointerProblem[]; readonly warnings: readonly PointerProblem[] };

export interface LanguageServiceOptions {
  /** The formula engine (its function registry). Default: the built-in functions. */
  readonly engine?: FormulaEngine;
  /** Objects for record parameters, `object` contexts, field labels and picklist values. */
  readonly catalog?: CatalogView;
  /** Component documents: the rest of component validation (schema, formats, references). */
  readonly validateComponent?: ComponentValidator;
}

/** A replacement of `span` (document offsets) with `newText` (already escaped for the document). */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A quick fix: edits that resolve a diagnostic. */
export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix to apply when there is one obvious choice. */
  readonly preferred?: boolean;
}

export interface LanguageDiagnostic {
  readonly span: Span;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  /** Component documents: the JSON pointer of the value the problem is in. */
  readonly pointer?: string;
  /** Quick fixes for this problem (the checker's "did you mean" suggestions, and a few more). */
  readonly fixes: readonly QuickFix[];
}

export type CompletionKind = 'function' | 'field' | 'relationship' | 'list' | 'constant' | 'parameter' | 'global' | 'listTemplate' | 'listItem' | 'keyword' | 'value';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line: a type or a signature. */
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Replaces `replace` in the document (escaped for the document: JSON strings in components). */
  readonly insertText: string;
  readonly replace: Span;
}

export interface CompletionResult {
  readonly items: readonly Completion[];
  /** The document span the items replace (the partial word before the cursor). */
  readonly replace: Span;
}

export interface HoverResult {
  readonly span: Span;
  /** Markdown. */
  readonly contents: string;
}

export interface SignatureParameter {
  /** `[start, end)` of the parameter in the signature's label. */
  readonly label: readonly [number, number];
  readonly documentation?: string;
}

export interface SignatureInformation {
  readonly label: string;
  readonly documentation?: string;
  readonly parameters: readonly SignatureParameter[];
}

export interface SignatureHelpResult {
  readonly signatures: readonly SignatureInformation[];
  readonly activeSignature: number;
  readonly activeParameter: number;
}

/** A formula or template inside a document (`LanguageService.formulaAt`). */
export interface EmbeddedFormula {
  readonly kind: 'formula' | 'template';
  /** Its text, JSON escapes decoded. */
  readonly text: string;
  /** Where its text sits in the document (inside the quotes, in a component). */
  readonly span: Span;
  /** Component documents: the JSON pointer of the string. */
  readonly pointer?: string;
}

/** Re-exported for callers building contexts. */
export type { FieldDefinition, ListTemplateDefinition };
