/**
 * The first half of component validation (src/component/validate.ts): the declarations. Constants
 * and parameters (names, types, the objects of record parameters, constant values beyond the
 * schema's shapes), list templates (compiled against them), references and what is left unused,
 * and how problems are collected (each one once). The formats, bindings and what each component
 * type must contain are checked by the subclass in validate.ts.
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import type { Diagnostic } from '../formula/diagnostics.js';
import { parseDate, parseDateTime } from '../formula/runtime/temporal.js';
import { EMPTY_RECORD, parseGlobalsSpec, recordType, type FieldEntry, type FormulaType, type RecordType, type TypeSpecError } from '../formula/types.js';
import { compileTemplate, type ListTemplateDefinition } from '../template/template.js';
import { didYouMean, formulaTypeOf, objectRecordType } from './data.js';
import { COMPONENT_TYPES, ComponentErrorCode as C, type ComponentType } from './model.js';
import { escapePointer, type ComponentProblem } from './schema.js';

export interface Declaration {
  readonly kind: 'constant' | 'parameter';
  readonly name: string;
  /** The declared type, when it is a string. */
  readonly type: string | undefined;
  readonly formulaType: FormulaType;
  readonly pointer: string;
  readonly value?: unknown;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const REFERENCE = /\$(Constants|Parameters)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/gi;
export const URL_LIKE = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s/?#]+[^\s]*$/;

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Collects a definition's problems; checks its declarations, list templates and references. */
export class DeclarationChecker {
  readonly errors: ComponentProblem[] = [];
  readonly warnings: ComponentProblem[] = [];
  protected readonly type: ComponentType | undefined;
  protected readonly constants = new Map<string, Declaration>();
  protected readonly parameters = new Map<string, Declaration>();
  protected constantsType: RecordType = EMPTY_RECORD;
  protected parametersType: RecordType = EMPTY_RECORD;
  protected globalsType: RecordType = EMPTY_RECORD;
  protected listTemplates: ListTemplateDefinition[] = [];
  protected readonly listTemplatePointers = new Map<string, string>();
  /** `constant:<lower name>` / `parameter:<lower name>` of everything referenced. */
  protected readonly used = new Set<string>();
  /** Texts that may reference list templates: Text format templates and list templates. */
  protected readonly templateTexts: string[] = [];

  constructor(
    protected readonly def: Record<string, unknown>,
    protected readonly catalog: ObjectCatalog,
  ) {
    const t = def['type'];
    this.type = (COMPONENT_TYPES as readonly unknown[]).includes(t) ? (t as ComponentType) : undefined;
  }

  private readonly reported = new Set<string>();

  protected error(pointer: string, code: string, message: string, extra: { line?: number; column?: number } = {}): void {
    if (this.first(pointer, code, message, extra)) this.errors.push({ pointer, code, message, ...extra });
  }

  protected warning(pointer: string, code: string, message: string, extra: { line?: number; column?: number } = {}): void {
    if (this.first(pointer, code, message, extra)) this.warnings.push({ pointer, code, message, ...extra });
  }

