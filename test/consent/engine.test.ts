/**
 * The inbound decision, as step-by-step conversations (SPEC-EXTRACT §8.3): each decision's user
 * and session feed the next message, as the server would store them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideInbound, RouteReason, type InboundDecision, type MessagingUserState, type OpenSessionSummary, type SessionStatus } from '../../src/consent/engine.js';
import { canadianShortCodeDefaults, defaultChannelSettings, DEFAULT_TEXTS, FRENCH_DEFAULTS, meets, validateChannelSettings, type ChannelSettings, type LanguageSettings } from '../../src/consent/settings.js';
import type { ChannelType } from '../../src/channels/profiles.js';

/** A simulated server: the user and their open session, updated from each decision. */
class Conversation {
  user: MessagingUserState | undefined;
  session: OpenSessionSummary | undefined;
  readonly ledger: InboundDecision['consentChanges'][number][] = [];
  readonly closed: string[] = [];
  private clock = Date.parse('2026-03-01T09:00:00Z');
  private sessions = 0;

  constructor(
    readonly settings: ChannelSettings,
    user?: MessagingUserState,
    private readonly botInUse = false,
  ) {
    expect(validateChannelSettings(settings).errors).toEqual([]);
    this.user = user;
  }

  send(text: string): InboundDecision {
    this.clock += 60_000;
    const d = decideInbound({ settings: this.settings, user: this.user, session: this.session, text, receivedAt: this.clock, botInUse: this.botInUse });
    this.user = { consentStatus: d.user.consentStatus, pendingDoubleOptIn: d.user.pendingDoubleOptIn, ...(d.user.language !== undefined ? { language: d.user.language } : {}) };
    this.ledger.push(...d.consentChanges);
    const id = d.newSession ? `s${++this.sessions}` : this.session!.id;
    if (d.closeOpenSessions || d.sessionStatus === 'Ended') {
      this.closed.push(id);
      this.session = undefined;
    } else this.session = { id, status: d.sessionStatus, onlyKeywordsSoFar: d.onlyKeywordsSoFar };
    return d;
  }

  /** An agent accepts, or marks the session inactive, or the session ends. */
  set(status: SessionStatus): void {
    if (status === 'Ended') this.session = undefined;
    else this.session = { ...this.session!, status };
  }
}

const said = (d: InboundDecision): string[] => d.responses.map((r) => `${r.kind}: ${r.text}`);
const kinds = (d: InboundDecision): string[] => d.responses.map((r) => r.kind);
const ACK = `conversationAcknowledgment: ${DEFAULT_TEXTS.conversationAcknowledgment}`;

/** The seed's explicit opt-in texts (G:3743-3745) on a channel with YES as the opt-in keyword. */
function seedTexts(type: ChannelType, consentType: 'ExplicitOptIn' | 'DoubleOptIn', lang?: Partial<LanguageSettings>): ChannelSettings {
  const base = defaultChannelSettings(type, { consentType });
  const en = base.languages[0]!;
  return {
    ...base,
    languages: [
      {
        ...en,
        ...lang,
        responses: {
          ...en.responses,
          optInPrompt: 'Thanks for connecting with us! To opt in to receiving messages, respond Yes.',
          optInConfirmation: "Thanks for opting in and allowing us to send you messages. I'll connect you with someone who can help.",
          ...(consentType === 'DoubleOptIn' ? { doubleOptInPrompt: 'To confirm your response, respond Start.' } : {}),
        },
      },
    ],
  };
}

