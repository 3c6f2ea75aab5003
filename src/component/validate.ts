/**
 * Component validation: the JSON Schema first, then every rule a schema cannot express
 * (formats per component type, references, formulas and templates type-checked against the
 * object catalog, what each component type must contain). Every problem is collected, with a
 * stable code and a JSON pointer; validation never stops at the first one. The declarations
 * (constants, parameters, list templates, references) are checked by the base class in
 * declarations.ts; the formats, bindings and requirements here.
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import { compileFormula } from '../formula/formula.js';
import { EMPTY_RECORD, isAssignable, typeName, withGlobals, type FieldEntry, type RecordType } from '../formula/types.js';
import { compileTemplate } from '../template/template.js';
import { builtinCatalog, didYouMean } from './data.js';
import { DeclarationChecker, isObject, isUrl, URL_LIKE, type Declaration } from './declarations.js';
import { ALLOWED_FORMATS, ComponentErrorCode as C, FORMAT_TYPES, OPTION_FORMATS, type ComponentDefinition, type ComponentType, type FormatType } from './model.js';
import { schemaProblems, shapeProblem, type ComponentProblem } from './schema.js';
import { textOnlyParts } from './text.js';

export interface ValidateOptions {
  /** The objects record parameters may reference. Default: the built-in catalog. */
  readonly catalog?: ObjectCatalog;
}

export interface ComponentValidationResult {
  /** True when there are no errors (warnings may remain). */
  readonly valid: boolean;
  readonly errors: readonly ComponentProblem[];
  readonly warnings: readonly ComponentProblem[];
  /** The definition, typed, when it is valid. */
  readonly component?: ComponentDefinition;
}

/** Validates a component definition (a parsed JSON document). Never throws for bad input. */
export function validateComponent(definition: unknown, options: ValidateOptions = {}): ComponentValidationResult {
  // Refused before any recursive code (the schema validator, JSON.stringify, structuredClone) sees it.
  const shape = shapeProblem(definition);
  if (shape !== undefined) return { valid: false, errors: [shape], warnings: [] };
  const schema = schemaProblems(definition);
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) return { valid: false, errors: schema, warnings: [] };
  const checker = new Checker(definition as Record<string, unknown>, options.catalog ?? builtinCatalog());
  checker.run();
  // A semantic problem at a pointer the schema already reported would only repeat it.
  const schemaPointers = new Set(schema.map((p) => p.pointer));
  const errors = [...schema, ...checker.errors.filter((p) => !schemaPointers.has(p.pointer))];
  // With schema errors some references may not have been understood: "unused" would be noise.
  const warnings = schema.length > 0 ? checker.warnings.filter((w) => w.code !== C.Unused) : checker.warnings;
  const valid = errors.length === 0;
  return { valid, errors, warnings, ...(valid ? { component: structuredClone(definition) as unknown as ComponentDefinition } : {}) };
}

type Role = 'text' | 'url' | 'image';

/** Where per-option bindings run: the option record's type, or `undefined` when the source did not resolve. */
interface OptionContext {
  readonly item: RecordType | undefined;
}

const SOURCE = /^\$(Constants|Parameters)\.([A-Za-z][A-Za-z0-9_]*)$/;

/** What each options component takes its options from (G:4604, §6). */
const OPTION_SOURCES: Partial<Record<ComponentType, { kind: 'constant' | 'parameter'; type: string; describe: string }>> = {
  QuestionStaticOptions: { kind: 'constant', type: 'List<Option>', describe: 'a question with static options takes its options from a List<Option> constant' },
  QuestionDynamicOptions: { kind: 'parameter', type: 'List<RecordId>', describe: 'a question with dynamic options takes its options from a List<RecordId> parameter (records supplied at send time)' },
  TimeSelector: { kind: 'parameter', type: 'List<TimeSlot>', describe: 'a time selector takes its options from a List<TimeSlot> parameter (slots supplied at send time)' },
};

/** Capacities that can be checked when the options are known up front (DECISIONS.md "Formats and channels"). */
const CAPACITY: Partial<Record<FormatType, { min: number; max: number; text: string }>> = {
  Buttons: { min: 1, max: 3, text: 'Buttons shows 1 to 3 options' },
  QuickReplies: { min: 3, max: 13, text: 'Quick Replies shows 3 to 13 options' },
  CardCarousel: { min: 1, max: 3, text: 'Card Carousel shows 1 to 3 options' },
};

