/* global document, setTimeout, clearTimeout, AbortController */
/**
 * The preview page's update cycle: parse, validate, render. Debounced; a newer cycle cancels an older one.
 */
import { parseJsonTree } from './locate.js';
import { api, DEBOUNCE_MS, editors, el, els, plural, state } from './page.js';
import { problemBox, showDiagnostics, showValidation, whereIn } from './problems.js';
import { applyConstants, drawConstantsForm, readParameters, syncConstants, updateOptionCount } from './inputs.js';
import { markStale, renderRequest, showRenderProblem, showResult } from './panes.js';
import { saveDraft } from './session.js';

// The update cycle: parse, validate, render. Debounced; a newer cycle cancels an older one.

export function status(text) {
  if (els.renderStatus.textContent !== text) els.renderStatus.textContent = text;
}

export function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(state.timer);
  saveDraft();
  state.timer = setTimeout(() => {
    void runUpdate();
  }, delay);
}

export async function runUpdate() {
  try {
    await update();
  } catch (e) {
    if (e?.name !== 'AbortError') status(`Something went wrong in the page: ${e?.message ?? e}`);
  }
}

export async function update() {
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

  await renderPanes(state.definition, params.value, signal, current);
}

/** Renders the definition in every pane, and shows the results unless a newer update has come (`current`). */
async function renderPanes(definition, parameters, signal, current) {
  status('Rendering…');
  const outcomes = await Promise.all(state.panes.map(async (pane) => ({ pane, r: await api('POST', '/v1/render', renderRequest(pane, definition, parameters), signal) })));
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
