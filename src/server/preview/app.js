/* global document, window, sessionStorage, localStorage, fetch, setTimeout, clearTimeout, AbortController, navigator, Blob */
/**
 * The preview page (docs/preview.md): edit a component definition, its constants and the data it
 * is sent with, and see it validated and rendered for several channels as you type, through the
 * server's own API (POST /v1/components/validate, POST /v1/render, PUT /v1/components/{name}).
 */
import { locateDiagnostic, locatePointer, parseJsonTree, replaceValue } from './locate.js';
import { platformFrame, renderMockup, ruleText } from './mockup.js';
import { DefinitionEditor } from './editor.js';
import { CodeEditor } from './textarea-editor.js';
import { renderConstantsForm } from './constants-form.js';

const KEY_STORAGE = 'parlance.preview.key';
const DRAFT_STORAGE = 'parlance.preview.draft';
const DEBOUNCE_MS = 350;
const MAX_OPTIONS = 20;

/** The panes, left to right; the user can pick another channel in each. */
const PANES = [
  { id: 'messenger', channel: 'FacebookEnhanced' },
  { id: 'web', channel: 'EmbeddedWeb' },
  { id: 'in-app', channel: 'EmbeddedInApp' },
  { id: 'text', channel: 'SmsLongCode', textVersion: true },
];

