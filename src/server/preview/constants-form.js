/* global document, structuredClone */
/**
 * The form view of a component's constant values (docs/preview.md#data): a field per text,
 * number or yes/no constant, and for a list of options (an array of records such as
 * `[{"Name": …, "Id": …}]`) a row per option with Move up, Move down and Remove, and Add an option.
 * It edits a copy of the values and hands it to `onChange`; the page writes it into the constants
 * JSON and the definition, and draws the form again from the definition.
 */

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const idOf = (text) => text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

function button(text, label, onClick) {
  const b = el('button', 'small', text);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

/** An input for a scalar; `set` receives the new value with its JSON type kept. */
function scalarInput(id, labelText, value, set) {
  const wrap = el('div', 'field');
  const label = el('label', '', labelText);
  label.htmlFor = id;
  const input = el('input');
  input.id = id;
  if (typeof value === 'boolean') {
    input.type = 'checkbox';
    input.checked = value;
    input.addEventListener('change', () => set(input.checked));
    wrap.className = 'field field-inline';
    wrap.append(input, label);
    return wrap;
  }
  input.type = typeof value === 'number' ? 'number' : 'text';
  input.value = String(value);
  input.spellcheck = false;
  input.addEventListener('input', () => {
    if (typeof value !== 'number') return set(input.value);
    const n = Number(input.value);
    if (input.value.trim() !== '' && Number.isFinite(n)) set(n);
  });
  wrap.append(label, input);
  return wrap;
}

/** A fresh option like the list's last one: its text fields named "Option N", its id from that. */
function newOption(list) {
  const n = list.length + 1;
  const model = isRecord(list[list.length - 1]) ? list[list.length - 1] : { Name: '', Id: '' };
  const option = {};
  for (const [key, v] of Object.entries(model)) {
    if (/^id$/i.test(key)) option[key] = `option_${n}`;
    else if (typeof v === 'string') option[key] = `Option ${n}`;
    else option[key] = v;
  }
  const idKey = Object.keys(option).find((k) => /^id$/i.test(k));
  const nameKey = Object.keys(option).find((k) => typeof option[k] === 'string' && k !== idKey);
  if (idKey !== undefined && nameKey !== undefined) option[idKey] = idOf(option[nameKey]);
  return option;
}

function optionList(name, list, commit) {
  const box = el('fieldset', 'const-options');
  box.append(el('legend', '', `${name} (${list.length} options)`));
  const ol = el('ol');
  list.forEach((option, i) => {
    const li = el('li', 'option-row');
    li.dataset.index = String(i);
    for (const [key, v] of Object.entries(option)) {
      if (!isScalar(v)) continue;
      li.append(scalarInput(`const-${name}-${i}-${key}`, `${key} of option ${i + 1}`, v, (value) => commit((copy) => (copy[name][i][key] = value), false)));
    }
    const move = (to) => commit((copy) => copy[name].splice(to, 0, ...copy[name].splice(i, 1)), true, `[data-index="${to}"] .${to < i ? 'up' : 'down'}`);
    const up = button('Up', `Move option ${i + 1} up`, () => move(i - 1));
    up.classList.add('up');
    up.disabled = i === 0;
    const down = button('Down', `Move option ${i + 1} down`, () => move(i + 1));
    down.classList.add('down');
    down.disabled = i === list.length - 1;
    li.append(up, down, button('Remove', `Remove option ${i + 1}`, () => commit((copy) => copy[name].splice(i, 1), true, '.add-option')));
    ol.append(li);
  });
  const add = button('Add an option', `Add an option to ${name}`, () => commit((copy) => copy[name].push(newOption(copy[name])), true, '.add-option'));
  add.classList.add('add-option');
  box.append(ol, add);
  return box;
}

/**
 * Draws the form for `values` in `container`. `onChange(next)` gets the edited values.
 * Structural changes (add, remove, reorder) draw the form again and keep the focus on the
 * control that was used (or its counterpart after the move).
 */
export function renderConstantsForm(container, values, onChange) {
  container.replaceChildren();
  const names = Object.keys(values ?? {});
  if (names.length === 0) {
    container.append(el('p', 'help', 'No constant values: declare constants in the definition.'));
    return;
  }
  const commit = (edit, redraw, focusSelector) => {
    const copy = structuredClone(values);
    edit(copy);
    values = copy;
    onChange(copy);
    if (!redraw) return;
    renderConstantsForm(container, copy, onChange);
    const target = focusSelector ? container.querySelector(focusSelector) : undefined;
    (target && !target.disabled ? target : container.querySelector('.add-option'))?.focus();
  };
  for (const name of names) {
    const v = values[name];
    if (isScalar(v)) container.append(scalarInput(`const-${name}`, name, v, (value) => commit((copy) => (copy[name] = value), false)));
    else if (Array.isArray(v) && v.every(isRecord)) container.append(optionList(name, v, commit));
    else container.append(el('p', 'help', `${name}: edit it in the JSON below.`));
  }
}
