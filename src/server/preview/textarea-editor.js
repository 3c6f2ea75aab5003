/* global document, window */
/**
 * The preview page's small JSON editors (constants, parameters): a textarea with a line-number
 * gutter and line marks. The definition has the CodeMirror editor (editor/index.js).
 */
import { positionAt } from './locate.js';

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class CodeEditor {
  constructor(textarea, { caret } = {}) {
    this.textarea = textarea;
    this.gutter = textarea.parentElement.querySelector('.gutter');
    this.caret = caret;
    this.marks = new Map();
    this.lines = 0;
    textarea.addEventListener('input', () => this.refresh());
    textarea.addEventListener('scroll', () => {
      this.gutter.scrollTop = textarea.scrollTop;
    });
    for (const event of ['keyup', 'click', 'select', 'input', 'focus']) textarea.addEventListener(event, () => this.showCaret());
    this.refresh();
  }

  get value() {
    return this.textarea.value;
  }

  /** Replaces the text, keeping the caret where it was as far as possible. */
  set value(text) {
    if (text === this.textarea.value) return;
    const { selectionStart, selectionEnd, scrollTop } = this.textarea;
    this.textarea.value = text;
    if (document.activeElement === this.textarea) this.textarea.setSelectionRange(Math.min(selectionStart, text.length), Math.min(selectionEnd, text.length));
    this.textarea.scrollTop = scrollTop;
    this.refresh();
  }

  /** Marks lines: line → 'error' | 'warning'. */
  setMarks(marks) {
    this.marks = marks;
    this.lines = -1;
    this.refresh();
  }

  refresh() {
    const count = this.textarea.value.split('\n').length;
    if (count === this.lines) return;
    this.lines = count;
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= count; i++) {
      const mark = this.marks.get(i);
      frag.append(el('span', mark ? `mark-${mark}` : '', String(i)));
    }
    this.gutter.replaceChildren(frag);
    this.gutter.scrollTop = this.textarea.scrollTop;
  }

  showCaret() {
    if (this.caret === undefined) return;
    const { line, column } = positionAt(this.textarea.value, this.textarea.selectionStart);
    this.caret.textContent = `Line ${line}, column ${column}`;
  }

  /** Selects [offset, offset + length), focuses the editor and scrolls the line into view. */
  goTo(offset, length = 0) {
    const ta = this.textarea;
    ta.focus();
    ta.setSelectionRange(offset, offset + length);
    const { line } = positionAt(ta.value, offset);
    const style = window.getComputedStyle(ta);
    const lineHeight = parseFloat(style.lineHeight) || 20;
    ta.scrollTop = Math.max(0, (line - 1) * lineHeight - ta.clientHeight / 3);
    // Columns: the editor's font is monospaced, so one character's width places the caret.
    const { column } = positionAt(ta.value, offset);
    ta.scrollLeft = Math.max(0, (column - 1) * charWidth(style.font) - ta.clientWidth / 2);
    this.gutter.scrollTop = ta.scrollTop;
    this.showCaret();
  }
}

const charWidths = new Map();
function charWidth(font) {
  if (!charWidths.has(font)) {
    const probe = el('span', '', 'x'.repeat(100));
    probe.style.font = font;
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    probe.style.whiteSpace = 'pre';
    document.body.append(probe);
    charWidths.set(font, probe.getBoundingClientRect().width / 100 || 8);
    probe.remove();
  }
  return charWidths.get(font);
}