/** Used when /preview/channels.json can't be read. */
const DEFAULT_CHANNELS = [
  { type: 'FacebookEnhanced', label: 'Enhanced Facebook Messenger', platform: 'messenger', components: ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector'] },
  { type: 'EmbeddedWeb', label: 'Messaging for Web', platform: 'embedded', components: ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse'] },
  { type: 'EmbeddedInApp', label: 'Messaging for In-App', platform: 'embedded', components: ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse'] },
  { type: 'SmsLongCode', label: 'SMS long code', platform: 'sms', components: [] },
];

const $ = (id) => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`The page has no #${id}`);
  return node;
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON with sorted keys: equal values give equal strings. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}
const sameJson = (a, b) => canonical(a) === canonical(b);

function storage(kind) {
  try {
    return kind === 'local' ? localStorage : sessionStorage;
  } catch {
    return undefined; // storage disabled
  }
}

// ---------------------------------------------------------------------------------------------
// State and elements.

const els = {};
const state = {
  key: '',
  channels: DEFAULT_CHANNELS,
  samples: {},
  components: [],
  loadedName: undefined,
  /** Parameters text per component name, so switching components keeps what was typed. */
  parametersByName: new Map(),
  /** Options removed with the option count, per source: they come back first when the count grows. */
  stash: new Map(),
  /** The last parsed definition (undefined when the text isn't JSON). */
  definition: undefined,
  tree: undefined,
  generation: 0,
  controller: undefined,
  timer: undefined,
  panes: [],
  previous: undefined,
};
let editors;

// ---------------------------------------------------------------------------------------------
// The API.

async function api(method, path, body, signal) {
  const headers = {};
  if (state.key !== '') headers.authorization = `Bearer ${state.key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(signal ? { signal } : {}) });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    return { ok: false, status: 0, problem: { title: 'The server did not answer', status: 0, detail: `${method} ${path}: ${e?.message ?? e}. Is the server running?`, errors: [] } };
  }
  const text = await res.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok) return { ok: true, status: res.status, body: json };
  const problem = isObject(json) && typeof json.title === 'string' ? json : { title: res.statusText || 'Error', status: res.status, detail: text.slice(0, 500), errors: [] };
  if (res.status === 401) showKeyProblem(problem);
  return { ok: false, status: res.status, problem };
}

function showKeyProblem(problem) {
  els.apiKey.setAttribute('aria-invalid', 'true');
  els.keyStatus.textContent = state.key === '' ? 'Enter an API key: the page calls the API with it.' : `The server refused the key: ${problem.detail ?? problem.title}`;
}

// ---------------------------------------------------------------------------------------------
// Locations: where a pointer of a problem is in one of the editors.

/** A description of the place a JSON pointer names in an editor, with a button that goes there. */
function placeIn(editor, pointer, diagnostic = {}) {
  const parsed = parseJsonTree(editor.value);
  if (!parsed.ok) return undefined;
  const loc = locateDiagnostic(editor.value, parsed.root, { pointer, ...diagnostic });
  let length = 1;
  const found = locatePointer(parsed.root, pointer);
  if (loc.precision === 'value' && found) length = found.node.kind === 'object' || found.node.kind === 'array' ? 1 : found.node.length;
  else if (loc.precision === 'name' && found?.property) length = found.property.nameLength;
  else if (loc.precision === 'inner') length = /^[\w$.]+/.exec(editor.value.slice(loc.offset))?.[0].length || 1;
  return { ...loc, length };
}

function goButton(editor, loc, what) {
  const button = el('button', 'link', `line ${loc.line}, column ${loc.column}`);
  button.type = 'button';
  button.setAttribute('aria-label', `Go to line ${loc.line}, column ${loc.column} of ${what}`);
  button.addEventListener('click', () => editor.goTo(loc.offset, loc.length));
  return button;
}

const SETTINGS_FIELDS = { '/timezone': 'timezone', '/locale': 'locale', '/now': 'now' };

/** Where a problem of a render request is: in the definition, the parameters, a setting, or the channel. */
function renderWhere(pane) {
  return (error) => {
    const pointer = error.pointer ?? '';
    if (pointer === '/component' || pointer.startsWith('/component/')) return whereIn(editors.definition, 'the definition', pointer.slice('/component'.length), error);
    if (pointer === '/parameters' || pointer.startsWith('/parameters/')) return whereIn(editors.parameters, 'the parameters', pointer.slice('/parameters'.length), error);
    const field = SETTINGS_FIELDS[pointer];
    if (field !== undefined) {
      const button = el('button', 'link', `the ${els[field].labels[0]?.textContent ?? field} field`);
      button.type = 'button';
      button.addEventListener('click', () => els[field].focus());
      return [button];
    }
    if (pointer === '/channel') return [document.createTextNode(`the channel (${pane.channel})`)];
    return pointer === '' ? [] : [el('code', '', pointer)];
  };
}

function whereIn(editor, what, pointer, error) {
  const loc = placeIn(editor, pointer, error);
  const parts = [document.createTextNode(`${what} `), el('code', '', pointer === '' ? '(the whole text)' : pointer)];
  if (loc !== undefined) parts.push(document.createTextNode(', '), goButton(editor, loc, what));
  if (loc?.precision === 'parent') parts.push(document.createTextNode(` (missing: ${loc.missing.join('/')})`));
  return parts;
}

/** An RFC 9457 problem, readably: title and status, detail, and each error with where it is. */
function problemBox(problem, where, { alert = false, note } = {}) {
  const box = el('div', 'problem');
  if (alert) box.setAttribute('role', 'alert');
  box.append(el('p', 'problem-title', `${problem.title ?? 'Error'}${problem.status ? ` (${problem.status})` : ''}`));
  if (problem.detail) box.append(el('p', '', problem.detail));
  if (note) box.append(el('p', '', note));
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  if (errors.length > 0) {
    const list = el('ul');
    for (const e of errors) {
      const li = el('li');
      li.append(el('span', 'code-name', e.code ?? ''), document.createTextNode(` ${e.message ?? ''}`));
      const place = where ? where(e) : e.pointer ? [el('code', '', e.pointer)] : [];
      if (place.length > 0) li.append(document.createTextNode(' — at '), ...place);
      if (e.line !== undefined) li.append(document.createTextNode(` (line ${e.line}, column ${e.column ?? 1} inside it)`));
      list.append(li);
    }
    box.append(list);
  }
  return box;
}

// ---------------------------------------------------------------------------------------------
// Problems of the definition: JSON syntax, then the server's validation.

function innerWhat(pointer) {
  if (pointer.endsWith('/template')) return 'the template';
  if (pointer.endsWith('/formula')) return 'the formula';
  return 'the string';
}

function showDiagnostics(items, summary) {
  const marks = new Map();
  const list = els.problems;
  list.replaceChildren();
  for (const d of items) {
    const li = el('li', d.severity === 'warning' ? 'warning' : 'error');
    li.append(el('span', `severity-${d.severity}`, d.severity === 'warning' ? 'Warning' : 'Error'), document.createTextNode(' '), el('span', 'code-name', d.code), document.createTextNode(` ${d.message}`));
    const where = el('div', 'where');
    if (d.loc !== undefined) {
      where.append(document.createTextNode('At '), goButton(editors.definition, d.loc, 'the definition'));
      if (d.pointer !== undefined) where.append(document.createTextNode(' · '), el('code', '', d.pointer === '' ? '(the document)' : d.pointer));
      if (d.line !== undefined) where.append(document.createTextNode(` · line ${d.line}, column ${d.column ?? 1} of ${innerWhat(d.pointer ?? '')}`));
      if (d.loc.precision === 'parent') where.append(document.createTextNode(` · missing: ${d.loc.missing.join('/')}, shown at its parent`));
      if (!marks.has(d.loc.line) || d.severity === 'error') marks.set(d.loc.line, d.severity);
    }
    li.append(where);
    list.append(li);
  }
  editors.definition.setMarks(marks);
  els.problemsSummary.textContent = summary;
}

function showValidation(errors, warnings) {
  const tree = state.tree;
  const items = [...errors.map((e) => ({ ...e, severity: 'error' })), ...warnings.map((w) => ({ ...w, severity: 'warning' }))].map((d) => ({ ...d, loc: tree ? placeIn(editors.definition, d.pointer ?? '', d) : undefined }));
  items.sort((a, b) => (a.loc?.offset ?? 0) - (b.loc?.offset ?? 0) || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const summary = errors.length + warnings.length === 0 ? 'No problems.' : `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}.`;
  showDiagnostics(items, summary);
}

// ---------------------------------------------------------------------------------------------
// Constants: a view of the definition's constant values, editable both ways.

function constantValues(definition) {
  const constants = isObject(definition) ? definition.constants : undefined;
  if (!isObject(constants)) return {};
  const values = {};
  for (const [name, c] of Object.entries(constants)) if (isObject(c) && 'value' in c) values[name] = c.value;
  return values;
}

function fieldError(node, input, message) {
  node.textContent = message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Shows the definition's constants in the constants editor, unless the user is editing it or it holds text that isn't JSON yet. */
function syncConstants(force = false) {
  const values = constantValues(state.definition);
  const text = editors.constants.value;
  if (!force) {
    // Keep what the user is typing, and text with a problem shown under it.
    if (document.activeElement === els.constants || els.constantsError.textContent !== '') return;
    const parsed = parseJsonTree(text);
    if (text.trim() !== '' && !parsed.ok) return; // keep what the user typed; its error is shown
    if (parsed.ok && sameJson(JSON.parse(text), values)) return;
  }
  editors.constants.value = Object.keys(values).length === 0 ? '{}' : JSON.stringify(values, null, 2);
  fieldError(els.constantsError, els.constants, '');
}

/** Draws the constants' form view from the definition, unless the user is in it. */
function drawConstantsForm(force = false) {
  if (!force && els.constantsForm.contains(document.activeElement)) return;
  renderConstantsForm(els.constantsForm, constantValues(state.definition), (values) => {
    editors.constants.value = JSON.stringify(values, null, 2);
    applyConstants();
    schedule();
  });
}

/** Writes the constants editor's values into the definition, each at its constant's `value`. */
function applyConstants() {
  const text = editors.constants.value;
  const parsed = parseJsonTree(text);
  if (!parsed.ok) {
    fieldError(els.constantsError, els.constants, `Not valid JSON at line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}. The definition keeps its constants until this is fixed.`);
    return;
  }
  const values = JSON.parse(text);
  if (!isObject(values)) {
    fieldError(els.constantsError, els.constants, 'The constants are an object: {"Name": value, …}.');
    return;
  }
  const def = parseJsonTree(editors.definition.value);
  if (!def.ok) {
    fieldError(els.constantsError, els.constants, "The definition isn't valid JSON: fix it first, the constants are written into it.");
    return;
  }
  let defText = editors.definition.value;
  let tree = def.root;
  const declared = constantValues(JSON.parse(defText));
  const unknown = [];
  for (const [name, value] of Object.entries(values)) {
    if (!(name in declared)) {
      unknown.push(name);
      continue;
    }
    if (sameJson(declared[name], value)) continue;
    const next = replaceValue(defText, tree, `/constants/${escapePointer(name)}/value`, value);
    if (next === undefined) continue;
    defText = next;
    tree = parseJsonTree(defText).root;
  }
  editors.definition.value = defText;
  fieldError(els.constantsError, els.constants, unknown.length > 0 ? `Not in the definition: ${unknown.join(', ')}. Declare a constant in the definition's "constants" (with its type) to give it a value here.` : '');
}