describe('implicit opt-in (G:3742, G:5232)', () => {
  it('enhanced channel: the first message opts in without a confirmation; the session is routed with the acknowledgment', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'));
    const d = c.send('Hi, where is my order?');
    expect(d.user).toEqual({ created: true, consentStatus: 'ImplicitlyOptedIn', pendingDoubleOptIn: false });
    expect(d.consentChanges).toEqual([{ from: null, to: 'ImplicitlyOptedIn', at: Date.parse('2026-03-01T09:01:00Z'), cause: { kind: 'implicit' } }]);
    expect(said(d)).toEqual([ACK]);
    expect(d).toMatchObject({ matched: null, newSession: true, sessionStatus: 'Waiting', route: true, routeReason: RouteReason.NewInquiry, closeOpenSessions: false, onlyKeywordsSoFar: false });

    const next = c.send('It was due yesterday');
    expect(next).toMatchObject({ responses: [], consentChanges: [], newSession: false, sessionStatus: 'Waiting', route: false, routeReason: RouteReason.AlreadyRouted });
    expect(next.user.created).toBe(false);
  });

  it('standard SMS: the implicit opt-in is confirmed, then acknowledged', () => {
    const c = new Conversation(defaultChannelSettings('SmsLongCode'));
    expect(said(c.send('Hello'))).toEqual([`optInConfirmation: ${DEFAULT_TEXTS.optInConfirmation}`, ACK]);
    expect(said(c.send('Are you there?'))).toEqual([]);
  });

  it('standard SMS: a first message that is HELP gets the confirmation and then the help response', () => {
    const c = new Conversation(defaultChannelSettings('SmsLongCode'));
    const d = c.send('help');
    expect(kinds(d)).toEqual(['optInConfirmation', 'helpResponse']);
    expect(d).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.KeywordsOnly });
  });

  it('no acknowledgment when a bot answers the channel (G:5211)', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'), undefined, true);
    const d = c.send('Hi');
    expect(d.responses).toEqual([]);
    expect(d.route).toBe(true);
  });
});

describe('explicit opt-in (G:3743-3745)', () => {
  it('the seed conversation: prompt, opt-in keyword, confirmation then acknowledgment, and the held inquiry is routed', () => {
    const c = new Conversation(seedTexts('FacebookEnhanced', 'ExplicitOptIn'));
    const first = c.send('Hi, I need help with an order.');
    expect(said(first)).toEqual(['optInPrompt: Thanks for connecting with us! To opt in to receiving messages, respond Yes.']);
    expect(first).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.ConsentRequired, onlyKeywordsSoFar: false });
    expect(first.user.consentStatus).toBe('ImplicitlyOptedIn');

    const second = c.send('Yes');
    expect(second.matched).toMatchObject({ kind: 'optIn', keyword: 'YES', language: 'en' });
    expect(said(second)).toEqual(["optInConfirmation: Thanks for opting in and allowing us to send you messages. I'll connect you with someone who can help.", ACK]);
    expect(second).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: RouteReason.ConsentGiven, newSession: false });
    expect(second.user.consentStatus).toBe('ExplicitlyOptedIn');

    expect(c.ledger).toEqual([
      { from: null, to: 'ImplicitlyOptedIn', at: expect.any(Number), cause: { kind: 'implicit' } },
      { from: 'ImplicitlyOptedIn', to: 'ExplicitlyOptedIn', at: expect.any(Number), cause: { kind: 'keyword', keyword: 'YES', keywordKind: 'optIn', language: 'en' } },
    ]);
  });

  it('the prompt goes out once per session; later inquiries wait silently', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode'));
    expect(kinds(c.send('Hi'))).toEqual(['optInPrompt']);
    const again = c.send('Hello??');
    expect(again.responses).toEqual([]);
    expect(again).toMatchObject({ sessionStatus: 'Consent', route: false });
  });

  it('an opt-in keyword as the first message: confirmed, but a keyword-only session is not routed', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode'));
    const d = c.send('START');
    expect(d.consentChanges).toEqual([{ from: null, to: 'ExplicitlyOptedIn', at: expect.any(Number), cause: { kind: 'keyword', keyword: 'START', keywordKind: 'optIn', language: 'en' } }]);
    expect(kinds(d)).toEqual(['optInConfirmation']);
    expect(d).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.KeywordsOnly });
    const q = c.send('When does my package arrive?');
    expect(kinds(q)).toEqual(['conversationAcknowledgment']);
    expect(q).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: RouteReason.NewInquiry });
  });

  it('a user who opted in before starts a routed session at once', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced', { consentType: 'ExplicitOptIn' }), { consentStatus: 'ExplicitlyOptedIn' });
    const d = c.send('Hi again');
    expect(d).toMatchObject({ route: true, newSession: true, consentChanges: [] });
    expect(kinds(d)).toEqual(['conversationAcknowledgment']);
  });
});

