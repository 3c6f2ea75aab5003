/* global document, window, navigator */
/**
 * The preview page (docs/preview.md): edit a component definition, its constants and the data it
 * is sent with, and see it validated and rendered for several channels as you type, through the
 * server's own API (POST /v1/components/validate, POST /v1/render, PUT /v1/components/{name}).
 *
 * The page's code is split into modules: page.js (shared state and the API client), problems.js,
 * inputs.js (constants, parameters, options), panes.js, update.js, components.js and session.js.
 * This one starts the page and wires its events.
 */
import { DefinitionEditor } from './editor.js';
import { CodeEditor } from './textarea-editor.js';
import { $, editors, el, els, isObject, plural, state } from './page.js';
import { buildPanes } from './panes.js';
import { applyConstants, setOptionCount, syncConstants, updateOptionCount } from './inputs.js';
import { runUpdate, schedule } from './update.js';
import { loadComponent, openMetadataFile, refreshComponents, save } from './components.js';
import { loadKey, readJson, restoreDraft, storeKey, useKey } from './session.js';


/** Finds the page's elements: `els.apiKey` is #api-key, and so on. */
function findElements() {
  for (const id of [
    'api-key', 'remember-key', 'key-form', 'key-status', 'component-select', 'load-component', 'refresh-components', 'metadata-file', 'load-status', 'definition', 'definition-caret',
    'problems', 'problems-summary', 'save', 'save-result', 'constants', 'constants-error', 'constants-form', 'parameters', 'parameters-error', 'option-count', 'option-count-help',
    'timezone', 'timezones', 'locale', 'now', 'fallback', 'render-status',
  ]) {
    els[id.replace(/-(\w)/g, (_m, c) => c.toUpperCase())] = $(id);
  }
}

/** Offers the browser's time zones in the Time zone field's list. */
function listTimezones() {
  try {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const frag = document.createDocumentFragment();
    for (const zone of ['UTC', ...zones]) frag.append(Object.assign(el('option'), { value: zone }));
    els.timezones.append(frag);
  } catch {
    // no list: the field still takes any zone
  }
}

/** The Refresh button: the stored components again. */
async function refreshList() {
  if (state.key === '') {
    els.loadStatus.textContent = 'Enter an API key first.';
    return;
  }
  if (await refreshComponents()) els.loadStatus.textContent = `${plural(state.components.length, 'stored component')}.`;
}

/** Ctrl+Enter renders now, Ctrl+S saves (outside the definition editor, which has its own). */
function onShortcut(event) {
  // The definition editor handles its own Ctrl+Enter and Ctrl+S (and marks the event handled).
  if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.altKey) return;
  if (event.key === 'Enter') {
    event.preventDefault();
    void runUpdate();
  } else if (event.key === 's' || event.key === 'S') {
    event.preventDefault();
    void save();
  }
}

/** The page's controls, wired to what they do. */
function wireEvents() {
  els.keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void useKey();
  });
  els.rememberKey.addEventListener('change', storeKey);
  els.loadComponent.addEventListener('click', () => void loadComponent(els.componentSelect.value));
  els.metadataFile.addEventListener('change', () => void openMetadataFile(els.metadataFile.files?.[0]));
  els.refreshComponents.addEventListener('click', () => void refreshList());
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
  document.addEventListener('keydown', onShortcut);
}

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
  findElements();
  Object.assign(editors, {
    definition: definitionEditor,
    constants: new CodeEditor(els.constants),
    parameters: new CodeEditor(els.parameters),
  });

  const [channels, samples] = await Promise.all([readJson('/preview/channels.json'), readJson('/preview/samples.json')]);
  if (Array.isArray(channels?.channels) && channels.channels.length > 0) state.channels = channels.channels;
  if (isObject(samples?.parameters)) state.samples = samples.parameters;
  buildPanes();

  listTimezones();
  els.timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  els.locale.value = navigator.language || 'en-US';

  const hasDraft = restoreDraft();
  state.key = loadKey();
  els.apiKey.value = state.key;

  wireEvents();

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
  definitionText: () => editors.definition?.value,
  setDefinition: (text) => editors.definition?.replaceAll(text),
  selection: () => editors.definition?.selection,
  select: (from, to = from) => editors.definition?.goTo(from, to - from),
  coords: (offset) => editors.definition?.coordsAt(offset),
  diagnostics: () => editors.definition?.diagnostics?.() ?? [],
};

void init().finally(() => {
  // For tests and scripts: the page is wired up and has done its first update.
  document.body.dataset.ready = 'true';
});