// ---------------------------------------------------------------------------------------------
// Parameters.

function readParameters() {
  const text = editors.parameters.value;
  if (text.trim() === '') {
    fieldError(els.parametersError, els.parameters, '');
    return { ok: true, value: {} };
  }
  const parsed = parseJsonTree(text);
  if (!parsed.ok) {
    fieldError(els.parametersError, els.parameters, `Not valid JSON at line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}`);
    return { ok: false };
  }
  const value = JSON.parse(text);
  if (!isObject(value)) {
    fieldError(els.parametersError, els.parameters, 'The parameters are an object: {"Name": value, …}.');
    return { ok: false };
  }
  fieldError(els.parametersError, els.parameters, '');
  return { ok: true, value, tree: parsed.root };
}

/** Values to start with for a component's parameters: the sample values of an example, or a skeleton of every declared parameter. */
function initialParameters(name, definition) {
  const sample = state.samples[name];
  if (isObject(sample)) return JSON.stringify(sample, null, 2);
  const declared = isObject(definition?.parameters) ? definition.parameters : {};
  const out = {};
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  for (const [pname, p] of Object.entries(declared)) {
    const type = isObject(p) ? p.type : undefined;
    switch (type) {
      case 'RecordId':
        out[pname] = { Id: 'a00000000000001AAA' };
        break;
      case 'List<RecordId>':
        out[pname] = [1, 2, 3].map((i) => ({ Id: `a0000000000000${i}AAA`, Name: `Record ${i}` }));
        break;
      case 'List<TimeSlot>':
        out[pname] = [10, 11, 14].map((h) => ({ start: `${tomorrow}T${h}:00:00Z`, end: `${tomorrow}T${h + 1}:00:00Z` }));
        break;
      case 'Number':
        out[pname] = '1';
        break;
      case 'Boolean':
        out[pname] = true;
        break;
      case 'Date':
        out[pname] = tomorrow;
        break;
      case 'DateTime':
        out[pname] = `${tomorrow}T10:00:00.000Z`;
        break;
      case 'Url':
      case 'Image':
        out[pname] = 'https://www.example.com/';
        break;
      default:
        out[pname] = 'Sample text';
    }
  }
  return JSON.stringify(out, null, 2);
}

// ---------------------------------------------------------------------------------------------
// The number of options.

function optionSource(definition) {
  if (!isObject(definition) || !Array.isArray(definition.formats)) return undefined;
  for (const f of definition.formats) {
    const source = isObject(f) && isObject(f.options) ? f.options.source : undefined;
    const m = typeof source === 'string' ? /^\$(Constants|Parameters)\.([A-Za-z]\w*)$/.exec(source) : null;
    if (m !== null) {
      const kind = m[1] === 'Constants' ? 'constant' : 'parameter';
      const declared = kind === 'constant' ? definition.constants?.[m[2]] : definition.parameters?.[m[2]];
      return { kind, name: m[2], type: isObject(declared) ? declared.type : undefined };
    }
  }
  return undefined;
}

function currentOptions(source) {
  if (source.kind === 'constant') return constantValues(state.definition)[source.name];
  const params = readParameters();
  return params.ok ? params.value[source.name] : undefined;
}

function updateOptionCount() {
  const source = optionSource(state.definition);
  state.optionSource = source;
  if (source === undefined) {
    els.optionCount.disabled = true;
    els.optionCount.value = '';
    els.optionCountHelp.textContent = 'This component has no options.';
    return;
  }
  const list = currentOptions(source);
  els.optionCount.disabled = false;
  if (document.activeElement !== els.optionCount) els.optionCount.value = Array.isArray(list) ? String(list.length) : '0';
  const what =
    source.kind === 'constant'
      ? `the constant ${source.name} (static options, in the definition)`
      : `the parameter ${source.name} (${source.type === 'List<TimeSlot>' ? 'time slots' : 'records'}, in the parameters)`;
  els.optionCountHelp.textContent = `The options are ${what}. Fewer removes options from the end; more brings removed ones back first, then adds new ones.`;
}

function uniqueBy(list, keyOf, make) {
  const taken = new Set(list.map(keyOf));
  for (let k = list.length + 1; ; k++) {
    const candidate = make(k);
    if (!taken.has(keyOf(candidate))) return candidate;
  }
}

function newOption(list, source) {
  if (source.kind === 'constant') return uniqueBy(list, (o) => String(o?.Id ?? o?.Name), (k) => ({ Name: `Option ${k}`, Id: `option_${k}` }));
  if (source.type === 'List<TimeSlot>') {
    const last = list[list.length - 1];
    const start = Date.parse(last?.start ?? '');
    const end = Date.parse(last?.end ?? '');
    const length = Number.isFinite(start) && Number.isFinite(end) && end > start ? end - start : 3_600_000;
    const from = Number.isFinite(end) ? end + length : Date.now() + 86_400_000;
    const iso = (t) => new Date(t).toISOString().replace('.000Z', 'Z');
    return { start: iso(from), end: iso(from + length) };
  }
  const base = isObject(list[list.length - 1]) ? list[list.length - 1] : { Id: 'a00000000000000AAA' };
  return uniqueBy(list, (r) => String(r?.Id), (k) => {
    const record = JSON.parse(JSON.stringify(base));
    const id = String(base.Id ?? 'a00000000000000AAA');
    record.Id = `${id.slice(0, Math.max(0, id.length - 6))}${String(k).padStart(3, '0')}${id.slice(-3)}`;
    for (const field of ['Name', 'Subject']) if (typeof record[field] === 'string') record[field] = `${record[field].replace(/ \(\d+\)$/, '')} (${k})`;
    if (typeof record.CaseNumber === 'string' && /^\d+$/.test(record.CaseNumber)) record.CaseNumber = String(Number(record.CaseNumber) + k).padStart(record.CaseNumber.length, '0');
    return record;
  });
}

