/* global document, window */
/**
 * The preview page's definition editor: CodeMirror 6 with the JSON language, and the formula
 * language service (src/language) for the formulas and templates inside the JSON: completion,
 * hover, signature help and lint with quick-fix actions. Bundled by scripts/build-preview.js
 * (esbuild, at build time) into dist/src/server/preview/editor.js, which the server serves as
 * /preview/editor.js; app.js imports it. No CDN: everything is in the bundle.
 *
 * `DefinitionEditor` has the interface of app.js's textarea editors (value, setMarks, goTo), so
 * the rest of the page does not care which editor it talks to.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { linter, lintGutter, lintKeymap, forceLinting, forEachDiagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, StateField, RangeSetBuilder, Prec } from '@codemirror/state';
import { Decoration, EditorView, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers, drawSelection } from '@codemirror/view';
import { catalogOfDefinitions, LanguageService } from '../../../language/index.js';
import { schemaCompletions, schemaDiagnostics, schemaHover, schemaState } from './schema.js';

/** Without a catalog until the page gives the server's object definitions (setObjects). */
let service = new LanguageService();
const doc = (text) => ({ kind: 'component', text });

const KIND_TYPES = { function: 'function', field: 'property', relationship: 'property', list: 'property', constant: 'constant', parameter: 'variable', global: 'namespace', listTemplate: 'class', listItem: 'property', keyword: 'keyword', value: 'enum' };

/** Markdown from the service: paragraphs, lists, fenced code and code spans. */
function markdown(text) {
  const box = document.createElement('div');
  box.className = 'cm-doc';
  for (const block of text.split(/\n{2,}/)) {
    const fenced = /^```[\w-]*\n([\s\S]*?)\n?```$/.exec(block.trim());
    if (fenced) {
      const pre = document.createElement('pre');
      pre.textContent = fenced[1];
      box.append(pre);
      continue;
    }
    const lines = block.split('\n');
    if (lines.some((l) => l.startsWith('- '))) {
      // A list, after an optional heading line ("Examples:").
      const ul = document.createElement('ul');
      for (const line of lines) {
        if (line.startsWith('- ')) ul.append(inline('li', line.slice(2)));
        else if (ul.childElementCount === 0) box.append(inline('p', line));
        else ul.lastElementChild?.append(document.createTextNode(` ${line}`));
      }
      box.append(ul);
      continue;
    }
    box.append(inline('p', block));
  }
  return box;
}

/** Text with `code` spans, in a new element. */
function inline(tag, text) {
  const p = document.createElement(tag);
  for (const [i, part] of text.split('`').entries()) {
    if (i % 2 === 1) {
      const code = document.createElement('code');
      code.textContent = part;
      p.append(code);
    } else p.append(document.createTextNode(part.replace(/\*\*/g, '')));
  }
  return p;
}

/** Outside formulas and templates: the schema's property names and enum values. */
function definitionCompletionSource(context) {
  if (service.formulaAt(doc(context.state.doc.toString()), context.pos) !== undefined) return null;
  return schemaCompletions(context);
}

function completionSource(context) {
  const text = context.state.doc.toString();
  if (service.formulaAt(doc(text), context.pos) === undefined) return null;
  const result = service.completions(doc(text), context.pos);
  if (result.items.length === 0) return null;
  return {
    from: result.replace.start,
    to: result.replace.end,
    options: result.items.map((c) => ({
      label: c.label,
      type: KIND_TYPES[c.kind] ?? 'variable',
      detail: c.detail,
      apply: (view, _completion, from, to) => {
        view.dispatch({ changes: { from: c.replace.start, to: Math.max(to, c.replace.end), insert: c.insertText }, selection: { anchor: c.replace.start + c.insertText.length }, userEvent: 'input.complete' });
        void from;
      },
      ...(c.documentation ? { info: () => markdown(c.documentation) } : {}),
    })),
    validFor: /^[\w.$]*$/,
  };
}

