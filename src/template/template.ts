import { DiagnosticBag, DiagnosticCode, type Diagnostic } from '../formula/diagnostics.js';
import { createRuntimeContext, defaultFormulaEngine, FormulaEngine, internalsOf, nowMemo, type EvaluationContext, type FieldsSpec } from '../formula/formula.js';
import type { Closure } from '../formula/registry/registry.js';
import type { ListItemContext, RuntimeContext } from '../formula/runtime/context.js';
import { Budget, type BudgetOptions } from '../formula/runtime/budget.js';
import { RuntimeErrorCode } from '../formula/runtime/errors.js';
import { formatNum, shift, type Num } from '../formula/runtime/num.js';
import { formatDate, formatDateTime, formatTime } from '../formula/runtime/temporal.js';
import type { Geolocation } from '../formula/runtime/values.js';
import { SourceText } from '../formula/source.js';
import { EMPTY_RECORD, parseGlobalsSpec, parseRecordSpec, typeName, type FormulaType, type RecordType, type ScalarTypeName, type TypeSpecError } from '../formula/types.js';
import { tokenizeTemplate, type LineBreakMode } from './tokenizer.js';
import { fieldError, isExhausted, lenient, partition, relocate, type FieldPosition, type RenderProblem } from './problems.js';

/** A list template: a named merge field that renders an item template once per list entry. */
export interface ListTemplateDefinition {
  readonly name: string;
  /** The list: `$Constants.<list constant>` or `$Parameters.<list parameter>`. */
  readonly source: string;
  /** The formula template for one entry; it may use `$ListItem.*`, constants and parameters. */
  readonly template: string;
  readonly lineBreaks?: LineBreakMode;
}

export interface TemplateOptions {
  /** Declared constant types (`{"Title": "Text", "Options": [{"Name": "Text"}]}`) or a record type. */
  readonly constants?: FieldsSpec;
  /** Declared parameter types; record parameters are records of their object's fields. */
  readonly parameters?: FieldsSpec;
  readonly listTemplates?: readonly ListTemplateDefinition[];
  /** Declared globals and their members' types, `{"$User": {"FirstName": "Text"}}`, or a record type of globals (parseGlobalsSpec). */
  readonly globals?: FieldsSpec;
  /** `br` (default): source line breaks are not output; only BR() breaks lines. `preserve`: they are kept. */
  readonly lineBreaks?: LineBreakMode;
  /**
   * `true` (default): an unknown constant, parameter, field or list template is an error.
   * `false` (lenient): it renders as blank, with a warning; runtime errors become warnings too.
   */
  readonly strict?: boolean;
  /** Most entries one list template may render. Default 1,000. */
  readonly maxItems?: number;
  /** Longest rendered text, in characters. Default 100,000. */
  readonly maxOutputLength?: number;
  /** The formula engine (its function registry). Default: the built-in functions. */
  readonly engine?: FormulaEngine;
  /** The default limits of each rendering (text length, operations, time); `render({budget})` overrides them. */
  readonly budget?: BudgetOptions;
}

/** The data one rendering reads; `globals` holds the values of declared globals, `{"$User": {"FirstName": "Ada"}}`. */
export type TemplateData = Omit<EvaluationContext, 'record' | 'listItem'> & { readonly globals?: Readonly<Record<string, unknown>> };

export type { RenderProblem } from './problems.js';

export interface TemplateRenderResult {
  /** False when there were errors (strict mode); the text is still the best rendering possible. */
  readonly ok: boolean;
  readonly text: string;
  readonly errors: readonly RenderProblem[];
  readonly warnings: readonly RenderProblem[];
}

/** A compiled formula template: compile once, render many times. */
export interface CompiledTemplate {
  readonly source: string;
  readonly ok: boolean;
  /** Every error and warning, with line and column in the template (or in the list template named by `origin`). */
  readonly diagnostics: readonly Diagnostic[];
  /** Everything the template reads: `$Constants.Title`, `$Parameters.P.Field`, `$ListTemplates.Name`. */
  readonly dependencies: readonly string[];
  render(data?: TemplateData): TemplateRenderResult;
}

export const DEFAULT_MAX_ITEMS = 1000;
export const DEFAULT_MAX_OUTPUT = 100_000;

