/**
 * Channel-object linking end to end, through the real HTTP server (docs/linking.md): rules and
 * their checks, records and imports, linking on demand and on inbound messages, agents' links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectCatalog } from '../../src/catalog/catalog.js';
import { startServer, type JsonBody, type TestServer } from '../helpers/server.js';

let server: TestServer;

const catalog = ObjectCatalog.builtin().withObjects([
  {
    name: 'Member__c',
    fields: {
      Id: 'Id',
      Name: 'Text',
      Member_Number__c: 'Number',
      Status__c: { type: 'Picklist', values: ['Active', 'Lapsed'] },
      Mobile__c: 'Text',
      Since__c: 'Date',
    },
  },
]);

const put = (path: string, body: unknown, key: 'admin' | 'service' | 'preview' = 'admin') => server.call('PUT', path, body, { key });
const post = (path: string, body: unknown, key: 'admin' | 'service' | 'preview' = 'admin') => server.call('POST', path, body, { key });
const get = (path: string) => server.call('GET', path);
const csv = (path: string, text: string) => server.call('POST', path, undefined, { raw: text, headers: { 'content-type': 'text/csv' } });
const user = (channel: string, key: string) => `/v1/channels/${channel}/users/${encodeURIComponent(key)}`;
const link = (channel: string, key: string, body: unknown = {}) => post(`${user(channel, key)}/link`, body, 'service');
const inbound = (channel: string, from: string, text = 'hello') => post(`/v1/channels/${channel}/inbound`, { from, text }, 'service');
const ids = (body: JsonBody): string[] => (body.records as { id: string }[]).map((r) => r.id);

const contacts = [
  { Id: '003A', FirstName: 'Ann', LastName: 'Lee', Name: 'Ann  Lee', MobilePhone: '(415) 555-2671', Email: 'Ann.Lee@Example.com' },
  { Id: '003B', FirstName: 'Bo', LastName: 'Ng', Name: 'Bo Ng', MobilePhone: '+1 415 555 0100', Email: 'bo@example.com' },
  { Id: '003C', FirstName: 'Cy', LastName: 'Ng', Name: 'Cy Ng', MobilePhone: '415.555.0100', Email: 'bo@example.com', DoNotCall: true },
  { Id: '003D', FirstName: 'Dee', LastName: 'Fox', Name: 'DEE FOX', MobilePhone: '020 7946 0018', Email: ' Dee@Fox.example ' },
];

beforeAll(async () => {
  server = await startServer({ catalog });
  for (const [id, body] of [
    ['sms', { type: 'SmsLongCode', country: 'US' }],
    ['sms-gb', { type: 'SmsLongCode', country: 'GB' }],
    ['fb', { type: 'FacebookEnhanced' }],
    ['web', { type: 'EmbeddedWeb' }],
    ['in-app', { type: 'EmbeddedInApp' }],
  ] as const) {
    expect((await put(`/v1/channels/${id}`, body)).status).toBe(201);
  }
  const imported = await post('/v1/objects/Contact/records:import', contacts);
  expect(imported.body).toMatchObject({ rows: 4, imported: 4, created: 4, errors: [] });
});

afterAll(async () => {
  await server.close();
});

const rule = (overrides: Record<string, unknown> = {}) => ({
  channelId: 'sms',
  object: 'Contact',
  name: 'Contacts by mobile',
  mode: 'auto',
  active: true,
  conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }],
  ...overrides,
});

describe('linking rules', () => {
  it('are created, read, listed in the order they are tried, replaced and deleted', async () => {
    const created = await put('/v1/linking-rules/r-list-b', rule({ channelId: 'fb', priority: 5, active: false, conditions: [{ user: 'name', field: 'Name', normalizer: 'text' }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'r-list-b', channelId: 'fb', object: 'Contact', mode: 'auto', active: false, priority: 5, version: 1 });
    expect((await put('/v1/linking-rules/r-list-a', rule({ channelId: 'fb', priority: 7, active: false, conditions: [{ user: 'name', field: 'Name', normalizer: 'text' }] }))).status).toBe(201);
    const replaced = await put('/v1/linking-rules/r-list-b', rule({ channelId: 'fb', description: 'by name', active: false, conditions: [{ user: 'name', field: 'Name', normalizer: 'text' }] }));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 2, priority: 100, description: 'by name' });
    expect((await get('/v1/linking-rules/r-list-b')).body).toEqual(replaced.body);
    const listed = await get('/v1/linking-rules?channelId=fb');
    expect(listed.body.rules.map((r: JsonBody) => r.id)).toEqual(['r-list-a', 'r-list-b']);
    expect((await server.call('DELETE', '/v1/linking-rules/r-list-a')).status).toBe(204);
    expect((await server.call('DELETE', '/v1/linking-rules/r-list-b')).status).toBe(204);
    expect((await server.call('DELETE', '/v1/linking-rules/r-list-b')).status).toBe(404);
    expect((await get('/v1/linking-rules/r-list-a')).status).toBe(404);
    expect((await get('/v1/linking-rules?channelId=fb')).body.rules).toEqual([]);
  });

  it('default to inactive, priority 100 and the e164 region of the channel', async () => {
    const r = await put('/v1/linking-rules/r-defaults', { channelId: 'sms-gb', object: 'Contact', name: 'n', mode: 'suggest', conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] });
    expect(r.body).toMatchObject({ active: false, priority: 100, conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164', region: 'GB' }] });
    expect((await server.call('DELETE', '/v1/linking-rules/r-defaults')).status).toBe(204);
  });

  it('are refused on In-App and Web channels (G:5846: the prose wins over the matrix)', async () => {
    for (const channelId of ['web', 'in-app']) {
      const r = await put('/v1/linking-rules/r-web', rule({ channelId }));
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([expect.objectContaining({ pointer: '/channelId', code: 'E_LINKING_UNAVAILABLE' })]);
    }
    expect((await get('/v1/linking-rules/r-web')).status).toBe(404);
    const agent = await link('web', 'visitor-1', { record: { object: 'Contact', id: '003A' }, agent: 'sam' });
    expect(agent.status).toBe(422);
    expect(agent.body.errors[0].code).toBe('E_LINKING_UNAVAILABLE');
  });

  it('report every problem with its pointer, suggestions, and the filter formula position; nothing is stored', async () => {
    const r = await put(
      '/v1/linking-rules/r-bad',
      rule({
        channelId: 'nope',
        conditions: [
          { user: 'platformKy', field: 'MobilPhone', normalizer: 'e164' },
          { user: 'attributes.dob', field: 'Birthdate', normalizer: 'email' },
          { user: 'name', field: 'Name', normalizer: 'text', region: 'US' },
          { user: 'name', field: 'Name', normalizer: 'text' },
        ],
        filter: 'NOT(DoNotCal)',
      }),
    );
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const byPointer = Object.fromEntries((r.body.errors as JsonBody[]).map((e) => [e.pointer, e]));
    expect(byPointer['/channelId']).toMatchObject({ code: 'E_UNKNOWN_CHANNEL' });
    expect(byPointer['/conditions/0/user']).toMatchObject({ code: 'E_UNKNOWN_USER_FIELD', message: expect.stringContaining('"platformKey"') });
    expect(byPointer['/conditions/0/field']).toMatchObject({ code: 'E_UNKNOWN_FIELD', message: expect.stringContaining('Did you mean "MobilePhone"') });
    expect(byPointer['/conditions/1/normalizer']).toMatchObject({ code: 'E_NORMALIZER_FIELD_TYPE' });
    expect(byPointer['/conditions/2/region']).toMatchObject({ code: 'E_REGION_NOT_APPLICABLE' });
    expect(byPointer['/conditions/3']).toMatchObject({ code: 'E_DUPLICATE_CONDITION' });
    expect(byPointer['/filter']).toMatchObject({ code: 'E_UNKNOWN_FIELD', line: 1, column: 5, message: expect.stringContaining('DoNotCall') });
    expect((await get('/v1/linking-rules/r-bad')).status).toBe(404);
  });

  it('check the object, a Boolean filter and the request shape', async () => {
    const typo = await put('/v1/linking-rules/r-bad', rule({ object: 'Contcat' }));
    expect(typo.body.errors[0]).toMatchObject({ pointer: '/object', code: 'E_UNKNOWN_OBJECT', message: expect.stringContaining('Did you mean "Contact"') });
    const notLinkable = await put('/v1/linking-rules/r-bad', rule({ object: 'Case' }));
    expect(notLinkable.body.errors[0]).toMatchObject({ pointer: '/object', code: 'E_OBJECT_NOT_LINKABLE' });
    const notBoolean = await put('/v1/linking-rules/r-bad', rule({ filter: 'Email & "x"' }));
    expect(notBoolean.body.errors[0]).toMatchObject({ pointer: '/filter', line: 1, column: 1 });
    const syntax = await put('/v1/linking-rules/r-bad', rule({ filter: 'ISBLANK(Email' }));
    expect(syntax.body.errors[0]).toMatchObject({ pointer: '/filter', line: 1 });
    const region = await put('/v1/linking-rules/r-bad', rule({ conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164', region: 'ZZ' }] }));
    expect(region.body.errors[0]).toMatchObject({ pointer: '/conditions/0/region', code: 'E_INVALID_REGION' });
    const shape = await put('/v1/linking-rules/r-bad', rule({ mode: 'sometimes', conditions: [] }));
    expect(shape.status).toBe(400);
    expect((shape.body.errors as JsonBody[]).map((e) => e.pointer).sort()).toEqual(['/conditions', '/mode']);
    const scope = await put('/v1/linking-rules/r-bad', rule(), 'service');
    expect(scope.status).toBe(403);
  });
});

describe('records', () => {
  it('are created, replaced, read back in wire form, and checked against the catalog', async () => {
    const created = await put('/v1/objects/Member__c/records/a01X', { Name: 'Ann', Member_Number__c: '0042.50', Status__c: 'Active', Since__c: '2020-02-29' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'Member__c', id: 'a01X', fields: { Id: 'a01X', Name: 'Ann', Member_Number__c: '42.5', Status__c: 'Active', Since__c: '2020-02-29' } });
    const same = await put('/v1/objects/Member__c/records/a01X', { Id: 'a01X', Name: 'Ann', Member_Number__c: 42.5, Status__c: 'Active', Since__c: '2020-02-29' });
    expect(same.status).toBe(200);
    expect(same.body.updatedAt).toBe(created.body.updatedAt);
    const replaced = await put('/v1/objects/Member__c/records/a01X', { Name: 'Ann B', Member_Number__c: 42.5 });
    expect(replaced.body.fields).toEqual({ Id: 'a01X', Name: 'Ann B', Member_Number__c: '42.5' });
    expect((await get('/v1/objects/Member__c/records/a01X')).body).toEqual(replaced.body);
    expect((await get('/v1/objects/Member__c/records/nope')).status).toBe(404);
  });

  it('refuse unknown fields (with a suggestion), values of the wrong type and a different Id, storing nothing', async () => {
    const r = await put('/v1/objects/Contact/records/003Z', { Id: '003Y', Emial: 'x@example.com', Birthdate: 'yesterday', DoNotCall: 'no' });
    expect(r.status).toBe(422);
    const byPointer = Object.fromEntries((r.body.errors as JsonBody[]).map((e) => [e.pointer, e]));
    expect(byPointer['/Emial']).toMatchObject({ code: 'E_UNKNOWN_FIELD', message: expect.stringContaining('Did you mean "Email"') });
    expect(byPointer['/Birthdate']).toMatchObject({ code: 'E_FIELD_VALUE' });
    expect(byPointer['/DoNotCall']).toMatchObject({ code: 'E_FIELD_VALUE' });
    expect(byPointer['/Id']).toMatchObject({ code: 'E_ID_MISMATCH' });
    expect((await get('/v1/objects/Contact/records/003Z')).status).toBe(404);
    const relationship = await put('/v1/objects/Contact/records/003Z', { Account: { Name: 'Acme' } });
    expect(relationship.body.errors[0]).toMatchObject({ pointer: '/Account', code: 'E_UNKNOWN_FIELD', message: expect.stringContaining('AccountId') });
  });

  it('exist only for linkable objects', async () => {
    const unknown = await put('/v1/objects/Contakt/records/x1', { Name: 'x' });
    expect(unknown).toMatchObject({ status: 404, body: { errors: [{ pointer: '/params/object', code: 'E_UNKNOWN_OBJECT' }] } });
    expect(unknown.body.errors[0].message).toContain('Did you mean "Contact"');
    const notLinkable = await put('/v1/objects/Case/records/x1', { Subject: 'x' });
    expect(notLinkable).toMatchObject({ status: 404, body: { errors: [{ code: 'E_OBJECT_NOT_LINKABLE' }] } });
    const person = await put('/v1/objects/PersonAccount/records/001P', { Name: 'Pat Doe', PersonMobilePhone: '+14155559876', IsPersonAccount: true });
    expect(person.status).toBe(201);
  });

  it('import from JSON: valid rows are kept, every invalid row is reported with its pointer, and a re-import is unchanged', async () => {
    const rows = [
      { Id: 'L1', LastName: 'One', Company: 'A', Email: 'one@example.com' },
      { Id: 'L2', LastName: 'Two', NumberOfEmployees: 'many' },
      { LastName: 'No Id' },
      { Id: 'L3', LastName: 'Three', Compnay: 'C' },
      { Id: 'L4', LastName: 'Four' },
      { Id: 'L4', LastName: 'Four again' },
      'not a record',
    ];
    const r = await post('/v1/objects/Lead/records:import', { records: rows });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 7, imported: 1, created: 1, updated: 0, unchanged: 0 });
    expect((r.body.errors as JsonBody[]).map((e) => [e.pointer, e.code])).toEqual([
      ['/records/1/NumberOfEmployees', 'E_FIELD_VALUE'],
      ['/records/2/Id', 'E_MISSING_ID'],
      ['/records/3/Compnay', 'E_UNKNOWN_FIELD'],
      ['/records/4/Id', 'E_DUPLICATE_ID'],
      ['/records/5/Id', 'E_DUPLICATE_ID'],
      ['/records/6', 'E_FIELD_VALUE'],
    ]);
    expect((await get('/v1/objects/Lead/records/L1')).status).toBe(200);
    expect((await get('/v1/objects/Lead/records/L4')).status).toBe(404);
    const again = await post('/v1/objects/Lead/records:import', [rows[0], { Id: 'L4', LastName: 'Four' }]);
    expect(again.body).toMatchObject({ rows: 2, imported: 2, created: 1, updated: 0, unchanged: 1, errors: [] });
    const bad = await post('/v1/objects/Lead/records:import', { leads: [] });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ pointer: '/leads', code: 'E_UNKNOWN_PROPERTY' }] } });
  });

  it('import from CSV: cells decoded by field type, errors with the row, column and line; a bad header rejects the file', async () => {
    const text = ['Id,Name,Member_Number__c,Status__c,Since__c', 'a01A,Al,7,Active,2021-01-31', '', 'a01B,Bea,seven,Lapsed,2021-02-30', 'a01C,"Cy, Jr",8,,', 'a01D,Di,9,Active,2022-03-01,extra'].join('\n');
    const r = await csv('/v1/objects/Member__c/records:import', text);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 4, imported: 2, created: 2 });
    expect(r.body.errors).toEqual([
      expect.objectContaining({ pointer: '/rows/2/Member_Number__c', code: 'E_FIELD_VALUE', line: 4 }),
      expect.objectContaining({ pointer: '/rows/2/Since__c', code: 'E_FIELD_VALUE', line: 4 }),
      expect.objectContaining({ pointer: '/rows/4', code: 'E_EXTRA_CELLS', line: 6 }),
    ]);
    expect((await get('/v1/objects/Member__c/records/a01C')).body.fields).toEqual({ Id: 'a01C', Name: 'Cy, Jr', Member_Number__c: '8' });
    const header = await csv('/v1/objects/Member__c/records:import', 'Name,Stauts__c\nx,Active');
    expect(header.status).toBe(400);
    expect((header.body.errors as JsonBody[]).map((e) => e.code).sort()).toEqual(['E_MISSING_COLUMN', 'E_UNKNOWN_COLUMN']);
    expect(header.body.errors.find((e: JsonBody) => e.code === 'E_UNKNOWN_COLUMN')).toMatchObject({ line: 1, column: 2, message: expect.stringContaining('Did you mean "Status__c"') });
    const malformed = await csv('/v1/objects/Member__c/records:import', 'Id,Name\na1,"open');
    expect(malformed).toMatchObject({ status: 400, body: { errors: [{ code: 'E_INVALID_CSV', line: 2 }] } });
  });
});

describe('linking on demand', () => {
  beforeAll(async () => {
    expect((await put('/v1/linking-rules/sms-mobile', rule())).status).toBe(201);
    for (const key of ['+14155552671', '+14155550100', '+14155550199', '+442079460018']) expect((await put(user('sms', key), {})).status).toBe(201);
  });

  it('links one e164 match (auto), suggests several, and does nothing for none', async () => {
    const one = await link('sms', '+14155552671');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ outcome: 'linked', ruleId: 'sms-mobile', link: { object: 'Contact', recordId: '003A', linkedBy: { kind: 'rule', ruleId: 'sms-mobile' } } });
    expect(ids(one.body)).toEqual(['003A']);
    expect(one.body.records[0].fields.Email).toBe('Ann.Lee@Example.com');
    const many = await link('sms', '+14155550100');
    expect(many.body).toMatchObject({ outcome: 'suggested', ruleId: 'sms-mobile' });
    expect(many.body.link).toBeUndefined();
    expect(ids(many.body)).toEqual(['003B', '003C']);
    const none = await link('sms', '+14155550199');
    expect(none.body).toEqual({ outcome: 'none', records: [] });
    // No body at all means {}.
    expect((await server.call('POST', `${user('sms', '+14155550199')}/link`, undefined, { key: 'service' })).body).toEqual({ outcome: 'none', records: [] });
    // A number written without + is read in the rule's region: the UK number matches only with GB.
    expect((await link('sms', '+442079460018')).body.outcome).toBe('none');
  });

  it('keeps a linked user linked, and carries the link on the user and on later messages', async () => {
    const again = await link('sms', '+14155552671');
    expect(again.body).toMatchObject({ outcome: 'linked', alreadyLinked: true, link: { recordId: '003A' } });
    const u = await get(user('sms', '+14155552671'));
    expect(u.body.link).toMatchObject({ object: 'Contact', recordId: '003A', linkedBy: { kind: 'rule', ruleId: 'sms-mobile' } });
    const msg = await inbound('sms', '+14155552671');
    expect(msg.body.messagingUser.link).toEqual(u.body.link);
    const unlinked = await inbound('sms', '+14155550199');
    expect(unlinked.body.messagingUser.link).toBeUndefined();
  });

  it('stores suggestions for review, and an agent link replaces them and is recorded', async () => {
    const before = await get(`${user('sms', '+14155550100')}/link`);
    expect(before.body).toMatchObject({ channelId: 'sms', platformKey: '+14155550100', link: null, history: [] });
    expect(before.body.suggestions.map((s: JsonBody) => [s.ruleId, s.id])).toEqual([
      ['sms-mobile', '003B'],
      ['sms-mobile', '003C'],
    ]);
    expect(before.body.suggestions[0].fields.FirstName).toBe('Bo');
    const missing = await link('sms', '+14155550100', { record: { object: 'Contact', id: '003Q' }, agent: 'sam' });
    expect(missing).toMatchObject({ status: 422, body: { errors: [{ pointer: '/record/id', code: 'E_RECORD_NOT_FOUND' }] } });
    const agentOnly = await link('sms', '+14155550100', { agent: 'sam' });
    expect(agentOnly.status).toBe(400);
    const linked = await link('sms', '+14155550100', { record: { object: 'Contact', id: '003C' }, agent: 'sam' });
    expect(linked.body).toMatchObject({ outcome: 'linked', link: { object: 'Contact', recordId: '003C', linkedBy: { kind: 'agent', agent: 'sam', key: 'service' } } });
    const relinked = await link('sms', '+14155550100', { record: { object: 'Lead', id: 'L1' }, agent: 'kim' });
    expect(relinked.body.link).toMatchObject({ object: 'Lead', recordId: 'L1', linkedBy: { kind: 'agent', agent: 'kim' } });
    const after = await get(`${user('sms', '+14155550100')}/link`);
    expect(after.body.suggestions).toEqual([]);
    expect(after.body.link).toEqual(relinked.body.link);
    expect(after.body.history).toEqual([
      expect.objectContaining({ action: 'linked', object: 'Contact', recordId: '003C', by: { kind: 'agent', agent: 'sam', key: 'service' } }),
      expect.objectContaining({ action: 'linked', object: 'Lead', recordId: 'L1', by: { kind: 'agent', agent: 'kim', key: 'service' }, previous: linked.body.link }),
    ]);
    const same = await link('sms', '+14155550100', { record: { object: 'Lead', id: 'L1' }, agent: 'kim' });
    expect(same.body).toMatchObject({ outcome: 'linked', alreadyLinked: true });
    expect((await get(`${user('sms', '+14155550100')}/link`)).body.history).toHaveLength(2);
    expect((await inbound('sms', '+14155550100')).body.messagingUser.link).toEqual(relinked.body.link);
  });

  it('answer 404 for an unknown user or channel', async () => {
    const r = await link('sms', '4155550000');
    expect(r).toMatchObject({ status: 404, body: { errors: [{ pointer: '/params/platformKey', code: 'E_NOT_FOUND' }] } });
    expect(r.body.detail).toContain('did you mean +14155550000?');
    expect((await link('nope', '+14155550000')).status).toBe(404);
    expect((await get(`${user('sms', '+14155550000')}/link`)).status).toBe(404);
  });
});

describe('linking logic', () => {
  /** A fresh user on a fresh SMS channel with only `rules`. */
  let n = 0;
  const scenario = async (rules: Record<string, unknown>[], fields: Record<string, unknown> = {}, key = '+14155552671'): Promise<{ channel: string; run: () => Promise<JsonBody> }> => {
    const channel = `logic-${++n}`;
    expect((await put(`/v1/channels/${channel}`, { type: 'SmsLongCode', country: 'US' })).status).toBe(201);
    for (const [i, r] of rules.entries()) expect((await put(`/v1/linking-rules/${channel}-r${i}`, { ...rule({ channelId: channel }), ...r })).status).toBe(201);
    expect((await put(user(channel, key), fields)).status).toBe(201);
    return { channel, run: async () => (await link(channel, key)).body };
  };

  it('suggest mode suggests even a single match', async () => {
    const s = await scenario([{ mode: 'suggest' }]);
    const r = await s.run();
    expect(r).toMatchObject({ outcome: 'suggested' });
    expect(ids(r)).toEqual(['003A']);
  });

  it('inactive rules never run', async () => {
    const s = await scenario([{ active: false }]);
    expect(await s.run()).toEqual({ outcome: 'none', records: [] });
    expect((await put(`/v1/linking-rules/${s.channel}-r0`, rule({ channelId: s.channel }))).status).toBe(200);
    expect((await s.run()).outcome).toBe('linked');
  });

  it('email: trimmed and case-folded, on a field supplied with the user; 0, 1 and several matches', async () => {
    const conditions = [{ user: 'attributes.email', field: 'Email', normalizer: 'email' }];
    expect(ids(await (await scenario([{ conditions }], { attributes: { email: '  ANN.LEE@example.COM ' } })).run())).toEqual(['003A']);
    expect(ids(await (await scenario([{ conditions }], { attributes: { email: 'dee@FOX.example' } })).run())).toEqual(['003D']);
    const many = await (await scenario([{ conditions }], { attributes: { email: 'Bo@Example.com' } })).run();
    expect(many.outcome).toBe('suggested');
    expect(ids(many)).toEqual(['003B', '003C']);
    expect((await (await scenario([{ conditions }], { attributes: { email: 'nobody@example.com' } })).run()).outcome).toBe('none');
    // No value, or not an address: nothing to match (blanks never match blanks).
    expect((await (await scenario([{ conditions }], { attributes: { email: 'n/a' } })).run()).outcome).toBe('none');
    expect((await (await scenario([{ conditions }])).run()).outcome).toBe('none');
  });

  it('text: white space collapsed, trimmed, case-folded', async () => {
    const conditions = [{ user: 'name', field: 'Name', normalizer: 'text' }];
    expect(ids(await (await scenario([{ conditions }], { name: ' ann lee ' })).run())).toEqual(['003A']);
    expect(ids(await (await scenario([{ conditions }], { name: 'Dee\tFox' })).run())).toEqual(['003D']);
    expect((await (await scenario([{ conditions }], { name: 'Ann Leé' })).run()).outcome).toBe('none');
    // Suggest several: both Ngs share a last name.
    const several = await (await scenario([{ conditions: [{ user: 'attributes.surname', field: 'LastName', normalizer: 'text' }] }], { attributes: { surname: 'NG' } })).run();
    expect(several.outcome).toBe('suggested');
    expect(ids(several)).toEqual(['003B', '003C']);
  });

  it('exact: values as they are; numbers compared as numbers', async () => {
    expect((await put('/v1/objects/Member__c/records/m-100', { Name: 'Mo', Member_Number__c: 100, Status__c: 'Active', Mobile__c: '+14155552671' })).status).toBe(201);
    expect((await put('/v1/objects/Member__c/records/m-101', { Name: 'Mo', Member_Number__c: 101, Status__c: 'Lapsed', Mobile__c: '+14155552671' })).status).toBe(201);
    const byNumber = [{ object: 'Member__c', conditions: [{ user: 'attributes.member', field: 'Member_Number__c', normalizer: 'exact' }] }];
    expect(ids(await (await scenario(byNumber, { attributes: { member: '100.0' } })).run())).toEqual(['m-100']);
    expect(ids(await (await scenario(byNumber, { attributes: { member: 101 } })).run())).toEqual(['m-101']);
    expect((await (await scenario(byNumber, { attributes: { member: 102 } })).run()).outcome).toBe('none');
    const byName = [{ object: 'Member__c', conditions: [{ user: 'name', field: 'Name', normalizer: 'exact' }] }];
    expect(ids(await (await scenario(byName, { name: 'Mo' })).run())).toEqual(['m-100', 'm-101']);
    expect((await (await scenario(byName, { name: 'mo' })).run()).outcome).toBe('none');
  });

  it('conditions are ANDed: one query intersects them', async () => {
    const conditions = [
      { user: 'platformKey', field: 'Mobile__c', normalizer: 'e164' },
      { user: 'attributes.member', field: 'Member_Number__c', normalizer: 'exact' },
    ];
    expect(ids(await (await scenario([{ object: 'Member__c', conditions }], { attributes: { member: 101 } })).run())).toEqual(['m-101']);
    expect((await (await scenario([{ object: 'Member__c', conditions }], { attributes: { member: 7 } })).run()).outcome).toBe('none');
    expect((await (await scenario([{ object: 'Member__c', conditions }], {}, '+14155550199')).run()).outcome).toBe('none');
  });

  it('the filter formula drops candidates: a unique remaining match is linked', async () => {
    const filtered = await (await scenario([{ conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }], filter: 'NOT(DoNotCall)' }], {}, '+14155550100')).run();
    expect(filtered).toMatchObject({ outcome: 'linked', link: { recordId: '003B' } });
    const members = await (await scenario([{ object: 'Member__c', conditions: [{ user: 'platformKey', field: 'Mobile__c', normalizer: 'e164' }], filter: 'ISPICKVAL(Status__c, "Active")' }])).run();
    expect(members).toMatchObject({ outcome: 'linked', link: { object: 'Member__c', recordId: 'm-100' } });
    const nothingLeft = await (await scenario([{ conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }], filter: 'DoNotCall' }])).run();
    expect(nothingLeft.outcome).toBe('none');
  });

  it("a channel's rules are tried by priority: the first with matches decides", async () => {
    const lead = { object: 'Lead', conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] };
    const contact = { conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }] };
    // No Lead has the number: the Contact rule (tried second) links.
    const fallThrough = await (await scenario([{ ...lead, priority: 1 }, { ...contact, priority: 2 }])).run();
    expect(fallThrough).toMatchObject({ outcome: 'linked', link: { object: 'Contact' } });
    expect((await put('/v1/objects/Lead/records/L9', { LastName: 'Lee', MobilePhone: '4155552671' })).status).toBe(201);
    const leadFirst = await scenario([{ ...lead, priority: 1 }, { ...contact, priority: 2 }]);
    expect(await leadFirst.run()).toMatchObject({ outcome: 'linked', ruleId: `${leadFirst.channel}-r0`, link: { object: 'Lead', recordId: 'L9' } });
    const contactFirst = await scenario([{ ...lead, priority: 2 }, { ...contact, priority: 1 }]);
    expect(await contactFirst.run()).toMatchObject({ outcome: 'linked', ruleId: `${contactFirst.channel}-r1`, link: { object: 'Contact', recordId: '003A' } });
  });

  it('record writes keep the match keys current', async () => {
    const s = await scenario([{ mode: 'suggest' }], {}, '+14155557777');
    expect((await s.run()).outcome).toBe('none');
    expect((await put('/v1/objects/Contact/records/003N', { LastName: 'New', MobilePhone: '415 555 7777' })).status).toBe(201);
    expect(ids(await s.run())).toEqual(['003N']);
    expect((await put('/v1/objects/Contact/records/003N', { LastName: 'New', MobilePhone: '415 555 7778' })).status).toBe(200);
    expect(await s.run()).toEqual({ outcome: 'none', records: [] });
    // The rerun cleared the stale suggestion.
    expect((await get(`${user(s.channel, '+14155557777')}/link`)).body.suggestions).toEqual([]);
  });

  it('suggests at most 50 candidates, the first by Id, and says the list was cut', async () => {
    const leads = Array.from({ length: 60 }, (_, i) => ({ Id: `00Q${String(i).padStart(3, '0')}`, LastName: `Lead ${i}`, MobilePhone: '+1 415 555 3333' }));
    expect((await post('/v1/objects/Lead/records:import', leads)).body).toMatchObject({ imported: 60, errors: [] });
    const r = await (await scenario([{ object: 'Lead' }], {}, '+14155553333')).run();
    expect(r).toMatchObject({ outcome: 'suggested', truncated: true });
    expect(ids(r)).toEqual(leads.slice(0, 50).map((l) => l.Id));
  });

  it('deleting a rule deletes its suggestions and keeps its links', async () => {
    const s = await scenario([{ mode: 'suggest' }]);
    expect((await s.run()).outcome).toBe('suggested');
    expect((await server.call('DELETE', `/v1/linking-rules/${s.channel}-r0`)).status).toBe(204);
    expect((await get(`${user(s.channel, '+14155552671')}/link`)).body.suggestions).toEqual([]);
    expect((await s.run()).outcome).toBe('none');
  });
});