const hover = hoverTooltip((view, pos) => {
  const text = view.state.doc.toString();
  const found = service.hover(doc(text), pos);
  const signature = found === undefined ? service.signatureHelp(doc(text), pos) : undefined;
  if (found === undefined && signature === undefined) return null;
  const contents = found !== undefined ? found.contents : `\`${signature.signatures[signature.activeSignature]?.label ?? ''}\``;
  return {
    pos: found?.span.start ?? pos,
    end: found?.span.end ?? pos,
    above: true,
    create: () => ({ dom: Object.assign(markdown(contents), { className: 'cm-doc cm-hover-doc' }) }),
  };
});

/** The schema's hover, outside formulas and templates (where the language service's hover is). */
const schemaHoverSource = schemaHover(({ message, typeInfo }) => {
  const box = markdown(message ?? '');
  box.className = 'cm-doc cm-hover-doc cm-schema-doc';
  if (typeInfo) box.append(inline('p', typeInfo.trim()));
  return box;
});
const definitionHover = hoverTooltip((view, pos, side) => {
  const text = view.state.doc.toString();
  if (service.formulaAt(doc(text), pos) !== undefined || service.hover(doc(text), pos) !== undefined) return null;
  return schemaHoverSource(view, pos, side);
});

/**
 * Problems from two sources in one lint pass: the formula language service (formulas, templates,
 * list templates, JSON syntax) and the component schema (properties and values). Where both
 * report at overlapping places the language service wins (it has codes, exact spans and fixes),
 * and a text that isn't JSON gets only the syntax error.
 */
const definitionLint = linter(
  (view) => {
    const text = view.state.doc.toString();
    if (text.trim() === '') return []; // an empty editor: the page says to load or paste a definition
    const formulas = formulaDiagnostics(text);
    const schema = schemaDiagnostics(view).filter((s) => !formulas.some((f) => f.from <= s.to && s.from <= f.to));
    return [...formulas, ...schema].sort((a, b) => a.from - b.from || a.to - b.to);
  },
  { delay: 150 },
);

function formulaDiagnostics(text) {
  const length = text.length;
  return service.diagnostics(doc(text)).map((d) => ({
    from: Math.min(d.span.start, length),
    to: Math.min(Math.max(d.span.end, d.span.start), length),
    severity: d.severity,
    source: d.code,
    message: d.message,
    actions: d.fixes.map((fix) => ({
      name: fix.title,
      apply: (v) => v.dispatch({ changes: fix.edits.map((e) => ({ from: e.span.start, to: e.span.end, insert: e.newText })), userEvent: 'input.fix' }),
    })),
  }));
}

// Line marks from the server's validation (app.js's setMarks): line number → 'error' | 'warning'.
const setMarksEffect = StateEffect.define();
const marksField = StateField.define({
  create: () => new Map(),
  update: (marks, tr) => {
    for (const e of tr.effects) if (e.is(setMarksEffect)) return e.value;
    return marks;
  },
  provide: (field) =>
    EditorView.decorations.compute([field, 'doc'], (state) => {
      const builder = new RangeSetBuilder();
      const marks = state.field(field);
      for (const line of [...marks.keys()].sort((a, b) => a - b)) {
        if (line < 1 || line > state.doc.lines) continue;
        builder.add(state.doc.line(line).from, state.doc.line(line).from, Decoration.line({ attributes: { class: `mark-${marks.get(line)}`, 'data-line': String(line) } }));
      }
      return builder.finish();
    }),
});

const theme = EditorView.theme({
  '&': { fontSize: '0.9rem', border: '1px solid #6b7280', borderRadius: '4px', backgroundColor: '#fff', height: '460px' },
  '.cm-scroller': { overflow: 'auto' },
  '&.cm-focused, &:focus-within': { outline: '3px solid #0a3069', outlineOffset: '2px' },
  '& .cm-scroller': { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: '#f3f4f6', color: '#374151' },
  '.cm-gutterElement': { color: '#374151' },
  '.cm-activeLineGutter': { backgroundColor: '#dbeafe' },
  '.cm-activeLine': { backgroundColor: '#eff6ff' },
  '.mark-error': { backgroundColor: '#fee2e2' },
  '.mark-warning': { backgroundColor: '#fef3c7' },
});

