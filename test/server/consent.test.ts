/**
 * The consent and keyword rules end to end, through the real HTTP server: every conversation of
 * SPEC-EXTRACT.md §8.3, the Canada rules, multilingual keywords, the Consent session status, the
 * ledger, and bad inputs that must change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putChannel, startServer, type JsonBody, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
/** A fresh valid US number per conversation. */
const newNumber = (): string => `+1415555${String(2000 + counter++).padStart(4, '0')}`;

const channel = (id: string, settings: Record<string, unknown>): Promise<void> => putChannel(server, id, settings);

async function say(channelId: string, from: string, text: string) {
  const r = await server.call('POST', `/v1/channels/${channelId}/inbound`, { from, text }, { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as {
    messagingUser: { consentStatus: string; created: boolean; language?: string };
    session: { id: string; status: string; created: boolean };
    matched: { kind: string; keyword: string; language: string } | null;
    responses: { kind: string; language: string; text: string }[];
    route: boolean;
    routeReason: string;
    closedSessions: string[];
  };
}

async function ledger(channelId: string, platformKey: string): Promise<{ from: string | null; to: string; cause: Record<string, unknown> }[]> {
  const { rows } = await server.app.parlance.db.query<{ from_status: string | null; to_status: string; cause: Record<string, unknown> }>(
    'SELECT l.from_status, l.to_status, l.cause FROM consent_ledger l JOIN messaging_users u ON u.id = l.user_id WHERE u.channel_id = $1 AND u.platform_key = $2 ORDER BY l.id',
    [channelId, platformKey],
  );
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, cause: r.cause }));
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['channels', 'messaging_users', 'consent_ledger', 'sessions', 'messages']) {
    const { rows } = await server.app.parlance.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = Number(rows[0]?.n);
  }
  return out;
}

describe('implicit opt-in (G:3742)', () => {
  it('the first message opts the customer in, with no confirmation on an enhanced channel, and is routed', async () => {
    await channel('fb', { type: 'FacebookEnhanced' });
    const user = 'psid-1001';
    const r = await say('fb', user, 'Hi, I need help with an order.');
    expect(r.messagingUser).toMatchObject({ consentStatus: 'ImplicitlyOptedIn', created: true });
    expect(r.responses.map((x) => x.kind)).not.toContain('optInConfirmation');
    expect(r.session.status).toBe('Waiting');
    expect(r.route).toBe(true);
    expect(await ledger('fb', user)).toEqual([{ from: null, to: 'ImplicitlyOptedIn', cause: { kind: 'implicit' } }]);
  });
});

describe('explicit opt-in (G:3743-3745, the seed conversation)', () => {
  it('prompt, keyword, confirmation, then the conversation acknowledgment (G:5211)', async () => {
    await channel('sc', { type: 'SmsShortCode', country: 'US' });
    const user = newNumber();
    const first = await say('sc', user, 'Hi, I need help with an order.');
    expect(first.responses).toEqual([{ kind: 'optInPrompt', type: 'OptInPrompt', language: 'en', text: 'Thanks for connecting with us! To opt in to receiving messages, respond Yes.', trigger: 'inbound', transcript: 'Thanks for connecting with us! To opt in to receiving messages, respond Yes.' }]);
    expect(first.route).toBe(false);
    expect(first.session.status).toBe('Consent');
    const yes = await say('sc', user, 'Yes');
    expect(yes.matched).toMatchObject({ kind: 'optIn', keyword: 'YES' });
    expect(yes.messagingUser.consentStatus).toBe('ExplicitlyOptedIn');
    expect(yes.responses.map((x) => x.kind)).toEqual(['optInConfirmation', 'conversationAcknowledgment']);
    expect(yes.responses[0]?.text).toBe('Thanks for opting in and allowing us to send you messages.');
    // The held inquiry is released: the session is routed now.
    expect([yes.route, yes.session.status]).toEqual([true, 'Waiting']);
    expect((await ledger('sc', user)).map((e) => [e.from, e.to])).toEqual([
      [null, 'ImplicitlyOptedIn'],
      ['ImplicitlyOptedIn', 'ExplicitlyOptedIn'],
    ]);
    expect((await ledger('sc', user))[1]?.cause).toMatchObject({ kind: 'keyword', keyword: 'YES', keywordKind: 'optIn', language: 'en' });
  });
});