describe('linking on inbound messages', () => {
  it('links a new sender on a channel with an active rule, and the link stays on later messages', async () => {
    expect((await put('/v1/channels/in-1', { type: 'SmsLongCode', country: 'US' })).status).toBe(201);
    expect((await put('/v1/linking-rules/in-1', rule({ channelId: 'in-1' }))).status).toBe(201);
    const first = await inbound('in-1', '+14155552671');
    expect(first.body.messagingUser).toMatchObject({ created: true, link: { object: 'Contact', recordId: '003A', linkedBy: { kind: 'rule', ruleId: 'in-1' } } });
    const second = await inbound('in-1', '+14155552671', 'STOP');
    expect(second.body.messagingUser.link).toEqual(first.body.messagingUser.link);
    expect((await get(`${user('in-1', '+14155552671')}/link`)).body.history).toHaveLength(1);
  });

  it('stores suggestions for several matches, and leaves them for review on later messages', async () => {
    const first = await inbound('in-1', '+14155550100');
    expect(first.body.messagingUser.link).toBeUndefined();
    const state = await get(`${user('in-1', '+14155550100')}/link`);
    expect(state.body.suggestions.map((s: JsonBody) => s.id)).toEqual(['003B', '003C']);
    await inbound('in-1', '+14155550100');
    const later = await get(`${user('in-1', '+14155550100')}/link`);
    expect(later.body.suggestions).toEqual(state.body.suggestions);
  });

  it('links senders arriving together, each to their own record, and not on channels without rules', async () => {
    expect((await put('/v1/channels/in-2', { type: 'SmsLongCode', country: 'US' })).status).toBe(201);
    expect((await put('/v1/linking-rules/in-2', rule({ channelId: 'in-2', conditions: [{ user: 'platformKey', field: 'MobilePhone', normalizer: 'e164' }], filter: 'NOT(DoNotCall)' }))).status).toBe(201);
    expect((await put('/v1/channels/in-3', { type: 'SmsLongCode', country: 'US' })).status).toBe(201);
    const results = await Promise.all([inbound('in-2', '+14155552671'), inbound('in-2', '+14155550100'), inbound('in-2', '+14155550199'), inbound('in-3', '+14155552671')]);
    expect(results.map((r) => r.body.messagingUser.link?.recordId)).toEqual(['003A', '003B', undefined, undefined]);
  });

  it('does not run for inactive rules or In-App and Web channels', async () => {
    expect((await put('/v1/channels/in-4', { type: 'SmsLongCode', country: 'US' })).status).toBe(201);
    expect((await put('/v1/linking-rules/in-4', rule({ channelId: 'in-4', active: false }))).status).toBe(201);
    expect((await inbound('in-4', '+14155552671')).body.messagingUser.link).toBeUndefined();
    const web = await inbound('web', 'visitor-9');
    expect(web.status).toBe(200);
    expect(web.body.messagingUser.link).toBeUndefined();
  });
});
