import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChannelProfiles } from '../../src/index.js';
import { renderChannelReference } from '../../src/channels/reference.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

const path = new URL('../../docs/channels.md', import.meta.url).pathname;
const profiles = ChannelProfiles.builtin();
const rendered = renderChannelReference(profiles);

/** The cells of the table row whose first cell is `first`, in the section that starts at `from`. */
function row(first: string, from = 0): string[] {
  const line = rendered
    .slice(from)
    .split('\n')
    .find((l) => l.startsWith(`| ${first} |`));
  expect(line, `a row for ${first}`).toBeDefined();
  return line!.slice(2, -2).split(' | ');
}

/** The support-matrix cell for a component type on a channel. */
function matrixCell(type: string, channel: string): string | undefined {
  const header = row('Component type');
  const column = header.findIndex((h) => h.startsWith(`[${channel}]`));
  expect(column, `a matrix column for ${channel}`).toBeGreaterThan(0);
  return row(type)[column];
}

describe('docs/channels.md', () => {
  it('matches the channel profiles (regenerate with `npm run gen` or UPDATE_GOLDEN=1)', () => {
    if (UPDATE_GOLDEN) writeFileSync(path, rendered);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(rendered);
  });

  it('is deterministic and lists every channel in document order', () => {
    expect(renderChannelReference(profiles)).toBe(rendered);
    const headings = [...rendered.matchAll(/^### (\S+) \(/gm)].map((m) => m[1]);
    expect(headings).toEqual(profiles.names());
  });

  it('shows Card Carousel for questions on FacebookEnhanced', () => {
    expect(matrixCell('QuestionStaticOptions', 'FacebookEnhanced')).toBe('Buttons, Card Carousel, Quick Replies, Text');
    expect(matrixCell('QuestionDynamicOptions', 'FacebookEnhanced')).toBe('Buttons, Card Carousel, Quick Replies, Text');
    expect(matrixCell('QuestionStaticOptions', 'EmbeddedWeb')).toBe('Buttons, Quick Replies, Text');
  });

  it('marks AutoResponse unsupported on FacebookEnhanced', () => {
    expect(matrixCell('AutoResponse', 'FacebookEnhanced')).toBe('—');
    expect(matrixCell('AutoResponse', 'EmbeddedWeb')).toBe('Web Page, Text');
  });

  it('documents the Messenger format capacities and field limits', () => {
    const messenger = rendered.indexOf('### FacebookEnhanced (');
    expect(messenger).toBeGreaterThan(0);
    const quickReplies = row('Quick Replies', messenger);
    expect(quickReplies[1]).toBe('3–13');
    expect(quickReplies[4]).toContain('option.title ≤ 20');
    expect(row('Buttons', messenger)[4]).toBe('title ≤ 640, option.title ≤ 20, option.id ≤ 1000');
    expect(row('Card Carousel', messenger)[2]).toBe('required, unique');
  });

  it('documents the Web Page displays', () => {
    expect(rendered).toContain('Web Page displays: ChatMessage, Popup.');
    expect(rendered).toContain('Web Page displays: ChatMessage. ');
  });
});
