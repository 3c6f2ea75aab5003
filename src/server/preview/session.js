/* global fetch */
/**
 * What the preview page keeps between visits: the API key (this tab, or local storage when
 * remembered) and the draft (this tab), and using a newly entered key.
 */
import { DRAFT_STORAGE, editors, els, isObject, KEY_STORAGE, state, storage } from './page.js';
import { setPaneTitle } from './panes.js';
import { loadComponent, refreshComponents } from './components.js';
import { schedule } from './update.js';

// The key, drafts, settings.

export function loadKey() {
  const local = storage('local')?.getItem(KEY_STORAGE);
  if (local) {
    els.rememberKey.checked = true;
    return local;
  }
  return storage('session')?.getItem(KEY_STORAGE) ?? '';
}

export function storeKey() {
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

export async function useKey() {
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

export function saveDraft() {
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

export function restoreDraft() {
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

export async function readJson(path) {
  try {
    const res = await fetch(path);
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}