/** Checks a definition: its declarations (the base class), then formats, bindings and requirements. */
class Checker extends DeclarationChecker {
  run(): void {
    this.declareGlobals();
    this.declarations('constant');
    this.declarations('parameter');
    this.checkListTemplates();
    const formats = Array.isArray(this.def['formats']) ? (this.def['formats'] as unknown[]) : undefined;
    if (formats !== undefined) this.checkFormats(formats);
    if (this.def['formats'] === undefined || formats !== undefined) this.checkRequirements(formats ?? []);
    this.checkUnused();
  }

  // ------------------------------------------------------------------------------------------
  // Formats

  private checkFormats(formats: unknown[]): void {
    const seen = new Map<string, number>();
    let optionsSource: { key: string; display: string; pointer: string } | undefined;
    formats.forEach((f, i) => {
      if (!isObject(f) || !(FORMAT_TYPES as readonly unknown[]).includes(f['type'])) return;
      const type = f['type'] as FormatType;
      const ptr = `/formats/${i}`;
      let allowed = true;
      if (this.type !== undefined && !ALLOWED_FORMATS[this.type].includes(type)) {
        allowed = false;
        this.error(`${ptr}/type`, C.FormatNotAllowed, `${article(this.type)} ${this.type} component cannot use the ${type} format. Allowed formats: ${ALLOWED_FORMATS[this.type].join(', ')}`);
      }
      const first = seen.get(type);
      if (first !== undefined) this.error(`${ptr}/type`, C.DuplicateFormat, `The ${type} format is already listed at /formats/${first}; each format may appear once`);
      else seen.set(type, i);

      switch (type) {
        case 'Buttons':
        case 'QuickReplies':
        case 'CardCarousel': {
          this.checkBinding(f['title'], `${ptr}/title`, 'text');
          if (!isObject(f['options'])) break;
          const source = this.checkOptions(type, f['options'], `${ptr}/options`, allowed);
          if (source === undefined) break;
          if (optionsSource === undefined) optionsSource = source;
          else if (optionsSource.key !== source.key) {
            this.error(
              source.pointer,
              C.OptionsSourceConflict,
              `The options come from ${optionsSource.display} in ${optionsSource.pointer.replace(/\/options\/source$/, '')}; every format of a component shows the same options, so use ${optionsSource.display} here too`,
            );
          }
          break;
        }
        case 'Media':
        case 'RichLink':
        case 'WebPage':
          this.checkBinding(f['title'], `${ptr}/title`, 'text');
          this.checkBinding(f['url'], `${ptr}/url`, 'url');
          this.checkBinding(f['image'], `${ptr}/image`, 'image');
          this.checkBinding(f['text'], `${ptr}/text`, 'text');
          break;
        case 'Text':
          if (typeof f['template'] === 'string') this.checkTextTemplate(f['template'], f['lineBreaks'], `${ptr}/template`);
          break;
      }
    });
  }

  private checkTextTemplate(template: string, lineBreaks: unknown, pointer: string): void {
    this.templateTexts.push(template);
    this.markReferences(template);
    const compiled = compileTemplate(template, {
      constants: this.constantsType,
      parameters: this.parametersType,
      globals: this.globalsType,
      listTemplates: this.listTemplates,
      lineBreaks: lineBreaks === 'preserve' ? 'preserve' : 'br',
    });
    // Problems inside list templates (they carry an origin) were reported with the list templates.
    for (const d of compiled.diagnostics) if (d.origin === undefined) this.report(d, pointer, true);
  }

