/* global document */
/**
 * Problems on the preview page: RFC 9457 problem boxes, where a problem's pointer is in one of the
 * editors (with a button that goes there), and the definition's Problems list.
 */
import { locateDiagnostic, locatePointer, parseJsonTree } from './locate.js';
import { editors, el, els, plural, state } from './page.js';

// Locations: where a pointer of a problem is in one of the editors.

/** A description of the place a JSON pointer names in an editor, with a button that goes there. */
export function placeIn(editor, pointer, diagnostic = {}) {
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

export function goButton(editor, loc, what) {
  const button = el('button', 'link', `line ${loc.line}, column ${loc.column}`);
  button.type = 'button';
  button.setAttribute('aria-label', `Go to line ${loc.line}, column ${loc.column} of ${what}`);
  button.addEventListener('click', () => editor.goTo(loc.offset, loc.length));
  return button;
}

export const SETTINGS_FIELDS = { '/timezone': 'timezone', '/locale': 'locale', '/now': 'now' };

/** Where a problem of a render request is: in the definition, the parameters, a setting, or the channel. */
export function renderWhere(pane) {
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

export function whereIn(editor, what, pointer, error) {
  const loc = placeIn(editor, pointer, error);
  const parts = [document.createTextNode(`${what} `), el('code', '', pointer === '' ? '(the whole text)' : pointer)];
  if (loc !== undefined) parts.push(document.createTextNode(', '), goButton(editor, loc, what));
  if (loc?.precision === 'parent') parts.push(document.createTextNode(` (missing: ${loc.missing.join('/')})`));
  return parts;
}

/** An RFC 9457 problem, readably: title and status, detail, and each error with where it is. */
export function problemBox(problem, where, { alert = false, note } = {}) {
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

// Problems of the definition: JSON syntax, then the server's validation.

export function innerWhat(pointer) {
  if (pointer.endsWith('/template')) return 'the template';
  if (pointer.endsWith('/formula')) return 'the formula';
  return 'the string';
}

export function showDiagnostics(items, summary) {
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

export function showValidation(errors, warnings) {
  const tree = state.tree;
  const items = [...errors.map((e) => ({ ...e, severity: 'error' })), ...warnings.map((w) => ({ ...w, severity: 'warning' }))].map((d) => ({ ...d, loc: tree ? placeIn(editors.definition, d.pointer ?? '', d) : undefined }));
  items.sort((a, b) => (a.loc?.offset ?? 0) - (b.loc?.offset ?? 0) || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const summary = errors.length + warnings.length === 0 ? 'No problems.' : `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}.`;
  showDiagnostics(items, summary);
}
