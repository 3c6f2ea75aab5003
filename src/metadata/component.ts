/**
 * ConversationMessageDefinition (Metadata API 59.0+) ↔ Parlance component definition. Pure:
 * element trees in, definitions and located problems out, and back. Which parts of the mapping
 * rest on the Metadata API reference, on real files and on inference: docs/salesforce-metadata.md.
 */
import type { Binding, ComponentDefinition, ComponentType, ConstantDeclaration, Format, ListTemplateSpec, Option, OptionsSpec, ParameterDeclaration } from '../component/model.js';
import { FORMAT_TYPES, SCALAR_DATA_TYPES } from '../component/model.js';
import { byLine, ImportLog, Node, placeKept, type SalesforceExtension } from './reader.js';
import { element, METADATA_NS, MetadataCode, XSI_NS, type MetadataProblem, type XmlElement } from './xml.js';

export const CMD_ROOT = 'ConversationMessageDefinition';

/** Element names the reference lists for the type and its parts (anything else is reported as unknown). */
const KNOWN = new Set([
  'constants', 'contentCategory', 'description', 'label', 'language', 'messageHandlers', 'messageLayouts', 'optionsParameter', 'parameters', 'type',
  'compositeValues', 'constantType', 'name', 'primitiveValues', 'valueType', 'constantItems', 'identifier', 'contentAssetName', 'textValue', 'urlValue',
  'formatType', 'messageType', 'layoutItems', 'layoutVariant', 'collectionType', 'formulaTemplate', 'parameterType', 'primitiveTypeDetails', 'isList', 'isRequired',
  'sobjectTypeDetails', 'sobjectType', 'listSource',
]);

/** Salesforce component types ↔ Parlance's. Picklist is a question with static or dynamic options. */
const TYPE_TO_PARLANCE: Readonly<Record<string, ComponentType>> = { Link: 'EnhancedLink', TimePicker: 'TimeSelector', AutoResponse: 'AutoResponse' };
const TYPE_TO_SALESFORCE: Readonly<Record<ComponentType, string>> = {
  EnhancedLink: 'Link',
  QuestionStaticOptions: 'Picklist',
  QuestionDynamicOptions: 'Picklist',
  TimeSelector: 'TimePicker',
  AutoResponse: 'AutoResponse',
};
const OPTIONS_FORMATS = new Set(['Buttons', 'QuickReplies', 'CardCarousel']);
/** The properties of each format, as layout item names. */
const BINDING_ITEMS = ['title', 'url', 'image', 'text'] as const;
const OPTION_ITEMS: ReadonlyArray<[keyof OptionsSpec, string]> = [['title', 'optionTitle'], ['subtitle', 'optionSubtitle'], ['image', 'optionImage'], ['id', 'optionId']];

export interface ComponentImport {
  readonly definition?: ComponentDefinition & { readonly 'x-salesforce'?: SalesforceExtension };
  readonly errors: readonly MetadataProblem[];
  readonly warnings: readonly MetadataProblem[];
}

// ---------------------------------------------------------------------------------------------
// Bindings ↔ primitiveValues

/** A binding from a layout item's `primitiveValues`; undefined when Parlance has no equivalent. */
function readBinding(pv: Node): Binding | undefined {
  const type = pv.text('type');
  if (type === 'Literal') {
    const value = pv.text('textValue');
    return value === undefined ? undefined : { type: 'Literal', value };
  }
  if (type !== 'FormulaTemplate') return undefined;
  const template = pv.text('formulaTemplate');
  const m = template === undefined ? null : /^\{!([\s\S]*)\}$/.exec(template);
  if (m === null || (m[1] as string).includes('{!')) return undefined;
  const inner = m[1] as string;
  const c = /^\$Constants\.([A-Za-z]\w*)$/.exec(inner);
  if (c !== null) return { type: 'Constant', name: c[1] as string };
  const p = /^\$Parameters\.([A-Za-z]\w*)(?:\.([A-Za-z]\w*))?$/.exec(inner);
  if (p !== null) return p[2] !== undefined ? { type: 'Parameter', name: p[1] as string, field: p[2] } : { type: 'Parameter', name: p[1] as string };
  return { type: 'Formula', formula: inner };
}

function bindingValues(b: Binding): XmlElement {
  if (b.type === 'Literal') return element('primitiveValues', [element('textValue', b.value), element('type', 'Literal')]);
  const inner = b.type === 'Constant' ? `$Constants.${b.name}` : b.type === 'Parameter' ? `$Parameters.${b.name}${b.field !== undefined ? `.${b.field}` : ''}` : b.formula;
  return element('primitiveValues', [element('formulaTemplate', `{!${inner}}`), element('type', 'FormulaTemplate')]);
}