/** The definition editor: CodeMirror in `parent`, its content element given `id` and the label. */
export class DefinitionEditor {
  constructor(parent, { id, labelledBy, describedBy, caret, onChange, onRender, onSave }) {
    this.caret = caret;
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: '',
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          json(),
          EditorView.lineWrapping,
          schemaState,
          marksField,
          definitionLint,
          hover,
          definitionHover,
          autocompletion({ override: [completionSource, definitionCompletionSource], activateOnTyping: true, icons: false }),
          Prec.highest(
            keymap.of([
              { key: 'Mod-Enter', run: () => (onRender(), true) },
              { key: 'Mod-s', run: () => (onSave(), true) },
            ]),
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
          theme,
          // The page's content security policy allows style sheets with this nonce (src/server/routes/preview.ts).
          EditorView.cspNonce.of(document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? ''),
          EditorView.contentAttributes.of({ id, tabindex: '0', 'aria-labelledby': labelledBy, 'aria-describedby': describedBy, 'aria-multiline': 'true', role: 'textbox', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) {
              if (!this.silent) onChange();
            }
            if (u.docChanged || u.selectionSet || u.focusChanged) this.showCaret();
          }),
        ],
      }),
    });
    this.silent = false;
  }

  get value() {
    return this.view.state.doc.toString();
  }

  /** Replaces the text (a load, a restore, a change made by the form controls). */
  set value(text) {
    if (text === this.value) return;
    const head = Math.min(this.view.state.selection.main.head, text.length);
    this.silent = true;
    try {
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, selection: { anchor: head } });
    } finally {
      this.silent = false;
    }
  }

  /** As if typed: the page's change handler runs. */
  replaceAll(text) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, userEvent: 'input' });
  }

  setMarks(marks) {
    this.view.dispatch({ effects: setMarksEffect.of(new Map(marks)) });
  }

  refresh() {
    forceLinting(this.view);
  }

  /**
   * The server's object definitions (GET /v1/objects): `$Parameters.<record parameter>.` then
   * completes the object's fields, and a misspelled field gets its "did you mean" fix.
   */
  setObjects(definitions) {
    service = new LanguageService({ catalog: catalogOfDefinitions(definitions) });
    this.objects = definitions.length;
    forceLinting(this.view);
  }

  showCaret() {
    if (this.caret === undefined) return;
    // The start of the selection, as the textarea editors show it.
    const at = this.view.state.selection.main.from;
    const line = this.view.state.doc.lineAt(at);
    this.caret.textContent = `Line ${line.number}, column ${at - line.from + 1}`;
  }

  /** Selects [offset, offset + length), focuses the editor and scrolls the place into view. */
  goTo(offset, length = 0) {
    const end = Math.min(offset + length, this.view.state.doc.length);
    this.view.dispatch({ selection: { anchor: offset, head: end }, effects: EditorView.scrollIntoView(offset, { y: 'center', x: 'center' }) });
    this.view.focus();
    this.showCaret();
  }

  /** Where a document offset is drawn on the screen (null when not drawn). */
  coordsAt(offset) {
    const c = this.view.coordsAtPos(offset);
    return c === null ? null : { left: c.left, top: c.top, bottom: c.bottom };
  }

  /** The lint diagnostics shown (for tests): `{from, to, line, severity, source, message, actions}`. */
  diagnostics() {
    const out = [];
    forEachDiagnostic(this.view.state, (d, from, to) => out.push({ from, to, line: this.view.state.doc.lineAt(from).number, severity: d.severity, source: d.source, message: d.message, actions: (d.actions ?? []).map((a) => a.name) }));
    return out;
  }

  get selection() {
    const { from, to } = this.view.state.selection.main;
    return [from, to];
  }
}

window.parlanceEditorLoaded = true;
