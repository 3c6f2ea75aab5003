/** Channel consent settings: consent order, consent types per channel type, keyword and response rules, Canada. */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, type ChannelType } from '../../src/channels/profiles.js';
import {
  canadianShortCodeDefaults,
  CONSENT_STATUSES,
  CONSENT_TYPES,
  defaultChannelSettings,
  DEFAULT_KEYWORDS,
  DEFAULT_TEXTS,
  meets,
  validateChannelSettings,
  type ChannelSettings,
  type ConsentType,
  type LanguageSettings,
  type SettingsProblem,
} from '../../src/consent/settings.js';

const codes = (errors: readonly SettingsProblem[]): string[] => errors.map((e) => e.code);
const clone = (s: ChannelSettings): Record<string, unknown> => structuredClone(s) as unknown as Record<string, unknown>;

/** Settings with one language changed. */
function withLanguage(s: ChannelSettings, index: number, change: (l: LanguageSettings) => LanguageSettings): ChannelSettings {
  return { ...s, languages: s.languages.map((l, i) => (i === index ? change(structuredClone(l)) : l)) };
}

describe('consent order and meets (DECISIONS.md §15.15)', () => {
  it('orders OptedOut < ImplicitlyOptedIn < ExplicitlyOptedIn < DoublyOptedIn', () => {
    expect(CONSENT_STATUSES).toEqual(['OptedOut', 'ImplicitlyOptedIn', 'ExplicitlyOptedIn', 'DoublyOptedIn']);
  });

  it('a status meets every level up to its own', () => {
    expect(meets('ImplicitlyOptedIn', 'ImplicitOptIn')).toBe(true);
    expect(meets('ImplicitlyOptedIn', 'ExplicitOptIn')).toBe(false);
    expect(meets('ExplicitlyOptedIn', 'ImplicitOptIn')).toBe(true);
    expect(meets('ExplicitlyOptedIn', 'ExplicitOptIn')).toBe(true);
    expect(meets('ExplicitlyOptedIn', 'DoubleOptIn')).toBe(false);
    expect(meets('DoublyOptedIn', 'DoubleOptIn')).toBe(true);
    expect(meets('DoublyOptedIn', 'ExplicitlyOptedIn')).toBe(true);
  });

  it('OptedOut never meets any level, not even OptedOut', () => {
    for (const level of [...CONSENT_TYPES, ...CONSENT_STATUSES]) expect(meets('OptedOut', level)).toBe(false);
  });

  it('meets is monotone in the status', () => {
    for (const level of CONSENT_TYPES) {
      const results = CONSENT_STATUSES.map((s) => meets(s, level));
      expect(results.indexOf(true)).toBeGreaterThan(0);
      expect(results.slice(results.indexOf(true)).every(Boolean)).toBe(true);
    }
  });
});