function templateValues(template: string): XmlElement {
  return element('primitiveValues', [element('formulaTemplate', template), element('type', 'FormulaTemplate')]);
}

// ---------------------------------------------------------------------------------------------
// Import

/** Reads one constant; undefined when it doesn't map (it is then kept whole). */
function readConstant(n: Node, log: ImportLog): [string, ConstantDeclaration] | undefined {
  const name = n.text('name');
  if (name === undefined) return undefined;
  const composite = n.all('compositeValues');
  if (composite.length > 0) {
    n.derived('valueType', 'Option');
    const options: Option[] = composite.map((cv) => {
      const id = cv.text('identifier');
      const fields: Record<string, string> = {};
      for (const item of cv.all('constantItems')) {
        const field = item.text('name');
        const pv = item.one('primitiveValues');
        const value = pv?.text('textValue') ?? pv?.text('urlValue');
        if (field !== undefined && ['Name', 'Subtitle', 'Image'].includes(field) && value !== undefined && pv !== undefined) {
          fields[field] = value;
          pv.derived('type', 'Literal');
          pv.finish(log);
          item.derived('valueType', field === 'Image' ? 'Image' : 'Text');
          item.finish(log);
        } else cv.release(item);
      }
      cv.finish(log);
      return { Name: fields.Name ?? '', ...(fields.Subtitle !== undefined ? { Subtitle: fields.Subtitle } : {}), ...(fields.Image !== undefined ? { Image: fields.Image } : {}), ...(id !== undefined ? { Id: id } : {}) };
    });
    n.finish(log);
    return [name, { type: 'List<Option>', value: options }];
  }
  const valueType = n.text('valueType');
  if (valueType === undefined || !(SCALAR_DATA_TYPES as readonly string[]).includes(valueType)) {
    if (valueType !== undefined) log.error(MetadataCode.InvalidValue, `constants ${name}: valueType "${valueType}" is not one of ${SCALAR_DATA_TYPES.join(', ')}`, n);
    return undefined;
  }
  const pv = n.one('primitiveValues');
  const raw = pv === undefined ? undefined : valueType === 'Url' || valueType === 'Image' ? pv.text('urlValue') : pv.text('textValue');
  if (pv === undefined || raw === undefined) return undefined;
  pv.derived('type', 'Literal');
  pv.finish(log);
  n.finish(log);
  if (valueType === 'Boolean') {
    if (raw !== 'true' && raw !== 'false') log.error(MetadataCode.InvalidValue, `constants ${name}: a Boolean value is true or false, not "${raw}"`, pv);
    return [name, { type: 'Boolean', value: raw === 'true' }];
  }
  return [name, { type: valueType as 'Text', value: raw }];
}

function readParameter(n: Node, log: ImportLog): [string, ParameterDeclaration] | undefined {
  const kind = n.text('parameterType');
  const details = kind === 'CustomPrimitive' ? n.one('primitiveTypeDetails') : kind === 'Sobject' ? n.one('sobjectTypeDetails') : undefined;
  const name = details?.text('name');
  if (details === undefined || name === undefined) return undefined;
  const isList = details.text('isList') === 'true';
  details.derived('label', name);
  details.derived('isRequired', 'true');
  let decl: ParameterDeclaration | undefined;
  if (kind === 'Sobject') {
    const object = details.text('sobjectType');
    if (object !== undefined) decl = { type: isList ? 'List<RecordId>' : 'RecordId', object };
  } else {
    const valueType = details.text('valueType');
    if (valueType === 'TimeSlot' && isList) decl = { type: 'List<TimeSlot>' };
    else if (valueType !== undefined && (SCALAR_DATA_TYPES as readonly string[]).includes(valueType) && !isList) decl = { type: valueType as 'Text' };
    else log.error(MetadataCode.InvalidValue, `parameters ${name}: valueType "${valueType ?? ''}"${isList ? ' (a list)' : ''} has no Parlance equivalent`, details);
  }
  if (decl === undefined) return undefined;
  details.finish(log);
  n.finish(log);
  return [name, decl];
}

function itemsByName(layout: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const item of layout.all('layoutItems')) {
    const name = item.el.children.find((c) => c.name === 'name')?.text;
    if (name !== undefined && !out.has(name)) out.set(name, item);
    else layout.release(item);
  }
  return out;
}

