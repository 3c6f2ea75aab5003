/**
 * Template goldens: test/golden/templates/<name>/{template.txt, data.json, expected.txt}.
 * data.json holds the compile `options`, the render `data` and the expected warning codes.
 * Output must match byte for byte. UPDATE_GOLDEN=1 rewrites expected.txt (review every diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate, type TemplateData, type TemplateOptions } from '../../src/index.js';
import { readJson, UPDATE_GOLDEN } from '../helpers/golden.js';

const root = new URL('./templates/', import.meta.url).pathname;

describe('template goldens', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    it(name, () => {
      const template = readFileSync(join(dir, 'template.txt'), 'utf8');
      const spec = readJson<{ options?: TemplateOptions; data?: TemplateData; warnings?: string[] }>(join(dir, 'data.json'));
      const compiled = compileTemplate(template, spec.options ?? {});
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const result = compiled.render(spec.data ?? {});
      expect(result.errors).toEqual([]);
      expect(result.warnings.map((w) => w.code)).toEqual(spec.warnings ?? result.warnings.filter((w) => w.code === 'W_MERGE_FIELD_NEAR_MISS').map((w) => w.code));
      const expectedPath = join(dir, 'expected.txt');
      if (UPDATE_GOLDEN) writeFileSync(expectedPath, result.text);
      expect(existsSync(expectedPath), `${expectedPath} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(result.text).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }
});
