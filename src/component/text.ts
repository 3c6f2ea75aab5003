/**
 * The Text version of a component: the Text format's own template, or one generated from the
 * component ("We generate the Text version of a component for you", G:4582), and everything a
 * renderer needs to render it.
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import { quoteString, type Expr } from '../formula/ast.js';
import { FormulaSyntax } from '../formula/parser/parse.js';
import type { ListTemplateDefinition, TemplateOptions } from '../template/template.js';
import type { LineBreakMode } from '../template/tokenizer.js';
import { builtinCatalog, componentDataTypes, constantValuesOf } from './data.js';
import { OPTION_FORMATS, type Binding, type ComponentDefinition, type Format, type OptionsFormat } from './model.js';

/** The Text version of a component, as a formula template. */
export interface TextTemplate {
  /** The formula template. */
  readonly source: string;
  readonly lineBreaks: LineBreakMode;
  /** The component's list templates, plus the generated one when the template is generated. */
  readonly listTemplates: readonly ListTemplateDefinition[];
  /** True when the template was generated (no Text format with a template). */
  readonly generated: boolean;
}

/** Everything needed to render a component's Text version with `compileTemplate`. */
export interface TextTemplateInput {
  readonly source: string;
  /** Compile options: constants and parameters as formula types, list templates, line breaks. */
  readonly options: TemplateOptions;
  /** The constants' values, for `render({constants})`. Parameters come from the send request. */
  readonly constants: Readonly<Record<string, unknown>>;
  readonly generated: boolean;
}

/** The line every generated options list starts with, as in the seed's OptionsList (G:4635). */
export const SELECT_AN_OPTION = 'Select an option:';

/** The per-entry template of a generated options list (the seed's, G:4642), around an item expression. */
function itemTemplate(item: string): string {
  return `{!$ListItem.Index}. ${item}{!IF(NOT($ListItem.IsLast),BR(),"")}`;
}

/**
 * The Text version of a valid component. With a Text format that has a template, that template.
 * Otherwise a generated one:
 * - questions and time selectors: the title, a line "Select an option:", then the options
 *   numbered one per line ("1. Cancel my order") by a generated list template named OptionsList
 *   (OptionsList2, … if the component already has one), exactly like the seed's OptionsList;
 * - enhanced links: the title, then the URL on the next line;
 * - auto-responses: the intro text (or the title), then the URL on the next line.
 * The first format of the right kind, in priority order, provides the content. Time slots are
 * listed by their `label`, which the renderer fills in.
 */
export function textTemplateOf(component: ComponentDefinition): TextTemplate {
  const formats = component.formats ?? [];
  const own = component.listTemplates ?? [];
  const listTemplates: ListTemplateDefinition[] = own.map((lt) => ({ name: lt.name, source: lt.source, template: lt.template, ...(lt.lineBreaks !== undefined ? { lineBreaks: lt.lineBreaks } : {}) }));
  const text = formats.find((f) => f.type === 'Text');
  if (text !== undefined && text.type === 'Text' && text.template !== undefined) {
    return { source: text.template, lineBreaks: text.lineBreaks ?? 'br', listTemplates, generated: false };
  }
  const generated = (source: string, extra: ListTemplateDefinition[] = []): TextTemplate => ({ source, lineBreaks: 'br', listTemplates: [...listTemplates, ...extra], generated: true });
  if (isTextOnly(component)) return textOnlyTemplate(component, own, generated);
  switch (component.type) {
    case 'QuestionStaticOptions':
    case 'QuestionDynamicOptions':
    case 'TimeSelector': {
      const f = formats.find((x): x is OptionsFormat => OPTION_FORMATS.has(x.type));
      if (f === undefined) return generated('');
      const name = uniqueName('OptionsList', own.map((lt) => lt.name));
      const item =
        f.options.title !== undefined
          ? expression(f.options.title, true)
          : component.type === 'QuestionStaticOptions'
            ? '{!$ListItem.Value.Name}'
            : component.type === 'TimeSelector'
              ? '{!$ListItem.Value.label}'
              : '{!$ListItem.Value.Id}';
      const source = `${expression(f.title, false)}{!BR()}\n${SELECT_AN_OPTION}{!BR()}\n{!$ListTemplates.${name}}`;
      return generated(source, [{ name, source: f.options.source, template: itemTemplate(item) }]);
    }
    case 'EnhancedLink': {
      const f = formats.find((x) => x.type === 'Media' || x.type === 'RichLink') as Extract<Format, { type: 'Media' | 'RichLink' }> | undefined;
      return generated(f === undefined ? '' : `${expression(f.title, false)}{!BR()}\n${expression(f.url, false)}`);
    }
    case 'AutoResponse': {
      const f = formats.find((x) => x.type === 'WebPage') as Extract<Format, { type: 'WebPage' }> | undefined;
      return generated(f === undefined ? '' : `${expression(f.text ?? f.title, false)}{!BR()}\n${expression(f.url, false)}`);
    }
  }
}

