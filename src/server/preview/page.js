/* global document, sessionStorage, localStorage, fetch */
/**
 * The preview page's shared parts (docs/preview.md): constants, small DOM and JSON helpers, the
 * page's elements and state, its editors, and the API client.
 */

export const KEY_STORAGE = 'parlance.preview.key';
export const DRAFT_STORAGE = 'parlance.preview.draft';
export const DEBOUNCE_MS = 350;
export const MAX_OPTIONS = 20;

/** The panes, left to right; the user can pick another channel in each. */
export const PANES = [
  { id: 'messenger', channel: 'FacebookEnhanced' },
  { id: 'web', channel: 'EmbeddedWeb' },
  { id: 'in-app', channel: 'EmbeddedInApp' },
  { id: 'text', channel: 'SmsLongCode', textVersion: true },
];

/** Used when /preview/channels.json can't be read. */
export const DEFAULT_CHANNELS = [
  { type: 'FacebookEnhanced', label: 'Enhanced Facebook Messenger', platform: 'messenger', components: ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector'] },
  { type: 'EmbeddedWeb', label: 'Messaging for Web', platform: 'embedded', components: ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse'] },
  { type: 'EmbeddedInApp', label: 'Messaging for In-App', platform: 'embedded', components: ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse'] },
  { type: 'SmsLongCode', label: 'SMS long code', platform: 'sms', components: [] },
];

export const $ = (id) => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`The page has no #${id}`);
  return node;
};

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON with sorted keys: equal values give equal strings. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}
export const sameJson = (a, b) => canonical(a) === canonical(b);

export function storage(kind) {
  try {
    return kind === 'local' ? localStorage : sessionStorage;
  } catch {
    return undefined; // storage disabled
  }
}

// State and elements.

export const els = {};
export const state = {
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
/** The three editors, set by the start of the page (app.js). */
export const editors = {};

// The API.

export async function api(method, path, body, signal) {
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

export function showKeyProblem(problem) {
  els.apiKey.setAttribute('aria-invalid', 'true');
  els.keyStatus.textContent = state.key === '' ? 'Enter an API key: the page calls the API with it.' : `The server refused the key: ${problem.detail ?? problem.title}`;
}
