/**
 * The features on one region: diagnostics, completion, hover and signature help, computed on the
 * region's formula (or on the merge field under the cursor, in a template) and mapped into the
 * document.
 */
import type { Diagnostic } from '../formula/diagnostics.js';
import type { FormulaEngine } from '../formula/formula.js';
import { FormulaSyntax } from '../formula/parser/parse.js';
import { compileTemplate } from '../template/template.js';
import { findClose } from '../template/tokenizer.js';
import { formulaCompletions } from './completion.js';
import { localFixes, mapFixes } from './fixes.js';
import { formulaHover, formulaSignatureHelp, typedTree } from './hover.js';
import { spanToDoc, type Region } from './region.js';
import type { CompletionResult, HoverResult, LanguageDiagnostic, SignatureHelpResult, Span } from './types.js';

/** The expression of the merge field around `offset` of a template (`{!` typed but not closed included). */
export function mergeFieldAt(text: string, offset: number): Span | undefined {
  let from = 0;
  for (;;) {
    const open = text.indexOf('{!', from);
    if (open < 0 || open + 2 > offset) return undefined;
    const close = findClose(text, open + 2);
    if (close < 0) return { start: open + 2, end: text.length };
    if (offset <= close) return { start: open + 2, end: close };
    from = close + 1;
  }
}

/** A formula to work on: the region's text, or the merge field at the cursor; `shift` maps its offsets into the region. */
interface Target {
  readonly text: string;
  readonly local: number;
  readonly shift: number;
}

export class RegionFeatures {
  private syntaxCache: FormulaSyntax | undefined;

  constructor(private readonly engine: FormulaEngine) {}

  private get syntax(): FormulaSyntax {
    return (this.syntaxCache ??= new FormulaSyntax());
  }

  private target(region: Region, docOffset: number): Target | undefined {
    const local = region.fromDoc(docOffset);
    if (region.kind === 'formula') return { text: region.text, local, shift: 0 };
    const field = mergeFieldAt(region.text, local);
    if (field === undefined) return undefined;
    return { text: region.text.slice(field.start, field.end), local: local - field.start, shift: field.start };
  }

  /** Compile diagnostics of the region (a template's list-template problems, which carry an origin, are left out). */
  diagnostics(region: Region): LanguageDiagnostic[] {
    if (!region.checked) return [];
    const scope = region.scope;
    let found: readonly Diagnostic[];
    if (region.kind === 'formula') {
      found = this.engine.compile(region.text, {
        fields: scope.fields,
        constants: scope.constants,
        parameters: scope.parameters,
        ...(scope.listItem !== undefined ? { listItem: { value: scope.listItem } } : {}),
        ...(region.returnType !== undefined ? { returnType: region.returnType } : {}),
      }).diagnostics;
    } else {
      found = compileTemplate(region.text, {
        constants: scope.constants,
        parameters: scope.parameters,
        listTemplates: region.listTemplates ?? [],
        lineBreaks: region.lineBreaks ?? 'br',
        engine: this.engine,
      }).diagnostics.filter((d) => d.origin === undefined);
    }
    return found.map((d) => this.located(region, d));
  }

  /** A diagnostic in region-local offsets, placed in the document with its fixes. */
  located(region: Region, d: Pick<Diagnostic, 'code' | 'message' | 'severity' | 'span'>): LanguageDiagnostic {
    const local = { start: d.span.start, end: d.span.end };
    return {
      span: spanToDoc(region, local),
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(region.pointer !== undefined ? { pointer: region.pointer } : {}),
      fixes: mapFixes(localFixes(d.code, d.message, local, region.text), (s) => spanToDoc(region, s), region.escape),
    };
  }

  completions(region: Region, docOffset: number): CompletionResult {
    const t = this.target(region, docOffset);
    if (t === undefined) return { items: [], replace: { start: docOffset, end: docOffset } };
    const found = formulaCompletions(t.text, t.local, region.scope, this.engine.registry);
    const replace = spanToDoc(region, { start: found.replace.start + t.shift, end: found.replace.end + t.shift });
    return {
      replace,
      items: found.items.map((i) => ({
        label: i.label,
        kind: i.kind,
        ...(i.detail !== undefined ? { detail: i.detail } : {}),
        ...(i.documentation !== undefined ? { documentation: i.documentation } : {}),
        insertText: region.escape(i.insertText),
        replace,
      })),
    };
  }

  hover(region: Region, docOffset: number): HoverResult | undefined {
    const t = this.target(region, docOffset);
    if (t === undefined) return undefined;
    const typed = this.typed(t.text, region);
    const found = formulaHover(t.text, t.local, region.scope, this.engine.registry, typed);
    if (found === undefined) return undefined;
    return { contents: found.contents, span: spanToDoc(region, { start: found.span.start + t.shift, end: found.span.end + t.shift }) };
  }

  /** The last formula type-checked for hover: the pointer moves over the same text. */
  private lastTyped: { text: string; scope: Region['scope']; tree: ReturnType<typeof typedTree> } | undefined;

  private typed(text: string, region: Region): ReturnType<typeof typedTree> {
    const last = this.lastTyped;
    if (last !== undefined && last.text === text && last.scope === region.scope) return last.tree;
    const tree = typedTree(text, region.scope, this.engine.registry, this.syntax);
    this.lastTyped = { text, scope: region.scope, tree };
    return tree;
  }

  signatureHelp(region: Region, docOffset: number): SignatureHelpResult | undefined {
    const t = this.target(region, docOffset);
    return t === undefined ? undefined : formulaSignatureHelp(t.text, t.local, this.engine.registry);
  }
}
