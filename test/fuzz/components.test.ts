/**
 * Fuzzing components (src/component, src/render): validateComponent, compileComponent and
 * renderComponent never throw and always give typed outcomes, for mutations of every renderer
 * golden case (component and request) and of the examples. Then every component of the corpus.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, validateComponent } from '../../src/index.js';
import { COMPONENT_CASES } from './corpus.js';
import { collecting, params, report } from './config.js';
import { mutate, mutation, strangeValue } from './generators.js';
import { checkComponent } from './invariants.js';

type Json = Parameters<typeof mutate>[0];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function* files(dir: string, suffix: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path, suffix);
    else if (name.endsWith(suffix)) yield path;
  }
}

/** Every renderer golden case: a component (inline or a path) and its render request. */
const SEEDS: Array<{ definition: Json; request: Json }> = [...files(join(ROOT, 'test/golden/render'), '.case.json')].map((file) => {
  const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Json>;
  const definition = typeof c.component === 'string' ? (JSON.parse(readFileSync(resolve(dirname(file), c.component), 'utf8')) as Json) : (c.component as Json);
  const request: Record<string, Json> = {};
  for (const k of ['channel', 'parameters', 'now', 'timezone', 'locale', 'fallback']) if (c[k] !== undefined) request[k] = c[k] as Json;
  return { definition, request };
});
for (const file of files(join(ROOT, 'examples/components'), '.json')) {
  SEEDS.push({ definition: JSON.parse(readFileSync(file, 'utf8')) as Json, request: { channel: 'EmbeddedWeb', now: '2026-11-21T10:00:00Z' } });
}

const requestChange = fc.record(
  {
    channel: fc.oneof(fc.constantFrom(...CHANNEL_TYPES), strangeValue),
    now: fc.constantFrom<Json>('2026-11-21T10:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'now', 1e300, null),
    timezone: fc.constantFrom<Json>('UTC', 'America/St_Johns', 'Not/AZone', '', null),
    locale: fc.constantFrom<Json>('en-US', 'fr-CA', 'x-bogus', '', 'ar-u-nu-arab'),
    fallback: fc.constantFrom<Json>('text', 'none', 'maybe'),
  },
  { requiredKeys: [] },
);

describe('component fuzzing', () => {
  afterAll(() => report('components'));

  it(`has seeds (${SEEDS.length})`, () => {
    expect(SEEDS.length).toBeGreaterThan(50);
    // The seeds themselves are valid: mutations start from real components.
    for (const s of SEEDS) expect(validateComponent(s.definition).errors).toEqual([]);
  });

  it('mutated components and requests validate and render to typed outcomes, never a throw', () => {
    fc.assert(
      fc.property(
        fc.nat(SEEDS.length - 1),
        fc.array(mutation, { maxLength: 3 }),
        fc.array(mutation, { maxLength: 2 }),
        requestChange,
        collecting((i, onDefinition, onRequest, change) => {
          const seed = SEEDS[i] as (typeof SEEDS)[number];
          const definition = mutate(seed.definition, onDefinition);
          const request = mutate({ ...(seed.request as Record<string, Json>), ...(change as Record<string, Json>) }, onRequest);
          checkComponent(definition, request);
        }),
      ),
      params(3000),
    );
  });
});

describe('component corpus', () => {
  for (const c of COMPONENT_CASES) {
    it(c.name, () => {
      const { valid } = checkComponent(c.definition, { channel: 'EmbeddedWeb', now: '2026-11-21T10:00:00Z' }, true);
      if (c.expect === 'invalid') {
        expect(valid, 'refused by validation').toBe(false);
        const pointers = validateComponent(c.definition).errors.map((e) => e.pointer);
        expect(pointers.some((p) => c.pointer === undefined || p === c.pointer || p.startsWith(`${c.pointer}/`)), `an error at ${c.pointer ?? 'any place'}: ${pointers.join(', ')}`).toBe(true);
      }
    });
  }
});
