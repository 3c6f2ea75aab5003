/* global document */
/**
 * The preview page's data inputs: the constants (a view of the definition's constant values,
 * editable both ways), the parameters, and the number of options.
 */
import { parseJsonTree, replaceValue } from './locate.js';
import { renderConstantsForm } from './constants-form.js';
import { editors, els, escapePointer, isObject, MAX_OPTIONS, sameJson, state } from './page.js';
import { schedule } from './update.js';

// Constants: a view of the definition's constant values, editable both ways.

export function constantValues(definition) {
  const constants = isObject(definition) ? definition.constants : undefined;
  if (!isObject(constants)) return {};
  const values = {};
  for (const [name, c] of Object.entries(constants)) if (isObject(c) && 'value' in c) values[name] = c.value;
  return values;
}

export function fieldError(node, input, message) {
  node.textContent = message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Shows the definition's constants in the constants editor, unless the user is editing it or it holds text that isn't JSON yet. */
export function syncConstants(force = false) {
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
export function drawConstantsForm(force = false) {
  if (!force && els.constantsForm.contains(document.activeElement)) return;
  renderConstantsForm(els.constantsForm, constantValues(state.definition), (values) => {
    editors.constants.value = JSON.stringify(values, null, 2);
    applyConstants();
    schedule();
  });
}

/** Writes the constants editor's values into the definition, each at its constant's `value`. */
export function applyConstants() {
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

// Parameters.

export function readParameters() {
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
export function initialParameters(name, definition) {
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

// The number of options.

export function optionSource(definition) {
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

export function currentOptions(source) {
  if (source.kind === 'constant') return constantValues(state.definition)[source.name];
  const params = readParameters();
  return params.ok ? params.value[source.name] : undefined;
}

export function updateOptionCount() {
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

export function uniqueBy(list, keyOf, make) {
  const taken = new Set(list.map(keyOf));
  for (let k = list.length + 1; ; k++) {
    const candidate = make(k);
    if (!taken.has(keyOf(candidate))) return candidate;
  }
}

export function newOption(list, source) {
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

export function setOptionCount() {
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
