/**
 * The channel-aware renderer: a component and its parameters → what the customer sees on one
 * channel (CONTRACT.md §3).
 *
 * 1. The component is validated and compiled once (`compileComponent`): every binding becomes a
 *    compiled formula, the Text version a compiled template.
 * 2. Each render checks the request, then walks the formats in priority order. A format the
 *    channel doesn't offer for the component type is skipped; so is one whose rendered data breaks
 *    a capacity or field limit of the channel profile. The first format that fits wins; Text is
 *    the implicit last resort. Every skipped format is reported with a stable code.
 * 3. The result carries the normalized content, the Text version and the native payload.
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import { buildPayload, textOverLimit, type RenderedContent, type RenderedOption } from '../channels/payload.js';
import { smsSegments } from '../channels/sms.js';
import { ChannelProfiles, type ChannelProfile, type FormatProfile } from '../channels/profiles.js';
import { builtinCatalog, componentDataTypes, constantValuesOf, OPTION_RECORD } from '../component/data.js';
import { FORMAT_LABELS, type Binding, type ComponentDefinition, type Format, type FormatType, type OptionsFormat } from '../component/model.js';
import { isTextOnly, textTemplateInput } from '../component/text.js';
import { validateComponent } from '../component/validate.js';
import { Budget, type BudgetOptions } from '../formula/runtime/budget.js';
import { createRuntimeContext, defaultFormulaEngine, internalsOf, type FormulaEngine, type FormulaInternals } from '../formula/formula.js';
import type { RuntimeContext } from '../formula/runtime/context.js';
import { EMPTY_RECORD, withGlobals, type FormulaType, type RecordType } from '../formula/types.js';

/** The formula types of a component's data: constants, parameters and declared globals. */
type DataTypes = { readonly constants: RecordType; readonly parameters: RecordType; readonly globals: RecordType };
import { compileTemplate, formatAsText, type CompiledTemplate } from '../template/template.js';
import {
  BODY_FALLBACK_WORDING,
  RenderErrorCode,
  SkipCode,
  type SkippedFormat,
  type RenderWarning,
  type RenderOutcome,
  type ComponentRenderOptions,
  type RenderCallOptions,
  type FallbackWording,
  type CompiledComponent,
} from './types.js';
import { checkContent } from './content-check.js';
import { prepareRequest, RequestErrorCode, type PreparedRequest, type RenderProblemDetail, type RenderRequest, type RequestMemo } from './request.js';

export type { RenderRequest, RenderProblemDetail } from './request.js';

export { RenderErrorCode, SkipCode } from './types.js';
export type { SkippedFormat, RenderWarning, RenderResult, RenderError, RenderOutcome, ComponentRenderOptions, RenderCallOptions, FallbackWording, CompiledComponent } from './types.js';

/** A binding compiled to a function of the evaluation context. */
interface CompiledBinding {
  readonly pointer: string;
  /** The text value ('' when blank). Throws a located error. */
  evaluate(ctx: RuntimeContext): string;
}

interface CompiledOptions {
  readonly from: 'constants' | 'parameters';
  readonly key: string;
  /** How options are read when the format binds nothing: the source's kind. */
  readonly kind: 'static' | 'records' | 'slots';
  readonly title?: CompiledBinding;
  readonly subtitle?: CompiledBinding;
  readonly image?: CompiledBinding;
  readonly id?: CompiledBinding;
}

interface CompiledFormat {
  readonly type: FormatType;
  readonly pointer: string;
  readonly index: number;
  readonly bindings: Readonly<Record<string, CompiledBinding>>;
  readonly options?: CompiledOptions;
  readonly display?: 'ChatMessage' | 'Popup';
}

class BindingFailure extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
    readonly line: number,
    readonly column: number,
    readonly what: string,
    readonly code: string,
  ) {
    super(detail);
  }
}

