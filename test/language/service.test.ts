/** The formula language service on formulas and templates: diagnostics, completion, hover, signature help, quick fixes. */
import { describe, expect, it } from 'vitest';
import { ObjectCatalog } from '../../src/catalog/catalog.js';
import { LanguageService, type LanguageDocument, type TextEdit } from '../../src/language/index.js';

const service = new LanguageService({ catalog: ObjectCatalog.builtin() });

/** The text with `|` removed, and the offset where it was. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const formula = (text: string, context: LanguageDocument['context'] = {}): LanguageDocument => ({ kind: 'formula', text, context });

describe('diagnostics', () => {
  it('reports the checker problems with their spans', () => {
    const text = 'ROUND(Amount, 2) + LEN(Name)';
    const d = service.diagnostics(formula(text, { fields: { Amount: 'Number', Name: 'Text', Other: 'Text' } }));
    expect(d).toEqual([]);
    const bad = service.diagnostics(formula('ROUND(Amont, 2)', { fields: { Amount: 'Number' } }));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ code: 'E_UNKNOWN_FIELD', severity: 'error', span: { start: 6, end: 11 } });
  });

  it('reports syntax errors of a half-typed formula without throwing', () => {
    const d = service.diagnostics(formula('ROUND(1, '));
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]?.code).toBe('E_SYNTAX');
  });

  it('checks a declared result type', () => {
    const d = service.diagnostics(formula('1 + 1', { returnType: 'Text' }));
    expect(d.map((x) => x.code)).toEqual(['E_RETURN_TYPE']);
  });

  it('checks templates, and problems inside their list templates', () => {
    const doc: LanguageDocument = {
      kind: 'template',
      text: 'Hi {!$Constants.Titel}{!$ListTemplates.L}',
      context: { constants: { Title: 'Text', Items: [{ Name: 'Text' }] }, listTemplates: [{ name: 'L', source: '$Constants.Items', template: '{!$ListItem.Value.Nme}' }] },
    };
    const d = service.diagnostics(doc);
    const own = d.find((x) => x.message.includes('Titel'));
    expect(own).toMatchObject({ code: 'E_UNKNOWN_FIELD', span: { start: 16, end: 21 } });
    expect(d.some((x) => x.message.startsWith('$ListTemplates.L:') && x.message.includes('Nme'))).toBe(true);
  });
});

describe('completion', () => {
  it('offers functions with signatures, fields and globals at the start of a name', () => {
    const { text, offset } = cursor('RO|');
    const r = service.completions(formula(text, { fields: { Amount: 'Number' } }), offset);
    expect(r.replace).toEqual({ start: 0, end: 2 });
    const round = r.items.find((i) => i.label === 'ROUND');
    expect(round).toMatchObject({ kind: 'function' });
    expect(round?.detail).toMatch(/^ROUND\(number: Number, .*\) → Number$/);
    expect(round?.documentation).toContain('```');
    expect(r.items.find((i) => i.label === 'Amount')).toMatchObject({ kind: 'field', detail: 'Number' });
    expect(r.items.some((i) => i.label === '$Constants')).toBe(true);
    expect(r.items.some((i) => i.label === 'TRUE' && i.kind === 'keyword')).toBe(true);
  });

  it('offers the constants after $Constants. and the parameters after $Parameters.', () => {
    const { text, offset } = cursor('LEN($Constants.|)');
    const r = service.completions(formula(text, { constants: { Title: 'Text', Count: 'Number' }, descriptions: { '$Constants.Title': 'The heading' } }), offset);
    expect(r.items.map((i) => i.label)).toEqual(['Title', 'Count']);
    expect(r.items[0]).toMatchObject({ kind: 'constant', detail: 'Text', documentation: 'The heading' });
    expect(r.replace).toEqual({ start: offset, end: offset });
  });

  it('offers catalog fields and relationships of an object, following relationships', () => {
    const doc = (t: string) => formula(t, { object: 'Case' });
    let c = cursor('Acc|');
    let r = service.completions(doc(c.text), c.offset);
    expect(r.items.find((i) => i.label === 'Account')).toMatchObject({ kind: 'relationship', detail: '→ Account' });
    const status = r.items.find((i) => i.label === 'Status');
    expect(status?.documentation).toContain('`Escalated`');
    c = cursor('Account.Own|er');
    r = service.completions(doc(c.text), c.offset);
    expect(r.replace).toEqual({ start: 8, end: 13 });
    expect(r.items.some((i) => i.label === 'Owner' && i.kind === 'relationship')).toBe(true);
    expect(r.items.some((i) => i.label === 'Name')).toBe(true);
  });

  it('offers picklist values inside ISPICKVAL and CASE', () => {
    let c = cursor('ISPICKVAL(Status, "Es|")');
    let r = service.completions(formula(c.text, { object: 'Case' }), c.offset);
    expect(r.items.map((i) => i.label)).toEqual(['New', 'Working', 'Escalated', 'Closed']);
    expect(r.items[0]?.kind).toBe('value');
    expect(r.replace).toEqual({ start: 19, end: 21 });
    c = cursor('CASE(Priority, "|", 1, 0)');
    r = service.completions(formula(c.text, { object: 'Case' }), c.offset);
    expect(r.items.map((i) => i.label)).toEqual(['High', 'Medium', 'Low']);
    c = cursor('CASE(Priority, "High", "|", "x")');
    expect(service.completions(formula(c.text, { object: 'Case' }), c.offset).items).toEqual([]);
  });

  it('offers $ListItem members inside a list template, and declared globals', () => {
    const c = cursor('$ListItem.|');
    const r = service.completions(formula(c.text, { listItem: { value: { Name: 'Text' } } }), c.offset);
    expect(r.items.map((i) => i.label)).toEqual(['Index', 'Value', 'IsFirst', 'IsLast']);
    const v = cursor('$ListItem.Value.|');
    expect(service.completions(formula(v.text, { listItem: { value: { Name: 'Text' } } }), v.offset).items.map((i) => i.label)).toEqual(['Name']);
    const g = cursor('$|');
    const globals = service.completions(formula(g.text, { fields: { $User: { FirstName: 'Text' } } }), g.offset).items.map((i) => i.label);
    expect(globals).toContain('$User');
    expect(globals).not.toContain('$ListItem');
    expect(globals).not.toContain('$Organization');
  });

  it('offers nothing inside a comment or a number', () => {
    const c = cursor('/* RO| */ 1');
    expect(service.completions(formula(c.text), c.offset).items).toEqual([]);
    const n = cursor('1.|5');
    expect(service.completions(formula(n.text), n.offset).items).toEqual([]);
  });

  it('in templates: inside merge fields only, with list templates', () => {
    const context = { constants: { Title: 'Text', Items: [{ Name: 'Text' }] }, listTemplates: [{ name: 'OptionsList', source: '$Constants.Items', template: '{!$ListItem.Index}' }] };
    let c = cursor('Hello {!$Constants.|');
    let r = service.completions({ kind: 'template', text: c.text, context }, c.offset);
    expect(r.items.map((i) => i.label)).toEqual(['Title', 'Items']);
    c = cursor('Hello {!$ListTemplates.|}');
    r = service.completions({ kind: 'template', text: c.text, context }, c.offset);
    expect(r.items.map((i) => i.label)).toEqual(['OptionsList']);
    c = cursor('Hel|lo {!1}');
    expect(service.completions({ kind: 'template', text: c.text, context }, c.offset).items).toEqual([]);
  });
});

