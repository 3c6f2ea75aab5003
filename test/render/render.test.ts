/** The renderer: format selection, content, option identity, payloads, request validation. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChannelProfileError, ChannelProfiles } from '../../src/channels/profiles.js';
import { splitText, type RenderedOption } from '../../src/channels/payload.js';
import { compileComponent, renderComponent, type RenderOutcome, type RenderResult } from '../../src/render/render.js';

const example = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../examples/components/${name}`, import.meta.url), 'utf8'));

function question(names: string[], formats: string[] = ['Buttons', 'QuickReplies'], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Q',
    type: 'QuestionStaticOptions',
    constants: {
      Title: { type: 'Text', value: 'Pick one' },
      Options: { type: 'List<Option>', value: names.map((n) => ({ Name: n, ...extra })) },
    },
    formats: formats.map((type) => (type === 'Text' ? { type } : { type, title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options' } })),
  };
}

function optionsOf(r: RenderResult): readonly RenderedOption[] {
  if (!('options' in r.content)) throw new Error(`${r.format} has no options`);
  return r.content.options;
}

function ok(outcome: RenderOutcome): RenderResult {
  if (!outcome.ok) throw new Error(`render failed: ${JSON.stringify(outcome.error, null, 2)}`);
  return outcome.result;
}

const five = ['Red', 'Green', 'Blue', 'Yellow', 'Black'];

describe('format selection (SPEC-EXTRACT §5.2)', () => {
  it('the seed worked example (G:3937): 5 options give Quick Replies, Buttons skipped for too many options', () => {
    const r = ok(renderComponent(question(five), { channel: 'FacebookEnhanced' }));
    expect(r.format).toBe('QuickReplies');
    expect(r.skipped).toEqual([{ format: 'Buttons', code: 'TOO_MANY_OPTIONS', message: '5 options; Buttons shows at most 3', pointer: '/formats/0' }]);
  });

  it('the seed worked example: 3 options give the higher-priority Buttons', () => {
    const r = ok(renderComponent(question(five.slice(0, 3)), { channel: 'FacebookEnhanced' }));
    expect(r.format).toBe('Buttons');
    expect(r.skipped).toEqual([]);
  });

  it('two options never use Quick Replies; with more than 13 only Text remains', () => {
    const two = ok(renderComponent(question(['A', 'B'], ['QuickReplies', 'Buttons']), { channel: 'EmbeddedWeb' }));
    expect([two.format, two.skipped.map((s) => s.code)]).toEqual(['Buttons', ['TOO_FEW_OPTIONS']]);
    const many = Array.from({ length: 14 }, (_, i) => `Option ${i + 1}`);
    const r = ok(renderComponent(question(many), { channel: 'EmbeddedWeb' }));
    expect([r.format, r.skipped.map((s) => s.code)]).toEqual(['Text', ['TOO_MANY_OPTIONS', 'TOO_MANY_OPTIONS']]);
    expect(ok(renderComponent(question(many.slice(0, 13)), { channel: 'EmbeddedWeb' })).format).toBe('QuickReplies');
  });

  it('a listed Text keeps its place in the priority order', () => {
    const r = ok(renderComponent(question(five, ['Text', 'QuickReplies']), { channel: 'FacebookEnhanced' }));
    expect(r.format).toBe('Text');
    expect(r.skipped).toEqual([]);
  });

  it('formats the channel does not offer are skipped with FORMAT_NOT_SUPPORTED (Card Carousel on In-App and Web)', () => {
    const r = ok(renderComponent(question(['A', 'B'], ['CardCarousel', 'Buttons'], { Image: 'https://example.com/a.png' }), { channel: 'EmbeddedInApp' }));
    expect(r.format).toBe('Buttons');
    expect(r.skipped[0]).toMatchObject({ format: 'CardCarousel', code: 'FORMAT_NOT_SUPPORTED' });
  });

  it('a title over the platform limit skips the format and is never cut', () => {
    const r = ok(renderComponent(question(['Exactly twenty chars', 'Twenty-one characters', 'C']), { channel: 'FacebookEnhanced' }));
    expect(r.format).toBe('Text');
    expect(r.skipped[0]).toMatchObject({ code: 'FIELD_TOO_LONG', field: 'option.title', option: 1 });
    expect(r.text).toContain('Twenty-one characters');
    expect(ok(renderComponent(question(['Exactly twenty chars', 'B', 'C']), { channel: 'FacebookEnhanced' })).format).toBe('Buttons');
  });

  it('limits count characters (code points), not UTF-16 units', () => {
    const emoji = '😀'.repeat(20);
    const r = ok(renderComponent(question([emoji, 'B', 'C']), { channel: 'FacebookEnhanced' }));
    expect(r.format).toBe('Buttons');
    expect(ok(renderComponent(question([`${emoji}😀`, 'B', 'C']), { channel: 'FacebookEnhanced' })).format).toBe('Text');
  });

  it('carousel options need unique images', () => {
    const carousel = (images: (string | undefined)[]): RenderResult => {
      const c = question(['A', 'B'], ['CardCarousel']);
      (c.constants as { Options: { value: Record<string, unknown>[] } }).Options.value = images.map((image, i) => ({ Name: `Option ${i}`, ...(image !== undefined ? { Image: image } : {}) }));
      return ok(renderComponent(c, { channel: 'FacebookEnhanced' }));
    };
    expect(carousel(['https://x.test/a.png', 'https://x.test/b.png']).format).toBe('CardCarousel');
    expect(carousel(['https://x.test/a.png', undefined]).skipped[0]).toMatchObject({ code: 'MISSING_IMAGE', option: 1 });
    expect(carousel(['https://x.test/a.png', 'https://x.test/a.png']).skipped[0]).toMatchObject({ code: 'DUPLICATE_IMAGE', option: 1 });
  });

  it('a binding that fails at run time skips its format with EVALUATION_ERROR and its position', () => {
    const c = question(['A', 'B', 'C'], ['CardCarousel', 'Buttons']);
    const formats = c.formats as Record<string, unknown>[];
    formats[0] = { type: 'CardCarousel', title: { type: 'Constant', name: 'Title' }, options: { source: '$Constants.Options', image: { type: 'Formula', formula: '"https://x.test/" & TEXT(1/0)' } } };
    const r = ok(renderComponent(c, { channel: 'FacebookEnhanced' }));
    expect(r.format).toBe('Buttons');
    expect(r.skipped[0]).toMatchObject({ format: 'CardCarousel', code: 'EVALUATION_ERROR' });
    expect(r.skipped[0]?.message).toContain('/formats/0/options/image/formula (line 1, column');
  });
});

describe('channels (DECISIONS.md "Formats and channels")', () => {
  it('a channel without components fails with E_CHANNEL_UNSUPPORTED, or renders Text with fallback', () => {
    const failed = renderComponent(question(five), { channel: 'SmsLongCode' });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.code).toBe('E_CHANNEL_UNSUPPORTED');
    const r = ok(renderComponent(question(five), { channel: 'SmsLongCode', fallback: 'text' }));
    expect(r.format).toBe('Text');
    expect(r.payload).toEqual({ platform: 'sms', messages: [{ body: r.text }] });
    expect(r.skipped.map((s) => s.code)).toEqual(['CHANNEL_UNSUPPORTED', 'CHANNEL_UNSUPPORTED']);
    expect(r.warnings.map((w) => w.code)).toContain('W_TEXT_FALLBACK');
  });

  it("the refusal and the fallback warning quote the request body's wording, or the caller's (fallbackWording)", () => {
    const body = renderComponent(question(five), { channel: 'SmsLongCode' });
    expect(body.ok ? '' : body.error.message).toMatch(/\. Send "fallback": "text" to get the Text version instead\.$/);
    const cli = { fallbackWording: { ask: 'Use', spelling: '--fallback text' } };
    const refused = renderComponent(question(five), { channel: 'SmsLongCode' }, cli);
    expect(refused.ok ? '' : refused.error.message).toMatch(/\. Use --fallback text to get the Text version instead\.$/);
    const warned = ok(renderComponent(question(five), { channel: 'SmsLongCode', fallback: 'text' }, cli));
    expect(warned.warnings.find((w) => w.code === 'W_TEXT_FALLBACK')?.message).toMatch(/as the request asked \(--fallback text\)$/);
  });

  it('auto-responses are not supported on Messenger', () => {
    const r = renderComponent(example('welcome-terms.json'), { channel: 'FacebookEnhanced' });
    expect(r.ok ? r.result.format : r.error.code).toBe('E_CHANNEL_UNSUPPORTED');
  });

  it('In-App shows web pages only as chat messages', () => {
    const c = example('welcome-terms.json');
    (c.formats as Record<string, unknown>[])[0] = { ...(c.formats as Record<string, unknown>[])[0], display: 'Popup' };
    expect(ok(renderComponent(c, { channel: 'EmbeddedWeb' })).content).toMatchObject({ display: 'Popup' });
    const inApp = ok(renderComponent(c, { channel: 'EmbeddedInApp' }));
    expect(inApp.content).toMatchObject({ display: 'ChatMessage' });
    expect(inApp.warnings.map((w) => w.code)).toEqual(['W_DISPLAY_CHANGED']);
  });

  it('adding a channel is a data change', () => {
    const profiles = ChannelProfiles.builtin().withChannels({
      KioskChat: {
        label: 'Kiosk chat',
        platform: 'embedded',
        components: { QuestionStaticOptions: ['QuickReplies'] },
        formats: { QuickReplies: { options: { min: 2, max: 20 }, limits: { 'option.title': 10 } } },
      },
    });
    const r = ok(renderComponent(question(['A', 'B']), { channel: 'KioskChat' }, { profiles }));
    expect(r.format).toBe('QuickReplies');
    expect(r.skipped[0]).toMatchObject({ format: 'Buttons', code: 'FORMAT_NOT_SUPPORTED' });
  });

  it('profiles are validated, every problem with its pointer', () => {
    try {
      ChannelProfiles.fromDocument({ channels: { Bad: { label: 'Bad', platform: 'sms', components: { QuestionStaticOptions: ['Buttons'] }, formats: { Buttons: { options: { min: 4, max: 3 } } } } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ChannelProfileError);
      expect((e as ChannelProfileError).problems).toEqual([
        { pointer: '/channels/Bad/components/QuestionStaticOptions/0', message: 'the sms platform has no payload for Buttons' },
        { pointer: '/channels/Bad/formats/Buttons/options', message: 'min (4) is greater than max (3)' },
      ]);
    }
    expect(() => ChannelProfiles.fromDocument({ channels: { X: { label: 'X', platform: 'fax', components: {} } } })).toThrow(/platform/);
  });
});

describe('option identity', () => {
  it('static options: explicit Id, else the Name; dynamic: the record Id; slots: the ISO interval', () => {
    const seed = ok(renderComponent(question(['A', 'B', 'C']), { channel: 'EmbeddedWeb' }));
    expect(optionsOf(seed).map((o) => o.id)).toEqual(['A', 'B', 'C']);
    const withIds = example('options-list.json');
    const r = ok(renderComponent(withIds, { channel: 'EmbeddedWeb' }));
    expect(r.payload.messages[0]).toMatchObject({ choices: { optionItems: [{ optionIdentifier: 'cancel' }, { optionIdentifier: 'change_address' }, { optionIdentifier: 'change_date' }] } });
    const cases = ok(
      renderComponent(example('pick-location.json'), {
        channel: 'FacebookEnhanced',
        parameters: { Locations: [{ Id: '131000000000001AAA', Name: 'Downtown' }, { Id: '131000000000002AAA', Name: 'Airport' }] },
      }),
    );
    expect(cases.payload.messages[0]).toMatchObject({ attachment: { payload: { buttons: [{ payload: '131000000000001AAA' }, { payload: '131000000000002AAA' }] } } });
  });
});

describe('time slots', () => {
  const slots = (starts: string[]) => starts.map((s) => ({ start: s, end: new Date(Date.parse(s) + 3_600_000).toISOString() }));

  it('labels follow the request time zone across a DST change', () => {
    const r = ok(
      renderComponent(example('appointment-time.json'), {
        channel: 'EmbeddedWeb',
        now: '2026-10-31T12:00:00Z',
        timezone: 'America/New_York',
        parameters: { Slots: slots(['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-01T15:00:00Z', '2026-11-02T15:00:00Z']) },
      }),
    );
    // 05:30Z is 1:30 EDT and 06:30Z is 1:30 EST (the repeated hour): their labels name the zone. 15:00Z is 10:00 EST.
    expect(optionsOf(r).map((o) => o.title.replace(/\s/g, ' '))).toEqual(['Nov 1, 1:30 AM EDT', 'Nov 1, 1:30 AM EST', 'Nov 1, 10:00 AM', 'Nov 2, 10:00 AM']);
  });

  it('labels follow the locale', () => {
    const r = ok(
      renderComponent(example('appointment-time.json'), { channel: 'EmbeddedWeb', timezone: 'Europe/Paris', locale: 'fr-FR', parameters: { Slots: slots(['2026-11-21T10:00:00Z', '2026-11-21T13:00:00Z', '2026-11-22T08:00:00Z']) } }),
    );
    expect(optionsOf(r).map((o) => o.title.replace(/\s/g, ' '))).toEqual(['21 nov., 11:00', '21 nov., 14:00', '22 nov., 9:00']);
  });

  it('a request label is kept; a slot ending before it starts is rejected', () => {
    const r = ok(renderComponent(example('appointment-time.json'), { channel: 'EmbeddedWeb', parameters: { Slots: [{ start: '2026-11-21T10:00:00Z', end: '2026-11-21T11:00:00Z', label: 'Morning' }] } }));
    expect(optionsOf(r)[0]?.title).toBe('Morning');
    const bad = renderComponent(example('appointment-time.json'), { channel: 'EmbeddedWeb', parameters: { Slots: [{ start: '2026-11-21T10:00:00Z', end: '2026-11-21T09:00:00Z' }] } });
    expect(bad.ok ? null : bad.error.errors).toEqual([{ pointer: '/parameters/Slots/0/end', code: 'E_PARAMETER_VALUE', message: 'The slot ends (2026-11-21T09:00:00Z) before it starts (2026-11-21T10:00:00Z)' }]);
  });
});

describe('request validation', () => {
  it('collects every problem with its pointer, and renders nothing', () => {
    const r = renderComponent(example('open-cases.json'), {
      channel: 'FacebookEnhancd',
      timezone: 'Mars/Olympus',
      parameters: { Cases: [{ Id: '500000000000001AAA', CaseNumbr: '1' }, { Subject: 3 }], Extra: 1 },
      colour: 'red',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('E_INVALID_REQUEST');
    expect(r.error.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/channel', 'E_UNKNOWN_CHANNEL'],
      ['/colour', 'E_UNKNOWN_PROPERTY'],
      ['/timezone', 'E_INVALID_TIMEZONE'],
      ['/parameters/Cases/0/CaseNumbr', 'E_UNKNOWN_FIELD'],
      ['/parameters/Cases/1/Subject', 'E_PARAMETER_VALUE'],
      ['/parameters/Cases/1/Id', 'E_MISSING_ID'],
      ['/parameters/Extra', 'E_UNKNOWN_PARAMETER'],
    ]);
    expect(r.error.errors[3]?.message).toContain('Did you mean "CaseNumber"?');
  });

  it('an invalid component is reported with the validator\'s pointers', () => {
    const r = renderComponent({ name: 'X', type: 'Nope' }, { channel: 'EmbeddedWeb' });
    expect(r.ok ? null : r.error.code).toBe('E_INVALID_COMPONENT');
    expect(compileComponent({ name: 'X', type: 'Nope' }).errors[0]).toMatchObject({ pointer: '/type', code: 'E_UNKNOWN_TYPE' });
  });

  it('missing parameters read as blank, with a warning', () => {
    const r = ok(renderComponent(example('open-cases.json'), { channel: 'EmbeddedWeb' }));
    expect(r.format).toBe('Text');
    expect(r.warnings.map((w) => [w.code, w.pointer])).toEqual([['W_PARAMETER_MISSING', '/parameters/Cases']]);
  });

  it('a compiled component renders many requests, each independent', () => {
    const compiled = compileComponent(question(five));
    const a = ok(compiled.render({ channel: 'FacebookEnhanced' }));
    const b = ok(compiled.render({ channel: 'EmbeddedWeb', fallback: 'none' }));
    expect([a.format, b.format, a.payload.platform, b.payload.platform]).toEqual(['QuickReplies', 'QuickReplies', 'messenger', 'embedded']);
  });
});

describe('splitText', () => {
  it('splits at line breaks, then spaces, then at the limit, without losing characters', () => {
    expect(splitText('short', 10)).toEqual(['short']);
    expect(splitText('line one\nline two\nline three', 18)).toEqual(['line one\nline two', 'line three']);
    expect(splitText('aaaa bbbb cccc', 9)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('😀'.repeat(5), 2)).toEqual(['😀😀', '😀😀', '😀']);
  });

  it('long Text versions go out as several messages with a warning', () => {
    const c = question(five, ['Text', 'QuickReplies']);
    (c.constants as { Title: { value: string } }).Title.value = 'x'.repeat(1990);
    const r = ok(renderComponent(c, { channel: 'FacebookEnhanced' }));
    expect(r.payload.messages.length).toBe(2);
    expect(r.payload.messages.map((m) => (m as { text: string }).text).join('\n')).toBe(r.text);
    expect(r.warnings.map((w) => w.code)).toEqual(['W_TEXT_SPLIT']);
  });
});

describe('SMS length in the renderer (issue 18 item 7)', () => {
  const titled = (title: string): ReturnType<typeof question> => {
    const c = question(five, ['Text', 'QuickReplies']);
    (c.constants as { Title: { value: string } }).Title.value = title;
    return c;
  };

  it('G:2892, G:6212 a Text version over 840 characters on SMS is refused with the seed\'s reason, not split (was: split into 840 + the rest with W_TEXT_SPLIT)', () => {
    const r = renderComponent(titled('x'.repeat(900)), { channel: 'SmsLongCode', fallback: 'text' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('E_TEXT_TOO_LONG');
    expect(r.error.message).toContain("Messages over 840 characters aren't sent (G:2892, G:6212)");
    expect(r.error.errors[0]).toMatchObject({ code: 'E_TEXT_TOO_LONG' });
  });

  it('G:3038, G:3348 a Text version over 160 characters on a short code is refused; at most 160 is sent', () => {
    const long = renderComponent(titled('x'.repeat(170)), { channel: 'SmsShortCode', fallback: 'text' });
    expect(long.ok ? undefined : long.error.message).toContain('limited to 160 characters');
    const short = ok(renderComponent(titled('Pick one'), { channel: 'SmsShortCode', fallback: 'text' }));
    expect(Array.from(short.text).length).toBeLessThanOrEqual(160);
    expect(short.payload.messages).toHaveLength(1);
  });

  it('G:2902 SMS renders give the segments: a 161-character GSM-7 text is 2 segments, a UCS-2 text counts 70/67', () => {
    const base = ok(renderComponent(titled('T'), { channel: 'SmsLongCode', fallback: 'text' }));
    const pad = 161 - Array.from(base.text).length + 1;
    const r = ok(renderComponent(titled('T'.repeat(pad)), { channel: 'SmsLongCode', fallback: 'text' }));
    expect(Array.from(r.text).length).toBe(161);
    expect(r.sms).toMatchObject({ encoding: 'GSM-7', characters: 161, segments: 2, perSegment: 153 });
    const ucs = ok(renderComponent(titled('Выберите'), { channel: 'SmsTollFree', fallback: 'text' }));
    expect(ucs.sms?.encoding).toBe('UCS-2');
    expect(ucs.sms?.segments).toBe(Math.ceil(Array.from(ucs.text).length / (Array.from(ucs.text).length > 70 ? 67 : 70)));
    // Not an SMS channel: no segment count.
    expect(ok(renderComponent(titled('T'), { channel: 'FacebookEnhanced' })).sms).toBeUndefined();
  });
});
