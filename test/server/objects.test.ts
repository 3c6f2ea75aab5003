/** GET /v1/objects and /v1/objects/{object}: the server's object catalog, read-only (issue 21: the preview page's record-field completion). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectCatalog } from '../../src/catalog/catalog.js';
import { catalogOfDefinitions, LanguageService } from '../../src/language/index.js';
import { startServer, type TestServer } from '../helpers/server.js';

const DELIVERY = { name: 'Delivery__c', label: 'Delivery', fields: { Id: 'Id', Status__c: { type: 'Picklist', values: ['Packed', 'Shipped'] }, CaseId__c: { type: 'Id', references: 'Case', relationshipName: 'Case__r' } } };

let server: TestServer;
let custom: TestServer;
beforeAll(async () => {
  server = await startServer();
  custom = await startServer({ catalog: ObjectCatalog.builtin().withObjects([DELIVERY]) });
});
afterAll(async () => {
  await server.close();
  await custom.close();
});

describe('GET /v1/objects', () => {
  it('lists the built-in objects by name, normalized, without file paths', async () => {
    const r = await server.call('GET', '/v1/objects', undefined, { key: 'preview' });
    expect(r.status).toBe(200);
    const names = r.body.objects.map((o: { name: string }) => o.name);
    expect(names).toEqual(ObjectCatalog.builtin().names());
    expect(names).toEqual(expect.arrayContaining(['Case', 'Contact', 'Account', 'User']));
    const kase = r.body.objects.find((o: { name: string }) => o.name === 'Case');
    expect(kase.fields.find((f: { name: string }) => f.name === 'Priority')).toEqual({ name: 'Priority', type: 'Picklist', label: 'Priority', values: ['High', 'Medium', 'Low'] });
    expect(kase.fields.find((f: { name: string }) => f.name === 'AccountId')).toMatchObject({ type: 'Id', references: 'Account', relationshipName: 'Account' });
    expect(JSON.stringify(r.body)).not.toContain('"file"');
  });

  it('gives the objects the server was started with', async () => {
    const r = await custom.call('GET', '/v1/objects', undefined, { key: 'service' });
    expect(r.body.objects.map((o: { name: string }) => o.name)).toContain('Delivery__c');
    expect((await server.call('GET', '/v1/objects', undefined, { key: 'service' })).body.objects.map((o: { name: string }) => o.name)).not.toContain('Delivery__c');
  });

  it('is what the language service needs to complete and check record fields', async () => {
    const r = await custom.call('GET', '/v1/objects', undefined, { key: 'preview' });
    const service = new LanguageService({ catalog: catalogOfDefinitions(r.body.objects) });
    const component = JSON.stringify({ name: 'X', type: 'EnhancedLink', parameters: { D: { type: 'RecordId', object: 'Delivery__c' } }, formats: [{ type: 'Text', template: '{!$Parameters.D.Case__r.Subjct}' }] });
    const doc = { kind: 'component' as const, text: component };
    const at = component.indexOf('Case__r.') + 'Case__r.'.length;
    expect(service.completions(doc, at).items.map((c) => c.label)).toEqual(expect.arrayContaining(['Subject', 'Priority', 'Account']));
    const fix = service.diagnostics(doc).flatMap((d) => d.fixes);
    expect(fix.map((f) => f.edits[0]?.newText)).toContain('Subject');
  });

  it('needs a key (any scope)', async () => {
    expect((await server.call('GET', '/v1/objects', undefined, { key: null })).status).toBe(401);
    for (const key of ['admin', 'service', 'preview'] as const) expect((await server.call('GET', '/v1/objects', undefined, { key })).status).toBe(200);
  });
});

describe('GET /v1/objects/{object}', () => {
  it('gives one object', async () => {
    const r = await server.call('GET', '/v1/objects/Contact', undefined, { key: 'preview' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Contact', label: 'Contact' });
    expect(r.body.fields.map((f: { name: string }) => f.name)).toContain('MobilePhone');
    expect(r.body.file).toBeUndefined();
  });

  it('404 E_UNKNOWN_OBJECT with the close names for an unknown object; 400 for a malformed name', async () => {
    const r = await server.call('GET', '/v1/objects/Contcat', undefined, { key: 'preview' });
    expect(r).toMatchObject({ status: 404, body: { errors: [{ pointer: '/params/object', code: 'E_UNKNOWN_OBJECT' }] } });
    expect(r.body.detail).toContain('Did you mean "Contact"?');
    expect((await server.call('GET', '/v1/objects/no%20such', undefined, { key: 'preview' })).status).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const r = await server.call('GET', '/openapi.json', undefined, { key: null });
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/v1/objects', '/v1/objects/{object}']));
    expect(r.body.paths['/v1/objects'].get.responses['200']).toBeDefined();
  });
});