/** Compiles a component definition (a parsed JSON document) for rendering. Never throws for bad input. */
export function compileComponent(definition: unknown, options: ComponentRenderOptions = {}): CompiledComponent {
  const catalog = options.catalog ?? builtinCatalog();
  const validation = validateComponent(definition, { catalog });
  const warnings = validation.warnings.map(detail);
  if (!validation.valid || validation.component === undefined) {
    const errors = validation.errors.map(detail);
    const failure: RenderOutcome = {
      ok: false,
      error: { code: RenderErrorCode.InvalidComponent, message: `The component definition is invalid (${errors.length} ${errors.length === 1 ? 'problem' : 'problems'})`, errors },
    };
    return { ok: false, errors, warnings, render: () => failure };
  }
  return new ComponentRenderer(
    validation.component,
    warnings,
    catalog,
    options.profiles ?? ChannelProfiles.builtin(),
    options.engine ?? defaultFormulaEngine(),
    options.fallbackWording ?? BODY_FALLBACK_WORDING,
    options.budget,
  );
}

/** Validates, compiles and renders in one call. Prefer {@link compileComponent} to render one component many times. */
export function renderComponent(definition: unknown, request: RenderRequest | unknown, options: ComponentRenderOptions = {}): RenderOutcome {
  return compileComponent(definition, options).render(request);
}

function detail(p: { pointer: string; code: string; message: string; line?: number; column?: number }): RenderProblemDetail {
  return { pointer: p.pointer, code: p.code, message: p.message, ...(p.line !== undefined ? { line: p.line, column: p.column ?? 1 } : {}) };
}

class ComponentRenderer implements CompiledComponent {
  readonly ok = true;
  readonly errors: readonly RenderProblemDetail[] = [];
  private readonly constants: Readonly<Record<string, unknown>>;
  private readonly parameterTypes: RecordType;
  private readonly formats: readonly CompiledFormat[];
  private readonly text: CompiledTemplate;
  /** Where the Text version's template is: its Text format's `template`, or '' when generated. */
  private readonly textPointer: string;
  /** The last zone, locale and `now` this renderer checked (see RequestMemo). */
  private readonly memo: RequestMemo = {};
  /** The component's warnings that every render repeats (not W_FORMAT_NEVER_FITS), chosen once. */
  private readonly renderWarnings: readonly RenderProblemDetail[];

  constructor(
    readonly component: ComponentDefinition,
    readonly warnings: readonly RenderProblemDetail[],
    catalog: ObjectCatalog,
    private readonly profiles: ChannelProfiles,
    private readonly engine: FormulaEngine,
    private readonly fallbackWording: FallbackWording,
    private readonly budgetDefaults: BudgetOptions | undefined,
  ) {
    const types = componentDataTypes(component, catalog);
    this.constants = constantValuesOf(component);
    this.parameterTypes = types.parameters;
    this.formats = (component.formats ?? []).map((f, i) => this.compileFormat(f, i, types));
    const input = textTemplateInput(component, { catalog });
    this.text = compileTemplate(input.source, { ...input.options, engine });
    const textIndex = (component.formats ?? []).findIndex((f) => f.type === 'Text' && f.template !== undefined);
    this.textPointer = input.generated || textIndex < 0 ? '' : `/formats/${textIndex}/template`;
    this.renderWarnings = warnings.filter((w) => w.code !== 'W_FORMAT_NEVER_FITS');
  }

  private compileFormat(f: Format, index: number, types: DataTypes): CompiledFormat {
    const pointer = `/formats/${index}`;
    const bindings: Record<string, CompiledBinding> = {};
    for (const key of ['title', 'url', 'image', 'text'] as const) {
      const b = (f as unknown as Record<string, Binding | undefined>)[key];
      if (b !== undefined && typeof b === 'object') bindings[key] = this.compileBinding(b, `${pointer}/${key}`, types, EMPTY_RECORD);
    }
    let options: CompiledOptions | undefined;
    if (f.type === 'Buttons' || f.type === 'QuickReplies' || f.type === 'CardCarousel') options = this.compileOptions(f, pointer, types);
    return { type: f.type, pointer, index, bindings, ...(options !== undefined ? { options } : {}), ...(f.type === 'WebPage' ? { display: f.display ?? 'ChatMessage' } : {}) };
  }