describe('consent types per channel type (SPEC-EXTRACT §7.2 rows 351-353, §8.2)', () => {
  const expected: Record<ChannelType, readonly ConsentType[]> = {
    SmsLongCode: ['ImplicitOptIn'],
    SmsTollFree: ['ImplicitOptIn'],
    SmsShortCode: ['ExplicitOptIn', 'DoubleOptIn'],
    SmsEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
    FacebookStandard: ['ImplicitOptIn'],
    FacebookEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
    WhatsAppStandard: ['ImplicitOptIn'],
    WhatsAppEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
    EmbeddedWeb: ['ImplicitOptIn'],
    EmbeddedInApp: ['ImplicitOptIn'],
    AppleMessagesEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
    LineEnhanced: ['ImplicitOptIn', 'ExplicitOptIn'],
    BringYourOwn: ['ImplicitOptIn', 'ExplicitOptIn'],
  };
  for (const type of CHANNEL_TYPES) {
    for (const consentType of CONSENT_TYPES) {
      const allowed = expected[type].includes(consentType);
      it(`${type} ${allowed ? 'allows' : 'rejects'} ${consentType}`, () => {
        const base = defaultChannelSettings(type, consentType === 'DoubleOptIn' && allowed ? { consentType } : {});
        const r = validateChannelSettings({ ...base, consentType });
        if (allowed) expect(r.errors).toEqual([]);
        else expect(r.errors).toContainEqual(expect.objectContaining({ pointer: '/consentType', code: 'E_CONSENT_TYPE_NOT_ALLOWED' }));
      });
    }
  }

  it('fills in the default consent type: explicit on short codes, implicit elsewhere', () => {
    const short = clone(defaultChannelSettings('SmsShortCode'));
    delete short.consentType;
    expect(validateChannelSettings(short).settings?.consentType).toBe('ExplicitOptIn');
    const web = clone(defaultChannelSettings('EmbeddedWeb'));
    delete web.consentType;
    expect(validateChannelSettings(web).settings?.consentType).toBe('ImplicitOptIn');
  });

  it('says why a consent type is rejected', () => {
    const r = validateChannelSettings({ ...defaultChannelSettings('EmbeddedWeb'), consentType: 'ExplicitOptIn' });
    expect(r.errors[0]!.message).toMatch(/Consent doesn't apply to EmbeddedWeb.*N\/A/);
    const s = validateChannelSettings({ ...defaultChannelSettings('SmsShortCode'), consentType: 'ImplicitOptIn' });
    expect(s.errors[0]!.message).toMatch(/SmsShortCode channels allow only ExplicitOptIn or DoubleOptIn.*short codes require explicit opt-in/);
  });

  it('In-App and Web channels take no consent keywords or consent responses', () => {
    const base = defaultChannelSettings('EmbeddedInApp');
    const r = validateChannelSettings({
      ...base,
      languages: [{ language: 'en', keywords: { optOut: ['STOP'], help: ['HELP'] }, responses: { optOutConfirmation: 'Bye', helpResponse: 'Help' } }],
    });
    expect(r.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/languages/0/keywords/optOut', 'E_KEYWORD_NOT_ALLOWED'],
      ['/languages/0/responses/optOutConfirmation', 'E_RESPONSE_NOT_ALLOWED'],
    ]);
  });

  it('double opt-in keywords and prompt only where double opt-in is allowed (short codes)', () => {
    const fb = withLanguage(defaultChannelSettings('FacebookEnhanced', { consentType: 'ExplicitOptIn' }), 0, (l) => ({
      ...l,
      keywords: { ...l.keywords, doubleOptIn: ['CONFIRM'] },
      responses: { ...l.responses, doubleOptInPrompt: 'Confirm?' },
    }));
    expect(validateChannelSettings(fb).errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/languages/0/keywords/doubleOptIn', 'E_KEYWORD_NOT_ALLOWED'],
      ['/languages/0/responses/doubleOptInPrompt', 'E_RESPONSE_NOT_ALLOWED'],
    ]);
    // On a short code without double opt-in they are allowed but inactive: a warning.
    const short = withLanguage(defaultChannelSettings('SmsShortCode'), 0, (l) => ({ ...l, keywords: { ...l.keywords, doubleOptIn: ['CONFIRM'] } }));
    const r = validateChannelSettings(short);
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'W_DOUBLE_OPT_IN_INACTIVE', pointer: '/languages/0/keywords/doubleOptIn' })]);
  });

  it('explicit and double opt-in need their keywords and prompts', () => {
    const bare = { type: 'SmsShortCode', consentType: 'DoubleOptIn', languages: [{ language: 'en', keywords: { optOut: ['STOP'], help: ['HELP'] }, responses: { optOutConfirmation: 'Bye', helpResponse: 'Help', optInConfirmation: 'Thanks' } }] };
    expect(validateChannelSettings(bare).errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/languages/0/keywords/optIn', 'E_MISSING_KEYWORDS'],
      ['/languages/0/responses/optInPrompt', 'E_MISSING_RESPONSE'],
      ['/languages/0/keywords/doubleOptIn', 'E_MISSING_KEYWORDS'],
      ['/languages/0/responses/doubleOptInPrompt', 'E_MISSING_RESPONSE'],
    ]);
  });

  it('every channel with consent needs an opt-out keyword and its confirmation', () => {
    const r = validateChannelSettings({ type: 'WhatsAppEnhanced', languages: [{ language: 'en' }] });
    expect(r.errors.map((e) => [e.pointer, e.code])).toEqual([['/languages/0/keywords/optOut', 'E_MISSING_KEYWORDS']]);
    const s = validateChannelSettings({ type: 'WhatsAppEnhanced', languages: [{ language: 'en', keywords: { optOut: ['STOP'] } }] });
    expect(s.errors.map((e) => [e.pointer, e.code])).toEqual([['/languages/0/responses/optOutConfirmation', 'E_MISSING_RESPONSE']]);
  });
});

