/** POST /v1/metadata/import end to end: an imported MessagingChannel decides inbound messages at once (issue 20). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

const dx = new URL('../fixtures/salesforce-dx/force-app/main/default/', import.meta.url).pathname;
const file = (rel: string): { name: string; content: string } => ({ name: rel.split('/').pop() as string, content: readFileSync(join(dx, rel), 'utf8') });
const SMS = 'messagingChannels/Acme_SMS.messagingChannel-meta.xml';
const WELCOME = 'conversationMessageDefinitions/Welcome_Terms.conversationMessageDefinition-meta.xml';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

async function say(from: string, text: string) {
  const r = await server.call('POST', '/v1/channels/Acme_SMS/inbound', { from, text }, { key: 'service' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { messagingUser: { consentStatus: string }; responses: { kind: string; text: string }[] };
}

describe('POST /v1/metadata/import', () => {
  it('needs the admin scope', async () => {
    const r = await server.call('POST', '/v1/metadata/import', { files: [file(SMS)] }, { key: 'service' });
    expect(r.status).toBe(403);
  });

  it('stores the components and channels, with the kept elements as warnings', async () => {
    const r = await server.call('POST', '/v1/metadata/import', { files: [file(WELCOME), file(SMS)] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.components).toEqual([{ name: 'Welcome_Terms', version: 1, file: 'Welcome_Terms.conversationMessageDefinition-meta.xml' }]);
    expect(r.body.channels).toEqual([{ id: 'Acme_SMS', version: 1, file: 'Acme_SMS.messagingChannel-meta.xml' }]);
    expect(r.body.warnings).toContainEqual(expect.objectContaining({ code: 'W_SF_KEPT', path: 'platformKey[0]', line: 58 }));
    const channel = await server.call('GET', '/v1/channels/Acme_SMS');
    expect(channel.body).toMatchObject({ type: 'SmsEnhanced', consentType: 'ExplicitOptIn', country: 'US' });
  });

  it("the imported channel answers STOP from a new number with the file's OptOutConfirmation, and YES with its OptInConfirmation", async () => {
    const xml = readFileSync(join(dx, SMS), 'utf8');
    const text = (type: string): string =>
      (new RegExp(`<response>([^<]*)</response>\\s*<type>${type}</type>`).exec(xml)?.[1] as string).replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    const stop = await say('+14155550161', 'STOP');
    expect(stop.messagingUser.consentStatus).toBe('OptedOut');
    expect(stop.responses).toEqual([expect.objectContaining({ kind: 'optOutConfirmation', text: text('OptOutConfirmation') })]);
    const yes = await say('+14155550162', 'YES');
    expect(yes.messagingUser.consentStatus).toBe('ExplicitlyOptedIn');
    expect(yes.responses).toEqual([expect.objectContaining({ kind: 'optInConfirmation', text: text('OptInConfirmation') })]);
    expect(text('OptInConfirmation')).toBe("Thanks! You're subscribed to Acme Outdoor messages.");
  });

  it('a multilingual channel answers each language in its own words', async () => {
    const r = await server.call('POST', '/v1/metadata/import', { files: [file('messagingChannels/Acme_WhatsApp.messagingChannel-meta.xml')] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const say2 = async (from: string, text: string) => (await server.call('POST', '/v1/channels/Acme_WhatsApp/inbound', { from, text }, { key: 'service' })).body;
    expect((await say2('+14155550171', 'baja')).responses[0]).toMatchObject({ kind: 'optOutConfirmation', language: 'es', text: expect.stringMatching(/^Ya no recibirás/) });
    expect((await say2('+14155550172', 'STOP')).responses[0]).toMatchObject({ kind: 'optOutConfirmation', text: expect.stringMatching(/^You won't get WhatsApp/) });
  });

  it('malformed XML answers 422 with the line and column, and stores nothing', async () => {
    const before = await server.call('GET', '/v1/components');
    const r = await server.call('POST', '/v1/metadata/import', {
      files: [file(WELCOME), { name: 'Broken.conversationMessageDefinition-meta.xml', content: '<?xml version="1.0"?>\n<ConversationMessageDefinition>\n  <label>x</lable>\n</ConversationMessageDefinition>\n' }],
    });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ pointer: '/files/1/content', code: 'E_XML_MALFORMED', line: 3, column: 18 })]);
    expect(r.body.errors[0].message).toMatch(/^Broken\.conversationMessageDefinition-meta\.xml:3:18: /);
    const after = await server.call('GET', '/v1/components');
    expect(after.body).toEqual(before.body);
  });

  it('convert answers the definitions without storing, for the preview key too', async () => {
    const r = await server.call('POST', '/v1/metadata/convert', { files: [{ ...file(WELCOME), name: 'Preview_Only.conversationMessageDefinition-meta.xml' }] }, { key: 'preview' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.components[0]).toMatchObject({ name: 'Preview_Only', type: 'AutoResponse', formats: [{ type: 'WebPage' }] });
    expect((await server.call('GET', '/v1/components/Preview_Only')).status).toBe(404);
  });

  it("binds a Web channel's automated response to the component imported with it, and refuses one naming a missing component", async () => {
    const web = file('messagingChannels/Acme_Web.messagingChannel-meta.xml');
    const missing = await server.call('POST', '/v1/metadata/import', { files: [{ ...web, content: web.content.replace('Welcome_Terms', 'No_Such_Component') }] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ pointer: '/files/0/content' });
    expect(missing.body.errors[0].message).toMatch(/No_Such_Component/);
    const ok = await server.call('POST', '/v1/metadata/import', { files: [web, file(WELCOME)] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const channel = await server.call('GET', '/v1/channels/Acme_Web');
    expect(channel.body.automatedResponses).toEqual([{ type: 'InitialResponse', component: 'Welcome_Terms' }]);
  });

  it('dryRun checks without storing', async () => {
    const r = await server.call('POST', '/v1/metadata/import', { files: [{ ...file(SMS), name: 'Other_SMS.messagingChannel-meta.xml' }], dryRun: true });
    expect(r.status).toBe(200);
    expect(r.body.channels).toEqual([{ id: 'Other_SMS', file: 'Other_SMS.messagingChannel-meta.xml' }]);
    expect((await server.call('GET', '/v1/channels/Other_SMS')).status).toBe(404);
  });
});
