/** The default text-only format (G:3919): components with no formats, or only a Text format, are valid with a warning and render as text on every channel. */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES } from '../../src/channels/profiles.js';
import { isTextOnly, textOnlyParts } from '../../src/component/text.js';
import { validateComponent } from '../../src/component/validate.js';
import { compileComponent } from '../../src/render/render.js';

const question = {
  name: 'Reason_for_Contact',
  type: 'QuestionStaticOptions',
  constants: {
    Title: { type: 'Text', value: 'What do you need help with?' },
    Options: { type: 'List<Option>', value: [{ Name: 'Cancel my order' }, { Name: 'Change my shipping address' }, { Name: 'Change the delivery date' }] },
  },
};
const QUESTION_TEXT = 'What do you need help with?\nSelect an option:\n1. Cancel my order\n2. Change my shipping address\n3. Change the delivery date';
const link = { name: 'Home_Page_Link', type: 'EnhancedLink', constants: { Title: { type: 'Text', value: 'Visit our help center' }, Url: { type: 'Url', value: 'https://help.example.com/' } } };

describe('the default text-only format (G:3919)', () => {
  it('G:3919: a question with no formats is valid, with W_TEXT_ONLY instead of E_OPTIONS_REQUIRED', () => {
    const r = validateComponent(question);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => [w.pointer, w.code])).toEqual([['/formats', 'W_TEXT_ONLY']]);
    expect(isTextOnly(r.component!)).toBe(true);
    expect(textOnlyParts(r.component!)).toEqual({ title: 'Title', options: '$Constants.Options' });
  });

  it('G:3919: a question with only a Text format is valid with a warning, not refused', () => {
    const r = validateComponent({ ...question, formats: [{ type: 'Text', template: '{!$Constants.Title}' }] });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(['W_TEXT_ONLY', 'W_UNUSED']);
  });

  it('G:3919: an enhanced link with no formats is valid, with W_TEXT_ONLY instead of E_LINK_REQUIRED', () => {
    const r = validateComponent(link);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(['W_TEXT_ONLY']);
  });

  it('G:3919: a component with no formats renders as text on every channel, without asking for the fallback', () => {
    for (const [component, text] of [[question, QUESTION_TEXT], [link, 'Visit our help center\nhttps://help.example.com/']] as const) {
      const compiled = compileComponent(component);
      for (const channel of CHANNEL_TYPES) {
        const out = compiled.render({ channel, now: '2026-11-21T10:00:00Z' });
        expect(out.ok, `${component.type} on ${channel}: ${JSON.stringify(out)}`).toBe(true);
        if (!out.ok) continue;
        expect(out.result.format).toBe('Text');
        expect(out.result.content).toEqual({ type: 'Text', text });
        expect(out.result.warnings.map((w) => w.code)).toContain('W_TEXT_ONLY');
        expect(out.result.warnings.map((w) => w.code)).not.toContain('W_TEXT_FALLBACK');
      }
    }
  });

  it('a component with formats the channel lacks still needs the fallback (unchanged)', () => {
    const out = compileComponent({ ...question, formats: [{ type: 'Buttons', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options' } }] }).render({ channel: 'SmsLongCode' });
    expect(out.ok).toBe(false);
  });

  it('a text-only component with nothing to say is refused (E_CONTENT_REQUIRED)', () => {
    const r = validateComponent({ name: 'Empty', type: 'QuestionStaticOptions' });
    expect(r.errors.map((e) => [e.pointer, e.code])).toEqual([['/formats', 'E_CONTENT_REQUIRED']]);
  });
});