describe('double opt-in (G:3746-3752)', () => {
  it('the seed conversation with its keywords (YES to opt in, START to confirm)', () => {
    const settings = seedTexts('SmsShortCode', 'DoubleOptIn', { keywords: { optIn: ['YES'], doubleOptIn: ['START'], optOut: ['STOP'], help: ['HELP'] } });
    const c = new Conversation(settings);
    expect(said(c.send('Hi'))).toEqual(['optInPrompt: Thanks for connecting with us! To opt in to receiving messages, respond Yes.']);

    const yes = c.send('Yes');
    expect(said(yes)).toEqual(['doubleOptInPrompt: To confirm your response, respond Start.']);
    expect(yes.user).toMatchObject({ consentStatus: 'ExplicitlyOptedIn', pendingDoubleOptIn: true });
    expect(yes).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.ConsentRequired });

    const start = c.send('Start');
    expect(said(start)).toEqual(["optInConfirmation: Thanks for opting in and allowing us to send you messages. I'll connect you with someone who can help.", ACK]);
    expect(start.user).toMatchObject({ consentStatus: 'DoublyOptedIn', pendingDoubleOptIn: false });
    expect(start).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: RouteReason.ConsentGiven });
    expect(c.ledger.map((e) => [e.from, e.to, e.cause.kind === 'keyword' ? e.cause.keyword : e.cause.kind])).toEqual([
      [null, 'ImplicitlyOptedIn', 'implicit'],
      ['ImplicitlyOptedIn', 'ExplicitlyOptedIn', 'YES'],
      ['ExplicitlyOptedIn', 'DoublyOptedIn', 'START'],
    ]);
  });

  it('with the default keywords: START, then CONFIRM', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }));
    expect(kinds(c.send('start'))).toEqual(['doubleOptInPrompt']);
    expect(c.user).toMatchObject({ consentStatus: 'ExplicitlyOptedIn', pendingDoubleOptIn: true });
    const d = c.send('confirm');
    expect(kinds(d)).toEqual(['optInConfirmation']);
    expect(d).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.KeywordsOnly });
    expect(c.user?.consentStatus).toBe('DoublyOptedIn');
  });

  it('a pending user who writes gets the double opt-in prompt, not the opt-in prompt', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }));
    c.send('START');
    const d = c.send('What do I do now?');
    expect(kinds(d)).toEqual(['doubleOptInPrompt']);
  });

  it('the double opt-in keyword without a pending opt-in asks for the opt-in first', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }));
    const d = c.send('CONFIRM');
    expect(d.matched?.kind).toBe('doubleOptIn');
    expect(kinds(d)).toEqual(['optInPrompt']);
    expect(d.user).toMatchObject({ consentStatus: 'ImplicitlyOptedIn', pendingDoubleOptIn: false });
  });

  it('an opt-out while pending clears the pending opt-in', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }));
    c.send('START');
    c.send('STOP');
    expect(c.user).toMatchObject({ consentStatus: 'OptedOut', pendingDoubleOptIn: false });
    expect(kinds(c.send('CONFIRM'))).toEqual(['optInPrompt']);
    expect(c.user?.consentStatus).toBe('OptedOut');
  });
});

