/* global document */
/**
 * The preview page's stored components: the list, loading one, opening a Salesforce
 * ConversationMessageDefinition file, and saving.
 */
import { parseJsonTree } from './locate.js';
import { api, editors, el, els, isObject, plural, state } from './page.js';
import { problemBox, whereIn } from './problems.js';
import { initialParameters, syncConstants } from './inputs.js';
import { schedule } from './update.js';

// Components: list, load, save.

export async function refreshComponents(select) {
  if (state.key === '') return false;
  const r = await api('GET', '/v1/components');
  if (!r.ok) {
    els.loadStatus.replaceChildren(problemBox(r.problem));
    return false;
  }
  els.apiKey.removeAttribute('aria-invalid');
  state.components = Array.isArray(r.body?.components) ? r.body.components : [];
  void loadObjects();
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

/**
 * The server's object definitions (GET /v1/objects) to the definition editor, so that
 * `$Parameters.<record parameter>.` completes the object's fields and a misspelled field gets its
 * fix. Without them (an older server, a refused key) formulas are still checked, without fields.
 */
export async function loadObjects() {
  const r = await api('GET', '/v1/objects');
  if (!r.ok || !Array.isArray(r.body?.objects)) return;
  editors.definition.setObjects?.(r.body.objects);
  // For tests and scripts: how many objects the editor knows.
  document.body.dataset.objects = String(r.body.objects.length);
}

/** The definition's properties in the order of the reference (the store gives them back in its own order); nested objects start with their `type`. */
export const TOP_LEVEL = ['$schema', 'name', 'label', 'description', 'type', 'constants', 'parameters', 'listTemplates', 'formats'];
export function readable(value, depth = 0) {
  if (Array.isArray(value)) return value.map((v) => readable(v, depth + 1));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const first = depth === 0 ? TOP_LEVEL : ['type', 'name', 'Name', 'Subtitle', 'Image', 'Id'];
  const ordered = [...first.filter((k) => keys.includes(k)), ...keys.filter((k) => !first.includes(k))];
  // Constants and parameters are maps of names: their order is the author's, not ours.
  const isMap = (k) => depth === 0 && (k === 'constants' || k === 'parameters');
  return Object.fromEntries(ordered.map((k) => [k, isMap(k) && isObject(value[k]) ? Object.fromEntries(Object.entries(value[k]).map(([n, v]) => [n, readable(v, 1)])) : readable(value[k], depth + 1)]));
}

export function snapshot() {
  return { definition: editors.definition.value, constants: editors.constants.value, parameters: editors.parameters.value, name: state.loadedName };
}

/** Puts back the text a load replaced (and keeps the replacing text, to go back again). */
function restorePrevious() {
  const back = state.previous;
  if (back === undefined) return;
  state.previous = snapshot();
  editors.definition.value = back.definition;
  editors.constants.value = back.constants;
  editors.parameters.value = back.parameters;
  state.loadedName = back.name;
  els.loadStatus.replaceChildren(el('span', '', 'Restored the previous text.'));
  schedule(0);
}

export async function loadComponent(name) {
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
    restore.addEventListener('click', restorePrevious);
    els.loadStatus.append(document.createTextNode(' Your previous text is kept: '), restore);
  }
  schedule(0);
}

/** Opens a ConversationMessageDefinition file (docs/salesforce-metadata.md): converted by the server, nothing stored. */
export async function openMetadataFile(file) {
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

export async function save() {
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