describe('double opt-in (G:3746-3752, the seed conversation)', () => {
  it('opt-in keyword, double opt-in prompt, double opt-in keyword, confirmation', async () => {
    await channel('sc-double', {
      type: 'SmsShortCode',
      country: 'US',
      consentType: 'DoubleOptIn',
      defaultLanguage: 'en',
      languages: [
        {
          language: 'en',
          keywords: { optIn: ['YES'], doubleOptIn: ['START'], optOut: ['STOP'], help: ['HELP'] },
          responses: {
            optInPrompt: 'Thanks for connecting with us! To opt in to receiving messages, respond Yes.',
            doubleOptInPrompt: 'To confirm your response, respond Start.',
            optInConfirmation: "Thanks for opting in and allowing us to send you messages. I'll connect you with someone who can help.",
            optOutConfirmation: "You've opted out of receiving messages from us, so we won't contact you again.",
            helpResponse: 'Example Alerts: Help at help.example.com or 1-800-555-0100. Msg&data rates may apply. 1 message per day. Text STOP to cancel.',
          },
        },
      ],
    });
    const user = newNumber();
    expect((await say('sc-double', user, 'I signed up for text alerts')).responses.map((x) => x.text)).toEqual(['Thanks for connecting with us! To opt in to receiving messages, respond Yes.']);
    const yes = await say('sc-double', user, 'Yes');
    expect(yes.responses.map((x) => x.text)).toEqual(['To confirm your response, respond Start.']);
    expect(yes.messagingUser.consentStatus).not.toBe('DoublyOptedIn');
    const start = await say('sc-double', user, 'Start');
    expect(start.messagingUser.consentStatus).toBe('DoublyOptedIn');
    expect(start.responses[0]?.text).toBe("Thanks for opting in and allowing us to send you messages. I'll connect you with someone who can help.");
    expect((await ledger('sc-double', user)).at(-1)).toMatchObject({ to: 'DoublyOptedIn', cause: { kind: 'keyword', keyword: 'START', keywordKind: 'doubleOptIn' } });
  });
});

describe('opt-out (G:3753)', () => {
  it('confirms, opts out and closes the open session', async () => {
    await channel('lc', { type: 'SmsLongCode', country: 'US' });
    const user = newNumber();
    const hello = await say('lc', user, 'Where is my order?');
    expect(hello.session.status).toBe('Waiting');
    const stop = await say('lc', user, ' stop ');
    expect(stop.matched).toMatchObject({ kind: 'optOut', keyword: 'STOP' });
    expect(stop.messagingUser.consentStatus).toBe('OptedOut');
    expect(stop.responses.map((x) => x.kind)).toEqual(['optOutConfirmation']);
    expect(stop.closedSessions).toEqual([hello.session.id]);
    expect(stop.session).toMatchObject({ id: hello.session.id, status: 'Ended' });
  });

  it('is confirmed even to a customer who was never subscribed (G:3090), and help is answered too (G:3102)', async () => {
    const stranger = newNumber();
    const stop = await say('sc', stranger, 'STOP');
    expect(stop.messagingUser).toMatchObject({ created: true, consentStatus: 'OptedOut' });
    expect(stop.responses.map((x) => x.kind)).toEqual(['optOutConfirmation']);
    const help = await say('sc', newNumber(), 'HELP');
    expect(help.responses.map((x) => x.kind)).toEqual(['helpResponse']);
    expect(help.route).toBe(false);
  });

  it('does not end the conversation on standard Facebook Messenger (G:2461)', async () => {
    await channel('fb-std', { type: 'FacebookStandard' });
    const user = 'psid-2001';
    const hello = await say('fb-std', user, 'Hello');
    const stop = await say('fb-std', user, 'STOP');
    expect(stop.messagingUser.consentStatus).toBe('OptedOut');
    expect(stop.closedSessions).toEqual([]);
    expect(stop.session.id).toBe(hello.session.id);
    expect(stop.session.status).not.toBe('Ended');
  });

  it('"STOP please" is not a keyword; only the whole message counts (G:3769)', async () => {
    const user = newNumber();
    const r = await say('lc', user, 'STOP please');
    expect(r.matched).toBeNull();
    expect(r.messagingUser.consentStatus).toBe('ImplicitlyOptedIn');
  });
});

