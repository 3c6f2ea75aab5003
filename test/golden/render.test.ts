/**
 * Renderer goldens, through the same kit component builders use (`parlance test`):
 * test/golden/render/**\/*.case.json against their *.expected.json. UPDATE_GOLDEN=1 rewrites
 * the expected files (review every diff). Every Messenger payload is also validated against the
 * Send API schema (schemas/platform/messenger-message.schema.json).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { findCases, renderCase, runCase } from '../../src/services/golden.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

const root = new URL('./render/', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(new URL('../../schemas/platform/messenger-message.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validateMessage = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

const cases = findCases(root);

describe('render goldens', () => {
  it('cover every component type on both component channels, and at least 25 edge cases', () => {
    expect(cases.filter((c) => c.includes('/edge/')).length).toBeGreaterThanOrEqual(25);
    const seen = new Set<string>();
    for (const file of cases) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as { component: unknown; channel: string };
      const component = typeof c.component === 'string' ? JSON.parse(readFileSync(new URL(c.component, `file://${file}`), 'utf8')) : c.component;
      seen.add(`${(component as { type: string }).type} ${c.channel}`);
    }
    for (const type of ['EnhancedLink', 'QuestionStaticOptions', 'QuestionDynamicOptions', 'TimeSelector', 'AutoResponse']) {
      for (const channel of ['FacebookEnhanced', 'EmbeddedWeb', 'EmbeddedInApp']) expect(seen, `${type} on ${channel}`).toContain(`${type} ${channel}`);
    }
  });

  for (const file of cases) {
    const name = relative(root, file).replace(/\.case\.json$/, '');
    it(name, () => {
      const outcome = runCase(file, { update: UPDATE_GOLDEN });
      expect(outcome.message, outcome.message).toBeUndefined();
      expect(outcome.diff ?? '', `\n${outcome.diff ?? ''}`).toBe('');
      expect(['pass', 'updated', 'created']).toContain(outcome.status);
      const rendered = renderCase(file);
      const output = 'output' in rendered ? (rendered.output as { payload?: { platform: string; messages: unknown[] } }) : undefined;
      if (output?.payload?.platform === 'messenger') {
        for (const message of output.payload.messages) {
          expect(validateMessage(message), JSON.stringify(validateMessage.errors, null, 2)).toBe(true);
        }
      }
    });
  }
});