  /** Checks an options spec; returns its source when it resolves to a list. */
  private checkOptions(format: FormatType, spec: Record<string, unknown>, ptr: string, formatAllowed: boolean): { key: string; display: string; pointer: string } | undefined {
    const raw = spec['source'];
    const m = typeof raw === 'string' ? SOURCE.exec(raw) : null;
    let item: RecordType | undefined;
    let result: { key: string; display: string; pointer: string } | undefined;
    let decl: Declaration | undefined;
    if (m !== null) {
      const kind = m[1] === 'Constants' ? 'constant' : 'parameter';
      const name = m[2] as string;
      decl = this.lookup(kind, name, `${ptr}/source`);
      if (decl !== undefined) {
        const expected = this.type !== undefined ? OPTION_SOURCES[this.type] : undefined;
        const t = decl.formulaType;
        const wrongKind = formatAllowed && expected !== undefined && (decl.kind !== expected.kind || (decl.type !== expected.type && t !== 'Unknown'));
        if (wrongKind) {
          this.error(
            `${ptr}/source`,
            C.OptionsSourceKind,
            `${raw as string} is a ${decl.type ?? 'invalid'} ${decl.kind}, but ${expected.describe}.${hintForSource(this.type as ComponentType, decl)}`,
          );
        } else if (typeof t !== 'string' && t.kind === 'list' && typeof t.element !== 'string' && t.element.kind === 'record') {
          item = t.element;
        }
        if (!wrongKind && typeof t !== 'string' && t.kind === 'list') result = { key: `${decl.kind}:${decl.name.toLowerCase()}`, display: raw as string, pointer: `${ptr}/source` };
      }
    }
    const ctx: OptionContext = { item };
    const unresolved = m === null || decl === undefined || item === undefined;
    this.checkBinding(spec['title'], `${ptr}/title`, 'text', unresolved ? { item: undefined } : ctx);
    this.checkBinding(spec['subtitle'], `${ptr}/subtitle`, 'text', unresolved ? { item: undefined } : ctx);
    this.checkBinding(spec['image'], `${ptr}/image`, 'image', unresolved ? { item: undefined } : ctx);
    this.checkBinding(spec['id'], `${ptr}/id`, 'text', unresolved ? { item: undefined } : ctx);
    if (this.type === 'QuestionDynamicOptions' && formatAllowed && spec['title'] === undefined) {
      const example = item?.object === 'Case' ? 'CaseNumber & " - " & Subject' : 'Name';
      this.error(
        `${ptr}/title`,
        C.OptionTitleRequired,
        `Dynamic options need a "title": a Formula binding over the record's fields, such as {"type": "Formula", "formula": ${JSON.stringify(example)}} (G:4674)`,
      );
    }
    if (formatAllowed && item !== undefined && decl !== undefined) this.checkCapacity(format, spec, ptr.replace(/\/options$/, ''), decl);
    return result;
  }