/**
 * Whether a component uses the default text-only format (G:3919: "If you don't add any formats,
 * your component uses the default text-only format"): it has no formats, or only a Text format.
 * It renders as its Text version on every channel.
 */
export function isTextOnly(component: Pick<ComponentDefinition, 'formats'>): boolean {
  const formats: unknown = component.formats ?? [];
  return Array.isArray(formats) && formats.every((f: unknown) => f !== null && typeof f === 'object' && (f as { type?: unknown }).type === 'Text');
}

/** What a text-only component's generated Text version reads: the declarations it is made of. */
export interface TextOnlyParts {
  /** A Text constant named Title (any case), the first line. */
  readonly title?: string;
  /** Questions and time selectors: the only declaration of their options' kind, as `$Constants.X` / `$Parameters.X`. */
  readonly options?: string;
  /** Enhanced links and auto-responses: the only Url constant or parameter, the last line. */
  readonly url?: string;
  /** Auto-responses: a Text constant named Text or Intro (any case), after the title. */
  readonly text?: string;
}

const OPTION_KIND: Partial<Record<ComponentDefinition['type'], { readonly scope: 'constants' | 'parameters'; readonly type: string; readonly item: string }>> = {
  QuestionStaticOptions: { scope: 'constants', type: 'List<Option>', item: '{!$ListItem.Value.Name}' },
  QuestionDynamicOptions: { scope: 'parameters', type: 'List<RecordId>', item: '{!$ListItem.Value.Id}' },
  TimeSelector: { scope: 'parameters', type: 'List<TimeSlot>', item: '{!$ListItem.Value.label}' },
};

/**
 * The parts of a text-only component's generated Text version, read from its declarations (the
 * seed's own template names its title constant Title, G:4634): a Text constant Title; for
 * questions and time selectors, the only declaration of their options' kind; for enhanced links
 * and auto-responses, the only Url constant or parameter; for auto-responses, a Text constant
 * Text or Intro.
 */
export function textOnlyParts(component: ComponentDefinition): TextOnlyParts {
  // Read defensively: validation calls this on definitions that may still be malformed.
  const entries = (v: unknown): Array<[string, { readonly type?: unknown }]> => (v !== null && typeof v === 'object' ? Object.entries(v as Record<string, { type?: unknown } | null>).map(([n, d]) => [n, d ?? {}]) : []);
  const constants = entries(component.constants);
  const parameters = entries(component.parameters);
  const named = (names: readonly string[]): string | undefined => constants.find(([n, d]) => d.type === 'Text' && names.includes(n.toLowerCase()))?.[0];
  const title = named(['title']);
  const text = component.type === 'AutoResponse' ? named(['text', 'intro']) : undefined;
  const kind = OPTION_KIND[component.type];
  let options: string | undefined;
  if (kind !== undefined) {
    const list = (kind.scope === 'constants' ? constants : parameters).filter(([, d]) => d.type === kind.type);
    if (list.length === 1) options = `$${kind.scope === 'constants' ? 'Constants' : 'Parameters'}.${list[0]![0]}`;
  }
  let url: string | undefined;
  if (component.type === 'EnhancedLink' || component.type === 'AutoResponse') {
    const urls = [...constants.map(([n, d]) => ['Constants', n, d.type] as const), ...parameters.map(([n, d]) => ['Parameters', n, d.type] as const)].filter(([, , t]) => t === 'Url');
    if (urls.length === 1) url = `$${urls[0]![0]}.${urls[0]![1]}`;
  }
  return { ...(title !== undefined ? { title } : {}), ...(text !== undefined ? { text } : {}), ...(options !== undefined ? { options } : {}), ...(url !== undefined ? { url } : {}) };
}