describe('opt-out (G:3753, G:3082-3090)', () => {
  it('ends every open session and confirms', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'));
    c.send('Hi');
    c.set('Active');
    const d = c.send('stop');
    expect(said(d)).toEqual([`optOutConfirmation: ${DEFAULT_TEXTS.optOutConfirmation}`]);
    expect(d).toMatchObject({ closeOpenSessions: true, sessionStatus: 'Ended', route: false, routeReason: RouteReason.SessionEnded, newSession: false });
    expect(d.consentChanges).toEqual([{ from: 'ImplicitlyOptedIn', to: 'OptedOut', at: expect.any(Number), cause: { kind: 'keyword', keyword: 'STOP', keywordKind: 'optOut', language: 'en' } }]);
    expect(c.closed).toEqual(['s1']);
  });

  it('is confirmed even to someone who never subscribed, who is created opted out', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode'));
    const d = c.send('UNSUBSCRIBE');
    expect(kinds(d)).toEqual(['optOutConfirmation']);
    expect(d.user).toEqual({ created: true, consentStatus: 'OptedOut', pendingDoubleOptIn: false, language: 'en' });
    expect(d.consentChanges).toEqual([{ from: null, to: 'OptedOut', at: expect.any(Number), cause: { kind: 'keyword', keyword: 'UNSUBSCRIBE', keywordKind: 'optOut', language: 'en' } }]);
  });

  it('a second opt-out is confirmed again without a ledger entry', () => {
    const c = new Conversation(defaultChannelSettings('SmsLongCode'), { consentStatus: 'OptedOut' });
    const d = c.send('QUIT');
    expect(kinds(d)).toEqual(['optOutConfirmation']);
    expect(d.consentChanges).toEqual([]);
  });

  it('standard Facebook Messenger keeps the conversation open (G:2461)', () => {
    const c = new Conversation(defaultChannelSettings('FacebookStandard'));
    c.send('Hi');
    c.set('Active');
    const d = c.send('STOP');
    expect(d).toMatchObject({ closeOpenSessions: false, sessionStatus: 'Active', route: false });
    expect(d.user.consentStatus).toBe('OptedOut');
    expect(kinds(d)).toEqual(['optOutConfirmation']);
    // Further messages still reach the agent's session, without prompts.
    expect(c.send('one more thing')).toMatchObject({ responses: [], sessionStatus: 'Active', route: false });
  });

  it('help is answered even to an opted-out user, and the session is not routed', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode'), { consentStatus: 'OptedOut' });
    const d = c.send('HELP');
    expect(kinds(d)).toEqual(['helpResponse']);
    expect(d).toMatchObject({ sessionStatus: 'Consent', route: false, consentChanges: [] });
  });

  it('an opted-out user who writes is held and prompted once; only an opt-in keyword brings them back', () => {
    for (const type of ['SmsShortCode', 'WhatsAppEnhanced'] as const) {
      const c = new Conversation(defaultChannelSettings(type), { consentStatus: 'OptedOut' });
      const d = c.send('I want to order again');
      expect(kinds(d), type).toEqual(['optInPrompt']);
      expect(d, type).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.OptedOut, consentChanges: [] });
      expect(c.send('hello?').responses, type).toEqual([]);
      const back = c.send('UNSTOP');
      expect(kinds(back), type).toEqual(['optInConfirmation', 'conversationAcknowledgment']);
      expect(back, type).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: RouteReason.ConsentGiven });
      expect(back.consentChanges[0], type).toMatchObject({ from: 'OptedOut', to: 'ExplicitlyOptedIn' });
    }
  });
});

describe('repeated opt-in keywords', () => {
  it('outside a conversation the confirmation is sent again, with no ledger entry', () => {
    const c = new Conversation(defaultChannelSettings('SmsShortCode'), { consentStatus: 'ExplicitlyOptedIn' });
    const d = c.send('YES');
    expect(kinds(d)).toEqual(['optInConfirmation']);
    expect(d.consentChanges).toEqual([]);
    expect(d.matched?.kind).toBe('optIn');
  });

  it('inside a conversation "Yes" from a user with the consent needed is an answer, not a keyword', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'));
    c.send('Can you ship it tomorrow?');
    c.set('Active');
    const d = c.send('Yes');
    expect(d.matched).toBeNull();
    expect(d.ignoredKeyword).toMatchObject({ kind: 'optIn', keyword: 'YES' });
    expect(d).toMatchObject({ responses: [], consentChanges: [], sessionStatus: 'Active', onlyKeywordsSoFar: false });
    expect(d.user.consentStatus).toBe('ImplicitlyOptedIn');
  });

  it('"Yes" to an inactive session reroutes it like any answer', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'));
    c.send('Question');
    c.set('Inactive');
    expect(c.send('yes')).toMatchObject({ matched: null, sessionStatus: 'Waiting', route: true, routeReason: RouteReason.Rerouted, responses: [] });
  });

  it('on an implicit channel, an opt-in keyword outside a conversation records the explicit opt-in', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'), { consentStatus: 'ImplicitlyOptedIn' });
    const d = c.send('START');
    expect(d.consentChanges[0]).toMatchObject({ from: 'ImplicitlyOptedIn', to: 'ExplicitlyOptedIn' });
    expect(kinds(d)).toEqual(['optInConfirmation']);
  });
});