describe('the Consent session status (G:485-487)', () => {
  it('a session with only keywords is Consent and not routed; the first real message routes it', async () => {
    const user = newNumber();
    const help = await say('lc', user, 'HELP');
    expect([help.session.status, help.route, help.routeReason]).toEqual(['Consent', false, 'KEYWORDS_ONLY']);
    const info = await say('lc', user, 'info');
    expect([info.session.id, info.session.status, info.route]).toEqual([help.session.id, 'Consent', false]);
    const question = await say('lc', user, 'Can I change my delivery date?');
    expect([question.session.id, question.session.status, question.route]).toEqual([help.session.id, 'Waiting', true]);
  });
});

describe('Canada (G:3114-3116) and multilingual keywords', () => {
  it('a Canadian short code must have HELP, INFO, AIDE, STOP and ARRET', async () => {
    const r = await server.call('PUT', '/v1/channels/ca-bad', {
      type: 'SmsShortCode',
      country: 'CA',
      defaultLanguage: 'en',
      languages: [
        {
          language: 'en',
          keywords: { optIn: ['START'], optOut: ['STOP'], help: ['HELP', 'INFO'] },
          responses: { optInPrompt: 'Reply START to subscribe.', optInConfirmation: 'Subscribed.', optOutConfirmation: 'Unsubscribed.', helpResponse: 'Help: 1-800-555-0100.' },
        },
      ],
    });
    expect(r.status).toBe(422);
    const messages = (r.body.errors as { message: string }[]).map((e) => e.message).join('\n');
    expect(messages).toContain('AIDE');
    expect(messages).toContain('ARRET');
    expect((await server.call('GET', '/v1/channels/ca-bad')).status).toBe(404);
  });

  it('answers ARRET in French and STOP in English (same language as the keyword)', async () => {
    await channel('ca', { type: 'SmsShortCode', country: 'CA' });
    const fr = await say('ca', newNumber(), 'ARRET');
    expect(fr.matched).toMatchObject({ kind: 'optOut', language: 'fr' });
    expect(fr.responses).toHaveLength(1);
    expect(fr.responses[0]?.language).toBe('fr');
    const en = await say('ca', newNumber(), 'STOP');
    expect(en.responses[0]?.language).toBe('en');
    expect(fr.responses[0]?.text).not.toBe(en.responses[0]?.text);
    const aide = await say('ca', newNumber(), 'aide');
    expect(aide.responses.map((x) => [x.kind, x.language])).toEqual([['helpResponse', 'fr']]);
    const canadian = (await server.call('GET', '/v1/channels/ca')).body as { languages: { language: string }[] };
    expect(canadian.languages.map((l) => l.language).sort()).toEqual(['en', 'fr']);
  });

  it('a keyword may appear only once across kinds and languages; the error names both places', async () => {
    const r = await server.call('PUT', '/v1/channels/dup', {
      type: 'SmsLongCode',
      defaultLanguage: 'en',
      languages: [
        { language: 'en', keywords: { optOut: ['STOP'] }, responses: { optOutConfirmation: 'Bye.' } },
        { language: 'es', keywords: { optOut: ['stop'] }, responses: { optOutConfirmation: 'Adiós.' } },
      ],
    });
    expect(r.status).toBe(422);
    const dup = (r.body.errors as { pointer: string; message: string }[]).find((e) => e.pointer.startsWith('/languages/1/keywords/optOut'));
    expect(dup?.message).toContain('/languages/0/keywords/optOut/0');
  });

  it('Spanish keywords get Spanish responses, and the user keeps the language', async () => {
    await channel('es', {
      type: 'SmsLongCode',
      defaultLanguage: 'en',
      languages: [
        { language: 'en', keywords: { optOut: ['STOP'], help: ['HELP'] }, responses: { optInConfirmation: 'Thanks for opting in.', optOutConfirmation: "You've opted out.", helpResponse: 'Call 1-800-555-0100.' } },
        { language: 'es', keywords: { optOut: ['ALTO'], help: ['AYUDA'] }, responses: { optOutConfirmation: 'Ya no recibirá mensajes.', helpResponse: 'Llame al 1-800-555-0100.' } },
      ],
    });
    const user = newNumber();
    const ayuda = await say('es', user, 'Ayuda');
    // A new customer on a standard SMS channel is opted in implicitly, and SMS confirms opt-ins (G:5232);
    // the channel has that confirmation only in English.
    expect(ayuda.responses).toEqual([
      { kind: 'optInConfirmation', type: 'OptInConfirmation', language: 'en', text: 'Thanks for opting in.', trigger: 'inbound', transcript: 'Thanks for opting in.' },
      { kind: 'helpResponse', type: 'HelpResponse', language: 'es', text: 'Llame al 1-800-555-0100.', trigger: 'inbound', transcript: 'Llame al 1-800-555-0100.' },
    ]);
    expect(ayuda.messagingUser.language).toBe('es');
    const alto = await say('es', user, 'ALTO');
    expect(alto.responses).toEqual([{ kind: 'optOutConfirmation', type: 'OptOutConfirmation', language: 'es', text: 'Ya no recibirá mensajes.', trigger: 'inbound', transcript: 'Ya no recibirá mensajes.' }]);
  });
});

