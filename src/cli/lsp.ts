/**
 * `parlance lsp`: the formula language service over the Language Server Protocol (stdio), for
 * `.formula` and `.template` files and the formulas inside component definitions. See
 * docs/editor.md.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type InitializeResult,
  type MarkupContent,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatCatalogError, ObjectCatalog } from '../catalog/catalog.js';
import { validateComponent } from '../component/validate.js';
import { LanguageService, type CompletionKind, type LanguageDiagnostic, type LanguageDocument } from '../language/index.js';
import { parseCommand } from './args.js';
import { handlerFor, LSP_USAGE, type LspSettings } from './lsp-documents.js';

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}


const KINDS: Readonly<Record<CompletionKind, CompletionItemKind>> = {
  function: CompletionItemKind.Function,
  field: CompletionItemKind.Field,
  relationship: CompletionItemKind.Reference,
  list: CompletionItemKind.Variable,
  constant: CompletionItemKind.Constant,
  parameter: CompletionItemKind.Variable,
  global: CompletionItemKind.Module,
  listTemplate: CompletionItemKind.Snippet,
  listItem: CompletionItemKind.Property,
  keyword: CompletionItemKind.Keyword,
  value: CompletionItemKind.EnumMember,
};

/** Runs the server until the client disconnects; returns the exit code. */
export async function runLsp(args: string[], io: Io, usage: (message: string) => Error): Promise<number> {
  const { values, positionals } = parseCommand('lsp', args, { stdio: { type: 'boolean' }, objects: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    io.stdout.write(LSP_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usage(`lsp takes no arguments (got ${positionals.join(' ')})`);
  const catalog = ObjectCatalog.builtin();
  if (values.objects !== undefined) {
    const loaded = catalog.loadDirectory(values.objects);
    if (loaded.errors.length > 0) {
      io.stderr.write(`parlance lsp: cannot load the objects in ${values.objects}: ${loaded.errors.map(formatCatalogError).join('; ')}\n`);
      return 1;
    }
  }
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(io.stdin), new StreamMessageWriter(io.stdout));
  const closed = new Promise<void>((resolve) => connection.onExit(() => resolve()));
  serveLanguage(connection, new LanguageService({ catalog, validateComponent: (d) => validateComponent(d, { catalog }) }));
  connection.listen();
  await closed;
  return 0;
}

/** Wires the language service to a connection: documents, diagnostics and the requests. */
export function serveLanguage(connection: Connection, service: LanguageService): void {
  const documents = new TextDocuments(TextDocument);
  let settings: LspSettings = {};

  const languageDocument = (doc: TextDocument): LanguageDocument | undefined => handlerFor(doc.uri, doc.languageId, doc.getText())?.document(doc.getText(), settings);

  connection.onInitialize((params): InitializeResult => {
    const init = params.initializationOptions as LspSettings | undefined;
    if (init !== null && typeof init === 'object') settings = init;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '$', '"', '!'] },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: ['(', ','] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'parlance' },
    };
  });

  const publish = (doc: TextDocument): void => {
    const ld = languageDocument(doc);
    const diagnostics = ld === undefined ? [] : service.diagnostics(ld).map((d) => toLsp(doc, d));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };
  documents.onDidChangeContent((e) => publish(e.document));
  documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));

  const at = (uri: string, position: { line: number; character: number }): { doc: TextDocument; ld: LanguageDocument; offset: number } | undefined => {
    const doc = documents.get(uri);
    const ld = doc === undefined ? undefined : languageDocument(doc);
    return doc === undefined || ld === undefined ? undefined : { doc, ld, offset: doc.offsetAt(position) };
  };

  connection.onCompletion((params): CompletionItem[] => {
    const found = at(params.textDocument.uri, params.position);
    if (found === undefined) return [];
    const result = service.completions(found.ld, found.offset);
    return completionItems(found.doc, result);
  });

  connection.onHover((params) => {
    const found = at(params.textDocument.uri, params.position);
    const hover = found === undefined ? undefined : service.hover(found.ld, found.offset);
    if (found === undefined || hover === undefined) return null;
    return { contents: markup(hover.contents), range: { start: found.doc.positionAt(hover.span.start), end: found.doc.positionAt(hover.span.end) } };
  });

  connection.onSignatureHelp((params) => {
    const found = at(params.textDocument.uri, params.position);
    const help = found === undefined ? undefined : service.signatureHelp(found.ld, found.offset);
    if (help === undefined) return null;
    return {
      activeSignature: help.activeSignature,
      activeParameter: help.activeParameter,
      signatures: help.signatures.map((s) => ({
        label: s.label,
        // Plain text said so: clients read a bare string as Markdown (Neovim 0.7 shows num_digits' `_` in red).
        ...(s.documentation !== undefined ? { documentation: { kind: MarkupKind.PlainText, value: s.documentation } } : {}),
        parameters: s.parameters.map((p) => ({ label: [p.label[0], p.label[1]] as [number, number], ...(p.documentation !== undefined ? { documentation: p.documentation } : {}) })),
      })),
    };
  });

  connection.onCodeAction((params): CodeAction[] => {
    const doc = documents.get(params.textDocument.uri);
    const ld = doc === undefined ? undefined : languageDocument(doc);
    if (doc === undefined || ld === undefined) return [];
    return codeActions(service, doc, ld, params.range);
  });

  documents.listen(connection);
}