describe('languages (G:3116)', () => {
  it('STOP answers in English, ARRET in French; the user language follows the keyword', () => {
    const c = new Conversation(canadianShortCodeDefaults(), { consentStatus: 'ExplicitlyOptedIn' });
    const arret = c.send('Arret');
    expect(arret.responses).toEqual([{ kind: 'optOutConfirmation', type: 'OptOutConfirmation', language: 'fr', text: FRENCH_DEFAULTS.texts.optOutConfirmation }]);
    expect(arret.user.language).toBe('fr');
    expect(arret.consentChanges[0]!.cause).toEqual({ kind: 'keyword', keyword: 'ARRET', keywordKind: 'optOut', language: 'fr' });

    // A French user's inquiry is prompted in French.
    const q = c.send('Bonjour, je veux recommencer');
    expect(q.responses).toEqual([{ kind: 'optInPrompt', type: 'OptInPrompt', language: 'fr', text: FRENCH_DEFAULTS.texts.optInPrompt }]);

    const stop = c.send('STOP');
    expect(stop.responses).toEqual([{ kind: 'optOutConfirmation', type: 'OptOutConfirmation', language: 'en', text: DEFAULT_TEXTS.optOutConfirmation }]);
    expect(stop.user.language).toBe('en');
  });

  it('AIDE answers in French, HELP and INFO in English', () => {
    const s = canadianShortCodeDefaults();
    const one = (text: string): InboundDecision => decideInbound({ settings: s, user: undefined, session: undefined, text, receivedAt: 0 });
    expect(one('AIDE').responses).toEqual([{ kind: 'helpResponse', type: 'HelpResponse', language: 'fr', text: FRENCH_DEFAULTS.texts.helpResponse }]);
    expect(one('HELP').responses).toEqual([{ kind: 'helpResponse', type: 'HelpResponse', language: 'en', text: DEFAULT_TEXTS.helpResponse }]);
    expect(one('info').responses[0]?.language).toBe('en');
    expect(one('arrêt').responses[0]).toMatchObject({ kind: 'optOutConfirmation', language: 'fr' });
  });

  it('a user language the channel lacks falls back to the default; a regional tag finds its language', () => {
    const s = canadianShortCodeDefaults();
    const prompt = (language: string): string | undefined => decideInbound({ settings: s, user: { consentStatus: 'ImplicitlyOptedIn', language }, session: undefined, text: 'hi', receivedAt: 0 }).responses[0]?.language;
    expect(prompt('de')).toBe('en');
    expect(prompt('fr-CA')).toBe('fr');
    expect(prompt('not a tag!')).toBe('en');
  });
});

describe('custom keywords', () => {
  it('send their own response, even to opted-out users, without routing', () => {
    const base = defaultChannelSettings('SmsShortCode');
    const s: ChannelSettings = { ...base, languages: [{ ...base.languages[0]!, custom: [{ keywords: ['HOURS'], response: 'We are open 9-5 ET, Mon-Fri.' }] }] };
    const c = new Conversation(s, { consentStatus: 'OptedOut' });
    const d = c.send('hours');
    expect(d.responses).toEqual([{ kind: 'customResponse', type: 'CustomResponse', language: 'en', text: 'We are open 9-5 ET, Mon-Fri.' }]);
    expect(d).toMatchObject({ sessionStatus: 'Consent', route: false, routeReason: RouteReason.KeywordsOnly, matched: { kind: 'custom', keyword: 'HOURS' } });
  });
});

