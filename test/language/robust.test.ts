/**
 * The language service answers for any text at any offset, as an editor asks while someone types:
 * half-typed calls, unclosed strings, comments and merge fields, JSON escapes. It never throws, and
 * every span it returns lies inside the document.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectCatalog } from '../../src/catalog/catalog.js';
import { validateComponent } from '../../src/component/validate.js';
import { LanguageService, type LanguageDocument, type Span } from '../../src/language/index.js';

const catalog = ObjectCatalog.builtin();
const service = new LanguageService({ catalog, validateComponent: (d) => validateComponent(d, { catalog }) });

const PIECES = [
  'ROUND(', 'ISPICKVAL(', 'CASE(', 'IF(', 'Status', 'Account.', 'Owner.', 'Name', '$Constants.', '$Parameters.', '$ListItem.', '$User.', '$',
  '"', "'", '\\', '/*', '*/', '{!', '{ !', '}', '(', ')', ',', '.', ' ', '\n', '1.5', '&', '\u00a0', 'é', '😀', 'Title', 'Cases.',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((parts) => parts.join(''));

function component(formula: string, template: string): string {
  return JSON.stringify({
    name: 'X',
    type: 'QuestionDynamicOptions',
    constants: { Title: { type: 'Text', value: 'T' } },
    parameters: { Cases: { type: 'List<RecordId>', object: 'Case' } },
    listTemplates: [{ name: 'L', source: '$Parameters.Cases', template }],
    formats: [{ type: 'Buttons', title: { type: 'Formula', formula }, options: { source: '$Parameters.Cases', title: { type: 'Formula', formula } } }, { type: 'Text', template }],
  });
}

function inside(doc: LanguageDocument, s: Span): boolean {
  return s.start >= 0 && s.start <= s.end && s.end <= doc.text.length;
}

/** Asks everything at every offset; checks the spans. */
function exercise(doc: LanguageDocument): void {
  for (const d of service.diagnostics(doc)) {
    expect(inside(doc, d.span), `${d.code} ${JSON.stringify(d.span)}`).toBe(true);
    for (const f of d.fixes) for (const e of f.edits) expect(inside(doc, e.span)).toBe(true);
  }
  const step = doc.text.length > 200 ? 7 : 1;
  for (let offset = 0; offset <= doc.text.length; offset += step) {
    const c = service.completions(doc, offset);
    expect(inside(doc, c.replace)).toBe(true);
    const h = service.hover(doc, offset);
    if (h !== undefined) expect(inside(doc, h.span)).toBe(true);
    service.signatureHelp(doc, offset);
  }
  service.quickFixes(doc, { start: 0, end: doc.text.length });
}

describe('the language service on any text', () => {
  it('formulas', () => {
    fc.assert(fc.property(text, (t) => exercise({ kind: 'formula', text: t, context: { object: 'Case', constants: { Title: 'Text' }, listItem: { value: { Name: 'Text' } }, fields: undefined } })), { numRuns: 100 });
  });

  it('templates', () => {
    fc.assert(fc.property(text, (t) => exercise({ kind: 'template', text: t, context: { constants: { Title: 'Text' }, listTemplates: [{ name: 'L', source: '$Constants.Items', template: t }] } })), { numRuns: 150 });
  });

  it('component definitions, whole and cut anywhere', () => {
    fc.assert(
      fc.property(text, text, fc.nat(), (formula, template, cut) => {
        const whole = component(formula, template);
        exercise({ kind: 'component', text: whole });
        exercise({ kind: 'component', text: whole.slice(0, cut % (whole.length + 1)) });
      }),
      { numRuns: 25 },
    );
  });
});
