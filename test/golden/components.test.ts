/**
 * Component goldens: test/golden/components/invalid/<name>.json each hold a broken definition,
 * the one problem it was written to show (`expect`: code and pointer, written by hand), and every
 * error and warning validation reports (`errors`, `warnings`). UPDATE_GOLDEN=1 rewrites `errors`
 * and `warnings` (never `expect`): review every diff.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComponentErrorCode, validateComponent, type ComponentProblem } from '../../src/index.js';
import { jsonFiles, readJson, UPDATE_GOLDEN, writeJson } from '../helpers/golden.js';

interface Golden {
  readonly description: string;
  readonly expect: { readonly code: string; readonly pointer: string };
  readonly definition: unknown;
  readonly errors: readonly ComponentProblem[];
  readonly warnings: readonly ComponentProblem[];
}

const dir = new URL('./components/invalid/', import.meta.url).pathname;
const files = jsonFiles(dir);

describe('invalid component goldens', () => {
  it('has at least 30 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  for (const file of files) {
    it(basename(file, '.json'), () => {
      const golden = readJson<Golden>(file);
      const result = validateComponent(golden.definition);
      expect(result.valid).toBe(false);
      expect(result.component).toBeUndefined();
      const hit = result.errors.some((e) => e.code === golden.expect.code && e.pointer === golden.expect.pointer);
      expect(hit, `expected ${golden.expect.code} at "${golden.expect.pointer}", got ${JSON.stringify(result.errors, null, 2)}`).toBe(true);
      if (UPDATE_GOLDEN) {
        writeJson(file, { ...golden, errors: result.errors, warnings: result.warnings });
        return;
      }
      expect(result.errors).toEqual(golden.errors);
      expect(result.warnings).toEqual(golden.warnings);
    });
  }

  it('covers every error code validation can report', () => {
    const covered = new Set(files.map((f) => readJson<Golden>(f).expect.code));
    const reading: string[] = [ComponentErrorCode.InvalidJson, ComponentErrorCode.ReadFile];
    const missing = Object.values(ComponentErrorCode).filter((c) => c.startsWith('E_') && !reading.includes(c) && !covered.has(c));
    expect(missing).toEqual([]);
  });
});