type Format = (v: unknown) => string;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const FORMATS: Record<ScalarTypeName, Format> = {
  Text: (v) => (v as string | null) ?? '',
  Id: (v) => (v as string | null) ?? '',
  Picklist: (v) => (v as string | null) ?? '',
  MultiPicklist: (v) => (v as string | null) ?? '',
  Number: (v) => (v === null ? '' : formatNum(v as Num)),
  Currency: (v) => (v === null ? '' : formatNum(v as Num)),
  Percent: (v) => (v === null ? '' : formatNum(shift(v as Num, 2))),
  Boolean: (v) => (v === null ? '' : String(v)),
  Date: (v) => (v === null ? '' : formatDate(v as number)),
  DateTime: (v) => (v === null ? '' : formatDateTime(v as number)),
  Time: (v) => (v === null ? '' : formatTime(v as number)),
  Geolocation: (v) => (v === null ? '' : `${formatNum((v as Geolocation).latitude)}, ${formatNum((v as Geolocation).longitude)}`),
};

/** A value of a formula type as template text: blank is empty; numbers, dates and times in their canonical form. */
export function formatAsText(type: ScalarTypeName, value: unknown): string {
  return FORMATS[type](value);
}

/** A merge field's evaluation and formatting in one call: its compiled closure, then its type's format. */
type FieldRender = (ctx: RuntimeContext) => string;

/** Specialised at compile time: text fields, the common case, skip the format call. */
function fieldRender(closure: Closure, type: ScalarTypeName): FieldRender {
  if (type === 'Text' || type === 'Id' || type === 'Picklist' || type === 'MultiPicklist') return (ctx) => (closure(ctx) as string | null) ?? '';
  const format = FORMATS[type];
  return (ctx) => format(closure(ctx));
}

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly render: FieldRender; readonly at: FieldPosition }
  | { readonly kind: 'list'; readonly list: CompiledList };

interface CompiledList {
  readonly name: string;
  readonly from: 'constants' | 'parameters';
  readonly key: string;
  readonly display: string;
  parts: readonly Part[];
}

const LIST_TEMPLATE_REF = /^\s*\$ListTemplates\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/i;
const LIST_SOURCE = /^\s*\$(Constants|Parameters)\.([A-Za-z_][A-Za-z0-9_]*)\s*$/i;

/** Compiles a formula template, collecting every diagnostic. Never throws for bad input. */
export function compileTemplate(source: string, options: TemplateOptions = {}): CompiledTemplate {
  return new TemplateCompiler(options).compileMain(source);
}

class TemplateCompiler {
  private readonly engine: FormulaEngine;
  private readonly strict: boolean;
  private readonly constants: RecordType;
  private readonly parameters: RecordType;
  private readonly globals: RecordType;
  private readonly definitions = new Map<string, ListTemplateDefinition>();
  private readonly lists = new Map<string, CompiledList>();
  /** List templates whose source is invalid: reported once, however often they are referenced. */
  private readonly invalid = new Set<string>();
  private readonly visiting: string[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly dependencies = new Set<string>();

  constructor(private readonly options: TemplateOptions) {
    this.engine = options.engine ?? defaultFormulaEngine();
    this.strict = options.strict ?? true;
    const specErrors: TypeSpecError[] = [];
    this.constants = toRecord(options.constants, '/constants', specErrors);
    this.parameters = toRecord(options.parameters, '/parameters', specErrors);
    this.globals = isRecordType(options.globals) ? options.globals : parseGlobalsSpec(options.globals, '/globals', specErrors);
    for (const e of specErrors) this.optionError(`${e.pointer}: ${e.message}`);
    for (const [i, d] of (options.listTemplates ?? []).entries()) {
      const key = d.name.toLowerCase();
      if (this.definitions.has(key)) this.optionError(`/listTemplates/${i}/name: list template ${d.name} is defined twice`);
      else this.definitions.set(key, d);
    }
  }

  compileMain(source: string): CompiledTemplate {
    const text = new SourceText(source);
    const parts = this.compileText(text, this.options.lineBreaks ?? 'br', undefined, undefined);
    // Every list template is checked, even those the main template does not use.
    for (const d of this.definitions.values()) this.list(d.name, { start: 0, end: 0 }, text, undefined);
    const diagnostics = this.diagnostics;
    const ok = !diagnostics.some((d) => d.severity === 'error');
    return new Template(source, ok, diagnostics, [...this.dependencies].sort(), parts, {
      strict: this.strict,
      maxItems: this.options.maxItems ?? DEFAULT_MAX_ITEMS,
      maxOutputLength: this.options.maxOutputLength ?? DEFAULT_MAX_OUTPUT,
      ...(this.options.budget !== undefined ? { budget: this.options.budget } : {}),
    });
  }

  private optionError(message: string): void {
    this.diagnostics.push({ code: DiagnosticCode.InvalidOption, severity: 'error', message, span: { start: 0, end: 0, line: 1, column: 1 } });
  }

  private compileText(text: SourceText, lineBreaks: LineBreakMode, origin: string | undefined, listItem: FormulaType | undefined): Part[] {
    const bag = new DiagnosticBag(text);
    const segments = tokenizeTemplate(text.text, lineBreaks, bag);
    this.collect(bag.items, origin);
    const parts: Part[] = [];
    for (const seg of segments) {
      if (seg.kind === 'text') {
        const last = parts[parts.length - 1];
        if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: last.text + seg.text };
        else parts.push({ kind: 'text', text: seg.text });
        continue;
      }
      const listRef = LIST_TEMPLATE_REF.exec(seg.expression);
      if (listRef !== null) {
        const list = this.list(listRef[1] as string, { start: seg.start, end: seg.end }, text, origin);
        if (list !== undefined) parts.push({ kind: 'list', list });
        continue;
      }
      const compiled = this.engine.compile(seg.expression, {
        constants: this.constants,
        parameters: this.parameters,
        fields: this.globals,
        ...(listItem !== undefined ? { listItem: { value: listItem } } : {}),
        maxLength: Math.max(3900, seg.expression.length),
      });
      const located = compiled.diagnostics.map((d) => relocate(d, seg.expressionStart, text, origin));
      const unknownOnly = located.every((d) => d.severity === 'warning' || d.code === DiagnosticCode.UnknownField || d.code === DiagnosticCode.UnknownGlobal);
      if (!this.strict && !compiled.ok && unknownOnly) {
        for (const d of located) this.diagnostics.push(d.severity === 'warning' ? d : lenient(d));
        continue;
      }
      this.diagnostics.push(...located);
      for (const dep of compiled.dependencies) if (!dep.startsWith('$ListItem.')) this.dependencies.add(dep);
      const internals = internalsOf(compiled);
      if (internals === undefined) continue;
      parts.push({
        kind: 'field',
        render: fieldRender(internals.closure, internals.returnType),
        at: { expressionStart: seg.expressionStart, expressionLength: seg.expression.length, source: text, ...(origin !== undefined ? { origin } : {}) },
      });
    }
    return parts;
  }