  /** Warns when static options can never fit a format (capacity, Card Carousel images). */
  private checkCapacity(format: FormatType, spec: Record<string, unknown>, ptr: string, decl: Declaration): void {
    const cap = CAPACITY[format];
    if (decl.kind === 'parameter') {
      if (format === 'CardCarousel' && spec['image'] === undefined) {
        this.warning(ptr, C.FormatNeverFits, `Card Carousel needs an image per option, and ${decl.name} has no images by default: add an "image" binding to the options, or this format is always skipped`);
      }
      return;
    }
    if (!Array.isArray(decl.value) || cap === undefined) return;
    const options = decl.value.filter(isObject);
    const n = options.length;
    if (n === 0) return;
    if (n < cap.min || n > cap.max) {
      this.warning(ptr, C.FormatNeverFits, `${cap.text} and ${decl.name} has ${n}: this format is always skipped`);
      return;
    }
    if (format !== 'CardCarousel') return;
    const image = spec['image'];
    if (image === undefined) {
      const missing = options.findIndex((o) => typeof o['Image'] !== 'string');
      const images = options.map((o) => o['Image']);
      if (missing >= 0) this.warning(ptr, C.FormatNeverFits, `Card Carousel needs an image per option, and option ${missing} of ${decl.name} has no Image: this format is always skipped`);
      else if (new Set(images).size < n) this.warning(ptr, C.FormatNeverFits, `Card Carousel needs a different image per option, and ${decl.name} repeats one: this format is always skipped`);
    } else if (isObject(image) && image['type'] !== 'Formula' && n > 1) {
      this.warning(ptr, C.FormatNeverFits, `Card Carousel needs a different image per option, but this image binding gives every option the same image: this format is always skipped`);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Bindings

  /**
   * Checks a binding for a property. `option` is set for per-option bindings: a Formula then
   * reads the option record's fields (and is skipped when the options source did not resolve).
   */
  private checkBinding(b: unknown, ptr: string, role: Role, option?: OptionContext): void {
    if (!isObject(b)) return;
    const property = ptr.slice(ptr.lastIndexOf('/') + 1);
    switch (b['type']) {
      case 'Literal': {
        const v = b['value'];
        if ((role === 'url' || role === 'image') && typeof v === 'string' && URL_LIKE.test(v) && !isUrl(v)) {
          this.error(`${ptr}/value`, C.InvalidUrl, `${JSON.stringify(v)} is not a valid URL`);
        }
        break;
      }
      case 'Constant':
      case 'Parameter': {
        if (typeof b['name'] !== 'string') break;
        const kind = b['type'] === 'Constant' ? 'constant' : 'parameter';
        const d = this.lookup(kind, b['name'], `${ptr}/name`);
        if (d === undefined) break;
        const field = kind === 'parameter' && typeof b['field'] === 'string' ? b['field'] : undefined;
        if (field !== undefined) this.checkField(d, field, `${ptr}/field`, property, role);
        else this.checkDeclaredFit(d, `${ptr}/name`, property, role);
        break;
      }
      case 'Formula': {
        if (typeof b['formula'] !== 'string' || b['formula'] === '') break;
        this.markReferences(b['formula']);
        if (option !== undefined && option.item === undefined) break;
        const compiled = compileFormula(b['formula'], {
          fields: withGlobals(option?.item ?? EMPTY_RECORD, this.globalsType),
          constants: this.constantsType,
          parameters: this.parametersType,
          returnType: 'Text',
        });
        const formula = b['formula'];
        for (const d of compiled.diagnostics) {
          const bare = option === undefined && d.code === 'E_UNKNOWN_FIELD' && !formula.slice(d.span.start, d.span.end).trimStart().startsWith('$');
          const hint = ' Outside options a formula has no record: read fields of a RecordId parameter, such as $Parameters.MyCaseParam.Subject';
          this.report(bare ? { ...d, message: `${d.message}${hint}` } : d, `${ptr}/formula`, true);
        }
        break;
      }
      default:
        break;
    }
  }

  /** Whether a constant or parameter (without a field) fits the property. */
  private checkDeclaredFit(d: Declaration, ptr: string, property: string, role: Role): void {
    if (d.type === undefined || d.formulaType === 'Unknown') return;
    const what = `the ${d.kind} ${d.name} is ${d.type}`;
    if (d.type === 'RecordId') {
      this.error(ptr, C.BindingType, `"${property}" needs a value, but ${what} (a ${typeName(d.formulaType)}): name one of its fields with "field", such as "Id"`);
      return;
    }
    if (d.type.startsWith('List<')) {
      this.error(ptr, C.BindingType, `"${property}" needs a single value, but ${what}; lists are options sources ("options": {"source": "$${d.kind === 'constant' ? 'Constants' : 'Parameters'}.${d.name}"})`);
      return;
    }
    const fits = role === 'url' ? d.type === 'Url' : role === 'image' ? d.type === 'Image' || d.type === 'Url' : d.type === 'Text' || d.type === 'Url' || d.type === 'Image';
    if (fits) return;
    const need =
      role === 'url'
        ? `a Url ${d.kind}${d.type === 'Text' ? ` (declare ${d.name} as "type": "Url" so its value is checked as a link)` : ''}`
        : role === 'image'
          ? `an Image or Url ${d.kind}`
          : `text (a Text, Url or Image ${d.kind}), or a Formula binding such as TEXT($${d.kind === 'constant' ? 'Constants' : 'Parameters'}.${d.name})`;
    this.error(ptr, C.BindingType, `"${property}" needs ${need}, but ${what}`);
  }

  /** Resolves `field` (a path such as Account.Name) on a RecordId parameter and checks its type. */
  private checkField(d: Declaration, field: string, ptr: string, property: string, role: Role): void {
    if (d.formulaType === 'Unknown' && (d.type === 'RecordId' || d.type === 'List<RecordId>')) return;
    const t = d.formulaType;
    if (typeof t === 'string' || t.kind !== 'record') {
      this.error(ptr, C.NotARecord, `Only RecordId parameters have fields, and ${d.name} is ${d.type ?? 'invalid'}${d.type === 'List<RecordId>' ? ': use it as an options source, whose per-option bindings read each record' : ''}`);
      return;
    }
    let cur: RecordType = t;
    let entry: FieldEntry | undefined;
    const path = field.split('.');
    for (const [i, seg] of path.entries()) {
      entry = cur.fields.get(seg.toLowerCase());
      const via = path.slice(0, i).join('.');
      const where = i === 0 ? (cur.object ?? 'The record') : cur.object === undefined || cur.object === via ? via : `${via} (${cur.object})`;
      if (entry === undefined) {
        this.error(ptr, C.UnknownField, `${where} has no field ${seg}.${didYouMean(seg, [...cur.fields.values()].map((f) => f.name))}`);
        return;
      }
      if (i < path.length - 1) {
        if (typeof entry.type === 'string' || entry.type.kind !== 'record') {
          this.error(ptr, C.UnknownField, `${path.slice(0, i + 1).join('.')} is ${typeName(entry.type)}, not a relationship, so it has no field ${path[i + 1]}`);
          return;
        }
        cur = entry.type;
      }
    }
    const ft = (entry as FieldEntry).type;
    if (typeof ft !== 'string') {
      this.error(ptr, C.BindingType, `${field} is a relationship to ${typeName(ft)}, not a value: name one of its fields, such as ${field}.Id`);
      return;
    }
    if (!isAssignable('Text', ft)) {
      this.error(ptr, C.BindingType, `"${property}" needs ${role === 'text' ? 'text' : `a ${role === 'url' ? 'URL' : 'image URL'} as text`}, but ${d.name}.${field} is ${ft}. Use a Formula binding, such as TEXT($Parameters.${d.name}.${field})`);
    }
  }

  // ------------------------------------------------------------------------------------------
  // What each component type must contain

  private checkRequirements(formats: unknown[]): void {
    const types = formats.filter(isObject).map((f) => f['type']);
    const ptr = '/formats';
    const hasTemplate = formats.some((f) => isObject(f) && f['type'] === 'Text' && typeof f['template'] === 'string');
    const textOnly = this.type !== undefined && types.length === formats.length && types.every((t) => t === 'Text');
    if (textOnly && !hasTemplate) {
      if (this.textOnlyContent(ptr) && this.type !== 'AutoResponse') this.textOnlyWarning(ptr);
      return;
    }
    switch (this.type) {
      case 'QuestionStaticOptions':
      case 'QuestionDynamicOptions':
      case 'TimeSelector':
        if (textOnly) this.textOnlyWarning(ptr);
        else if (!types.some((t) => OPTION_FORMATS.has(t as FormatType))) {
          const source = OPTION_SOURCES[this.type] as { describe: string };
          this.error(ptr, C.OptionsRequired, `${article(this.type)} ${this.type} component needs options: add a ${this.type === 'TimeSelector' ? 'Buttons or QuickReplies' : 'Buttons, QuickReplies or CardCarousel'} format with "options"; ${source.describe}`);
        }
        break;
      case 'EnhancedLink':
        if (textOnly) this.textOnlyWarning(ptr);
        else if (!types.includes('Media') && !types.includes('RichLink')) {
          this.error(ptr, C.LinkRequired, 'An enhanced link needs a link: add a Media format (Messenger) or a RichLink format (In-App and Web) with a title, url and image');
        }
        break;
      case 'AutoResponse': {
        if (!types.includes('WebPage') && !hasTemplate) {
          this.error(ptr, C.ContentRequired, 'An auto-response needs text or a link: add a Text format with a "template", or a WebPage format with a title and url');
        }
        break;
      }
      default:
        break;
    }
  }

  /**
   * Whether a text-only component without a Text template has something to say: the generated
   * Text version reads a Title constant, the options or a Url (textOnlyParts). Marks them used;
   * reports E_CONTENT_REQUIRED when there is nothing.
   */
  private textOnlyContent(ptr: string): boolean {
    const parts = textOnlyParts(this.def as unknown as ComponentDefinition);
    for (const ref of [parts.title, parts.text].filter((x) => x !== undefined)) this.used.add(`constant:${ref.toLowerCase()}`);
    for (const ref of [parts.options, parts.url]) {
      const m = ref === undefined ? null : SOURCE.exec(ref);
      if (m !== null) this.used.add(`${m[1] === 'Constants' ? 'constant' : 'parameter'}:${(m[2] as string).toLowerCase()}`);
    }
    if (Object.keys(parts).length > 0) return true;
    this.error(
      ptr,
      C.ContentRequired,
      `A component without formats uses the default text-only format (G:3919), and this one has nothing to say: add a Text format with a "template", or declare what the generated text reads (a Text constant Title${this.type === 'EnhancedLink' || this.type === 'AutoResponse' ? ', a Url constant' : this.type === 'QuestionStaticOptions' ? ', a List<Option> constant' : ', the options parameter'})`,
    );
    return false;
  }

  private textOnlyWarning(ptr: string): void {
    const what = this.type === 'EnhancedLink' ? 'link (Media or RichLink)' : 'options (Buttons, QuickReplies or CardCarousel)';
    this.warning(ptr, C.TextOnly, `No ${what} format: the component uses the default text-only format (G:3919) and renders as its Text version on every channel`);
  }
}

function hintForSource(type: ComponentType, decl: Declaration): string {
  if (type === 'QuestionStaticOptions' && decl.type === 'List<RecordId>') return ' For records supplied at send time, use a QuestionDynamicOptions component';
  if (type === 'QuestionDynamicOptions' && decl.type === 'List<Option>') return ' For predefined options, use a QuestionStaticOptions component';
  if (type === 'QuestionStaticOptions' && decl.type === 'List<TimeSlot>') return ' For time slots, use a TimeSelector component';
  return '';
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'An' : 'A';
}