/** A layout item's binding (the item leaves `items`); the item stays in `items`, to be kept, when it has none. */
function itemBinding(items: Map<string, Node>, key: string, log: ImportLog): Binding | undefined {
  const item = items.get(key);
  if (item === undefined) return undefined;
  const pv = item.one('primitiveValues');
  const b = pv === undefined ? undefined : readBinding(pv);
  if (b === undefined || pv === undefined) return undefined;
  items.delete(key);
  item.text('name');
  item.derived('collectionType', 'None');
  pv.finish(log);
  item.finish(log);
  return b;
}

function readLayout(layout: Node, log: ImportLog, templates: ListTemplateSpec[]): Format | undefined {
  const formatType = layout.text('formatType');
  if (formatType === undefined || !(FORMAT_TYPES as readonly string[]).includes(formatType)) {
    if (formatType !== undefined) log.error(MetadataCode.InvalidValue, `formatType "${formatType}" has no Parlance equivalent (${FORMAT_TYPES.join(', ')})`, layout);
    return undefined;
  }
  layout.derived('messageType', OPTIONS_FORMATS.has(formatType) ? 'Choices' : 'StaticContent');
  const items = itemsByName(layout);
  // List templates: items with a list collection type (other than the options).
  for (const [name, item] of items) {
    const collection = item.el.children.find((c) => c.name === 'collectionType')?.text;
    if (name === 'options' || (collection !== 'StaticList' && collection !== 'DynamicList')) continue;
    const source = item.text('listSource');
    const template = item.one('primitiveValues');
    const text = template?.text('formulaTemplate');
    if (source === undefined || template === undefined || text === undefined) continue;
    item.text('name');
    item.derived('collectionType', source.startsWith('$Parameters.') ? 'DynamicList' : 'StaticList');
    template.derived('type', 'FormulaTemplate');
    template.finish(log);
    item.finish(log);
    templates.push({ name, source, template: text });
    items.delete(name);
  }
  let format: Format | undefined;
  if (formatType === 'Text') {
    const item = items.get('text');
    const pv = item?.one('primitiveValues');
    const template = pv?.text('formulaTemplate');
    if (item !== undefined && pv !== undefined && template !== undefined) {
      item.text('name');
      item.derived('collectionType', 'None');
      pv.derived('type', 'FormulaTemplate');
      pv.finish(log);
      item.finish(log);
      items.delete('text');
      format = { type: 'Text', template };
    } else format = { type: 'Text' };
  } else {
    const bindings: Partial<Record<string, Binding>> = {};
    for (const key of BINDING_ITEMS) {
      const b = itemBinding(items, key, log);
      if (b !== undefined) bindings[key] = b;
    }
    if (OPTIONS_FORMATS.has(formatType)) {
      const item = items.get('options');
      const pv = item?.one('primitiveValues');
      const m = /^\{!(\$(?:Constants|Parameters)\.[A-Za-z]\w*)\}$/.exec(pv?.text('formulaTemplate') ?? '');
      const options: Record<string, unknown> = {};
      if (item !== undefined && pv !== undefined && m !== null) {
        const source = m[1] as string;
        options.source = source;
        item.text('name');
        item.derived('collectionType', source.startsWith('$Parameters.') ? 'DynamicList' : 'StaticList');
        pv.derived('type', 'FormulaTemplate');
        pv.finish(log);
        item.finish(log);
        items.delete('options');
      }
      for (const [key, itemName] of OPTION_ITEMS) {
        const b = itemBinding(items, itemName, log);
        if (b !== undefined) options[key] = b;
      }
      format = { type: formatType, ...bindings, options } as unknown as Format;
    } else format = { type: formatType, ...bindings } as unknown as Format;
  }
  // Items that didn't map are kept whole.
  for (const item of items.values()) layout.release(item);
  layout.finish(log);
  return format;
}