function setOptionCount() {
  const source = state.optionSource;
  const n = Number(els.optionCount.value);
  if (source === undefined || els.optionCount.value.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_OPTIONS) {
    if (source !== undefined) els.optionCount.setAttribute('aria-invalid', 'true');
    return;
  }
  els.optionCount.removeAttribute('aria-invalid');
  const list = currentOptions(source);
  if (!Array.isArray(list) && list !== undefined) return;
  const current = list ?? [];
  if (current.length === n) return;
  const stashKey = `${source.kind}:${source.name}`;
  const stash = state.stash.get(stashKey) ?? [];
  let next;
  if (n < current.length) {
    next = current.slice(0, n);
    state.stash.set(stashKey, [...current.slice(n), ...stash]);
  } else {
    next = [...current];
    const keyOf = source.kind === 'constant' ? (o) => String(o?.Id ?? o?.Name) : source.type === 'List<TimeSlot>' ? (s) => String(s?.start) : (r) => String(r?.Id);
    while (next.length < n) {
      let item = stash.shift();
      while (item !== undefined && next.some((x) => keyOf(x) === keyOf(item))) item = stash.shift();
      next.push(item ?? newOption(next, source));
    }
    state.stash.set(stashKey, stash);
  }
  if (source.kind === 'constant') {
    const def = parseJsonTree(editors.definition.value);
    if (!def.ok) return;
    const text = replaceValue(editors.definition.value, def.root, `/constants/${escapePointer(source.name)}/value`, next);
    if (text !== undefined) editors.definition.value = text;
  } else {
    const params = readParameters();
    if (!params.ok) return;
    const replaced = params.tree ? replaceValue(editors.parameters.value, params.tree, `/${escapePointer(source.name)}`, next) : undefined;
    editors.parameters.value = replaced ?? JSON.stringify({ ...params.value, [source.name]: next }, null, 2);
  }
  schedule(0);
}

// ---------------------------------------------------------------------------------------------
// Render panes.

function channelInfo(type) {
  return state.channels.find((c) => c.type === type) ?? { type, label: type, platform: 'text', components: [] };
}

function buildPanes() {
  const template = $('pane-template');
  const container = $('panes');
  container.replaceChildren();
  state.panes = PANES.map((spec) => {
    const node = template.content.firstElementChild.cloneNode(true);
    node.id = `pane-${spec.id}`;
    const title = node.querySelector('.pane-title');
    title.id = `pane-${spec.id}-title`;
    node.setAttribute('aria-labelledby', title.id);
    const select = node.querySelector('.pane-channel');
    select.id = `pane-${spec.id}-channel`;
    const label = node.querySelector('.pane-channel-label');
    label.htmlFor = select.id;
    label.textContent = spec.textVersion ? 'Text channel' : 'Channel';
    const choices = spec.textVersion ? state.channels.filter((c) => c.components.length === 0) : state.channels;
    for (const c of choices) {
      // The full label (the pane is narrow): the type is in the option's tooltip and the payload.
      const option = el('option', '', c.label);
      option.title = `${c.label} (${c.type})`;
      option.value = c.type;
      select.append(option);
    }
    const pane = {
      ...spec,
      node,
      title,
      select,
      format: node.querySelector('.pane-format'),
      problem: node.querySelector('.pane-problem'),
      mockup: node.querySelector('.pane-mockup'),
      skipped: node.querySelector('.pane-skipped'),
      warnings: node.querySelector('.pane-warnings'),
      payload: node.querySelector('.payload'),
      last: undefined,
    };
    if (!choices.some((c) => c.type === pane.channel) && choices[0]) pane.channel = choices[0].type;
    pane.golden = node.querySelector('.pane-golden');
    pane.goldenStatus = node.querySelector('.pane-golden-status');
    pane.golden.addEventListener('click', () => saveGoldenCase(pane));
    pane.payload.setAttribute('aria-label', `Native payload of the ${spec.textVersion ? 'Text version' : `${spec.id} pane`}`);
    select.value = pane.channel;
    select.addEventListener('change', () => {
      pane.channel = select.value;
      setPaneTitle(pane);
      schedule(0);
    });
    setPaneTitle(pane);
    node.dataset.state = 'empty';
    container.append(node);
    return pane;
  });
}

/**
 * A `parlance test` case (docs/testing.md) of what a pane shows: the definition inline, the
 * channel, the parameters and the render settings, with `now` fixed (the page's, or this
 * moment's) so the case is reproducible. Downloaded as `<name>-<channel>.case.json`.
 */
function goldenCase(pane) {
  const request = renderRequest(pane, state.definition, readParameters().value ?? {});
  const name = typeof state.definition?.name === 'string' ? state.definition.name : 'component';
  const result = pane.last;
  const shown = result === undefined ? 'refused' : pane.textVersion ? 'the Text version' : result.format;
  return {
    file: `${name}-${pane.channel}${pane.textVersion ? '-text' : ''}.case.json`,
    body: {
      description: `${name} on ${channelInfo(pane.channel).label}: ${shown}`,
      component: request.component,
      channel: request.channel,
      parameters: request.parameters,
      now: request.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(request.timezone !== undefined ? { timezone: request.timezone } : {}),
      ...(request.locale !== undefined ? { locale: request.locale } : {}),
      ...(request.fallback !== undefined ? { fallback: request.fallback } : {}),
    },
  };
}

function saveGoldenCase(pane) {
  if (state.definition === undefined) return;
  const { file, body } = goldenCase(pane);
  const blob = new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: 'application/json' });
  const href = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href, download: file });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  pane.goldenStatus.textContent = `Saved ${file}. Put it in your cases directory and run \`parlance test <dir> --update\` to write its expected file.`;
}

