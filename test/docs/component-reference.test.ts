import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { componentReferenceSchemas, renderComponentReference, type JsonSchemaNode } from '../../src/component/reference.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

const path = new URL('../../docs/component-reference.md', import.meta.url).pathname;
const { definition, http } = componentReferenceSchemas();
const rendered = renderComponentReference(definition, http);
const defs = definition.schema.$defs as Record<string, JsonSchemaNode>;

/** The lines of the section under the heading `### title` (up to the next heading). */
function section(title: string): string[] {
  const lines = rendered.split('\n');
  const start = lines.indexOf(`### ${title}`);
  expect(start, `a section "${title}"`).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The cells of the property row for `name` in a section. */
function row(lines: string[], name: string): string[] {
  const line = lines.find((l) => l.startsWith(`| \`${name}\` |`));
  expect(line, `a row for ${name}`).toBeDefined();
  return line!.slice(2, -2).split(' | ');
}

describe('docs/component-reference.md', () => {
  it('matches the schemas (regenerate with `npm run gen` or UPDATE_GOLDEN=1)', () => {
    if (UPDATE_GOLDEN) writeFileSync(path, rendered);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(rendered);
  });

  it('is deterministic', () => {
    expect(renderComponentReference(definition, http)).toBe(rendered);
  });

  it('has a section for every titled definition, in schema order, and every heading is unique', () => {
    const titled = Object.values(defs)
      .map((d) => d.title)
      .filter((t): t is string => typeof t === 'string');
    const headings = [...rendered.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, titled.length)).toEqual(titled);
    expect(new Set(headings).size).toBe(headings.length);
  });

  it('lists every property of every definition, with a description', () => {
    const top = definition.schema.properties as Record<string, unknown>;
    const root = rendered.slice(rendered.indexOf('## Component definition'), rendered.indexOf('## Definitions')).split('\n');
    for (const name of Object.keys(top)) expect(row(root, name)[4]).not.toBe('—');
    for (const def of Object.values(defs)) {
      if (typeof def.title !== 'string' || typeof def.properties !== 'object') continue;
      const lines = section(def.title);
      for (const name of Object.keys(def.properties as object)) {
        expect(row(lines, name)[4], `${def.title}.${name}`).not.toBe('—');
      }
    }
    // The HTTP schemas too: no property is left undescribed.
    const httpPart = rendered.slice(rendered.indexOf('## Over the HTTP API'));
    expect(httpPart.split('\n').filter((l) => l.startsWith('| `') && l.endsWith('| — |'))).toEqual([]);
  });

  it('shows types, requirement, enum values and constraints', () => {
    const root = rendered.slice(rendered.indexOf('## Component definition'), rendered.indexOf('## Definitions')).split('\n');
    expect(row(root, 'name').slice(1, 3)).toEqual(['[API name](#api-name)', 'yes']);
    expect(row(root, 'constants')[1]).toBe('object: [API name](#api-name) → [Constant](#constant)');
    expect(row(root, 'label').slice(2, 4)).toEqual(['no', '1–80 characters']);
    expect(section('Component type').join('\n')).toContain('One of `"EnhancedLink"`, `"QuestionStaticOptions"`, `"QuestionDynamicOptions"`, `"TimeSelector"`, `"AutoResponse"`.');
    expect(row(section('List<Option> constant'), 'value').slice(1, 4)).toEqual(['array of [Option](#option)', 'yes', 'at least 1 item']);
    expect(row(section('Web Page format'), 'display')[1]).toBe('one of `"ChatMessage"`, `"Popup"`');
    expect(section('API name').join('\n')).toContain('at most 80 characters; matches `^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$`');
  });

  it('shows the variant each `type` selects, and where each definition is used', () => {
    const format = section('Format').join('\n');
    expect(format).toContain('- When `type` is `"CardCarousel"`: see [Card Carousel format](#card-carousel-format).');
    expect(section('Parameter').join('\n')).toContain('- When `type` is `"RecordId"` or `"List<RecordId>"`: see [Record parameter](#record-parameter).');
    expect(section('URL binding').join('\n')).toContain('- When `type` is `"Literal"`: `value` must match [URL](#url).');
    expect(section('Option').join('\n')).toContain('Used in: [List<Option> constant](#listoption-constant).');
  });

  it('links only to headings that exist', () => {
    const slugs = new Set(
      [...rendered.matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
          .replace(/ /g, '-'),
      ),
    );
    const anchors = [...rendered.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] as string);
    expect(anchors.length).toBeGreaterThan(50);
    expect(anchors.filter((a) => !slugs.has(a))).toEqual([]);
  });

  it('flattens the nested objects of the HTTP schemas', () => {
    const lines = section('Component validation result');
    expect(row(lines, 'errors')[1]).toBe('array of object');
    expect(row(lines, 'errors[].pointer').slice(1, 3)).toEqual(['string', 'yes']);
    expect(row(lines, 'errors[].line').slice(1, 3)).toEqual(['integer', 'no']);
  });
});