/** Imports a ConversationMessageDefinition element tree; `name` is the file's full name. */
export function importComponent(root: XmlElement, name: string): ComponentImport {
  const log = new ImportLog(KNOWN);
  const top = Node.root(root);
  if (root.name !== CMD_ROOT) {
    log.error(MetadataCode.WrongRoot, `Expected a <${CMD_ROOT}> document; found <${root.name}>`, top);
    return { errors: log.errors, warnings: log.warnings };
  }
  const label = top.text('label');
  const description = top.text('description');
  const sfType = top.text('type');
  const constants: Record<string, ConstantDeclaration> = {};
  for (const n of top.all('constants')) {
    const c = readConstant(n, log);
    if (c === undefined) top.release(n);
    else constants[c[0]] = c[1];
  }
  const parameters: Record<string, ParameterDeclaration> = {};
  for (const n of top.all('parameters')) {
    const p = readParameter(n, log);
    if (p === undefined) top.release(n);
    else parameters[p[0]] = p[1];
  }
  const listTemplates: ListTemplateSpec[] = [];
  const formats: Format[] = [];
  for (const n of top.all('messageLayouts')) {
    const f = readLayout(n, log, listTemplates);
    if (f === undefined) top.release(n);
    else formats.push(f);
  }
  let type: ComponentType | undefined = sfType === undefined ? undefined : TYPE_TO_PARLANCE[sfType];
  let keptType: string | undefined;
  if (sfType === 'Picklist') {
    type = formats.some((f) => 'options' in f && (f.options as OptionsSpec).source?.startsWith('$Parameters.')) ? 'QuestionDynamicOptions' : 'QuestionStaticOptions';
  } else if (type === undefined) {
    // No Parlance equivalent (Notification, CustomMessage, RecordView, ...): rendered as a static auto-response.
    type = 'AutoResponse';
    keptType = sfType ?? '';
    const at = root.children.find((c) => c.name === 'type');
    log.warnings.push({
      code: MetadataCode.Kept,
      message: `<type>${sfType ?? ''}</type>${at !== undefined ? ` (line ${at.line})` : ''}: no Parlance component type; imported as AutoResponse, the Salesforce type kept in x-salesforce`,
      ...(at !== undefined ? { line: at.line, column: at.column } : {}),
      path: 'type[0]',
    });
  }
  top.finish(log);
  const ext: SalesforceExtension = { ...(keptType !== undefined ? { type: keptType } : {}), ...(log.kept.length > 0 ? { elements: log.kept } : {}) };
  const definition = {
    name,
    ...(label !== undefined ? { label } : {}),
    ...(description !== undefined ? { description } : {}),
    type,
    ...(Object.keys(constants).length > 0 ? { constants } : {}),
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(listTemplates.length > 0 ? { listTemplates } : {}),
    ...(formats.length > 0 ? { formats } : {}),
    ...(Object.keys(ext).length > 0 ? { 'x-salesforce': ext } : {}),
  } as ComponentDefinition & { 'x-salesforce'?: SalesforceExtension };
  return { definition, errors: log.errors, warnings: byLine(log.warnings) };
}

// ---------------------------------------------------------------------------------------------
// Export

export interface ComponentExport {
  readonly root: XmlElement;
  readonly warnings: readonly MetadataProblem[];
}

function constantElement(name: string, c: ConstantDeclaration, derived: Set<XmlElement>): XmlElement {
  const d = <T extends XmlElement>(el: T): T => (derived.add(el), el);
  if (c.type === 'List<Option>') {
    const options = c.value.map((o) => {
      const items = (['Name', 'Subtitle', 'Image'] as const)
        .filter((k) => o[k] !== undefined)
        .map((k) =>
          element('constantItems', [
            element('name', k),
            element('primitiveValues', [element(k === 'Image' ? 'urlValue' : 'textValue', o[k] as string), d(element('type', 'Literal'))]),
            d(element('valueType', k === 'Image' ? 'Image' : 'Text')),
          ]),
        );
      return element('compositeValues', [...items, ...(o.Id !== undefined ? [element('identifier', o.Id)] : [])]);
    });
    return element('constants', [...options, element('name', name), d(element('valueType', 'Option'))]);
  }
  const valueEl = c.type === 'Url' || c.type === 'Image' ? 'urlValue' : 'textValue';
  return element('constants', [element('name', name), element('primitiveValues', [element(valueEl, String(c.value)), d(element('type', 'Literal'))]), element('valueType', c.type)]);
}

function parameterElement(name: string, p: ParameterDeclaration, derived: Set<XmlElement>): XmlElement {
  const d = <T extends XmlElement>(el: T): T => (derived.add(el), el);
  const common = (isList: boolean): XmlElement[] => [element('isList', String(isList)), d(element('isRequired', 'true')), d(element('label', name)), element('name', name)];
  if (p.type === 'RecordId' || p.type === 'List<RecordId>') {
    return element('parameters', [element('parameterType', 'Sobject'), element('sobjectTypeDetails', [...common(p.type === 'List<RecordId>'), element('sobjectType', p.object)])]);
  }
  const list = p.type === 'List<TimeSlot>';
  return element('parameters', [element('parameterType', 'CustomPrimitive'), element('primitiveTypeDetails', [...common(list), element('valueType', list ? 'TimeSlot' : p.type)])]);
}