/** The generated Text version of a text-only component: its parts, one per line (see {@link textOnlyParts}). */
function textOnlyTemplate(component: ComponentDefinition, own: readonly { readonly name: string }[], generated: (source: string, extra?: ListTemplateDefinition[]) => TextTemplate): TextTemplate {
  const parts = textOnlyParts(component);
  const lines: string[] = [];
  if (parts.title !== undefined) lines.push(`{!$Constants.${parts.title}}`);
  if (parts.text !== undefined) lines.push(`{!$Constants.${parts.text}}`);
  const extra: ListTemplateDefinition[] = [];
  if (parts.options !== undefined) {
    const name = uniqueName('OptionsList', own.map((lt) => lt.name));
    lines.push(SELECT_AN_OPTION, `{!$ListTemplates.${name}}`);
    extra.push({ name, source: parts.options, template: itemTemplate((OPTION_KIND[component.type] as { item: string }).item) });
  }
  if (parts.url !== undefined) lines.push(`{!${parts.url}}`);
  return generated(lines.join('{!BR()}\n'), extra);
}

/**
 * Everything a renderer needs for a valid component's Text version: the template, the compile
 * options (constants and parameters typed against the catalog, list templates) and the
 * constants' values. Render with
 * `compileTemplate(input.source, input.options).render({constants: input.constants, parameters})`.
 */
export function textTemplateInput(component: ComponentDefinition, options: { readonly catalog?: ObjectCatalog } = {}): TextTemplateInput {
  const text = textTemplateOf(component);
  const types = componentDataTypes(component, options.catalog ?? builtinCatalog());
  return {
    source: text.source,
    options: { constants: types.constants, parameters: types.parameters, globals: types.globals, listTemplates: text.listTemplates, lineBreaks: text.lineBreaks },
    constants: constantValuesOf(component),
    generated: text.generated,
  };
}

/** A binding as template text: literal text, or a merge field. */
function expression(b: Binding, perOption: boolean): string {
  switch (b.type) {
    case 'Literal':
      // Literal text, unless it could be read as a merge field or holds line breaks (dropped in br mode).
      return /[{\r\n]/.test(b.value) ? `{!${quoteString(b.value)}}` : b.value;
    case 'Constant':
      return `{!$Constants.${b.name}}`;
    case 'Parameter':
      return `{!$Parameters.${b.name}${b.field !== undefined ? `.${b.field}` : ''}}`;
    case 'Formula':
      return `{!${perOption ? onListItem(b.formula) : b.formula}}`;
  }
}

let syntax: FormulaSyntax | undefined;

/**
 * Rewrites an options formula, which reads the option record's fields by bare name
 * (`CaseNumber & " - " & Subject`), to read them from the list item
 * (`$ListItem.Value.CaseNumber & " - " & $ListItem.Value.Subject`), keeping everything else as written.
 */
export function onListItem(formula: string): string {
  const parsed = (syntax ??= new FormulaSyntax()).parse(formula, { maxLength: Math.max(3900, formula.length) });
  if (parsed.ast === null) return formula;
  const starts: number[] = [];
  const stack: Expr[] = [parsed.ast];
  while (stack.length > 0) {
    const n = stack.pop() as Expr;
    if (n.kind === 'Reference') {
      if (n.global === null) starts.push(n.span.start);
    } else if (n.kind === 'Call') stack.push(...n.args);
    else if (n.kind === 'Unary') stack.push(n.operand);
    else if (n.kind === 'Binary') stack.push(n.left, n.right);
  }
  let out = formula;
  for (const s of starts.sort((a, b) => b - a)) out = `${out.slice(0, s)}$ListItem.Value.${out.slice(s)}`;
  return out;
}

function uniqueName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!lower.has(`${base}${i}`.toLowerCase())) return `${base}${i}`;
}