function setPaneTitle(pane) {
  const info = channelInfo(pane.channel);
  pane.golden.setAttribute('aria-label', `Save the ${pane.textVersion ? `Text version on ${info.label}` : info.label} render as a golden case`);
  pane.title.textContent = pane.textVersion ? `Text version · ${info.label}` : info.label;
  pane.node.dataset.channel = pane.channel;
}

function markStale(reason) {
  for (const pane of state.panes) {
    if (pane.last === undefined) {
      pane.format.textContent = `Not rendered: ${reason}.`;
      pane.node.dataset.state = 'empty';
      continue;
    }
    pane.node.classList.add('stale');
    pane.node.dataset.state = 'stale';
    const note = el('span', 'stale-note', `Out of date (${reason}): showing the last render.`);
    pane.format.replaceChildren(note, document.createElement('br'), ...formatLine(pane, pane.last));
  }
}

function formatLine(pane, result) {
  const parts = [document.createTextNode(pane.textVersion ? 'Text version' : 'Format: '), ...(pane.textVersion ? [] : [el('span', 'format', result.format)])];
  const count = result.payload?.messages?.length ?? 0;
  if (count > 1) parts.push(document.createTextNode(` (${count} messages)`));
  return parts;
}

function skipList(title, items, describe) {
  const frag = document.createDocumentFragment();
  if (items.length === 0) return frag;
  frag.append(el('h4', '', title));
  const list = el('ul');
  for (const item of items) list.append(describe(item));
  frag.append(list);
  return frag;
}

function showResult(pane, result) {
  pane.last = result;
  pane.golden.disabled = false;
  pane.node.classList.remove('stale');
  pane.node.dataset.state = 'rendered';
  pane.node.dataset.format = result.format;
  pane.problem.replaceChildren();
  pane.format.replaceChildren(...formatLine(pane, result));
  const mockup = renderMockup(result, { textVersion: pane.textVersion === true });
  pane.mockup.replaceChildren(platformFrame(mockup, mockup.dataset.platform, ruleText(result, channelInfo(pane.channel), { textVersion: pane.textVersion === true }), pane.channel));
  const skipped = pane.textVersion ? [] : result.skipped ?? [];
  pane.skipped.replaceChildren(
    skipList('Skipped formats', skipped, (s) => {
      const li = el('li');
      li.dataset.code = s.code;
      li.append(el('strong', '', s.format), document.createTextNode(': '), el('span', 'code-name', s.code), document.createTextNode(` — ${s.message}`));
      return li;
    }),
  );
  pane.warnings.replaceChildren(
    // The Text version pane asks for the fallback: its W_TEXT_FALLBACK goes without saying.
    skipList('Warnings', (result.warnings ?? []).filter((w) => !(pane.textVersion && w.code === 'W_TEXT_FALLBACK')), (w) => {
      const li = el('li');
      li.append(el('span', 'code-name', w.code), document.createTextNode(` ${w.message}`));
      return li;
    }),
  );
  pane.payload.textContent = JSON.stringify(result.payload, null, 2);
}

const BODY_FALLBACK = /Send "fallback": "text" to get the Text version instead\./g;
const PAGE_FALLBACK = 'Tick "Fall back to the Text version" (under Render settings) to see the Text version instead.';

/** The server's refusal speaks to API callers (`Send "fallback": "text"`): here, point at the page's checkbox. */
function forThePage(problem) {
  const reword = (text) => (typeof text === 'string' ? text.replace(BODY_FALLBACK, PAGE_FALLBACK) : text);
  const errors = Array.isArray(problem.errors) ? problem.errors.map((e) => ({ ...e, message: reword(e.message) })) : problem.errors;
  return { ...problem, detail: reword(problem.detail), errors };
}

function fallbackButton() {
  const button = el('button', 'link', 'Go to the "Fall back to the Text version" checkbox');
  button.type = 'button';
  button.addEventListener('click', () => {
    els.fallback.scrollIntoView({ block: 'center' });
    els.fallback.focus();
  });
  return button;
}

function showRenderProblem(pane, problem) {
  pane.last = undefined;
  pane.golden.disabled = false;
  pane.node.classList.remove('stale');
  pane.node.dataset.state = 'error';
  delete pane.node.dataset.format;
  pane.format.textContent = 'Not rendered.';
  pane.mockup.replaceChildren();
  pane.skipped.replaceChildren();
  pane.warnings.replaceChildren();
  pane.payload.textContent = '';
  const refused = (problem.errors ?? []).some((e) => e.code === 'E_CHANNEL_UNSUPPORTED');
  const box = problemBox(forThePage(problem), renderWhere(pane));
  if (refused && !els.fallback.checked) box.append(fallbackButton());
  pane.problem.replaceChildren(box);
}

