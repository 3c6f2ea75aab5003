import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFormula, createDefaultRegistry } from '../../src/index.js';
import { renderFunctionReference } from '../../src/formula/registry/reference.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

const path = new URL('../../docs/functions.md', import.meta.url).pathname;
const registry = createDefaultRegistry();

describe('docs/functions.md', () => {
  it('matches the registry (regenerate with `npm run gen` or UPDATE_GOLDEN=1)', () => {
    const expected = renderFunctionReference(registry);
    if (UPDATE_GOLDEN) writeFileSync(path, expected);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });

  // Examples that need no fields are executed and their documented result checked.
  const examples = registry.all().flatMap((f) => f.doc.examples.map((e) => ({ fn: f.name, ...e })));
  for (const e of examples) {
    it(`example for ${e.fn}: ${e.formula}`, () => {
      const compiled = compileFormula(e.formula);
      const needsFields = compiled.diagnostics.some((d) => d.code === 'E_UNKNOWN_FIELD' || d.code === 'E_UNKNOWN_GLOBAL');
      if (needsFields) {
        expect(compiled.diagnostics.filter((d) => d.code.startsWith('E_') && !['E_UNKNOWN_FIELD', 'E_UNKNOWN_GLOBAL'].includes(d.code))).toEqual([]);
        return;
      }
      if (e.result.startsWith('error ')) {
        const r = compiled.evaluateToWire({ now: '2026-11-21T10:00:00.000Z' });
        const code = 'error' in r ? r.error.code : compiled.diagnostics[0]?.code;
        expect(code).toBe(e.result.slice('error '.length));
        return;
      }
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const r = compiled.evaluateToWire({ now: '2026-11-21T10:00:00.000Z' });
      expect('error' in r ? r.error : null).toBeNull();
      const value = (r as { value: unknown }).value;
      const shown = typeof value === 'string' ? value.replace(/\n/g, '⏎') : JSON.stringify(value);
      expect(shown).toBe(e.result);
    });
  }
});