describe('hover', () => {
  it('shows a function signature and its documentation, and what the call returns', () => {
    const text = 'ROUND(1.5, 0)';
    const h = service.hover(formula(text), 2);
    expect(h?.span).toEqual({ start: 0, end: 5 });
    expect(h?.contents).toContain('ROUND(number: Number');
    expect(h?.contents).toContain('This call returns **Number**');
  });

  it('fences signatures with a language name of word characters only (Neovim 0.7 shows a fence like ```a-b as text, and the rest of the hover as code)', () => {
    const h = service.hover(formula('ROUND(1.5, 0)'), 2);
    expect(h?.contents).toMatch(/^```parlance\nROUND\(number: Number, num_digits: Number\) → Number\n```\n/);
  });

  it('shows a field with its catalog label, description and picklist values', () => {
    const h = service.hover(formula('ISPICKVAL(Status, "New")', { object: 'Case' }), 12);
    expect(h?.contents).toContain('`Status`: **Picklist**');
    expect(h?.contents).toContain('`Working`');
    const n = service.hover(formula('Account.Name & CaseNumber', { object: 'Case' }), 17);
    expect(n?.contents).toContain('`CaseNumber`: **Text**');
    expect(n?.contents).toContain('Auto number');
  });

  it('shows the inferred type of the expression under the cursor', () => {
    const text = 'IF(Amount > 10, "big", "small")';
    const h = service.hover(formula(text, { fields: { Amount: 'Currency' } }), text.indexOf('>'));
    expect(h?.contents).toBe('`Amount > 10`: **Boolean**');
  });

  it('explains unsupported functions', () => {
    const h = service.hover(formula('HYPERLINK("a", "b")'), 3);
    expect(h?.contents).toContain("HTML-generating functions aren't supported");
  });

  it('works inside a merge field of a template', () => {
    const text = 'Total: {!TEXT(ROUND($Constants.N, 2))}';
    const h = service.hover({ kind: 'template', text, context: { constants: { N: 'Number' } } }, text.indexOf('ROUND') + 1);
    expect(h?.span).toEqual({ start: text.indexOf('ROUND'), end: text.indexOf('ROUND') + 5 });
    const c = service.hover({ kind: 'template', text, context: { constants: { N: 'Number' } } }, text.indexOf('.N') + 1);
    expect(c?.contents).toContain('`$Constants.N`: **Number**');
  });
});