describe('defaults', () => {
  it('are valid for every channel type, with and without double opt-in', () => {
    for (const type of CHANNEL_TYPES) {
      const r = validateChannelSettings(defaultChannelSettings(type));
      expect(r.errors, type).toEqual([]);
      expect(r.warnings, type).toEqual([]);
    }
    expect(validateChannelSettings(defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' })).errors).toEqual([]);
    expect(validateChannelSettings(canadianShortCodeDefaults({ consentType: 'DoubleOptIn' })).errors).toEqual([]);
  });

  it('use the keywords of DECISIONS.md §15.19 and the seed default texts', () => {
    const en = defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }).languages[0]!;
    expect(en.keywords).toEqual({
      optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'],
      optIn: ['START', 'YES', 'UNSTOP'],
      doubleOptIn: ['CONFIRM', 'Y'],
      help: ['HELP', 'INFO'],
    });
    expect(DEFAULT_KEYWORDS.doubleOptIn).not.toContain('YES');
    expect(en.responses?.optInConfirmation).toBe('Thanks for opting in and allowing us to send you messages.');
    expect(en.responses?.optOutConfirmation).toBe("You've opted out of receiving messages from us, so we won't contact you again.");
    const s = defaultChannelSettings('FacebookEnhanced');
    expect(s.autoResponses?.conversationAcknowledgment).toBe(DEFAULT_TEXTS.conversationAcknowledgment);
    expect(s.consentType).toBe('ImplicitOptIn');
  });

  it('In-App and Web get no keywords', () => {
    expect(defaultChannelSettings('EmbeddedWeb').languages[0]!.keywords).toEqual({});
  });

  it('a Canadian short code gets the bilingual defaults', () => {
    expect(defaultChannelSettings('SmsShortCode', { country: 'CA' })).toEqual(canadianShortCodeDefaults());
  });
});

describe('keyword uniqueness (DECISIONS.md §15.19)', () => {
  it('across kinds: the error names both places', () => {
    const s = withLanguage(defaultChannelSettings('SmsLongCode'), 0, (l) => ({ ...l, keywords: { ...l.keywords, help: ['HELP', 'stop'] } }));
    const r = validateChannelSettings(s);
    expect(r.errors).toEqual([
      {
        pointer: '/languages/0/keywords/help/1',
        code: 'E_DUPLICATE_KEYWORD',
        message: 'The keyword "stop" is configured twice: as an opt-out keyword of "en" at /languages/0/keywords/optOut/0 and as a help keyword of "en" at /languages/0/keywords/help/1. A keyword may appear only once across all kinds and languages of a channel.',
        related: ['/languages/0/keywords/optOut/0'],
      },
    ]);
  });

  it('across languages, after case folding', () => {
    const s = canadianShortCodeDefaults();
    const bad = withLanguage(s, 1, (l) => ({ ...l, keywords: { ...l.keywords, optOut: [...(l.keywords?.optOut ?? []), 'Stop'] } }));
    const e = validateChannelSettings(bad).errors;
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'E_DUPLICATE_KEYWORD', pointer: '/languages/1/keywords/optOut/2', related: ['/languages/0/keywords/optOut/0'] });
    expect(e[0]!.message).toContain('of "en" at /languages/0/keywords/optOut/0');
    expect(e[0]!.message).toContain('of "fr" at /languages/1/keywords/optOut/2');
  });

  it('in custom keyword groups and within one list', () => {
    const s = withLanguage(defaultChannelSettings('SmsLongCode'), 0, (l) => ({ ...l, keywords: { ...l.keywords, optOut: ['STOP', 'QUIT', 'quit'] }, custom: [{ keywords: ['HOURS', 'start'], response: 'Open 9-5' }] }));
    const e = validateChannelSettings(s).errors;
    expect(e.map((x) => [x.pointer, x.related])).toEqual([
      ['/languages/0/keywords/optOut/2', ['/languages/0/keywords/optOut/1']],
      ['/languages/0/custom/0/keywords/1', ['/languages/0/keywords/optIn/0']],
    ]);
    expect(e[0]!.message).toBe('The keyword "quit" is listed twice as an opt-out keyword of "en": at /languages/0/keywords/optOut/1 and at /languages/0/keywords/optOut/2');
  });

  it('opt-in and double opt-in keywords differ (the seed example YES in both)', () => {
    const s = withLanguage(defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }), 0, (l) => ({ ...l, keywords: { ...l.keywords, doubleOptIn: ['CONFIRM', 'YES', 'Y'] } }));
    const e = validateChannelSettings(s).errors;
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toContain('Opt-in and double opt-in keywords must differ');
  });

  it('with stripTrailingPunctuation, STOP and STOP! are the same keyword', () => {
    const s = withLanguage(defaultChannelSettings('SmsLongCode'), 0, (l) => ({ ...l, keywords: { ...l.keywords, help: ['HELP', 'STOP!'] } }));
    expect(validateChannelSettings(s).valid).toBe(true);
    expect(codes(validateChannelSettings({ ...s, stripTrailingPunctuation: true }).errors)).toEqual(['E_DUPLICATE_KEYWORD']);
  });

  it('ARRÊT and ARRET may both be configured', () => {
    expect(canadianShortCodeDefaults().languages[1]!.keywords?.optOut).toEqual(['ARRET', 'ARRÊT']);
    expect(validateChannelSettings(canadianShortCodeDefaults()).valid).toBe(true);
  });
});

