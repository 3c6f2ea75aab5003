/**
 * The formula language service: diagnostics, completion, hover, signature help and quick fixes
 * for formulas, formula templates and component definitions. Pure: no DOM, no I/O; the LSP
 * server (`parlance lsp`) and the preview page both use it.
 */
import { DiagnosticCode } from '../formula/diagnostics.js';
import { defaultFormulaEngine, type FormulaEngine } from '../formula/formula.js';
import { compileTemplate } from '../template/template.js';
import { analyzeComponent, componentNameCompletions, componentNameHover, nodeAtPointer, type ComponentAnalysis } from './component.js';
import { RegionFeatures } from './features.js';
import { valueFixes } from './fixes.js';
import { wholeRegion, type Region } from './region.js';
import { scopeOf } from './scope.js';
import type {
  CatalogView,
  CompletionResult,
  ComponentValidator,
  EmbeddedFormula,
  HoverResult,
  LanguageDiagnostic,
  LanguageDocument,
  LanguageServiceOptions,
  QuickFix,
  SignatureHelpResult,
  Span,
} from './types.js';

interface Analysis {
  readonly regions: readonly Region[];
  readonly component?: ComponentAnalysis;
  /** Computed on first request (quick fixes ask again for the same text). */
  diagnostics?: readonly LanguageDiagnostic[];
}

export class LanguageService {
  readonly engine: FormulaEngine;
  private readonly catalog: CatalogView | undefined;
  private readonly validate: ComponentValidator | undefined;
  private readonly features: RegionFeatures;
  /** The last document analysed: editors ask for several features of the same text in a row. */
  private last: { doc: LanguageDocument; analysis: Analysis } | undefined;

  constructor(options: LanguageServiceOptions = {}) {
    this.engine = options.engine ?? defaultFormulaEngine();
    this.catalog = options.catalog;
    this.validate = options.validateComponent;
    this.features = new RegionFeatures(this.engine);
  }

  private analyze(doc: LanguageDocument): Analysis {
    const last = this.last;
    if (last !== undefined && last.doc.text === doc.text && last.doc.kind === doc.kind && last.doc.context === doc.context) return last.analysis;
    let analysis: Analysis;
    if (doc.kind === 'component') {
      const component = analyzeComponent(doc.text, this.catalog);
      analysis = { regions: component.regions, component };
    } else {
      const context = doc.context ?? {};
      const scope = scopeOf(context, this.catalog);
      const extra: Partial<Region> =
        doc.kind === 'template'
          ? { listTemplates: context.listTemplates ?? [], lineBreaks: context.lineBreaks ?? 'br' }
          : context.returnType !== undefined
            ? { returnType: context.returnType }
            : {};
      analysis = { regions: [wholeRegion(doc.kind, doc.text, doc.kind === 'template' ? { ...scope, listTemplates: scope.listTemplates ?? [] } : scope, extra)] };
    }
    this.last = { doc, analysis };
    return analysis;
  }

  private regionAt(doc: LanguageDocument, offset: number): Region | undefined {
    return this.analyze(doc).regions.find((r) => r.docStart <= offset && offset <= r.docEnd);
  }

  /**
   * The formula or template holding a document offset (a cursor at its end included): its kind,
   * its text (JSON escapes decoded), where it sits in the document and, in a component, its JSON
   * pointer. Undefined outside formulas and templates.
   */
  formulaAt(doc: LanguageDocument, offset: number): EmbeddedFormula | undefined {
    const r = this.regionAt(doc, offset);
    if (r === undefined) return undefined;
    return { kind: r.kind, text: r.text, span: { start: r.docStart, end: r.docEnd }, ...(r.pointer !== undefined ? { pointer: r.pointer } : {}) };
  }

  /** Every problem in the document, in document order. */
  diagnostics(doc: LanguageDocument): LanguageDiagnostic[] {
    const analysis = this.analyze(doc);
    analysis.diagnostics ??= this.computeDiagnostics(doc, analysis);
    return [...analysis.diagnostics];
  }

  private computeDiagnostics(doc: LanguageDocument, analysis: Analysis): LanguageDiagnostic[] {
    const out: LanguageDiagnostic[] = [];
    // A list template's item template is checked with the list templates (componentProblems), where $ListItem is known.
    for (const region of analysis.regions) if (region.listTemplate === undefined) out.push(...this.features.diagnostics(region));
    const main = analysis.regions[0];
    if (doc.kind === 'template' && main !== undefined) out.push(...this.listTemplateProblems(main));
    if (analysis.component !== undefined) out.push(...this.componentProblems(analysis.component, out));
    return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  }