function renderRequest(pane, definition, parameters) {
  const timezone = els.timezone.value.trim();
  const locale = els.locale.value.trim();
  const now = els.now.value.trim();
  return {
    component: definition,
    channel: pane.channel,
    parameters,
    ...(timezone !== '' ? { timezone } : {}),
    ...(locale !== '' ? { locale } : {}),
    ...(now !== '' ? { now } : {}),
    ...(pane.textVersion || els.fallback.checked ? { fallback: 'text' } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The update cycle: parse, validate, render. Debounced; a newer cycle cancels an older one.

function status(text) {
  if (els.renderStatus.textContent !== text) els.renderStatus.textContent = text;
}

function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(state.timer);
  saveDraft();
  state.timer = setTimeout(() => {
    void runUpdate();
  }, delay);
}

async function runUpdate() {
  try {
    await update();
  } catch (e) {
    if (e?.name !== 'AbortError') status(`Something went wrong in the page: ${e?.message ?? e}`);
  }
}

async function update() {
  clearTimeout(state.timer);
  const generation = ++state.generation;
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  const signal = controller.signal;
  const text = editors.definition.value;
  const parametersText = editors.parameters.value;
  // A newer update, or text typed since this one started (its own update is on the way), makes this one moot.
  const current = () => generation === state.generation && editors.definition.value === text && editors.parameters.value === parametersText;
  if (text.trim() === '') {
    state.definition = undefined;
    state.tree = undefined;
    showDiagnostics([], 'No definition yet: load a stored component or paste one.');
    updateOptionCount();
    markStale('no definition');
    status(state.key === '' ? 'Enter an API key to validate and render.' : 'No definition to render: load a stored component or paste one.');
    return;
  }
  const parsed = parseJsonTree(text);
  if (!parsed.ok) {
    state.tree = undefined;
    const e = parsed.error;
    const loc = { offset: e.offset, line: e.line, column: e.column, length: 1, precision: 'value', missing: [] };
    showDiagnostics([{ severity: 'error', code: 'E_INVALID_JSON', message: e.message, loc }], `1 error: the definition is not valid JSON (line ${e.line}, column ${e.column}).`);
    markStale('the definition is not valid JSON');
    status(`The definition is not valid JSON at line ${e.line}, column ${e.column}. Renders are out of date.`);
    return;
  }
  state.tree = parsed.root;
  state.definition = JSON.parse(text);
  // Constants typed while the definition wasn't JSON are written into it now.
  if (els.constantsError.textContent !== '' && document.activeElement !== els.constants) {
    applyConstants();
    if (editors.definition.value !== text) {
      schedule(0);
      return;
    }
  }
  syncConstants();
  drawConstantsForm();
  const params = readParameters();
  updateOptionCount();
  if (state.key === '') {
    showDiagnostics([], 'Enter an API key to check the definition.');
    markStale('no API key');
    status('Enter an API key to validate and render.');
    return;
  }

  status('Checking the definition…');
  const validation = await api('POST', '/v1/components/validate', state.definition, signal);
  if (!current()) return;
  if (!validation.ok) {
    showDiagnostics([], 'The definition could not be checked:');
    const item = el('li', 'error');
    item.append(problemBox(validation.problem, (e) => whereIn(editors.definition, 'the definition', e.pointer ?? '', e)));
    els.problems.append(item);
    markStale('the definition could not be checked');
    status(`The definition could not be checked: ${validation.problem.title} (${validation.problem.status}).`);
    return;
  }
  showValidation(validation.body.errors ?? [], validation.body.warnings ?? []);
  if (!validation.body.valid) {
    const n = (validation.body.errors ?? []).length;
    markStale(`the definition has ${plural(n, 'error')}`);
    status(`The definition has ${plural(n, 'error')}: see Problems. Renders are out of date.`);
    return;
  }
  if (!params.ok) {
    markStale('the parameters are not valid JSON');
    status('The parameters are not valid JSON: see under Parameters. Renders are out of date.');
    return;
  }

  status('Rendering…');
  const definition = state.definition;
  const outcomes = await Promise.all(state.panes.map(async (pane) => ({ pane, r: await api('POST', '/v1/render', renderRequest(pane, definition, params.value), signal) })));
  if (!current()) return;
  const summary = [];
  for (const { pane, r } of outcomes) {
    const label = pane.title.textContent;
    if (r.ok) {
      showResult(pane, r.body);
      summary.push(pane.textVersion ? `${label}` : `${label}: ${r.body.format}`);
    } else {
      showRenderProblem(pane, r.problem);
      summary.push(`${label}: not rendered (${r.problem.status})`);
    }
  }
  const name = typeof definition.name === 'string' ? definition.name : 'the component';
  status(`Rendered ${name}. ${summary.join('; ')}.`);
}

// ---------------------------------------------------------------------------------------------
// Components: list, load, save.

async function refreshComponents(select) {
  if (state.key === '') return false;
  const r = await api('GET', '/v1/components');
  if (!r.ok) {
    els.loadStatus.replaceChildren(problemBox(r.problem));
    return false;
  }
  els.apiKey.removeAttribute('aria-invalid');
  state.components = Array.isArray(r.body?.components) ? r.body.components : [];
  const previous = select ?? els.componentSelect.value;
  els.componentSelect.replaceChildren();
  if (state.components.length === 0) els.componentSelect.append(Object.assign(el('option', '', '(no stored components)'), { value: '' }));
  for (const c of state.components) {
    const label = isObject(c.definition) && typeof c.definition.label === 'string' ? ` — ${c.definition.label}` : '';
    const option = el('option', '', `${c.name} (version ${c.version})${label}`);
    option.value = c.name;
    els.componentSelect.append(option);
  }
  if (previous && state.components.some((c) => c.name === previous)) els.componentSelect.value = previous;
  return true;
}

/** The definition's properties in the order of the reference (the store gives them back in its own order); nested objects start with their `type`. */
const TOP_LEVEL = ['$schema', 'name', 'label', 'description', 'type', 'constants', 'parameters', 'listTemplates', 'formats'];
function readable(value, depth = 0) {
  if (Array.isArray(value)) return value.map((v) => readable(v, depth + 1));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const first = depth === 0 ? TOP_LEVEL : ['type', 'name', 'Name', 'Subtitle', 'Image', 'Id'];
  const ordered = [...first.filter((k) => keys.includes(k)), ...keys.filter((k) => !first.includes(k))];
  // Constants and parameters are maps of names: their order is the author's, not ours.
  const isMap = (k) => depth === 0 && (k === 'constants' || k === 'parameters');
  return Object.fromEntries(ordered.map((k) => [k, isMap(k) && isObject(value[k]) ? Object.fromEntries(Object.entries(value[k]).map(([n, v]) => [n, readable(v, 1)])) : readable(value[k], depth + 1)]));
}

function snapshot() {
  return { definition: editors.definition.value, constants: editors.constants.value, parameters: editors.parameters.value, name: state.loadedName };
}

async function loadComponent(name) {
  if (!name) {
    els.loadStatus.textContent = 'Pick a component first.';
    return;
  }
  const r = await api('GET', `/v1/components/${encodeURIComponent(name)}`);
  if (!r.ok) {
    els.loadStatus.replaceChildren(problemBox(r.problem));
    return;
  }
  const before = snapshot();
  if (state.loadedName !== undefined) state.parametersByName.set(state.loadedName, editors.parameters.value);
  const text = JSON.stringify(readable(r.body.definition), null, 2);
  state.loadedName = name;
  state.stash.clear();
  editors.definition.value = text;
  editors.parameters.value = state.parametersByName.get(name) ?? initialParameters(name, r.body.definition);
  state.definition = r.body.definition;
  syncConstants(true);
  const message = el('span', '', `Loaded ${name}, version ${r.body.version}.`);
  els.loadStatus.replaceChildren(message);
  if (before.definition.trim() !== '' && before.definition !== text) {
    state.previous = before;
    const restore = el('button', 'link', 'Restore the previous text');
    restore.type = 'button';
    restore.addEventListener('click', () => {
      const back = state.previous;
      if (back === undefined) return;
      state.previous = snapshot();
      editors.definition.value = back.definition;
      editors.constants.value = back.constants;
      editors.parameters.value = back.parameters;
      state.loadedName = back.name;
      els.loadStatus.replaceChildren(el('span', '', 'Restored the previous text.'));
      schedule(0);
    });
    els.loadStatus.append(document.createTextNode(' Your previous text is kept: '), restore);
  }
  schedule(0);
}

/** Opens a ConversationMessageDefinition file (docs/salesforce-metadata.md): converted by the server, nothing stored. */
async function openMetadataFile(file) {
  if (!file) return;
  const content = await file.text();
  const r = await api('POST', '/v1/metadata/convert', { files: [{ name: file.name, content }] });
  if (!r.ok) {
    els.loadStatus.replaceChildren(problemBox(r.problem));
    return;
  }
  const definition = r.body.components[0];
  if (definition === undefined) {
    els.loadStatus.textContent = `${file.name} is not a ConversationMessageDefinition file.`;
    return;
  }
  if (state.loadedName !== undefined) state.parametersByName.set(state.loadedName, editors.parameters.value);
  const text = JSON.stringify(readable(definition), null, 2);
  state.previous = snapshot();
  state.loadedName = definition.name;
  state.stash.clear();
  editors.definition.value = text;
  editors.parameters.value = state.parametersByName.get(definition.name) ?? initialParameters(definition.name, definition);
  state.definition = definition;
  syncConstants(true);
  const kept = r.body.warnings.length;
  els.loadStatus.textContent = `Opened ${file.name} as ${definition.name}${kept > 0 ? ` (${kept} ${kept === 1 ? 'element' : 'elements'} kept under x-salesforce: ${r.body.warnings.map((w) => w.path).join(', ')})` : ''}. Save stores it as a new version.`;
  schedule(0);
}

async function save() {
  els.saveResult.replaceChildren();
  const text = editors.definition.value;
  const parsed = parseJsonTree(text);
  if (!parsed.ok) {
    els.saveResult.replaceChildren(problemBox({ title: 'Not saved', detail: `The definition is not valid JSON (line ${parsed.error.line}, column ${parsed.error.column}): ${parsed.error.message}`, errors: [] }, undefined, { alert: true }));
    return;
  }
  const definition = JSON.parse(text);
  const name = isObject(definition) ? definition.name : undefined;
  if (typeof name !== 'string' || name === '') {
    els.saveResult.replaceChildren(problemBox({ title: 'Not saved', detail: 'The definition needs a "name": it is stored under that name.', errors: [] }, undefined, { alert: true }));
    return;
  }
  if (state.key === '') {
    els.saveResult.replaceChildren(problemBox({ title: 'Not saved', detail: 'Enter an API key with the admin scope first.', errors: [] }, undefined, { alert: true }));
    return;
  }
  els.saveResult.textContent = `Saving ${name}…`;
  const r = await api('PUT', `/v1/components/${encodeURIComponent(name)}`, definition);
  if (r.ok) {
    const warnings = Array.isArray(r.body.warnings) ? r.body.warnings.length : 0;
    els.saveResult.replaceChildren(el('p', 'saved', `Saved ${name} as version ${r.body.version}${warnings > 0 ? `, with ${plural(warnings, 'warning')}` : ''}.`));
    state.loadedName = name;
    await refreshComponents(name);
    return;
  }
  const note =
    r.status === 403
      ? 'Saving needs a key with the admin scope; this key may only read, validate and render. Nothing was saved, and the editor keeps your text.'
      : r.status === 422
        ? 'Nothing was saved; the editor keeps your text. Fix the problems and save again.'
        : 'Nothing was saved; the editor keeps your text.';
  els.saveResult.replaceChildren(problemBox(r.problem, (e) => whereIn(editors.definition, 'the definition', e.pointer ?? '', e), { alert: true, note }));
}

// ---------------------------------------------------------------------------------------------
// The key, drafts, settings.

function loadKey() {
  const local = storage('local')?.getItem(KEY_STORAGE);
  if (local) {
    els.rememberKey.checked = true;
    return local;
  }
  return storage('session')?.getItem(KEY_STORAGE) ?? '';
}

function storeKey() {
  const session = storage('session');
  const local = storage('local');
  try {
    if (els.rememberKey.checked) {
      if (state.key) local?.setItem(KEY_STORAGE, state.key);
      session?.removeItem(KEY_STORAGE);
    } else {
      if (state.key) session?.setItem(KEY_STORAGE, state.key);
      local?.removeItem(KEY_STORAGE);
    }
    if (!state.key) {
      session?.removeItem(KEY_STORAGE);
      local?.removeItem(KEY_STORAGE);
    }
  } catch {
    // storage full or disabled: the key still works for this page
  }
}

async function useKey() {
  state.key = els.apiKey.value.trim();
  storeKey();
  els.apiKey.removeAttribute('aria-invalid');
  if (state.key === '') {
    els.keyStatus.textContent = 'No key: enter one to validate, render and save.';
    schedule(0);
    return;
  }
  els.keyStatus.textContent = 'Checking the key…';
  const listed = await refreshComponents();
  if (listed) {
    els.keyStatus.textContent = `Key in use (${els.rememberKey.checked ? 'kept in local storage' : 'kept in this tab only'}).`;
    if (editors.definition.value.trim() === '' && state.components.length > 0) {
      const preferred = state.components.find((c) => c.name === 'Reason_for_Contact') ?? state.components[0];
      els.componentSelect.value = preferred.name;
      await loadComponent(preferred.name);
      return;
    }
  }
  schedule(0);
}

function saveDraft() {
  try {
    storage('session')?.setItem(
      DRAFT_STORAGE,
      JSON.stringify({
        definition: editors.definition.value,
        constants: editors.constants.value,
        parameters: editors.parameters.value,
        loadedName: state.loadedName,
        timezone: els.timezone.value,
        locale: els.locale.value,
        now: els.now.value,
        fallback: els.fallback.checked,
        channels: state.panes.map((p) => p.channel),
      }),
    );
  } catch {
    // storage full or disabled: drafts are a convenience
  }
}

function restoreDraft() {
  let draft;
  try {
    draft = JSON.parse(storage('session')?.getItem(DRAFT_STORAGE) ?? 'null');
  } catch {
    draft = null;
  }
  if (!isObject(draft)) return false;
  editors.definition.value = String(draft.definition ?? '');
  editors.constants.value = String(draft.constants ?? '');
  editors.parameters.value = String(draft.parameters ?? '');
  state.loadedName = typeof draft.loadedName === 'string' ? draft.loadedName : undefined;
  for (const field of ['timezone', 'locale', 'now']) if (typeof draft[field] === 'string') els[field].value = draft[field];
  els.fallback.checked = draft.fallback === true;
  if (Array.isArray(draft.channels)) {
    state.panes.forEach((pane, i) => {
      const channel = draft.channels[i];
      if (typeof channel === 'string' && [...pane.select.options].some((o) => o.value === channel)) {
        pane.channel = channel;
        pane.select.value = channel;
        setPaneTitle(pane);
      }
    });
  }
  return editors.definition.value.trim() !== '';
}

async function readJson(path) {
  try {
    const res = await fetch(path);
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Start.

async function init() {
  const definitionEditor = new DefinitionEditor($('definition-editor'), {
    id: 'definition',
    labelledBy: 'definition-label',
    describedBy: 'definition-help problems-summary',
    caret: $('definition-caret'),
    onChange: () => schedule(),
    onRender: () => void runUpdate(),
    onSave: () => void save(),
  });
  for (const id of [
    'api-key', 'remember-key', 'key-form', 'key-status', 'component-select', 'load-component', 'refresh-components', 'metadata-file', 'load-status', 'definition', 'definition-caret',
    'problems', 'problems-summary', 'save', 'save-result', 'constants', 'constants-error', 'constants-form', 'parameters', 'parameters-error', 'option-count', 'option-count-help',
    'timezone', 'timezones', 'locale', 'now', 'fallback', 'render-status',
  ]) {
    els[id.replace(/-(\w)/g, (_m, c) => c.toUpperCase())] = $(id);
  }
  editors = {
    definition: definitionEditor,
    constants: new CodeEditor(els.constants),
    parameters: new CodeEditor(els.parameters),
  };

  const [channels, samples] = await Promise.all([readJson('/preview/channels.json'), readJson('/preview/samples.json')]);
  if (Array.isArray(channels?.channels) && channels.channels.length > 0) state.channels = channels.channels;
  if (isObject(samples?.parameters)) state.samples = samples.parameters;
  buildPanes();

  try {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const frag = document.createDocumentFragment();
    for (const zone of ['UTC', ...zones]) frag.append(Object.assign(el('option'), { value: zone }));
    els.timezones.append(frag);
  } catch {
    // no list: the field still takes any zone
  }
  els.timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  els.locale.value = navigator.language || 'en-US';

  const hasDraft = restoreDraft();
  state.key = loadKey();
  els.apiKey.value = state.key;

  // Events.
  els.keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void useKey();
  });
  els.rememberKey.addEventListener('change', storeKey);
  els.loadComponent.addEventListener('click', () => void loadComponent(els.componentSelect.value));
  els.metadataFile.addEventListener('change', () => void openMetadataFile(els.metadataFile.files?.[0]));
  els.refreshComponents.addEventListener('click', async () => {
    if (state.key === '') {
      els.loadStatus.textContent = 'Enter an API key first.';
      return;
    }
    if (await refreshComponents()) els.loadStatus.textContent = `${plural(state.components.length, 'stored component')}.`;
  });
  els.constants.addEventListener('input', () => {
    applyConstants();
    schedule();
  });
  els.constants.addEventListener('blur', () => syncConstants());
  els.parameters.addEventListener('input', () => schedule());
  els.optionCount.addEventListener('input', setOptionCount);
  els.optionCount.addEventListener('blur', updateOptionCount);
  for (const field of [els.timezone, els.locale, els.now]) field.addEventListener('input', () => schedule());
  els.fallback.addEventListener('change', () => schedule(0));
  els.save.addEventListener('click', () => void save());
  document.addEventListener('keydown', (event) => {
    // The definition editor handles its own Ctrl+Enter and Ctrl+S (and marks the event handled).
    if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      void runUpdate();
    } else if (event.key === 's' || event.key === 'S') {
      event.preventDefault();
      void save();
    }
  });

  if (state.key !== '') {
    const listed = await refreshComponents(state.loadedName);
    if (listed) els.keyStatus.textContent = `Key in use (${els.rememberKey.checked ? 'kept in local storage' : 'kept in this tab only'}).`;
    if (listed && !hasDraft && state.components.length > 0) {
      const preferred = state.components.find((c) => c.name === 'Reason_for_Contact') ?? state.components[0];
      els.componentSelect.value = preferred.name;
      await loadComponent(preferred.name);
    }
  } else {
    els.keyStatus.textContent = 'No key yet: enter one to validate, render and save.';
  }
  await runUpdate();
}

// For tests and scripts: the definition editor (its text, selection, and replacing the text as if typed).
window.parlancePreview = {
  definitionText: () => editors?.definition.value,
  setDefinition: (text) => editors?.definition.replaceAll(text),
  selection: () => editors?.definition.selection,
  select: (from, to = from) => editors?.definition.goTo(from, to - from),
  coords: (offset) => editors?.definition.coordsAt(offset),
};

void init().finally(() => {
  // For tests and scripts: the page is wired up and has done its first update.
  document.body.dataset.ready = 'true';
});