describe('channel settings rules', () => {
  it('each channel type allows only its consent types', async () => {
    const r = await server.call('PUT', '/v1/channels/lc-double', { type: 'SmsLongCode', consentType: 'DoubleOptIn' });
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ pointer: '/consentType' });
  });

  it('short-code automated responses are at most 160 characters (G:3038)', async () => {
    const r = await server.call('PUT', '/v1/channels/sc-long', {
      type: 'SmsShortCode',
      defaultLanguage: 'en',
      languages: [
        {
          language: 'en',
          keywords: { optIn: ['START'], optOut: ['STOP'], help: ['HELP'] },
          responses: { optInPrompt: 'Reply START.', optInConfirmation: 'Subscribed.', optOutConfirmation: 'x'.repeat(161), helpResponse: 'Help.' },
        },
      ],
    });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/languages/0/responses/optOutConfirmation');
  });

  it('opt-in and double opt-in keywords differ', async () => {
    const r = await server.call('PUT', '/v1/channels/sc-same', {
      type: 'SmsShortCode',
      consentType: 'DoubleOptIn',
      defaultLanguage: 'en',
      languages: [
        {
          language: 'en',
          keywords: { optIn: ['YES'], doubleOptIn: ['YES'], optOut: ['STOP'], help: ['HELP'] },
          responses: { optInPrompt: 'Reply YES.', doubleOptInPrompt: 'Reply YES again.', optInConfirmation: 'Subscribed.', optOutConfirmation: 'Bye.', helpResponse: 'Help.' },
        },
      ],
    });
    expect(r.status).toBe(422);
  });
});

describe('concurrent messages for one user serialize', () => {
  it('keeps the ledger a consistent chain', async () => {
    const user = newNumber();
    await say('lc', user, 'hello');
    const texts = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'STOP' : i % 3 === 1 ? 'START' : 'another question'));
    const results = await Promise.all(texts.map((t) => server.call('POST', '/v1/channels/lc/inbound', { from: user, text: t }, { key: 'service' })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const entries = await ledger('lc', user);
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.from).toBe(entries[i - 1]?.to);
    const { rows } = await server.app.parlance.db.query<{ consent_status: string }>('SELECT consent_status FROM messaging_users WHERE channel_id = $1 AND platform_key = $2', ['lc', user]);
    expect(rows[0]?.consent_status).toBe(entries.at(-1)?.to);
  });
});

