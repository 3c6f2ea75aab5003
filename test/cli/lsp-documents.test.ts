/** Which files `parlance lsp` serves, and as what (src/cli/lsp-documents.ts). */
import { describe, expect, it } from 'vitest';
import { contextComment, handlerFor } from '../../src/cli/lsp-documents.js';

describe('document handlers', () => {
  it('serves .formula and .template files, and JSON that is a component definition', () => {
    expect(handlerFor('file:///a/b.formula', 'plaintext', '1')?.name).toBe('formula');
    expect(handlerFor('file:///a/b.FORMULA', 'plaintext', '1')?.name).toBe('formula');
    expect(handlerFor('untitled:1', 'parlance-formula', '1')?.name).toBe('formula');
    expect(handlerFor('file:///a/options.template', 'plaintext', 'Hi')?.name).toBe('template');
    expect(handlerFor('file:///a/c.json', 'json', '{"type": "QuestionStaticOptions"}')?.name).toBe('component');
    expect(handlerFor('file:///a/c.json', 'json', '{"$schema": "../schemas/component.schema.json"}')?.name).toBe('component');
    expect(handlerFor('file:///a/package.json', 'json', '{"name": "x", "type": "module"}')).toBeUndefined();
    expect(handlerFor('file:///a/notes.txt', 'plaintext', 'ROUND(1, 2)')).toBeUndefined();
  });

  it('reads a formula file context from its first comment, and falls back to the settings', () => {
    const settings = { formula: { fields: { Days: 'Number' } } };
    const formula = handlerFor('file:///a.formula', 'plaintext', '') as NonNullable<ReturnType<typeof handlerFor>>;
    const text = '/* parlance: {"object": "Case"} */ Subject';
    expect(formula.document(text, settings).context).toEqual({ object: 'Case' });
    // The same object while the comment is unchanged (the language service caches by it).
    expect(formula.document(`${text} & "x"`, settings).context).toBe(formula.document(text, settings).context);
    expect(formula.document('/* parlance: {not json} */ Days', settings).context).toBe(settings.formula);
    expect(formula.document('Days + 1', settings).context).toBe(settings.formula);
    expect(contextComment('1 /* parlance: {"object": "Case"} */')).toBeUndefined();
  });
});