  /** Template documents: problems inside the given list templates, placed at the start. */
  private listTemplateProblems(region: Region): LanguageDiagnostic[] {
    if ((region.listTemplates ?? []).length === 0) return [];
    const compiled = compileTemplate('', { constants: region.scope.constants, parameters: region.scope.parameters, listTemplates: region.listTemplates ?? [], engine: this.engine });
    return compiled.diagnostics
      .filter((d) => d.origin !== undefined)
      .map((d) => ({ span: { start: 0, end: 0 }, severity: d.severity, code: d.code, message: `${d.origin}: ${d.message} (line ${d.span.line}, column ${d.span.column})`, fixes: [] }));
  }

  /** Component documents: JSON syntax, list templates, and (with a validator) everything else. */
  private componentProblems(c: ComponentAnalysis, found: readonly LanguageDiagnostic[]): LanguageDiagnostic[] {
    const out: LanguageDiagnostic[] = c.jsonErrors.map((e) => ({ span: e.span, severity: 'error', code: 'E_INVALID_JSON', message: e.message, pointer: '', fixes: [] }));
    if (c.listTemplates.length > 0) {
      const compiled = compileTemplate('', { constants: c.constants, parameters: c.parameters, listTemplates: c.listTemplates, engine: this.engine });
      for (const d of compiled.diagnostics) {
        const m = d.origin === undefined ? null : /^\$ListTemplates\.(.+?)(\.source)?$/.exec(d.origin);
        if (m === null) continue;
        const name = (m[1] as string).toLowerCase();
        if (m[2] !== undefined) {
          const node = c.sourceNodes.get(name);
          if (node !== undefined) out.push({ span: { start: node.offset, end: node.offset + node.length }, severity: d.severity, code: d.code, message: d.message, pointer: '', fixes: [] });
          continue;
        }
        const region = c.regions.find((r) => r.listTemplate?.toLowerCase() === name);
        if (region !== undefined) out.push(this.features.located(region, d));
      }
    }
    if (this.validate === undefined || c.jsonErrors.length > 0 || c.root === undefined) return out;
    const seen = new Set([...found, ...out].map((d) => `${d.pointer ?? ''} ${d.code}`));
    const result = this.validate(c.value);
    const problems = [...result.errors.map((p) => ({ p, severity: 'error' as const })), ...result.warnings.map((p) => ({ p, severity: 'warning' as const }))];
    for (const { p, severity } of problems) {
      // Problems inside formulas and templates (with a line) are the ones reported above, with exact ranges.
      if (p.line !== undefined || seen.has(`${p.pointer} ${p.code}`) || p.code === DiagnosticCode.InvalidListSource) continue;
      const node = nodeAtPointer(c.root, p.pointer);
      const span = { start: node.offset, end: node.offset + node.length };
      const fixes = node.type === 'string' && typeof node.value === 'string' ? valueFixes(p.code, p.message, node.value, span) : [];
      out.push({ span, severity, code: p.code, message: p.message, pointer: p.pointer, fixes });
    }
    return out;
  }

  completions(doc: LanguageDocument, offset: number): CompletionResult {
    const region = this.regionAt(doc, offset);
    if (region !== undefined) return this.features.completions(region, offset);
    const component = this.analyze(doc).component;
    const names = component === undefined ? undefined : componentNameCompletions(component, offset);
    if (names === undefined) return { items: [], replace: { start: offset, end: offset } };
    const replace = names.replace;
    return { replace, items: names.items.map((n) => ({ label: n.label, kind: n.kind, detail: n.detail, insertText: JSON.stringify(n.label).slice(1, -1), replace })) };
  }

  hover(doc: LanguageDocument, offset: number): HoverResult | undefined {
    const region = this.regionAt(doc, offset);
    if (region !== undefined) return this.features.hover(region, offset);
    const component = this.analyze(doc).component;
    return component === undefined ? undefined : componentNameHover(component, offset);
  }

  signatureHelp(doc: LanguageDocument, offset: number): SignatureHelpResult | undefined {
    const region = this.regionAt(doc, offset);
    return region === undefined ? undefined : this.features.signatureHelp(region, offset);
  }

  /** The quick fixes of the problems that overlap `span` (a cursor is an empty span). */
  quickFixes(doc: LanguageDocument, span: Span): QuickFix[] {
    return this.diagnostics(doc)
      .filter((d) => d.span.start <= span.end && span.start <= d.span.end)
      .flatMap((d) => d.fixes);
  }
}