  private compileOptions(f: OptionsFormat, pointer: string, types: DataTypes): CompiledOptions {
    const [, scope = '', key = ''] = /^\$(Constants|Parameters)\.(.+)$/.exec(f.options.source) ?? [];
    const from = scope === 'Constants' ? 'constants' : 'parameters';
    const declared = from === 'constants' ? Object.keys(this.component.constants ?? {}) : Object.keys(this.component.parameters ?? {});
    const name = declared.find((d) => d.toLowerCase() === key.toLowerCase()) ?? key;
    const type: FormulaType | undefined = (from === 'constants' ? types.constants : types.parameters).fields.get(name.toLowerCase())?.type;
    const element = typeof type === 'object' && type.kind === 'list' && typeof type.element === 'object' && type.element.kind === 'record' ? type.element : OPTION_RECORD;
    const decl = from === 'parameters' ? this.component.parameters?.[name]?.type : undefined;
    const kind = from === 'constants' ? 'static' : decl === 'List<TimeSlot>' ? 'slots' : 'records';
    const compiled: Record<string, CompiledBinding> = {};
    for (const prop of ['title', 'subtitle', 'image', 'id'] as const) {
      const b = f.options[prop];
      if (b !== undefined) compiled[prop] = this.compileBinding(b, `${pointer}/options/${prop}`, types, element);
    }
    return { from, key: name, kind, ...compiled };
  }

  private compileBinding(b: Binding, pointer: string, types: DataTypes, item: RecordType): CompiledBinding {
    if (b.type === 'Literal') {
      const value = b.value;
      return { pointer, evaluate: () => value };
    }
    const source = b.type === 'Constant' ? `$Constants.${b.name}` : b.type === 'Parameter' ? `$Parameters.${b.name}${b.field !== undefined ? `.${b.field}` : ''}` : b.formula;
    const formulaPointer = b.type === 'Formula' ? `${pointer}/formula` : pointer;
    const compiled = this.engine.compile(source, { constants: types.constants, parameters: types.parameters, fields: withGlobals(item, types.globals), maxLength: Math.max(3900, source.length) });
    const internals = internalsOf(compiled) as FormulaInternals;
    const { closure, returnType } = internals;
    const what = b.type === 'Formula' ? 'the formula' : source;
    return {
      pointer: formulaPointer,
      evaluate: (ctx) => {
        try {
          return formatAsText(returnType, closure(ctx));
        } catch (e) {
          const err = internals.toError(e);
          throw new BindingFailure(formulaPointer, err.message, err.span.line, err.span.column, what, err.code);
        }
      },
    };
  }

  render(request: RenderRequest | unknown, options: RenderCallOptions = {}): RenderOutcome {
    try {
      return this.renderWith(request, Budget.of(options.budget, this.budgetDefaults));
    } catch (e) {
      if (e instanceof BindingFailure && e.code === RenderErrorCode.BudgetExceeded) {
        return fail(RenderErrorCode.BudgetExceeded, e.detail, [{ pointer: e.pointer, code: e.code, message: e.detail, line: e.line, column: e.column }]);
      }
      return fail(RenderErrorCode.Internal, `Internal error: ${e instanceof Error ? e.message : String(e)}`, []);
    }
  }

