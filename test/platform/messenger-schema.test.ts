/** The Messenger Send API `message` schema against the Meta samples and limits in PLATFORM-FACTS.md §1. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(
  readFileSync(new URL('../../schemas/platform/messenger-message.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

/** The errors for a message as `pointer keyword` strings (`(name)` added for required and additional properties); [] when valid. */
function errors(message: unknown): string[] {
  if (validate(message)) return [];
  return (validate.errors ?? []).map((e) => {
    const name = e.keyword === 'required' ? e.params.missingProperty : e.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined;
    return `${e.instancePath || '/'} ${e.keyword}${name === undefined ? '' : ` (${String(name)})`}`;
  });
}

const template = (payload: Record<string, unknown>) => ({ attachment: { type: 'template', payload } });
const postback = (title = 'Start', payload = 'START') => ({ type: 'postback', title, payload });
const webUrl = (title = 'Visit', url = 'https://example.com/') => ({ type: 'web_url', url, title });
const quickReply = (title = 'Red', payload: string | number = 'RED') => ({ content_type: 'text', title, payload });
const buttonTemplate = (text: string, buttons: unknown[]) => template({ template_type: 'button', text, buttons });
const genericTemplate = (elements: unknown[]) => template({ template_type: 'generic', elements });
const mediaTemplate = (elements: unknown[]) => template({ template_type: 'media', elements });
const element = (title = 'Welcome!') => ({ title, subtitle: 'We have the right hat for everyone.' });
const media = { media_type: 'image', attachment_id: '1854626884821032' };
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('messenger-message.schema.json', () => {
  it('is a draft 2020-12 schema with its $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://parlance.dev/schemas/platform/messenger-message.schema.json');
    expect(Object.keys(schema.$defs as object)).toEqual(
      expect.arrayContaining(['message', 'quickReply', 'buttonTemplate', 'genericTemplate', 'genericElement', 'mediaTemplate', 'mediaElement', 'postbackButton', 'webUrlButton', 'defaultAction']),
    );
  });

  describe('Meta samples (PLATFORM-FACTS §1 "JSON shapes", message parts)', () => {
    it('text with a quick reply', () => {
      const message = { text: 'Pick a color:', quick_replies: [{ content_type: 'text', title: 'Red', payload: 'RED', image_url: 'http://example.com/img/red.png' }] };
      expect(errors(message)).toEqual([]);
    });

    it('button template', () => {
      const message = buttonTemplate('What next?', [
        { type: 'web_url', url: 'https://www.messenger.com', title: 'Visit' },
        { type: 'postback', title: 'Start', payload: 'START' },
      ]);
      expect(errors(message)).toEqual([]);
    });

    it('generic template', () => {
      const message = genericTemplate([
        {
          title: 'Welcome!',
          subtitle: 'We have the right hat for everyone.',
          image_url: 'https://petersfancybrownhats.com/company_image.png',
          default_action: { type: 'web_url', url: 'https://petersfancybrownhats.com/view?item=103' },
          buttons: [
            { type: 'web_url', url: 'https://petersfancybrownhats.com', title: 'View Website' },
            { type: 'postback', title: 'Start Chatting', payload: 'DEVELOPER_DEFINED_PAYLOAD' },
          ],
        },
      ]);
      expect(errors(message)).toEqual([]);
    });

    it('media template', () => {
      expect(errors(mediaTemplate([{ media_type: 'image', attachment_id: '1854626884821032' }]))).toEqual([]);
    });
  });

  describe('other valid messages', () => {
    it('accepts every limit exactly', () => {
      expect(errors({ text: 'x'.repeat(2000), metadata: 'm'.repeat(1000), quick_replies: times(13, (i) => quickReply('t'.repeat(20), `P${i}`)) })).toEqual([]);
      expect(errors(buttonTemplate('x'.repeat(640), [postback('t'.repeat(20), 'p'.repeat(1000)), webUrl(), postback()]))).toEqual([]);
      expect(errors(genericTemplate(times(10, () => ({ title: 'x'.repeat(80), subtitle: 's'.repeat(80), buttons: [postback(), webUrl(), postback()] }))))).toEqual([]);
    });

    it('accepts quick replies with an attachment', () => {
      expect(errors({ ...genericTemplate([element()]), quick_replies: [quickReply()] })).toEqual([]);
    });

    it('accepts phone-number, email, numeric-payload and image-only quick replies', () => {
      const quick_replies = [
        { content_type: 'user_phone_number' },
        { content_type: 'user_email' },
        quickReply('One', 1),
        { content_type: 'text', title: '', payload: '', image_url: 'https://example.com/red.png' },
      ];
      expect(errors({ text: 'Pick one', quick_replies })).toEqual([]);
    });

    it('accepts the generic options: square images, a titled element with only an image, a default action with a webview height', () => {
      const message = template({
        template_type: 'generic',
        image_aspect_ratio: 'square',
        elements: [
          { title: 'A', image_url: 'https://example.com/a.png' },
          { title: 'B', default_action: { type: 'web_url', url: 'https://example.com/b', webview_height_ratio: 'tall' } },
          { title: 'C', buttons: [webUrl()] },
        ],
      });
      expect(errors(message)).toEqual([]);
    });

    it('accepts a media template with a Facebook URL and one button', () => {
      const message = mediaTemplate([{ media_type: 'video', url: 'https://business.facebook.com/MyPage/videos/123/', buttons: [webUrl()] }]);
      expect(errors(message)).toEqual([]);
    });
  });

  describe('limits (one failing case each)', () => {
    it('quick reply title of 21 characters', () => {
      expect(errors({ text: 'Pick', quick_replies: [quickReply('x'.repeat(21))] })).toEqual(['/quick_replies/0/title maxLength']);
    });

    it('14 quick replies', () => {
      expect(errors({ text: 'Pick', quick_replies: times(14, (i) => quickReply(`R${i}`, `P${i}`)) })).toEqual(['/quick_replies maxItems']);
    });

    it('button template text of 641 characters', () => {
      expect(errors(buttonTemplate('x'.repeat(641), [postback()]))).toEqual(['/attachment/payload/text maxLength', '/attachment/payload if']);
    });

    it('4 buttons on a button template', () => {
      expect(errors(buttonTemplate('Next?', times(4, () => postback())))).toEqual(['/attachment/payload/buttons maxItems', '/attachment/payload if']);
    });

    it('generic element title of 81 characters', () => {
      expect(errors(genericTemplate([element('x'.repeat(81))]))).toEqual(['/attachment/payload/elements/0/title maxLength', '/attachment/payload if']);
    });

    it('11 generic elements', () => {
      expect(errors(genericTemplate(times(11, () => element())))).toEqual(['/attachment/payload/elements maxItems', '/attachment/payload if']);
    });

    it('media template with 2 elements', () => {
      expect(errors(mediaTemplate([media, media]))).toEqual(['/attachment/payload/elements maxItems', '/attachment/payload if']);
    });

    it('both text and attachment', () => {
      expect(errors({ text: 'Hi', ...buttonTemplate('Next?', [postback()]) })).toEqual(['/ oneOf']);
    });

    it('neither text nor attachment', () => {
      expect(errors({ quick_replies: [quickReply()] })).toEqual(['/ required (text)', '/ required (attachment)', '/ oneOf']);
    });

    it('an unknown property', () => {
      expect(errors({ text: 'Hi', txet: 'Hi' })).toEqual(['/ additionalProperties (txet)']);
      expect(errors({ text: 'Pick', quick_replies: [{ ...quickReply(), imageUrl: 'https://example.com/a.png' }] })).toEqual([
        '/quick_replies/0 additionalProperties (imageUrl)',
      ]);
    });

    it('postback payload of 1001 characters', () => {
      expect(errors(buttonTemplate('Next?', [postback('Go', 'p'.repeat(1001))]))).toEqual([
        '/attachment/payload/buttons/0/payload maxLength',
        '/attachment/payload/buttons/0 if',
        '/attachment/payload if',
      ]);
    });

    it('a generic element with an empty title and nothing else', () => {
      const errs = errors(genericTemplate([{ title: '' }]));
      expect(errs).toContain('/attachment/payload/elements/0/title minLength');
      expect(errs).toContain('/attachment/payload/elements/0 anyOf');
      expect(errs).toContain('/attachment/payload/elements/0 required (subtitle)');
    });
  });

  describe('other rules', () => {
    it('requires title and payload on text quick replies, and an image when either is empty', () => {
      expect(errors({ text: 'Pick', quick_replies: [{ content_type: 'text', title: 'Red' }] })).toContain('/quick_replies/0 required (payload)');
      expect(errors({ text: 'Pick', quick_replies: [quickReply('Red', '')] })).toContain('/quick_replies/0 required (image_url)');
      expect(errors({ text: 'Pick', quick_replies: [quickReply('', 'RED')] })).toContain('/quick_replies/0 required (image_url)');
    });

    it('rejects empty text, long metadata and quick-reply payloads over 1000 characters', () => {
      expect(errors({ text: '' })).toEqual(['/text minLength']);
      expect(errors({ text: 'Hi', metadata: 'm'.repeat(1001) })).toEqual(['/metadata maxLength']);
      expect(errors({ text: 'Pick', quick_replies: [quickReply('Red', 'p'.repeat(1001))] })).toEqual(['/quick_replies/0/payload maxLength']);
    });

    it('rejects a generic element whose only other property is an empty button list', () => {
      expect(errors(genericTemplate([{ title: 'A', buttons: [] }]))).toContain('/attachment/payload/elements/0/buttons minItems');
    });

    it('needs exactly one of attachment_id and url on a media element, a Facebook URL, and at most 1 button', () => {
      const url = 'https://www.facebook.com/MyPage/photos/123';
      expect(errors(mediaTemplate([{ media_type: 'image', attachment_id: '1', url }]))).toContain('/attachment/payload/elements/0 oneOf');
      expect(errors(mediaTemplate([{ media_type: 'image' }]))).toContain('/attachment/payload/elements/0 oneOf');
      expect(errors(mediaTemplate([{ media_type: 'image', url: 'https://example.com/cat.png' }]))).toContain('/attachment/payload/elements/0/url pattern');
      expect(errors(mediaTemplate([{ media_type: 'audio', url }]))).toContain('/attachment/payload/elements/0/media_type enum');
      expect(errors(mediaTemplate([{ ...media, buttons: [webUrl(), postback()] }]))).toContain('/attachment/payload/elements/0/buttons maxItems');
    });

    it('rejects a titled default action, unknown button and template types, and non-http URLs', () => {
      const titled = genericTemplate([{ title: 'A', default_action: { type: 'web_url', url: 'https://example.com', title: 'Go' } }]);
      expect(errors(titled)).toContain('/attachment/payload/elements/0/default_action additionalProperties (title)');
      expect(errors(buttonTemplate('Next?', [{ type: 'phone_number', title: 'Call', payload: '+15105551234' }]))).toContain('/attachment/payload/buttons/0/type enum');
      expect(errors(template({ template_type: 'receipt' }))).toEqual(['/attachment/payload/template_type enum']);
      expect(errors(buttonTemplate('Next?', [webUrl('Visit', 'javascript:alert(1)')]))).toContain('/attachment/payload/buttons/0/url pattern');
    });
  });

  describe('lengths count code points', () => {
    const emoji20 = '😀'.repeat(20);

    it('accepts 20-emoji titles (40 UTF-16 units)', () => {
      expect(emoji20.length).toBe(40);
      expect([...emoji20]).toHaveLength(20);
      expect(errors({ text: 'Pick', quick_replies: [quickReply(emoji20)] })).toEqual([]);
      expect(errors(buttonTemplate('Next?', [postback(emoji20), webUrl(emoji20)]))).toEqual([]);
    });

    it('rejects 21 emoji', () => {
      expect(errors({ text: 'Pick', quick_replies: [quickReply(`${emoji20}😀`)] })).toEqual(['/quick_replies/0/title maxLength']);
    });
  });
});
