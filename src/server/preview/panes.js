/* global document, setTimeout, Blob */
/**
 * The preview page's channel panes: building them, what each shows (a render or its problem), the
 * render request each sends, and saving a pane as a golden case.
 */
import { platformFrame, renderMockup, ruleText } from './mockup.js';
import { $, el, els, PANES, state } from './page.js';
import { problemBox, renderWhere } from './problems.js';
import { readParameters } from './inputs.js';
import { schedule } from './update.js';

// Render panes.

export function channelInfo(type) {
  return state.channels.find((c) => c.type === type) ?? { type, label: type, platform: 'text', components: [] };
}

export function buildPanes() {
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
export function goldenCase(pane) {
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

export function saveGoldenCase(pane) {
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

export function setPaneTitle(pane) {
  const info = channelInfo(pane.channel);
  pane.golden.setAttribute('aria-label', `Save the ${pane.textVersion ? `Text version on ${info.label}` : info.label} render as a golden case`);
  pane.title.textContent = pane.textVersion ? `Text version · ${info.label}` : info.label;
  pane.node.dataset.channel = pane.channel;
}

export function markStale(reason) {
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

export function formatLine(pane, result) {
  const parts = [document.createTextNode(pane.textVersion ? 'Text version' : 'Format: '), ...(pane.textVersion ? [] : [el('span', 'format', result.format)])];
  const count = result.payload?.messages?.length ?? 0;
  if (count > 1) parts.push(document.createTextNode(` (${count} messages)`));
  return parts;
}

export function skipList(title, items, describe) {
  const frag = document.createDocumentFragment();
  if (items.length === 0) return frag;
  frag.append(el('h4', '', title));
  const list = el('ul');
  for (const item of items) list.append(describe(item));
  frag.append(list);
  return frag;
}

/** The pane's answer arrived (`rendered` or `error`): it is current again, and can be saved as a golden case. */
function settle(pane, last, state) {
  pane.last = last;
  pane.golden.disabled = false;
  pane.node.classList.remove('stale');
  pane.node.dataset.state = state;
}

export function showResult(pane, result) {
  settle(pane, result, 'rendered');
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

export const BODY_FALLBACK = /Send "fallback": "text" to get the Text version instead\./g;
export const PAGE_FALLBACK = 'Tick "Fall back to the Text version" (under Render settings) to see the Text version instead.';

/** The server's refusal speaks to API callers (`Send "fallback": "text"`): here, point at the page's checkbox. */
export function forThePage(problem) {
  const reword = (text) => (typeof text === 'string' ? text.replace(BODY_FALLBACK, PAGE_FALLBACK) : text);
  const errors = Array.isArray(problem.errors) ? problem.errors.map((e) => ({ ...e, message: reword(e.message) })) : problem.errors;
  return { ...problem, detail: reword(problem.detail), errors };
}

export function fallbackButton() {
  const button = el('button', 'link', 'Go to the "Fall back to the Text version" checkbox');
  button.type = 'button';
  button.addEventListener('click', () => {
    els.fallback.scrollIntoView({ block: 'center' });
    els.fallback.focus();
  });
  return button;
}

export function showRenderProblem(pane, problem) {
  settle(pane, undefined, 'error');
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

export function renderRequest(pane, definition, parameters) {
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