  private renderWith(request: RenderRequest | unknown, budget: Budget): RenderOutcome {
    const problems: RenderProblemDetail[] = [];
    const profile = this.channelOf(request, problems);
    const prepared = prepareRequest(request, this.component, this.parameterTypes, problems, this.memo);
    if (problems.length > 0 || prepared === undefined || profile === undefined) {
      return fail(RenderErrorCode.InvalidRequest, `The render request is invalid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`, problems);
    }
    const warnings: RenderWarning[] = this.renderWarnings.length === 0 ? [] : this.renderWarnings.map((w) => ({ code: w.code, message: w.message, pointer: w.pointer }));
    for (const name of prepared.missing) {
      warnings.push({ code: 'W_PARAMETER_MISSING', message: `The request gives no value for the parameter ${name}: it reads as blank`, pointer: `/parameters/${name}` });
    }
    const offered = profile.components[this.component.type];
    // The default text-only format (G:3919) is the Text version on every channel: no fallback needed.
    // Not for auto-responses, which are supported only in Messaging for In-App and Web (G:4869).
    const textOnly = isTextOnly(this.component) && this.component.type !== 'AutoResponse';
    if (offered === undefined && !prepared.fallback && !textOnly) {
      const supporting = this.profiles.all().filter((p) => p.components[this.component.type] !== undefined).map((p) => p.name);
      return fail(
        RenderErrorCode.ChannelUnsupported,
        `${profile.label} (${profile.name}) doesn't support ${this.component.type} components. Channels that do: ${supporting.join(', ') || 'none'}. ${this.fallbackWording.ask} ${this.fallbackWording.spelling} to get the Text version instead.`,
        [{ pointer: '/channel', code: RenderErrorCode.ChannelUnsupported, message: `${profile.name} doesn't support ${this.component.type} components` }],
      );
    }
    let ctx: RuntimeContext;
    // No spreads: this runs on every render.
    const data: { record: Readonly<Record<string, unknown>>; constants: Readonly<Record<string, unknown>>; parameters: Readonly<Record<string, unknown>>; timezone: string; budget: Budget; now?: number } = {
      record: prepared.globals,
      constants: this.constants,
      parameters: prepared.parameters,
      timezone: prepared.zone,
      budget,
    };
    if (prepared.now !== undefined) data.now = prepared.now;
    try {
      ctx = createRuntimeContext(data, true);
    } catch (e) {
      return fail(RenderErrorCode.InvalidRequest, 'The render request is invalid', [{ pointer: '', code: RequestErrorCode.InvalidValue, message: e instanceof Error ? e.message : String(e) }]);
    }
    const textData: { globals: Readonly<Record<string, unknown>>; constants: Readonly<Record<string, unknown>>; parameters: Readonly<Record<string, unknown>>; timezone: string; budget: Budget; now?: number } = {
      globals: prepared.globals,
      constants: this.constants,
      parameters: prepared.parameters,
      timezone: prepared.zone,
      budget,
    };
    if (prepared.now !== undefined) textData.now = prepared.now;
    const textResult = this.text.render(textData);
    if (!textResult.ok) {
      return fail(
        textResult.errors.some((e) => e.code === RenderErrorCode.BudgetExceeded) ? RenderErrorCode.BudgetExceeded : RenderErrorCode.TextFailed,
        'The Text version could not be rendered',
        textResult.errors.map((e) => ({ pointer: this.textPointer, code: e.code, message: e.origin !== undefined ? `${e.origin}: ${e.message}` : e.message, line: e.span.line, column: e.span.column })),
      );
    }
    for (const w of textResult.warnings) warnings.push({ code: w.code, message: w.message, pointer: this.textPointer });
    const text = textResult.text;
    const { chosen, skipped } = this.chooseFormat(offered, textOnly, profile, prepared, ctx, text, warnings);
    const tooLong = textOverLimit(profile, chosen.content);
    if (tooLong !== undefined) return fail(RenderErrorCode.TextTooLong, tooLong, [{ pointer: this.textPointer, code: RenderErrorCode.TextTooLong, message: tooLong }]);
    const built = buildPayload(profile, chosen.content, prepared.locale);
    for (const w of built.warnings) warnings.push(w);
    const sms = profile.platform === 'sms' && chosen.content.type === 'Text' ? { sms: smsSegments(chosen.content.text) } : {};
    return { ok: true, result: { channel: profile.name, format: chosen.type, skipped, content: chosen.content, text, payload: built.payload, warnings, ...sms } };
  }