describe('a retry with the same messageId is idempotent', () => {
  it('answers the first result again, with Idempotent-Replayed, and applies nothing twice', async () => {
    await channel('lc', { type: 'SmsLongCode', country: 'US' });
    const user = newNumber();
    const body = { from: user, text: 'STOP', messageId: `SM${user}` };
    const first = await server.call('POST', '/v1/channels/lc/inbound', body, { key: 'service' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const before = await counts();
    // The same message again (a retry), with another receivedAt and white space around the number: the same sender once normalized.
    const again = await server.call('POST', '/v1/channels/lc/inbound', { ...body, from: ` ${user} `, receivedAt: '2026-11-21T10:00:00Z' }, { key: 'service' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual(before);
    expect(await ledger('lc', user)).toHaveLength(1);

    // The same id with another text: refused, nothing changes.
    const reused = await server.call('POST', '/v1/channels/lc/inbound', { ...body, text: 'START' }, { key: 'service' });
    expect(reused.status, JSON.stringify(reused.body)).toBe(409);
    expect(reused.body).toMatchObject({ type: 'https://parlance.dev/problems/message-id-reused', errors: [{ pointer: '/messageId', code: 'E_MESSAGE_ID_REUSED' }] });
    expect(await counts()).toEqual(before);

    // Another id is another message.
    const next = await server.call('POST', '/v1/channels/lc/inbound', { ...body, text: 'START', messageId: `SM${user}-2` }, { key: 'service' });
    expect(next.status).toBe(200);
    expect(next.body.messagingUser.consentStatus).not.toBe('OptedOut');
    expect((await counts()).messages).toBe(before.messages! + 1);
  });
});

describe('bad inputs get a clear 4xx and change nothing', () => {
  const cases: [string, () => Promise<{ status: number; body: JsonBody }>, number, string][] = [
    ['malformed JSON', () => server.call('POST', '/v1/channels/lc/inbound', undefined, { key: 'service', raw: '{"from": "+14155550100", "text": ' }), 400, 'E_INVALID_JSON'],
    ['a wrong type', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100', text: 5 }, { key: 'service' }), 400, 'E_WRONG_TYPE'],
    ['a missing property', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100' }, { key: 'service' }), 400, 'E_REQUIRED'],
    ['an empty messageId', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100', text: 'hi', messageId: '' }, { key: 'service' }), 400, 'E_INVALID_VALUE'],
    ['an unknown property', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100', text: 'hi', sender: 'x' }, { key: 'service' }), 400, 'E_UNKNOWN_PROPERTY'],
    ['a huge body', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100', text: 'x'.repeat(2 * 1024 * 1024) }, { key: 'service' }), 413, 'E_BODY_TOO_LARGE'],
    ['an unknown channel', () => server.call('POST', '/v1/channels/nope/inbound', { from: '+14155550100', text: 'hi' }, { key: 'service' }), 404, 'E_NOT_FOUND'],
    ['an invalid phone number', () => server.call('POST', '/v1/channels/lc/inbound', { from: '555-0100', text: 'hi' }, { key: 'service' }), 400, 'E_INVALID_PHONE'],
    ['no API key', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100', text: 'hi' }, { key: null }), 401, 'E_UNAUTHORIZED'],
    ['a key without the scope', () => server.call('POST', '/v1/channels/lc/inbound', { from: '+14155550100', text: 'hi' }, { key: 'preview' }), 403, 'E_FORBIDDEN'],
    ['invalid channel settings', () => server.call('PUT', '/v1/channels/lc', { type: 'SmsLongCode', languages: 'none' }), 400, 'E_WRONG_TYPE'],
    ['a channel type change', () => server.call('PUT', '/v1/channels/lc', { type: 'SmsShortCode' }), 409, 'E_TYPE_CHANGE'],
  ];
  for (const [name, request, status, code] of cases) {
    it(name, async () => {
      await channel('lc', { type: 'SmsLongCode', country: 'US' });
      const before = await counts();
      const r = await request();
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body).toMatchObject({ status, type: expect.stringContaining('https://parlance.dev/problems/') });
      expect(r.body.errors.map((e: { code: string }) => e.code)).toContain(code);
      expect(await counts()).toEqual(before);
    });
  }
});