describe('signature help', () => {
  it('gives the active parameter of the innermost call', () => {
    const c = cursor('ROUND(LEN("abc"), |');
    const s = service.signatureHelp(formula(c.text), c.offset);
    expect(s?.signatures[0]?.label).toMatch(/^ROUND\(/);
    expect(s?.activeParameter).toBe(1);
    const [from, to] = s?.signatures[0]?.parameters[1]?.label ?? [0, 0];
    expect(s?.signatures[0]?.label.slice(from, to)).toBe("num_digits: Number");
    const inner = cursor('ROUND(LEN(|');
    expect(service.signatureHelp(formula(inner.text), inner.offset)?.signatures[0]?.label).toMatch(/^LEN\(/);
    const repeat = cursor('MAX(1, 2, 3, |');
    const m = service.signatureHelp(formula(repeat.text), repeat.offset);
    expect(m?.activeParameter).toBe((m?.signatures[m.activeSignature]?.parameters.length ?? 0) - 1);
  });

  it('shows CASE with as many pairs as the cursor has reached', () => {
    const c = cursor('CASE(Status, "New", 1, |');
    const s = service.signatureHelp(formula(c.text, { object: 'Case' }), c.offset);
    const sig = s?.signatures[s.activeSignature];
    const [from, to] = sig?.parameters[s?.activeParameter ?? 0]?.label ?? [0, 0];
    expect(sig?.label.slice(from, to)).toMatch(/^value2: /);
  });

  it('ignores commas and parentheses inside strings', () => {
    const c = cursor('SUBSTITUTE("a,(b", "x", |');
    expect(service.signatureHelp(formula(c.text), c.offset)?.activeParameter).toBe(2);
  });
});

describe('quick fixes', () => {
  it('fixes a misspelled field, and the fix clears the problem', () => {
    const doc = formula('ISPICKVAL(Stauts, "New")', { object: 'Case' });
    const [d] = service.diagnostics(doc);
    expect(d?.code).toBe('E_UNKNOWN_FIELD');
    const fixes = service.quickFixes(doc, d?.span ?? { start: 0, end: 0 });
    expect(fixes[0]).toMatchObject({ title: "Change 'Stauts' to 'Status'", preferred: true });
    const fixed = apply(doc.text, fixes[0]?.edits ?? []);
    expect(fixed).toBe('ISPICKVAL(Status, "New")');
    expect(service.diagnostics({ ...doc, text: fixed })).toEqual([]);
  });

  it('fixes a misspelled function and a misspelled global', () => {
    const fn = formula('ROUDN(1, 0)');
    expect(apply(fn.text, service.quickFixes(fn, { start: 1, end: 1 })[0]?.edits ?? [])).toBe('ROUND(1, 0)');
    const g = formula('$Constans.A', { constants: { A: 'Text' } });
    expect(apply(g.text, service.quickFixes(g, { start: 2, end: 2 })[0]?.edits ?? [])).toBe('$Constants.A');
  });

  it('fixes "{ !" in a template and unusual white space', () => {
    const t: LanguageDocument = { kind: 'template', text: 'Hi { !$Constants.A}', context: { constants: { A: 'Text' } } };
    const fix = service.quickFixes(t, { start: 3, end: 3 })[0];
    expect(apply(t.text, fix?.edits ?? [])).toBe('Hi {!$Constants.A}');
    const ws = formula('1\u00a0+ 1');
    expect(apply(ws.text, service.quickFixes(ws, { start: 1, end: 1 })[0]?.edits ?? [])).toBe('1 + 1');
  });
});