  /** Compiles (once) the list template `name`; reports unknown names and cycles. */
  private list(name: string, at: { start: number; end: number }, text: SourceText, origin: string | undefined): CompiledList | undefined {
    const key = name.toLowerCase();
    const def = this.definitions.get(key);
    if (def === undefined) {
      const message = `List template ${name} does not exist.${this.definitions.size > 0 ? ` Defined: ${[...this.definitions.values()].map((d) => d.name).join(', ')}` : ''}`;
      const d: Diagnostic = { code: DiagnosticCode.UnknownListTemplate, severity: 'error', message, span: text.locate(at), ...(origin !== undefined ? { origin } : {}) };
      this.diagnostics.push(this.strict ? d : lenient(d));
      return undefined;
    }
    this.dependencies.add(`$ListTemplates.${def.name}`);
    const cycleStart = this.visiting.indexOf(key);
    if (cycleStart >= 0) {
      const chain = [...this.visiting.slice(cycleStart), key].map((k) => this.definitions.get(k)?.name ?? k).join(' → ');
      this.diagnostics.push({
        code: DiagnosticCode.ListTemplateCycle,
        severity: 'error',
        message: `List templates may not reference themselves, directly or through other list templates: ${chain}`,
        span: text.locate(at),
        ...(origin !== undefined ? { origin } : {}),
      });
      return undefined;
    }
    const done = this.lists.get(key);
    if (done !== undefined) return done;
    if (this.invalid.has(key)) return undefined;
    const listOrigin = `$ListTemplates.${def.name}`;
    const sourceRef = LIST_SOURCE.exec(def.source);
    const from = sourceRef?.[1]?.toLowerCase() === 'constants' ? 'constants' : 'parameters';
    const declared = sourceRef === null ? undefined : (from === 'constants' ? this.constants : this.parameters).fields.get((sourceRef[2] as string).toLowerCase());
    const sourceProblem =
      sourceRef === null
        ? `The source of list template ${def.name} must be a list constant or list parameter, such as $Constants.Options; found "${def.source}"`
        : declared === undefined
          ? `The source of list template ${def.name}, ${def.source.trim()}, does not exist`
          : typeof declared.type === 'string' || declared.type.kind !== 'list'
            ? `The source of list template ${def.name}, ${def.source.trim()}, is ${typeName(declared.type)}, not a list`
            : undefined;
    if (sourceProblem !== undefined) {
      this.invalid.add(key);
      this.diagnostics.push({ code: DiagnosticCode.InvalidListSource, severity: 'error', message: sourceProblem, span: { start: 0, end: 0, line: 1, column: 1 }, origin: `${listOrigin}.source` });
      return undefined;
    }
    const entry = declared as { name: string; type: { kind: 'list'; element: FormulaType } };
    const list: CompiledList = { name: def.name, from, key: entry.name, display: `$${from === 'constants' ? 'Constants' : 'Parameters'}.${entry.name}`, parts: [] };
    this.dependencies.add(list.display);
    this.lists.set(key, list);
    this.visiting.push(key);
    list.parts = this.compileText(new SourceText(def.template), def.lineBreaks ?? 'br', listOrigin, entry.type.element);
    this.visiting.pop();
    return list;
  }