function layoutElement(f: Format, templates: readonly ListTemplateSpec[], derived: Set<XmlElement>): XmlElement {
  const d = <T extends XmlElement>(el: T): T => (derived.add(el), el);
  const item = (name: string, values: XmlElement, collection = 'None', extra: XmlElement[] = []): XmlElement =>
    element('layoutItems', [d(element('collectionType', collection)), ...extra, element('name', name), values]);
  const items: XmlElement[] = [];
  const rec = f as unknown as Record<string, unknown>;
  if (f.type === 'Text') {
    if (f.template !== undefined) items.push(item('text', templateValues(f.template)));
  } else {
    for (const key of BINDING_ITEMS) if (rec[key] !== undefined) items.push(item(key, bindingValues(rec[key] as Binding)));
    if ('options' in f) {
      const o = f.options;
      items.push(item('options', templateValues(`{!${o.source}}`), o.source.startsWith('$Parameters.') ? 'DynamicList' : 'StaticList'));
      for (const [key, itemName] of OPTION_ITEMS) if (o[key] !== undefined) items.push(item(itemName, bindingValues(o[key] as Binding)));
    }
  }
  for (const t of templates) items.push(item(t.name, templateValues(t.template), t.source.startsWith('$Parameters.') ? 'DynamicList' : 'StaticList', [element('listSource', t.source)]));
  return element('messageLayouts', [element('formatType', f.type), ...items, d(element('messageType', OPTIONS_FORMATS.has(f.type) ? 'Choices' : 'StaticContent'))]);
}

/** Parlance-only properties an export leaves out, as warnings. */
function notExported(def: ComponentDefinition): MetadataProblem[] {
  const out: MetadataProblem[] = [];
  const warn = (pointer: string): void => void out.push({ code: MetadataCode.NotExported, message: `${pointer}: no Metadata API equivalent; left out of the export`, path: pointer });
  for (const [k, c] of Object.entries(def.constants ?? {})) if (c.description !== undefined) warn(`/constants/${k}/description`);
  for (const [k, p] of Object.entries(def.parameters ?? {})) if (p.description !== undefined) warn(`/parameters/${k}/description`);
  (def.listTemplates ?? []).forEach((t, i) => {
    if (t.description !== undefined) warn(`/listTemplates/${i}/description`);
    if (t.lineBreaks !== undefined) warn(`/listTemplates/${i}/lineBreaks`);
  });
  (def.formats ?? []).forEach((f, i) => {
    if (f.type === 'Text' && f.lineBreaks !== undefined) warn(`/formats/${i}/lineBreaks`);
    if (f.type === 'WebPage' && f.display !== undefined) warn(`/formats/${i}/display`);
  });
  return out;
}

/** Writes a component definition as a ConversationMessageDefinition element tree. */
export function exportComponent(def: ComponentDefinition & { readonly 'x-salesforce'?: SalesforceExtension }): ComponentExport {
  const derived = new Set<XmlElement>();
  const ext = def['x-salesforce'] ?? {};
  const formats = def.formats ?? [];
  const templatesAt = Math.max(0, formats.findIndex((f) => f.type === 'Text'));
  const children: XmlElement[] = [
    ...Object.entries(def.constants ?? {}).map(([k, c]) => constantElement(k, c, derived)),
    ...(def.description !== undefined ? [element('description', def.description)] : []),
    element('label', def.label ?? def.name),
    ...formats.map((f, i) => layoutElement(f, i === templatesAt ? (def.listTemplates ?? []) : [], derived)),
    ...Object.entries(def.parameters ?? {}).map(([k, p]) => parameterElement(k, p, derived)),
    element('type', ext.type ?? TYPE_TO_SALESFORCE[def.type]),
  ];
  const warnings = notExported(def);
  if (formats.length === 0 && (def.listTemplates ?? []).length > 0) warnings.push({ code: MetadataCode.NotExported, message: '/listTemplates: a component without formats has no layout to hold them; left out of the export', path: '/listTemplates' });
  const root = element(CMD_ROOT, children, { xmlns: METADATA_NS });
  warnings.push(...placeKept(root, ext.elements, derived));
  if ((ext.elements ?? []).some((k) => k.xml.includes('xsi:'))) (root.attributes as Record<string, string>)['xmlns:xsi'] = XSI_NS;
  return { root, warnings };
}