/**
 * A hover's Markdown for LSP clients, with a word's inner underscores escaped outside code
 * (`num\_digits`): CommonMark shows them as they are either way, but Neovim's Markdown syntax
 * (before 0.10) marks an unescaped one as an error, in red. Completion documentation is left as
 * it is: Neovim 0.7 shows it as raw text in its preview window, escapes and all.
 */
export function markup(markdown: string): MarkupContent {
  let fenced = false;
  const lines = markdown.split('\n').map((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced || line.startsWith('```')) return line;
    return line
      .split('`')
      .map((part, i) => (i % 2 === 1 ? part : part.replace(/(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9])/g, (u) => '\\_'.repeat(u.length))))
      .join('`');
  });
  return { kind: MarkupKind.Markdown, value: lines.join('\n') };
}

/** A diagnostic of the language service, as LSP's. */
function toLsp(doc: TextDocument, d: LanguageDiagnostic): Diagnostic {
  return {
    range: { start: doc.positionAt(d.span.start), end: doc.positionAt(d.span.end) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'parlance',
    message: d.message,
  };
}

/**
 * The language service's completions, as LSP's items, in its order. When the text replaced starts
 * with the `$` already typed (`{!$Con|`), the edit leaves that `$` in place and inserts the rest:
 * clients that complete words rather than honour the edit's range (Neovim before 0.10 starts the
 * word after `$`, which is not a keyword character) would otherwise insert `$$Constants` or filter
 * the global out.
 */
function completionItems(doc: TextDocument, result: ReturnType<LanguageService['completions']>): CompletionItem[] {
  const end = doc.positionAt(result.replace.end);
  const range = { start: doc.positionAt(result.replace.start), end };
  const typedSigil = result.replace.end > result.replace.start && doc.getText({ start: range.start, end: doc.positionAt(result.replace.start + 1) }) === '$';
  const afterSigil = { start: doc.positionAt(result.replace.start + 1), end };
  return result.items.map((i, n) => {
    const keepSigil = typedSigil && i.insertText.startsWith('$');
    return {
      label: i.label,
      kind: KINDS[i.kind],
      ...(i.detail !== undefined ? { detail: i.detail } : {}),
      ...(i.documentation !== undefined ? { documentation: { kind: MarkupKind.Markdown, value: i.documentation } } : {}),
      sortText: String(n).padStart(4, '0'),
      filterText: keepSigil ? i.label.replace(/^\$/, '') : i.label,
      textEdit: keepSigil ? { range: afterSigil, newText: i.insertText.slice(1) } : { range, newText: i.insertText },
    };
  });
}

/** The quick fixes of the diagnostics that touch a range. */
function codeActions(service: LanguageService, doc: TextDocument, ld: LanguageDocument, range: Range): CodeAction[] {
  const span = { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
  return service
    .diagnostics(ld)
    .filter((d) => d.fixes.length > 0 && d.span.start <= span.end && span.start <= d.span.end)
    .flatMap((d) =>
      d.fixes.map((f) => ({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLsp(doc, d)],
        ...(f.preferred === true ? { isPreferred: true } : {}),
        edit: { changes: { [doc.uri]: f.edits.map((e) => ({ range: { start: doc.positionAt(e.span.start), end: doc.positionAt(e.span.end) }, newText: e.newText })) } },
      })),
    );
}