  /** False for a problem already reported (a list template used by another is compiled with it, too). */
  private first(pointer: string, code: string, message: string, extra: { line?: number; column?: number }): boolean {
    const key = JSON.stringify([pointer, code, message, extra.line, extra.column]);
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Declarations

  /** `globals`: each key a declarable global, each value its members' types (as record fields). */
  protected declareGlobals(): void {
    const errors: TypeSpecError[] = [];
    this.globalsType = parseGlobalsSpec(this.def['globals'], '/globals', errors);
    for (const e of errors) this.error(e.pointer, /is not a global/.test(e.message) ? C.UnknownGlobal : C.InvalidValue, e.message);
  }

  protected declarations(kind: 'constant' | 'parameter'): void {
    const key = kind === 'constant' ? 'constants' : 'parameters';
    const map = kind === 'constant' ? this.constants : this.parameters;
    const entries = isObject(this.def[key]) ? Object.entries(this.def[key] as Record<string, unknown>) : [];
    const fields: FieldEntry[] = [];
    for (const [name, decl] of entries) {
      const pointer = `/${key}/${escapePointer(name)}`;
      const previous = map.get(name.toLowerCase());
      if (previous !== undefined) {
        this.error(pointer, C.DuplicateName, `The ${kind} "${name}" differs from "${previous.name}" only in case; formulas cannot tell them apart ($${key === 'constants' ? 'Constants' : 'Parameters'}.${name})`);
        continue;
      }
      const type = isObject(decl) && typeof decl['type'] === 'string' ? decl['type'] : undefined;
      let object: RecordType | undefined;
      if (kind === 'parameter' && (type === 'RecordId' || type === 'List<RecordId>') && isObject(decl) && typeof decl['object'] === 'string' && decl['object'] !== '') {
        const resolved = objectRecordType(this.catalog, decl['object']);
        if (resolved.problem !== undefined) this.error(`${pointer}/object`, C.UnknownObject, resolved.problem);
        object = resolved.type;
      }
      const formulaType = formulaTypeOf(type, object);
      const entry: Declaration = { kind, name, type, formulaType, pointer, ...(isObject(decl) && 'value' in decl ? { value: decl['value'] } : {}) };
      map.set(name.toLowerCase(), entry);
      if (NAME.test(name)) fields.push({ name, type: formulaType });
      if (kind === 'constant') this.checkConstantValue(entry);
    }
    if (kind === 'constant') this.constantsType = recordType(fields);
    else this.parametersType = recordType(fields);
  }

  /** Value checks beyond the schema's shapes: real dates, parseable URLs, unique option ids. */
  protected checkConstantValue(d: Declaration): void {
    const v = d.value;
    const at = `${d.pointer}/value`;
    const bad = (what: string): void => this.error(at, C.ConstantValue, `Constant ${d.name} is ${d.type}: ${JSON.stringify(v)} is not ${what}`);
    switch (d.type) {
      case 'Url':
      case 'Image':
        if (typeof v === 'string' && URL_LIKE.test(v) && !isUrl(v)) bad('a valid URL');
        break;
      case 'Date':
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && parseDate(v) === undefined) bad('a valid date');
        break;
      case 'DateTime':
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && parseDateTime(v) === undefined) bad('a valid ISO 8601 date-time with an offset');
        break;
      case 'List<Option>': {
        if (!Array.isArray(v)) break;
        const ids = new Map<string, number>();
        const names = new Map<string, number>();
        v.forEach((o: unknown, i) => {
          if (!isObject(o) || typeof o['Name'] !== 'string') return;
          const image = o['Image'];
          if (typeof image === 'string' && URL_LIKE.test(image) && !isUrl(image)) {
            this.error(`${at}/${i}/Image`, C.ConstantValue, `Constant ${d.name}: option ${i} has an Image that is not a valid URL: ${JSON.stringify(image)}`);
          }
          const explicit = typeof o['Id'] === 'string';
          const id = explicit ? (o['Id'] as string) : o['Name'];
          const first = ids.get(id);
          if (first !== undefined) {
            this.error(
              `${at}/${i}/${explicit ? 'Id' : 'Name'}`,
              C.DuplicateOptionId,
              `Options ${first} and ${i} of ${d.name} have the same Id ${JSON.stringify(id)}${explicit ? '' : ' (an option without an Id is identified by its Name)'}; a selection must identify one option`,
            );
          } else ids.set(id, i);
          const firstName = names.get(o['Name'].toLowerCase());
          if (firstName !== undefined) {
            this.warning(`${at}/${i}/Name`, C.DuplicateOptionName, `Options ${firstName} and ${i} of ${d.name} have the same Name ${JSON.stringify(o['Name'])}; customers cannot tell them apart`);
          } else names.set(o['Name'].toLowerCase(), i);
        });
        break;
      }
      default:
        break;
    }
  }

  // ------------------------------------------------------------------------------------------
  // List templates

  protected checkListTemplates(): void {
    const list = Array.isArray(this.def['listTemplates']) ? (this.def['listTemplates'] as unknown[]) : [];
    const byName = new Map<string, number>();
    list.forEach((lt, i) => {
      if (!isObject(lt) || typeof lt['name'] !== 'string' || typeof lt['source'] !== 'string' || typeof lt['template'] !== 'string') return;
      const key = lt['name'].toLowerCase();
      const first = byName.get(key);
      if (first !== undefined) {
        const firstName = (list[first] as { name: string }).name;
        this.error(`/listTemplates/${i}/name`, C.DuplicateListTemplate, `The list template ${firstName} at /listTemplates/${first} already has this name; list template names are unique, case-insensitively`);
        return;
      }
      byName.set(key, i);
      this.listTemplatePointers.set(key, `/listTemplates/${i}`);
      this.listTemplates.push({
        name: lt['name'],
        source: lt['source'],
        template: lt['template'],
        ...(lt['lineBreaks'] === 'br' || lt['lineBreaks'] === 'preserve' ? { lineBreaks: lt['lineBreaks'] } : {}),
      });
      this.templateTexts.push(lt['template']);
      this.markReferences(lt['source']);
      this.markReferences(lt['template']);
    });
    if (this.listTemplates.length === 0) return;
    // Compiling an empty main template checks every list template (their problems carry an origin).
    const compiled = compileTemplate('', { constants: this.constantsType, parameters: this.parametersType, globals: this.globalsType, listTemplates: this.listTemplates });
    for (const d of compiled.diagnostics) {
      if (d.origin === undefined) continue;
      const m = /^\$ListTemplates\.(.+?)(\.source)?$/.exec(d.origin);
      const base = m === null ? undefined : this.listTemplatePointers.get((m[1] as string).toLowerCase());
      if (base === undefined) continue;
      if (m?.[2] !== undefined) this.report(d, `${base}/source`, false);
      else this.report(d, `${base}/template`, true);
    }
  }

  /** Reports a formula or template diagnostic at `pointer`, with its line and column when `located`. */
  protected report(d: Diagnostic, pointer: string, located: boolean): void {
    const where = located ? { line: d.span.line, column: d.span.column } : {};
    // A component declares globals in "globals", not in a formula's fields.
    const message = d.code === 'E_UNKNOWN_GLOBAL' ? d.message.replace('describe its members in fields', 'declare it in the component\'s "globals"').replace('and give their values in the record', 'and give its values in each render request') : d.message;
    if (d.severity === 'error') this.error(pointer, d.code, message, where);
    else this.warning(pointer, d.code, message, where);
  }

  protected lookup(kind: 'constant' | 'parameter', name: string, pointer: string): Declaration | undefined {
    const map = kind === 'constant' ? this.constants : this.parameters;
    const d = map.get(name.toLowerCase());
    if (d !== undefined) {
      this.used.add(`${kind}:${name.toLowerCase()}`);
      return d;
    }
    const names = [...map.values()].map((x) => x.name);
    this.error(
      pointer,
      kind === 'constant' ? C.UnknownConstant : C.UnknownParameter,
      `There is no ${kind} named ${name}.${didYouMean(name, names)}${names.length > 0 ? ` Declared ${kind}s: ${names.join(', ')}` : ` Declare it under "${kind}s"`}`,
    );
    return undefined;
  }

  protected markReferences(text: string): void {
    for (const m of text.matchAll(REFERENCE)) this.used.add(`${(m[1] as string).toLowerCase() === 'constants' ? 'constant' : 'parameter'}:${(m[2] as string).toLowerCase()}`);
  }

  protected checkUnused(): void {
    for (const map of [this.constants, this.parameters]) {
      for (const d of map.values()) {
        if (this.used.has(`${d.kind}:${d.name.toLowerCase()}`)) continue;
        this.warning(d.pointer, C.Unused, `The ${d.kind} ${d.name} is not used by any format, formula or template`);
      }
    }
    for (const lt of this.listTemplates) {
      const ref = new RegExp(`\\$ListTemplates\\s*\\.\\s*${lt.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'i');
      const usedBy = this.templateTexts.some((t) => t !== lt.template && ref.test(t));
      if (!usedBy) {
        this.warning(
          this.listTemplatePointers.get(lt.name.toLowerCase()) as string,
          C.Unused,
          `The list template ${lt.name} is not used: no Text template references $ListTemplates.${lt.name} (the generated Text version uses its own)`,
        );
      }
    }
  }
}

export function isUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