describe('the Consent session status (G:487, DECISIONS.md §15.20)', () => {
  it('stays Consent while the user sends only keywords of any kind, then the first inquiry routes it', () => {
    const base = defaultChannelSettings('WhatsAppEnhanced');
    const s: ChannelSettings = { ...base, languages: [{ ...base.languages[0]!, custom: [{ keywords: ['HOURS'], response: '9-5' }] }] };
    const c = new Conversation(s, { consentStatus: 'ImplicitlyOptedIn' });
    for (const k of ['HELP', 'hours', 'START', 'info']) {
      const d = c.send(k);
      expect(d, k).toMatchObject({ sessionStatus: 'Consent', onlyKeywordsSoFar: true, route: false, routeReason: RouteReason.KeywordsOnly });
    }
    const q = c.send('I have a question about my bill');
    expect(q).toMatchObject({ sessionStatus: 'Waiting', onlyKeywordsSoFar: false, route: true, routeReason: RouteReason.NewInquiry, newSession: false });
    expect(kinds(q)).toEqual(['conversationAcknowledgment']);
    // A keyword later in a routed session doesn't change its status.
    expect(c.send('HELP')).toMatchObject({ sessionStatus: 'Waiting', route: false, routeReason: RouteReason.AlreadyRouted, onlyKeywordsSoFar: false });
  });

  it('"STOP please" is a message, not a keyword', () => {
    const c = new Conversation(defaultChannelSettings('WhatsAppEnhanced'), { consentStatus: 'ImplicitlyOptedIn' });
    const d = c.send('STOP please');
    expect(d).toMatchObject({ matched: null, sessionStatus: 'Waiting', route: true, closeOpenSessions: false });
    expect(d.user.consentStatus).toBe('ImplicitlyOptedIn');
  });

  it('"STOP." opts out only where trailing punctuation is stripped', () => {
    const plain = defaultChannelSettings('SmsLongCode');
    const one = (s: ChannelSettings): InboundDecision => decideInbound({ settings: s, user: { consentStatus: 'ImplicitlyOptedIn' }, session: undefined, text: 'STOP.', receivedAt: 0 });
    expect(one(plain)).toMatchObject({ matched: null, route: true });
    expect(one({ ...plain, stripTrailingPunctuation: true })).toMatchObject({ matched: { kind: 'optOut' }, closeOpenSessions: true, user: { consentStatus: 'OptedOut' } });
  });

  it('Inactive sessions return to Waiting on an inquiry but not on a keyword', () => {
    const c = new Conversation(defaultChannelSettings('FacebookEnhanced'));
    c.send('Hi');
    c.set('Inactive');
    expect(c.send('HELP')).toMatchObject({ sessionStatus: 'Inactive', route: false, routeReason: RouteReason.KeywordMessage });
    expect(c.send('Still waiting')).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: RouteReason.Rerouted, responses: [] });
  });

  it('a reply to an agent-initiated (New) session is routed, without an acknowledgment', () => {
    const s = defaultChannelSettings('SmsEnhanced');
    const d = decideInbound({ settings: s, user: { consentStatus: 'ExplicitlyOptedIn' }, session: { id: 'out1', status: 'New', onlyKeywordsSoFar: true }, text: 'Thanks, got it', receivedAt: 0 });
    expect(d).toMatchObject({ sessionStatus: 'Waiting', route: true, routeReason: RouteReason.ReplyToOutbound, responses: [], newSession: false });
  });

  it('an Ended or Error session counts as none: the message starts a new session', () => {
    const s = defaultChannelSettings('WhatsAppEnhanced');
    for (const status of ['Ended', 'Error'] as const) {
      const d = decideInbound({ settings: s, user: { consentStatus: 'ImplicitlyOptedIn' }, session: { id: 'old', status, onlyKeywordsSoFar: false }, text: 'Hi', receivedAt: 0 });
      expect(d).toMatchObject({ newSession: true, sessionStatus: 'Waiting', route: true });
    }
  });
});

describe('In-App and Web (consent N/A)', () => {
  it('every message is routable; there are no consent keywords', () => {
    const c = new Conversation(defaultChannelSettings('EmbeddedWeb'));
    const d = c.send('STOP');
    expect(d).toMatchObject({ matched: null, closeOpenSessions: false, sessionStatus: 'Waiting', route: true });
    expect(d.consentChanges).toEqual([{ from: null, to: 'ImplicitlyOptedIn', at: expect.any(Number), cause: { kind: 'implicit' } }]);
  });

  it('help keywords still give the Consent status', () => {
    const s: ChannelSettings = { ...defaultChannelSettings('EmbeddedInApp'), languages: [{ language: 'en', keywords: { help: ['HELP'] }, responses: { helpResponse: 'Ask away.' } }] };
    const c = new Conversation(s);
    expect(c.send('help')).toMatchObject({ sessionStatus: 'Consent', route: false, responses: [{ kind: 'helpResponse', text: 'Ask away.' }] });
  });
});

