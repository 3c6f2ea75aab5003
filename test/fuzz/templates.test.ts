/**
 * Fuzzing formula templates (src/template): compiling and rendering never throw, whatever the
 * template, its list templates and its data; problems have codes and locations. Then every
 * template of the adversarial corpus, as a regression case.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { TEMPLATE_CASES } from './corpus.js';
import { collecting, params, report } from './config.js';
import { templateSettings, templateText } from './generators.js';
import { checkTemplate } from './invariants.js';

describe('template fuzzing', () => {
  afterAll(() => report('templates'));

  it('any template with any list templates and data renders or reports, never a throw', () => {
    fc.assert(
      fc.property(
        templateText,
        templateSettings,
        collecting((template, s) => {
          const list = Array.from({ length: s.items }, (_, i) => ({ Name: `n${i}` }));
          checkTemplate(
            template,
            {
              constants: { T: 'Text', N: 'Number', L: [{ Name: 'Text' }] },
              parameters: { P: [{ Name: 'Text' }] },
              listTemplates: s.listTemplates,
              lineBreaks: s.lineBreaks,
              strict: s.strict,
            },
            { constants: { T: s.T, N: s.N, L: list }, parameters: { P: list.slice(0, 3) }, now: s.now, timezone: s.timezone },
          );
        }),
      ),
      params(4000),
    );
  });
});

describe('template corpus', () => {
  for (const c of TEMPLATE_CASES) {
    it(c.name, () => {
      checkTemplate(
        c.template,
        { ...(c.constantTypes !== undefined ? { constants: c.constantTypes } : {}), ...(c.listTemplates !== undefined ? { listTemplates: c.listTemplates } : {}), ...(c.lineBreaks !== undefined ? { lineBreaks: c.lineBreaks } : {}) },
        { ...(c.constants !== undefined ? { constants: c.constants } : {}), now: '2026-11-21T10:00:00Z' },
      );
    });
  }
});