  /**
   * The first format of the component's priority that the channel offers and that fits, every
   * format skipped before it with its reason; the Text version when none fits or the channel
   * doesn't support the component (the request asked for the fallback).
   */
  private chooseFormat(
    offered: readonly FormatType[] | undefined,
    textOnly: boolean,
    profile: ChannelProfile,
    prepared: PreparedRequest,
    ctx: RuntimeContext,
    text: string,
    warnings: RenderWarning[],
  ): { chosen: { type: FormatType; content: RenderedContent }; skipped: SkippedFormat[] } {
    const skipped: SkippedFormat[] = [];
    let chosen: { type: FormatType; content: RenderedContent } | undefined;
    if (offered === undefined) {
      for (const f of this.formats) {
        if (f.type !== 'Text') skipped.push({ format: f.type, code: SkipCode.ChannelUnsupported, message: `${profile.name} doesn't support ${this.component.type} components; the Text version is sent instead`, pointer: f.pointer });
      }
      if (!textOnly) warnings.push({ code: 'W_TEXT_FALLBACK', message: `${profile.name} doesn't support ${this.component.type} components: rendered as the Text version, as the request asked (${this.fallbackWording.spelling})` });
      chosen = { type: 'Text', content: { type: 'Text', text } };
    } else {
      for (const f of this.formats) {
        if (f.type === 'Text') {
          chosen = { type: 'Text', content: { type: 'Text', text } };
          break;
        }
        const name = FORMAT_LABELS[f.type];
        const formatProfile = profile.formats[f.type];
        if (!offered.includes(f.type) || formatProfile === undefined) {
          skipped.push({ format: f.type, code: SkipCode.FormatNotSupported, message: `${profile.label} doesn't offer ${name} for ${this.component.type} components`, pointer: f.pointer });
          continue;
        }
        const fit = this.tryFormat(f, formatProfile, profile, prepared, ctx, warnings);
        if ('skip' in fit) skipped.push(fit.skip);
        else {
          chosen = { type: f.type, content: fit.content };
          break;
        }
      }
      chosen ??= { type: 'Text', content: { type: 'Text', text } };
    }
    return { chosen, skipped };
  }

  /** The request's channel profile; a problem when it names none or an unknown one. */
  private channelOf(request: RenderRequest | unknown, problems: RenderProblemDetail[]): ChannelProfile | undefined {
    const channelName = request !== null && typeof request === 'object' ? (request as { channel?: unknown }).channel : undefined;
    if (typeof channelName !== 'string') {
      if (request !== null && typeof request === 'object') {
        problems.push({ pointer: '/channel', code: RequestErrorCode.UnknownChannel, message: `"channel" is required: one of ${this.profiles.names().join(', ')}` });
      }
      return undefined;
    }
    const profile = this.profiles.get(channelName);
    if (profile === undefined) {
      const close = this.profiles.names().filter((n) => n.toLowerCase() === channelName.toLowerCase());
      const hint = close.length > 0 ? ` Did you mean "${close[0]}"?` : '';
      problems.push({ pointer: '/channel', code: RequestErrorCode.UnknownChannel, message: `Unknown channel type "${channelName}".${hint} Known: ${this.profiles.names().join(', ')}` });
    }
    return profile;
  }