  private collect(items: readonly Diagnostic[], origin: string | undefined): void {
    for (const d of items) this.diagnostics.push(origin === undefined ? d : { ...d, origin });
  }
}

function isRecordType(spec: unknown): spec is RecordType {
  return typeof spec === 'object' && spec !== null && (spec as RecordType).kind === 'record' && (spec as RecordType).fields instanceof Map;
}

function toRecord(spec: FieldsSpec | undefined, pointer: string, errors: TypeSpecError[]): RecordType {
  if (spec === undefined) return EMPTY_RECORD;
  if ((spec as RecordType).kind === 'record' && (spec as RecordType).fields instanceof Map) return spec as RecordType;
  return parseRecordSpec(spec as Record<string, unknown>, pointer, errors);
}

interface RenderLimits {
  readonly strict: boolean;
  readonly maxItems: number;
  readonly maxOutputLength: number;
  readonly budget?: BudgetOptions;
}

class RenderState {
  readonly errors: RenderProblem[] = [];
  /** The text so far: one string that every piece, at any depth of list templates, is appended to. */
  out = '';
  /** Rendering stopped: the output would be too long, or the budget is used up. */
  overflow = false;
  /** The budget ran out: an error even in lenient mode. */
  exhausted = false;
  constructor(readonly limits: RenderLimits) {}
}

class Template implements CompiledTemplate {
  /** The compile-time warnings every rendering reports, built once (frozen: renderings share them). */
  private readonly warnings: readonly RenderProblem[];
  /** The last time zone validated and `now` text parsed: callers pass the same ones to many renders. */
  private lastZone: string | undefined;
  private readonly nowMemo = nowMemo();
  /** The budget of renders given none, reused (started over) when it has no time limit: renders are synchronous. */
  private reusable: Budget | undefined;

  constructor(
    readonly source: string,
    readonly ok: boolean,
    readonly diagnostics: readonly Diagnostic[],
    readonly dependencies: readonly string[],
    private readonly parts: readonly Part[],
    private readonly limits: RenderLimits,
  ) {
    this.warnings = diagnostics.filter((d) => d.severity === 'warning').map((d) => Object.freeze(problemOf(d)));
  }

  private defaultBudget(): Budget {
    if (this.limits.budget?.timeoutMs !== undefined) return new Budget(this.limits.budget);
    return (this.reusable ??= new Budget(this.limits.budget)).restart();
  }

  render(data: TemplateData = {}): TemplateRenderResult {
    const warnings: RenderProblem[] = this.warnings.length === 0 ? [] : this.warnings.slice();
    if (!this.ok) {
      const errors = this.diagnostics.filter((d) => d.severity === 'error').map(problemOf);
      return { ok: false, text: '', errors, warnings };
    }
    let ctx: RuntimeContext;
    try {
      const zone = data.timezone ?? 'UTC';
      // Every rendering has a budget of its own (list templates loop): the given one, or the defaults.
      const budget = data.budget === undefined ? this.defaultBudget() : Budget.of(data.budget, this.limits.budget);
      ctx = createRuntimeContext(contextOf(data), zone === 'UTC' || zone === this.lastZone, this.nowMemo, undefined, budget);
      this.lastZone = zone;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, text: '', errors: [{ code: RuntimeErrorCode.InvalidInput, message, span: { start: 0, end: 0, line: 1, column: 1 } }], warnings };
    }
    const state = new RenderState(this.limits);
    renderParts(this.parts, ctx, state);
    const text = state.out;
    if (state.exhausted && !this.limits.strict) {
      const [stop, kept] = partition(state.errors, (e) => e.code === RuntimeErrorCode.BudgetExceeded);
      return { ok: false, text, errors: stop, warnings: [...warnings, ...kept] };
    }
    if (this.limits.strict) return { ok: state.errors.length === 0, text, errors: state.errors, warnings };
    return { ok: true, text, errors: [], warnings: [...warnings, ...state.errors] };
  }
}