describe('short code responses are at most 160 characters (G:3038)', () => {
  const short = defaultChannelSettings('SmsShortCode');
  it('161 is too many, 160 is fine', () => {
    const at = (n: number): ChannelSettings => withLanguage(short, 0, (l) => ({ ...l, responses: { ...l.responses, helpResponse: 'x'.repeat(n) } }));
    expect(validateChannelSettings(at(160)).valid).toBe(true);
    expect(validateChannelSettings(at(161)).errors).toEqual([
      { pointer: '/languages/0/responses/helpResponse', code: 'E_RESPONSE_TOO_LONG', message: 'The help response of "en" has 161 characters; short code automated responses may have at most 160 (G:3038)' },
    ]);
  });

  it('counts code points, not UTF-16 units', () => {
    const emoji = withLanguage(short, 0, (l) => ({ ...l, responses: { ...l.responses, helpResponse: '😀'.repeat(160) } }));
    expect(validateChannelSettings(emoji).valid).toBe(true);
  });

  it('applies to custom responses and auto-responses, and not to other channels', () => {
    const long = 'y'.repeat(200);
    const s = { ...withLanguage(short, 0, (l) => ({ ...l, custom: [{ keywords: ['HOURS'], response: long }] })), autoResponses: { endConversation: long } };
    expect(validateChannelSettings(s).errors.map((e) => e.pointer)).toEqual(['/languages/0/custom/0/response', '/autoResponses/endConversation']);
    expect(validateChannelSettings({ ...s, type: 'SmsLongCode', consentType: 'ImplicitOptIn' }).valid).toBe(true);
  });
});