describe('robustness', () => {
  it('an unknown stored consent status is treated as opted out', () => {
    const d = decideInbound({ settings: defaultChannelSettings('WhatsAppEnhanced'), user: { consentStatus: 'Subscribed' as never }, session: undefined, text: 'Hi', receivedAt: 0 });
    expect(d).toMatchObject({ route: false, routeReason: RouteReason.OptedOut, user: { consentStatus: 'OptedOut' } });
  });

  it('a non-string text is an empty message, not an exception', () => {
    const d = decideInbound({ settings: defaultChannelSettings('WhatsAppEnhanced'), user: undefined, session: undefined, text: undefined as unknown as string, receivedAt: 0 });
    expect(d.matched).toBeNull();
  });

  it('is pure: the same input gives the same decision and the input is not changed', () => {
    const settings = canadianShortCodeDefaults();
    const input = { settings, user: { consentStatus: 'ExplicitlyOptedIn' as const }, session: { id: 's', status: 'Consent' as const, onlyKeywordsSoFar: true }, text: 'ARRET', receivedAt: 5 };
    const copy = structuredClone(input);
    expect(decideInbound(input)).toEqual(decideInbound(input));
    expect(input).toEqual(copy);
  });
});

describe('invariants (property)', () => {
  const channels: ChannelSettings[] = [
    defaultChannelSettings('SmsLongCode'),
    defaultChannelSettings('SmsShortCode'),
    defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' }),
    canadianShortCodeDefaults({ stripTrailingPunctuation: true }),
    defaultChannelSettings('FacebookStandard'),
    defaultChannelSettings('WhatsAppEnhanced', { consentType: 'ExplicitOptIn' }),
    defaultChannelSettings('EmbeddedWeb'),
  ];
  const statuses = ['OptedOut', 'ImplicitlyOptedIn', 'ExplicitlyOptedIn', 'DoublyOptedIn'] as const;
  const user = fc.option(fc.record({ consentStatus: fc.constantFrom(...statuses), pendingDoubleOptIn: fc.boolean(), language: fc.constantFrom('en', 'fr', 'de') }), { nil: undefined });
  const session = fc.option(
    fc.record({ id: fc.constant('s'), status: fc.constantFrom<SessionStatus>('New', 'Waiting', 'Active', 'Consent', 'Inactive', 'Ended'), onlyKeywordsSoFar: fc.boolean() }),
    { nil: undefined },
  );
  const text = fc.oneof(fc.constantFrom('STOP', 'stop.', 'Yes', 'START', 'CONFIRM', 'y', 'HELP', 'aide', 'ARRET', 'info', 'Hi', 'STOP please', ''), fc.string({ maxLength: 10 }));

  it('hold for every channel, user, session and message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...channels), user, session, text, (settings, u, s, t) => {
        const d = decideInbound({ settings, user: u, session: s, text: t, receivedAt: 42 });
        const required = settings.consentType ?? 'ImplicitOptIn';
        const applies = settings.type !== 'EmbeddedWeb';
        expect(d.consentChanges.length).toBeLessThanOrEqual(1);
        for (const c of d.consentChanges) expect(c.to).toBe(d.user.consentStatus);
        expect(d.user.created).toBe(u === undefined);
        if (u === undefined) expect(d.consentChanges).toHaveLength(1);
        // Only a keyword changes an existing user's consent.
        if (u !== undefined && d.matched === null) expect(d.consentChanges).toEqual([]);
        // An opt-out is always applied and confirmed.
        if (d.matched?.kind === 'optOut') {
          expect(d.user.consentStatus).toBe('OptedOut');
          expect(d.responses.map((r) => r.kind)).toContain('optOutConfirmation');
          expect(d.route).toBe(false);
        }
        if (d.matched?.kind === 'help') expect(d.responses.map((r) => r.kind)).toContain('helpResponse');
        // Routing only to users who meet the channel's level, into Waiting.
        if (d.route) {
          expect(d.sessionStatus).toBe('Waiting');
          if (applies) expect(meets(d.user.consentStatus, required)).toBe(true);
        }
        if (d.sessionStatus === 'Consent') expect(d.route).toBe(false);
        if (d.onlyKeywordsSoFar) expect(d.route).toBe(false);
        if (d.closeOpenSessions) expect(d.sessionStatus).toBe('Ended');
        if (d.user.pendingDoubleOptIn) expect(settings.consentType).toBe('DoubleOptIn');
        for (const r of d.responses) expect(r.text.trim()).not.toBe('');
        // At most one acknowledgment, always last.
        const acks = d.responses.filter((r) => r.kind === 'conversationAcknowledgment');
        expect(acks.length).toBeLessThanOrEqual(1);
        if (acks.length === 1) expect(d.responses.at(-1)?.kind).toBe('conversationAcknowledgment');
      }),
      { numRuns: 3000 },
    );
  });
});
