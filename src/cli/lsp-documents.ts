/**
 * Which files `parlance lsp` serves, and as what: the extension point for new kinds of files.
 * Each handler says whether it takes a file (by its URI, language id and text) and turns the
 * text into a language-service document. A new kind (Salesforce metadata XML, once it can be
 * read) adds a handler here; if its formulas are embedded in another syntax, the language
 * service also needs a reader that finds them, as src/language/component.ts does for JSON.
 */
import type { FormulaContext, LanguageDocument } from '../language/index.js';
import { COMPONENT_TYPES } from '../component/model.js';

/** `parlance lsp --help` (here, so that the CLI prints it without loading the server). */
export const LSP_USAGE = `Usage: parlance lsp [--stdio] [--objects <dir>]

Runs a Language Server Protocol server on stdin/stdout for editors (VS Code, Neovim, any LSP
client): diagnostics, completion, hover, signature help and quick fixes for formulas.
It serves .formula files (one formula), .template files (one formula template) and the
formulas and templates inside component definitions (JSON files naming the component schema or
a component type). See docs/editor.md for editor set-ups.

A .formula file names its fields with a first-line comment, such as
/* parlance: {"object": "Case", "returnType": "Text"} */, or the client's initializationOptions
{"formula": {...}, "template": {...}} give defaults (fields, object, constants, parameters,
listTemplates, returnType).

Options:
  --stdio           Use stdin/stdout (the default and only transport; accepted for clients that pass it)
  --objects <dir>   Also load the object definitions (*.json) in <dir> into the catalog
  -h, --help        Show this help
`;

/** What the client may send as `initializationOptions` (or `--context-*` style defaults). */
export interface LspSettings {
  /** Names for `.formula` files: fields (or a catalog object), constants, parameters, return type. */
  readonly formula?: FormulaContext;
  /** Names for `.template` files: constants, parameters, list templates. */
  readonly template?: FormulaContext;
}

export interface DocumentHandler {
  readonly name: string;
  accepts(uri: string, languageId: string, text: string): boolean;
  document(text: string, settings: LspSettings): LanguageDocument;
}

/**
 * A formula file may start with a comment naming its context, which keeps it a valid formula:
 * `/* parlance: {"object": "Case", "returnType": "Text"} *\/`. It overrides the client's settings.
 */
const CONTEXT_COMMENT = /^\s*\/\*\s*parlance:\s*([\s\S]*?)\*\//;

/** The last comment read and its context: the same object while the comment is unchanged, so the service's cache holds. */
let lastComment: { text: string; context: FormulaContext | undefined } | undefined;

export function contextComment(text: string): FormulaContext | undefined {
  const m = CONTEXT_COMMENT.exec(text);
  if (m === null) return undefined;
  const json = m[1] as string;
  if (lastComment?.text === json) return lastComment.context;
  let context: FormulaContext | undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    context = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as FormulaContext) : undefined;
  } catch {
    context = undefined;
  }
  lastComment = { text: json, context };
  return context;
}

const extension = (uri: string): string => {
  const path = uri.split(/[?#]/)[0] ?? uri;
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(dot + 1).toLowerCase();
};

const COMPONENT_TYPE = new RegExp(`"type"\\s*:\\s*"(?:${COMPONENT_TYPES.join('|')})"`);

export const formulaFiles: DocumentHandler = {
  name: 'formula',
  accepts: (uri, languageId) => languageId === 'parlance-formula' || extension(uri) === 'formula',
  document: (text, settings) => ({ kind: 'formula', text, context: contextComment(text) ?? settings.formula ?? {} }),
};

export const templateFiles: DocumentHandler = {
  name: 'template',
  accepts: (uri, languageId) => languageId === 'parlance-template' || extension(uri) === 'template',
  document: (text, settings) => ({ kind: 'template', text, context: settings.template ?? {} }),
};

/** Component definitions: JSON that names the component schema or a component type. */
export const componentFiles: DocumentHandler = {
  name: 'component',
  accepts: (uri, languageId, text) =>
    (languageId === 'json' || languageId === 'jsonc' || extension(uri) === 'json') && (text.includes('component.schema.json') || COMPONENT_TYPE.test(text)),
  document: (text) => ({ kind: 'component', text }),
};

/** The handlers, tried in order. */
export const DOCUMENT_HANDLERS: readonly DocumentHandler[] = [formulaFiles, templateFiles, componentFiles];

export function handlerFor(uri: string, languageId: string, text: string, handlers: readonly DocumentHandler[] = DOCUMENT_HANDLERS): DocumentHandler | undefined {
  return handlers.find((h) => h.accepts(uri, languageId, text));
}