describe('Canadian short codes: HELP, INFO, AIDE, STOP and ARRET (G:3116)', () => {
  it('the Canadian defaults pass', () => {
    const r = validateChannelSettings(canadianShortCodeDefaults());
    expect(r.errors).toEqual([]);
    expect(r.settings?.country).toBe('CA');
  });

  it('the rule applies only to Canadian short codes', () => {
    const us = defaultChannelSettings('SmsShortCode', { country: 'US' });
    expect(validateChannelSettings(us).valid).toBe(true);
    expect(codes(validateChannelSettings({ ...us, country: 'CA' }).errors)).toEqual(['E_CANADA_KEYWORD_MISSING', 'E_CANADA_KEYWORD_MISSING']);
  });

  const remove = (lang: number, kind: 'optOut' | 'help', keyword: string): ChannelSettings =>
    withLanguage(canadianShortCodeDefaults(), lang, (l) => ({ ...l, keywords: { ...l.keywords, [kind]: (l.keywords?.[kind] ?? []).filter((k) => k !== keyword) } }));

  it.each([
    [0, 'help', 'HELP', '/languages/0/keywords/help', 'must answer HELP with an automated English response (G:3116): add HELP as a help keyword of "en" (/languages/0/keywords/help).'],
    [0, 'help', 'INFO', '/languages/0/keywords/help', 'must answer INFO with an automated English response (G:3116): add INFO as a help keyword or a custom keyword of "en"'],
    [0, 'optOut', 'STOP', '/languages/0/keywords/optOut', 'must answer STOP with an automated English response (G:3116): add STOP as an opt-out keyword of "en"'],
    [1, 'help', 'AIDE', '/languages/1/keywords/help', 'must answer AIDE with an automated French response (G:3116): add AIDE as a help keyword of "fr"'],
    [1, 'optOut', 'ARRET', '/languages/1/keywords/optOut', 'must answer ARRET with an automated French response (G:3116): add ARRET as an opt-out keyword of "fr" (/languages/1/keywords/optOut). ARRÊT is configured, but ARRET (without the accent) is a different keyword'],
  ] as const)('missing %s/%s %s: says exactly which', (lang, kind, keyword, pointer, message) => {
    const r = validateChannelSettings(remove(lang, kind, keyword));
    const canada = r.errors.filter((e) => e.code.startsWith('E_CANADA'));
    expect(canada).toHaveLength(1);
    expect(canada[0]).toMatchObject({ code: 'E_CANADA_KEYWORD_MISSING', pointer });
    expect(canada[0]!.message).toContain(message);
  });

  it('INFO may be a custom keyword with an English response', () => {
    const s = withLanguage(remove(0, 'help', 'INFO'), 0, (l) => ({ ...l, custom: [{ keywords: ['INFO'], response: 'Acme alerts: acme.example/info. Msg&data rates may apply.' }] }));
    expect(validateChannelSettings(s).errors).toEqual([]);
  });

  it('without a French language, AIDE and ARRET are each reported', () => {
    const s = { ...canadianShortCodeDefaults(), languages: canadianShortCodeDefaults().languages.slice(0, 1) };
    const e = validateChannelSettings(s).errors;
    expect(e.map((x) => [x.code, x.pointer])).toEqual([
      ['E_CANADA_KEYWORD_MISSING', '/languages'],
      ['E_CANADA_KEYWORD_MISSING', '/languages'],
    ]);
    expect(e[0]!.message).toContain('must answer AIDE');
    expect(e[0]!.message).toContain('no French language is configured: add a language "fr" with AIDE as a help keyword and its response in French');
    expect(e[1]!.message).toContain('must answer ARRET');
  });

  it('a mandatory keyword in the wrong language or kind is misplaced', () => {
    // AIDE moved to English: its response would be English.
    let s = remove(1, 'help', 'AIDE');
    s = withLanguage(s, 0, (l) => ({ ...l, keywords: { ...l.keywords, help: [...(l.keywords?.help ?? []), 'AIDE'] } }));
    const e = validateChannelSettings(s).errors;
    expect(e).toEqual([
      {
        pointer: '/languages/0/keywords/help/2',
        code: 'E_CANADA_KEYWORD_MISPLACED',
        message: 'AIDE is a help keyword of "en"; a Canadian short code needs it in a French language, so that its response is in French (G:3116)',
        related: ['/languages/1/keywords/help'],
      },
    ]);
    // ARRET as a help keyword doesn't opt out.
    let t = remove(1, 'optOut', 'ARRET');
    t = withLanguage(t, 1, (l) => ({ ...l, keywords: { ...l.keywords, help: ['AIDE', 'ARRET'] } }));
    expect(validateChannelSettings(t).errors).toEqual([expect.objectContaining({ code: 'E_CANADA_KEYWORD_MISPLACED', pointer: '/languages/1/keywords/help/1', message: expect.stringContaining('needs it as an opt-out keyword') })]);
  });

  it('the French keywords need French responses', () => {
    const s = withLanguage(canadianShortCodeDefaults(), 1, (l) => ({ ...l, responses: { optInPrompt: l.responses!.optInPrompt!, optInConfirmation: l.responses!.optInConfirmation! } }));
    expect(validateChannelSettings(s).errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/languages/1/responses/optOutConfirmation', 'E_MISSING_RESPONSE'],
      ['/languages/1/responses/helpResponse', 'E_MISSING_RESPONSE'],
    ]);
  });
});