  /** Renders one format's content and checks it against the channel's profile. */
  private tryFormat(
    f: CompiledFormat,
    fp: FormatProfile,
    profile: ChannelProfile,
    prepared: PreparedRequest,
    ctx: RuntimeContext,
    warnings: RenderWarning[],
  ): { content: RenderedContent } | { skip: SkippedFormat } {
    const name = FORMAT_LABELS[f.type];
    const skip = (code: SkipCode, message: string, extra: { field?: string; option?: number } = {}): { skip: SkippedFormat } => ({ skip: { format: f.type, code, message, pointer: f.pointer, ...extra } });
    let content: RenderedContent;
    try {
      if (f.options !== undefined) {
        const items = this.items(f.options, ctx);
        const n = items.length;
        if (fp.options !== undefined && n > fp.options.max) return skip(SkipCode.TooManyOptions, `${n} options; ${name} shows at most ${fp.options.max}`);
        if (fp.options !== undefined && n < fp.options.min) {
          return skip(SkipCode.TooFewOptions, n === 0 ? `No options; ${name} shows at least ${fp.options.min}` : `${n} ${n === 1 ? 'option' : 'options'}; ${name} shows at least ${fp.options.min}`);
        }
        const title = this.value(f.bindings.title, ctx);
        const o = f.options;
        const globalsEmpty = isEmpty(ctx.record);
        const options = items.map((item) => this.option(o, item, ctx, globalsEmpty));
        content = { type: f.type as 'Buttons' | 'QuickReplies' | 'CardCarousel', title, options };
      } else {
        const title = this.value(f.bindings.title, ctx);
        const url = this.value(f.bindings.url, ctx);
        const image = this.value(f.bindings.image, ctx);
        const text = this.value(f.bindings.text, ctx);
        if (f.type === 'WebPage') {
          let display = f.display ?? 'ChatMessage';
          const allowed = fp.displays ?? ['ChatMessage', 'Popup'];
          if (!allowed.includes(display)) {
            const shown = allowed[0] ?? 'ChatMessage';
            warnings.push({ code: 'W_DISPLAY_CHANGED', message: `${profile.label} shows web pages as ${shown === 'ChatMessage' ? 'chat messages' : 'popups'}, not as ${display === 'Popup' ? 'popups' : 'chat messages'}`, pointer: `${f.pointer}/display` });
            display = shown;
          }
          content = { type: 'WebPage', ...(text !== '' ? { text } : {}), title, url, display };
        } else if (f.type === 'RichLink') content = { type: 'RichLink', title, url, image, ...(text !== '' ? { text } : {}) };
        else content = { type: 'Media', title, url, image };
      }
    } catch (e) {
      if (!(e instanceof BindingFailure) || e.code === RenderErrorCode.BudgetExceeded) throw e;
      return skip(SkipCode.EvaluationError, `${e.what === 'the formula' ? 'A formula' : e.what} failed at ${e.pointer} (line ${e.line}, column ${e.column}): ${e.detail}`);
    }
    const problem = checkContent(content, fp, profile, name);
    return problem !== undefined ? skip(problem.code, problem.message, problem.extra) : { content };
  }

  private value(b: CompiledBinding | undefined, ctx: RuntimeContext): string {
    return b === undefined ? '' : b.evaluate(ctx);
  }

  /** The source list's entries ([] when blank). */
  private items(o: CompiledOptions, ctx: RuntimeContext): readonly Record<string, unknown>[] {
    const list = ctx[o.from][o.key];
    return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
  }

  private option(o: CompiledOptions, item: Record<string, unknown>, ctx: RuntimeContext, globalsEmpty: boolean): RenderedOption {
    const needs = o.title !== undefined || o.subtitle !== undefined || o.image !== undefined || o.id !== undefined;
    // The option's record, and the request's globals beside its fields ($User.X reads them).
    const itemCtx = needs ? ctx.withRecord(ctx.record === item || globalsEmpty ? item : { ...ctx.record, ...item }) : ctx;
    // What an option shows when the format binds nothing, by the source's kind; read only for what is unbound.
    const kind = o.kind;
    const title = o.title !== undefined ? o.title.evaluate(itemCtx) : kind === 'static' ? str(item.Name) : kind === 'slots' ? str(item.label) : '';
    const subtitle = o.subtitle !== undefined ? o.subtitle.evaluate(itemCtx) : kind === 'static' ? str(item.Subtitle) : '';
    const image = o.image !== undefined ? o.image.evaluate(itemCtx) : kind === 'static' ? str(item.Image) : '';
    const id = o.id !== undefined ? o.id.evaluate(itemCtx) : kind === 'static' ? str(item.Id) || str(item.Name) : kind === 'slots' ? str(item.id) : str(item.Id);
    // Built by assignment in the same key order as before (id, title, subtitle, image): no spreads per option.
    const option: { id: string; title: string; subtitle?: string; image?: string } = { id, title };
    if (subtitle !== '') option.subtitle = subtitle;
    if (image !== '') option.image = image;
    return option;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Whether an object has no own enumerable keys, without building the array of them. */
function isEmpty(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return false;
  return true;
}

function fail(code: string, message: string, errors: RenderProblemDetail[]): RenderOutcome {
  return { ok: false, error: { code, message, errors } };
}
