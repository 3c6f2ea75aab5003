/**
 * Channel globals end to end, through the real HTTP server (docs/auto-responses.md#globals, issue
 * 17 deliverable 3): a channel declares $Organization.Name with a value, and its auto-response
 * component reading {!$Organization.Name} renders it when a rep accepts the session; the write-time
 * checks answer 422 with pointers and suggestions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type JsonBody, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const component = (name: string, globals: Record<string, unknown>, template: string) => ({ name, type: 'AutoResponse', globals, formats: [{ type: 'Text', template }] });
const putComponent = async (definition: { name: string }): Promise<void> => {
  const r = await server.call('PUT', `/v1/components/${definition.name}`, definition);
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
};
const channel = (extra: Record<string, unknown>) => ({
  type: 'EmbeddedWeb',
  globals: { $Organization: { Name: 'Text' } },
  globalValues: { $Organization: { Name: 'Acme Outfitters' } },
  automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Org_Greeting' }],
  ...extra,
});
const ok = (r: { status: number; body: JsonBody }): JsonBody => {
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

describe('a channel declaring $Organization.Name with a value', () => {
  beforeAll(async () => {
    await putComponent(component('Org_Greeting', { $Organization: { Name: 'Text' } }, 'Welcome to {!$Organization.Name}! An agent is with you.'));
    const r = await server.call('PUT', '/v1/channels/web-globals', channel({}));
    expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  });

  it('stores and returns the declaration and the values', async () => {
    const got = ok(await server.call('GET', '/v1/channels/web-globals', undefined, { key: 'service' }));
    expect(got.globals).toEqual({ $Organization: { Name: 'Text' } });
    expect(got.globalValues).toEqual({ $Organization: { Name: 'Acme Outfitters' } });
  });

  it('on session accept, the auto-response component renders {!$Organization.Name} with the channel\'s value', async () => {
    const first = ok(await server.call('POST', '/v1/channels/web-globals/inbound', { from: 'visitor-globals-1', text: 'Hi' }, { key: 'service' }));
    const accepted = ok(await server.call('POST', `/v1/sessions/${first.session.id}/accept`, { agentId: 'rep-ann' }, { key: 'service' }));
    expect(accepted.status).toBe('Active');
    expect(accepted.responses).toHaveLength(1);
    expect(accepted.responses[0]).toMatchObject({ type: 'AgentEngagedResponse', trigger: 'accept', component: 'Org_Greeting', text: 'Welcome to Acme Outfitters! An agent is with you.', transcript: '[Auto-response]' });
    expect(accepted.responses[0].error).toBeUndefined();
    expect(accepted.responses[0].render).toMatchObject({ format: 'Text', content: { type: 'Text', text: 'Welcome to Acme Outfitters! An agent is with you.' } });
  });

  it('the component edited since to disagree with the channel: the response carries E_GLOBAL_TYPE_CONFLICT, nothing is sent, the transition happens', async () => {
    await putComponent(component('Org_Greeting_Later', { $Organization: { Name: 'Text' } }, '{!$Organization.Name}'));
    const put = await server.call('PUT', '/v1/channels/web-globals-later', channel({ automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Org_Greeting_Later' }] }));
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    await putComponent(component('Org_Greeting_Later', { $Organization: { Name: 'Number' } }, '{!TEXT($Organization.Name)}'));
    const first = ok(await server.call('POST', '/v1/channels/web-globals-later/inbound', { from: 'visitor-globals-2', text: 'Hi' }, { key: 'service' }));
    const accepted = ok(await server.call('POST', `/v1/sessions/${first.session.id}/accept`, { agentId: 'rep-ann' }, { key: 'service' }));
    expect(accepted.status).toBe('Active');
    expect(accepted.responses[0].error.code).toBe('E_GLOBAL_TYPE_CONFLICT');
    expect(accepted.responses[0].render).toBeUndefined();
  });
});

describe('PUT /v1/channels/{id}: the globals checks (422, nothing stored)', () => {
  beforeAll(async () => {
    await putComponent(component('Org_Number', { $Organization: { Name: 'Number' } }, '{!TEXT($Organization.Name)}'));
    await putComponent(component('User_Greeting', { $User: { FirstName: 'Text' } }, 'Hello {!$User.FirstName}'));
  });

  const problems = async (body: Record<string, unknown>): Promise<JsonBody[]> => {
    const r = await server.call('PUT', '/v1/channels/web-globals-bad', body);
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    return r.body.errors;
  };

  it('an unknown global in the declaration: E_UNKNOWN_GLOBAL at /globals/<key> with the closest global', async () => {
    const errors = await problems(channel({ globals: { $Organisation: { Name: 'Text' } }, globalValues: undefined, automatedResponses: undefined }));
    expect(errors).toEqual([expect.objectContaining({ pointer: '/globals/$Organisation', code: 'E_UNKNOWN_GLOBAL', message: expect.stringContaining('Did you mean $Organization?') })]);
  });

  it('a value for an undeclared member: E_UNKNOWN_FIELD with the closest member', async () => {
    const errors = await problems(channel({ globalValues: { $Organization: { Nam: 'Acme' } } }));
    expect(errors).toEqual([expect.objectContaining({ pointer: '/globalValues/$Organization/Nam', code: 'E_UNKNOWN_FIELD', message: expect.stringContaining('Did you mean "Name"?') })]);
  });

  it('a component that declares the member with another type: E_GLOBAL_TYPE_CONFLICT at the response, naming both declarations', async () => {
    const errors = await problems(channel({ automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Org_Number' }] }));
    expect(errors).toEqual([expect.objectContaining({ pointer: '/automatedResponses/0/component', code: 'E_GLOBAL_TYPE_CONFLICT' })]);
    expect(errors[0].message).toContain('declares $Organization.Name as Number (its /globals/$Organization/Name), the channel as Text (/globals/$Organization/Name)');
  });

  it('a component that reads a global the channel does not declare: E_GLOBAL_NOT_DECLARED', async () => {
    const errors = await problems(channel({ autoResponses: { endConversation: { component: 'User_Greeting' } } }));
    expect(errors).toEqual([expect.objectContaining({ pointer: '/autoResponses/endConversation/component', code: 'E_GLOBAL_NOT_DECLARED', message: expect.stringContaining("doesn't declare $User") })]);
    const missing = await server.call('GET', '/v1/channels/web-globals-bad', undefined, { key: 'service' });
    expect(missing.status).toBe(404);
  });
});