describe('shape', () => {
  it('collects every problem with its pointer', () => {
    const r = validateChannelSettings({
      type: 'SmsLongcode',
      country: 'ca',
      consentType: 'implicitOptin',
      stripTrailingPunctuation: 'yes',
      defaultLanguage: 'de',
      languages: [
        { language: 'en_US', keywords: { optOut: ['STOP', '', 'OPT OUT', 7], custom: ['X'] }, responses: { customResponse: 'x', helpResponse: '  ' } },
        { language: 'fr', custom: [{ keywords: [], response: 'r' }, { keywords: ['X'] }] },
        { language: 'FR' },
      ],
      autoResponses: { acknowledgment: 'hi' },
      colour: 'blue',
    });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/colour', 'E_UNKNOWN_PROPERTY'],
      ['/type', 'E_UNKNOWN_CHANNEL'],
      ['/country', 'E_INVALID_COUNTRY'],
      ['/consentType', 'E_INVALID_VALUE'],
      ['/stripTrailingPunctuation', 'E_INVALID_VALUE'],
      ['/autoResponses/acknowledgment', 'E_UNKNOWN_PROPERTY'],
      ['/languages/0/language', 'E_INVALID_LANGUAGE'],
      ['/languages/0/keywords/custom', 'E_UNKNOWN_PROPERTY'],
      ['/languages/0/keywords/optOut/1', 'E_EMPTY_KEYWORD'],
      ['/languages/0/keywords/optOut/2', 'E_KEYWORD_HAS_SPACE'],
      ['/languages/0/keywords/optOut/3', 'E_INVALID_VALUE'],
      ['/languages/0/responses/customResponse', 'E_UNKNOWN_PROPERTY'],
      ['/languages/0/responses/helpResponse', 'E_INVALID_VALUE'],
      ['/languages/1/custom/0/keywords', 'E_MISSING_KEYWORDS'],
      ['/languages/1/custom/1/response', 'E_MISSING_RESPONSE'],
      ['/languages/2/language', 'E_DUPLICATE_LANGUAGE'],
      ['/defaultLanguage', 'E_DEFAULT_LANGUAGE_NOT_CONFIGURED'],
    ]);
    const by = (p: string): string => r.errors.find((e) => e.pointer === p)!.message;
    expect(by('/type')).toContain('Did you mean "SmsLongCode"?');
    expect(by('/country')).toContain('Write it in upper case: "CA"');
    expect(by('/consentType')).toContain('Did you mean "ImplicitOptIn"');
    expect(by('/languages/0/keywords/custom')).toContain('Custom keywords go in "custom"');
    expect(by('/languages/0/keywords/optOut/2')).toContain('single words');
  });

  it('rejects what is not an object, and a missing type and languages', () => {
    expect(validateChannelSettings(null).errors).toEqual([expect.objectContaining({ pointer: '', code: 'E_NOT_AN_OBJECT' })]);
    expect(validateChannelSettings([]).valid).toBe(false);
    expect(validateChannelSettings({}).errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/type', 'E_MISSING_PROPERTY'],
      ['/languages', 'E_MISSING_PROPERTY'],
    ]);
    expect(validateChannelSettings({ type: 'SmsLongCode', languages: [] }).errors.map((e) => e.code)).toEqual(['E_INVALID_VALUE']);
  });

  it('a keyword that is only punctuation is empty when punctuation is stripped', () => {
    const s = withLanguage(defaultChannelSettings('SmsLongCode'), 0, (l) => ({ ...l, keywords: { ...l.keywords, help: ['HELP', '?'] } }));
    expect(validateChannelSettings(s).valid).toBe(true);
    expect(validateChannelSettings({ ...s, stripTrailingPunctuation: true }).errors).toEqual([
      expect.objectContaining({ pointer: '/languages/0/keywords/help/1', code: 'E_EMPTY_KEYWORD', message: expect.stringContaining('once trailing punctuation is stripped') }),
    ]);
  });

  it('extra top-level properties can be allowed', () => {
    const s = { ...defaultChannelSettings('SmsLongCode'), id: 'c1', name: 'Support' };
    expect(codes(validateChannelSettings(s).errors)).toEqual(['E_UNKNOWN_PROPERTY', 'E_UNKNOWN_PROPERTY']);
    expect(validateChannelSettings(s, { extraProperties: ['id', 'name'] }).valid).toBe(true);
  });

  it('returns normalised settings: canonical language tags, defaults filled in', () => {
    const r = validateChannelSettings({ type: 'WhatsAppEnhanced', languages: [{ language: 'EN-us', keywords: { optOut: ['STOP'] }, responses: { optOutConfirmation: 'Bye' } }] });
    expect(r.settings).toEqual({
      type: 'WhatsAppEnhanced',
      consentType: 'ImplicitOptIn',
      stripTrailingPunctuation: false,
      defaultLanguage: 'en-US',
      languages: [{ language: 'en-US', keywords: { optOut: ['STOP'] }, custom: [], responses: { optOutConfirmation: 'Bye' } }],
    });
  });

  it('warns when an SMS channel has no STOP', () => {
    const s = withLanguage(defaultChannelSettings('SmsLongCode'), 0, (l) => ({ ...l, keywords: { ...l.keywords, optOut: ['QUIT'] } }));
    const r = validateChannelSettings(s);
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['W_NO_STOP_KEYWORD']);
  });
});