/**
 * The evaluation context of a rendering: the data, with its globals as the record. Built by
 * assignment, not a spread, since it runs for every rendering (a renderer's Text version on
 * every request); every part of `TemplateData` is copied.
 */
// A part added to TemplateData without a line in contextOf fails to compile here.
const CONTEXT_PARTS_COPIED: Record<Exclude<keyof TemplateData, 'globals' | 'constants' | 'parameters' | 'now' | 'timezone' | 'currencyRates' | 'budget'>, never> = {};
void CONTEXT_PARTS_COPIED;

function contextOf(data: TemplateData): EvaluationContext {
  if (data.globals === undefined) return data;
  const c: Mutable<EvaluationContext> = { record: data.globals };
  if (data.constants !== undefined) c.constants = data.constants;
  if (data.parameters !== undefined) c.parameters = data.parameters;
  if (data.now !== undefined) c.now = data.now;
  if (data.timezone !== undefined) c.timezone = data.timezone;
  if (data.currencyRates !== undefined) c.currencyRates = data.currencyRates;
  if (data.budget !== undefined) c.budget = data.budget;
  return c;
}

function problemOf(d: Diagnostic): RenderProblem {
  return { code: d.code, message: d.message, span: d.span, ...(d.origin !== undefined ? { origin: d.origin } : {}) };
}

/**
 * Appends the rendering of `parts` to `state.out`. Stops at the first piece that would make the
 * text longer than `maxOutputLength`: the text is then everything before that piece.
 */
function renderParts(parts: readonly Part[], ctx: RuntimeContext, state: RenderState): void {
  for (const part of parts) {
    let piece: string;
    if (part.kind === 'text') piece = part.text;
    else if (part.kind === 'field') {
      try {
        piece = part.render(ctx);
      } catch (e) {
        state.errors.push(fieldError(e, part.at));
        if (isExhausted(e)) {
          state.exhausted = state.overflow = true;
          return;
        }
        continue;
      }
    } else {
      renderList(part.list, ctx, state);
      if (state.overflow) return;
      continue;
    }
    if (state.out.length + piece.length > state.limits.maxOutputLength) {
      state.overflow = true;
      state.errors.push({
        code: 'E_OUTPUT_TOO_LARGE',
        message: `The rendered text is longer than ${state.limits.maxOutputLength.toLocaleString('en-US')} characters`,
        span: { start: 0, end: 0, line: 1, column: 1 },
      });
      return;
    }
    state.out += piece;
  }
}

function renderList(list: CompiledList, ctx: RuntimeContext, state: RenderState): void {
  const items = ctx[list.from][list.key];
  const at = { start: 0, end: 0, line: 1, column: 1 };
  if (items === null || items === undefined) return;
  if (!Array.isArray(items)) {
    state.errors.push({ code: RuntimeErrorCode.InvalidInput, message: `${list.display} must be a list (a JSON array) for list template ${list.name}`, span: at, origin: `$ListTemplates.${list.name}` });
    return;
  }
  if (items.length > state.limits.maxItems) {
    state.errors.push({
      code: 'E_LIST_TOO_LONG',
      message: `${list.display} has ${items.length} entries; list template ${list.name} renders at most ${state.limits.maxItems}`,
      span: at,
      origin: `$ListTemplates.${list.name}`,
    });
    return;
  }
  const last = items.length - 1;
  // One context for the whole list, positioned on each entry in turn: compiled closures read
  // `ctx.listItem` when they run and keep nothing, and rendering is synchronous, so moving this
  // cursor between entries is invisible to them (a nested list has a cursor of its own).
  const item: Mutable<ListItemContext> = { index: 0, value: undefined, isFirst: true, isLast: false };
  const itemCtx = ctx.withListItem(item);
  try {
    // One operation per entry, charged for the whole list before it renders.
    ctx.budget.use(items.length);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    state.errors.push({ code: RuntimeErrorCode.BudgetExceeded, message: `${message} (list template ${list.name}, ${items.length} entries)`, span: at, origin: `$ListTemplates.${list.name}` });
    state.exhausted = state.overflow = true;
    return;
  }
  for (let i = 0; i <= last && !state.overflow; i++) {
    item.index = i + 1;
    item.value = items[i];
    item.isFirst = i === 0;
    item.isLast = i === last;
    renderParts(list.parts, itemCtx, state);
  }
}
