import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFormula, MAX_RELATIONSHIP_DEPTH, ObjectCatalog, ObjectCatalogError, SCALAR_TYPES, type RecordType } from '../../src/index.js';
import { recordType } from '../../src/formula/types.js';

const SHIPPED = [
  'Account',
  'Case',
  'Contact',
  'Lead',
  'Location',
  'MessagingEndUser',
  'MessagingSession',
  'Opportunity',
  'Product2',
  'ServiceAppointment',
  'User',
  'WorkOrder',
];

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parlance-catalog-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function caseType(): RecordType {
  return ObjectCatalog.builtin().recordType('Case') as RecordType;
}

describe('the built-in catalog', () => {
  it('loads every shipped object with no errors', () => {
    const catalog = ObjectCatalog.builtin();
    expect(catalog.names()).toEqual(SHIPPED);
    expect(catalog.check()).toEqual([]);
  });

  it('validates each shipped file on its own, and each file holds the object it is named after', () => {
    const dir = ObjectCatalog.builtinDirectory();
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(SHIPPED);
    for (const file of files) {
      const def = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { name: string };
      const result = ObjectCatalog.empty().add(def, { file });
      expect(result.errors, file).toEqual([]);
      expect(def.name).toBe(file.replace(/\.json$/, ''));
    }
  });

  it('keeps the schema type list in step with the formula types', () => {
    const schema = JSON.parse(readFileSync(join(ObjectCatalog.builtinDirectory(), '..', 'object.schema.json'), 'utf8')) as {
      $defs: { typeName: { enum: string[] } };
    };
    expect(schema.$defs.typeName.enum).toEqual([...SCALAR_TYPES]);
  });

  it('declares the common relationships with their real names and types', () => {
    const catalog = ObjectCatalog.builtin();
    const rel = (object: string, field: string): [string | undefined, string | undefined] => {
      const f = catalog.get(object)?.fields.find((x) => x.name === field);
      return [f?.references, f?.relationshipName];
    };
    expect(rel('Case', 'AccountId')).toEqual(['Account', 'Account']);
    expect(rel('Case', 'ContactId')).toEqual(['Contact', 'Contact']);
    expect(rel('Case', 'OwnerId')).toEqual(['User', 'Owner']);
    expect(rel('Contact', 'AccountId')).toEqual(['Account', 'Account']);
    expect(rel('Opportunity', 'AccountId')).toEqual(['Account', 'Account']);
    expect(rel('Account', 'ParentId')).toEqual(['Account', 'Parent']);
    expect(rel('MessagingSession', 'MessagingEndUserId')).toEqual(['MessagingEndUser', 'MessagingEndUser']);
    expect(rel('MessagingSession', 'CaseId')).toEqual(['Case', 'Case']);
    // Polymorphic: a plain Id, no relationship.
    expect(rel('ServiceAppointment', 'ParentRecordId')).toEqual([undefined, undefined]);
    const caseNumber = catalog.get('case')?.fields.find((f) => f.name === 'CaseNumber');
    expect(caseNumber).toMatchObject({ type: 'Text', label: 'Case Number' });
    expect(catalog.get('Location')?.fields.find((f) => f.name === 'Location')?.type).toBe('Geolocation');
    expect(catalog.get('Case')?.fields.find((f) => f.name === 'Status')?.values).toEqual(['New', 'Working', 'Escalated', 'Closed']);
  });

  it('finds objects case-insensitively and returns a fresh catalog per call', () => {
    const a = ObjectCatalog.builtin();
    expect(a.get('messagingsession')?.name).toBe('MessagingSession');
    expect(a.get('Nope')).toBeUndefined();
    expect(a.recordType('Nope')).toBeUndefined();
    expect(a.add({ name: 'Extra__c', fields: { Name: 'Text' } }).errors).toEqual([]);
    expect(a.has('Extra__c')).toBe(true);
    expect(ObjectCatalog.builtin().has('Extra__c')).toBe(false);
  });
});

describe('sObject formulas against the catalog', () => {
  it("type-checks and evaluates the seed's Case example (G:4680-4686)", () => {
    const f = compileFormula('CaseNumber & " - " & Subject', { fields: caseType() });
    expect(f.diagnostics).toEqual([]);
    expect(f.returnType).toBe('Text');
    expect(f.evaluateToWire({ record: { CaseNumber: '00001006', Subject: 'Generator assembly instructions unclear' } })).toEqual({
      type: 'Text',
      value: '00001006 - Generator assembly instructions unclear',
    });
  });

  it('types fields by their declared type', () => {
    const fields = caseType();
    expect(compileFormula('IsClosed', { fields }).returnType).toBe('Boolean');
    expect(compileFormula('ClosedDate', { fields }).returnType).toBe('DateTime');
    expect(compileFormula('AccountId', { fields }).returnType).toBe('Id');
    expect(compileFormula('ISPICKVAL(Status, "New")', { fields }).returnType).toBe('Boolean');
    expect(compileFormula('Status & "x"', { fields }).ok).toBe(false);
  });

  it('follows relationships: Account.Name, Owner.Name, and deep cyclic paths', () => {
    const fields = caseType();
    const f = compileFormula('Account.Name & "/" & Owner.Name & "/" & Account.Parent.Parent.Name', { fields });
    expect(f.diagnostics).toEqual([]);
    expect(f.dependencies).toEqual(['Account.Name', 'Account.Parent.Parent.Name', 'Owner.Name']);
    const record = { Account: { Name: 'Acme', Parent: { Parent: { Name: 'Acme Holdings' } } }, Owner: { Name: 'Ann' } };
    expect(f.evaluateToWire({ record })).toEqual({ type: 'Text', value: 'Acme/Ann/Acme Holdings' });
    expect(compileFormula('Account.Owner.Manager.Manager.Email', { fields }).returnType).toBe('Text');
    expect(compileFormula('Contact.Account.AnnualRevenue', { fields }).returnType).toBe('Currency');
  });

  it('builds nested record types once per object and depth, so cycles are finite', () => {
    const fields = caseType();
    const rel = (t: RecordType, name: string): RecordType => t.fields.get(name)?.type as RecordType;
    const account = rel(fields, 'account');
    expect(account).toMatchObject({ kind: 'record', object: 'Account' });
    expect(rel(account, 'parent').object).toBe('Account');
    // Case.Account.Parent and Case.Contact.Account are both Accounts two relationships away.
    expect(rel(account, 'parent')).toBe(rel(rel(fields, 'contact'), 'account'));
    expect(rel(account, 'parent')).not.toBe(account);
    expect(ObjectCatalog.builtin().recordType('Case')).not.toBe(fields);
  });

  it(`follows at most ${MAX_RELATIONSHIP_DEPTH} relationships, like Salesforce`, () => {
    const fields = ObjectCatalog.builtin().recordType('Account') as RecordType;
    const path = (hops: number): string => `${'Parent.'.repeat(hops)}Name`;
    expect(compileFormula(path(MAX_RELATIONSHIP_DEPTH), { fields }).ok).toBe(true);
    const tooDeep = compileFormula(path(MAX_RELATIONSHIP_DEPTH + 1), { fields });
    expect(tooDeep.diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD']);
  });

  it('reports unknown fields with E_UNKNOWN_FIELD and a suggestion', () => {
    const fields = caseType();
    const f = compileFormula('Subjet', { fields });
    expect(f.diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD', message: 'Field Subjet does not exist. Did you mean Subject?' }]);
    expect(compileFormula('Account.Nmae', { fields }).diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD', span: { column: 9 } }]);
    expect(compileFormula('AccountId.Name', { fields }).diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD']);
    expect(compileFormula('Account', { fields }).diagnostics.map((d) => d.code)).toEqual(['E_NOT_A_VALUE']);
  });

  it('types $Parameters.P.Field for a record parameter', () => {
    const catalog = ObjectCatalog.builtin();
    const parameters = recordType([
      { name: 'MyCase', type: catalog.recordType('Case') as RecordType },
      { name: 'Session', type: catalog.recordType('MessagingSession') as RecordType },
    ]);
    const f = compileFormula('$Parameters.MyCase.CaseNumber & " " & $Parameters.Session.MessagingEndUser.Name', { parameters });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire({ parameters: { MyCase: { CaseNumber: '00001006' }, Session: { MessagingEndUser: { Name: 'Sam' } } } })).toEqual({
      type: 'Text',
      value: '00001006 Sam',
    });
    expect(compileFormula('$Parameters.MyCase.CaseNumbr', { parameters }).diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD']);
  });
});

describe('validating definitions', () => {
  const errorsOf = (def: unknown): { pointer: string; message: string }[] =>
    ObjectCatalog.empty()
      .add(def)
      .errors.map((e) => ({ pointer: e.pointer, message: e.message }));

  it('accepts the shorthand and the full field form', () => {
    const catalog = ObjectCatalog.empty();
    const result = catalog.add({
      name: 'Ticket__c',
      label: 'Ticket',
      fields: {
        Id: 'Id',
        Name: { type: 'Text', label: 'Ticket Name' },
        Stage__c: { type: 'Picklist', values: ['Open', 'Done'] },
      },
    });
    expect(result.errors).toEqual([]);
    expect(catalog.get('ticket__c')?.fields).toEqual([
      { name: 'Id', type: 'Id', label: 'Id' },
      { name: 'Name', type: 'Text', label: 'Ticket Name' },
      { name: 'Stage__c', type: 'Picklist', label: 'Stage__c', values: ['Open', 'Done'] },
    ]);
    expect(Object.isFrozen(catalog.get('Ticket__c'))).toBe(true);
  });

  it('reports a wrong type name', () => {
    expect(errorsOf({ name: 'Thing__c', fields: { A: 'Txt', B: { type: 'text' } } })).toEqual([
      { pointer: '/fields/A', message: expect.stringMatching(/^Unknown type "Txt"\. Did you mean "Text"\?/) },
      { pointer: '/fields/B/type', message: expect.stringContaining('type names are case-sensitive') },
    ]);
  });

  it('reports a missing fields object, and fields of the wrong shape', () => {
    expect(errorsOf({ name: 'Thing__c' })).toEqual([{ pointer: '/fields', message: expect.stringMatching(/^Missing "fields"/) }]);
    expect(errorsOf({ name: 'Thing__c', fields: {} }).map((e) => e.pointer)).toEqual(['/fields']);
    expect(errorsOf({ name: 'Thing__c', fields: { A: 3 } })).toEqual([
      { pointer: '/fields/A', message: 'A field is a type name ("Text") or an object ({"type": "Id", "references": "Account"}), not a number' },
    ]);
    expect(errorsOf([])).toEqual([{ pointer: '', message: 'An object definition must be a JSON object, not an array' }]);
  });

  it('reports extra properties with a suggestion', () => {
    const errors = errorsOf({ name: 'Thing__c', lable: 'Thing', fields: { A: { type: 'Text', lable: 'A' } } });
    expect(errors.map((e) => e.pointer)).toEqual(['/fields/A/lable', '/lable']);
    expect(errors[0]?.message).toMatch(/^Unknown property "lable"\. Did you mean "label"\?/);
  });

  it('reports bad API names for objects, fields, references and relationships', () => {
    const errors = errorsOf({
      name: 'My Object',
      fields: {
        '1st': 'Text',
        Double__Under: 'Text',
        Trailing_: 'Text',
        Ok__c: 'Text',
        Ns__Ok__c: 'Text',
        Ref__c: { type: 'Id', references: 'bad-name', relationshipName: 'Ref__r' },
        Other__c: { type: 'Id', references: 'Account', relationshipName: 'Bad Rel' },
      },
    });
    expect(errors.map((e) => e.pointer)).toEqual([
      '/fields/1st',
      '/fields/Double__Under',
      '/fields/Other__c/relationshipName',
      '/fields/Ref__c/references',
      '/fields/Trailing_',
      '/name',
    ]);
    expect(errors.find((e) => e.pointer === '/name')?.message).toMatch(/^"My Object" is not a valid object name/);
    expect(errors.find((e) => e.pointer === '/fields/Other__c/relationshipName')?.message).toMatch(/not a valid relationship name/);
  });

  it('checks relationship names and type-specific options', () => {
    const errors = errorsOf({
      name: 'Thing__c',
      fields: {
        Account: 'Text',
        AccountId: { type: 'Id', references: 'Account' },
        Order__c: { type: 'Id', references: 'Order__c', relationshipName: 'Order' },
        Buyer: { type: 'Id', references: 'Contact' },
        OwnerId: { type: 'Id', references: 'User', relationshipName: 'Owner__r' },
        Price__c: { type: 'Currency', references: 'Account', relationshipName: 'Price__r' },
        Size__c: { type: 'Number', values: ['S', 'M'] },
        Note__c: { type: 'Text', relationshipName: 'Note__r' },
      },
    });
    expect(errors).toEqual([
      { pointer: '/fields/AccountId', message: expect.stringContaining('has the same name as the field "Account"') },
      { pointer: '/fields/Buyer', message: expect.stringContaining('Add "relationshipName"') },
      { pointer: '/fields/Note__c/relationshipName', message: expect.stringContaining('only applies to a lookup') },
      { pointer: '/fields/Order__c/relationshipName', message: expect.stringContaining('must end in __r (such as Order__r)') },
      { pointer: '/fields/OwnerId/relationshipName', message: expect.stringContaining('Only custom fields') },
      { pointer: '/fields/Price__c/references', message: expect.stringContaining('Only Id fields can reference another object') },
      { pointer: '/fields/Size__c/values', message: expect.stringContaining('only apply to Picklist and MultiPicklist') },
    ]);
  });

  it('reports fields that differ only in case and duplicate picklist values', () => {
    expect(errorsOf({ name: 'Thing__c', fields: { Name: 'Text', name: 'Text', P: { type: 'Picklist', values: ['a', 'b', 'a'] } } })).toEqual([
      { pointer: '/fields/P/values/2', message: '"a" is listed twice' },
      { pointer: '/fields/name', message: 'Field "name" is declared twice (names are case-insensitive; see "Name")' },
    ]);
  });

  it('refuses to redefine an object', () => {
    const catalog = ObjectCatalog.builtin();
    const result = catalog.add({ name: 'CASE', fields: { Name: 'Text' } });
    expect(result.errors).toMatchObject([{ pointer: '/name', object: 'CASE', message: expect.stringContaining('"CASE" is already in the catalog') }]);
    expect(catalog.get('Case')?.fields.length).toBeGreaterThan(1);
  });

  it('reports a dangling reference when resolving, not when adding', () => {
    const catalog = ObjectCatalog.empty();
    expect(catalog.add({ name: 'Delivery__c', fields: { Name: 'Text', Order__c: { type: 'Id', references: 'Order__c' } } }).errors).toEqual([]);
    expect(catalog.check('Delivery__c')).toEqual([
      {
        pointer: '/fields/Order__c/references',
        object: 'Delivery__c',
        message: 'Delivery__c.Order__c references the object "Order__c", which is not in the catalog. Add a definition of Order__c, or remove "references" to keep Order__c a plain Id',
      },
    ]);
    const thrown = catchError(() => catalog.recordType('Delivery__c'));
    expect(thrown).toBeInstanceOf(ObjectCatalogError);
    expect((thrown as ObjectCatalogError).errors.map((e) => e.pointer)).toEqual(['/fields/Order__c/references']);
    expect((thrown as Error).message).toContain('Cannot resolve object Delivery__c');
    // Adding the missing object fixes it.
    expect(catalog.add({ name: 'Order__c', fields: { Name: 'Text' } }).errors).toEqual([]);
    expect(compileFormula('Order__r.Name', { fields: catalog.recordType('Delivery__c') as RecordType }).ok).toBe(true);
  });

  it('withObjects returns a new catalog, or throws with pointers into the array', () => {
    const base = ObjectCatalog.builtin();
    const next = base.withObjects([{ name: 'Store__c', fields: { Name: 'Text', Location__c: { type: 'Id', references: 'Location' } } }]);
    expect(next.has('Store__c')).toBe(true);
    expect(base.has('Store__c')).toBe(false);
    expect(compileFormula('Location__r.Location', { fields: next.recordType('Store__c') as RecordType }).returnType).toBe('Geolocation');
    const thrown = catchError(() =>
      base.withObjects([{ name: 'A__c', fields: { Name: 'Text' } }, { name: 'B__c', fields: { Name: 'Txt' } }, { name: 'Account', fields: { X: 'Text' } }, { name: 'a__c', fields: { X: 'Text' } }]),
    );
    expect(thrown).toBeInstanceOf(ObjectCatalogError);
    expect((thrown as ObjectCatalogError).errors.map((x) => x.pointer)).toEqual(['/1/fields/Name', '/2/name', '/3/name']);
    expect(base.has('A__c')).toBe(false);
  });
});

describe('loading a directory of user objects', () => {
  it('adds a custom object with a custom lookup', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'Delivery__c.json'),
      JSON.stringify({
        name: 'Delivery__c',
        label: 'Delivery',
        fields: {
          Id: 'Id',
          Name: { type: 'Text', label: 'Delivery Number' },
          Order__c: { type: 'Id', references: 'Order__c' },
          Recipient__c: { type: 'Id', references: 'Contact' },
          Eta__c: 'DateTime',
          Status__c: { type: 'Picklist', values: ['Scheduled', 'Out for delivery', 'Delivered'] },
        },
      }),
    );
    writeFileSync(join(dir, 'Order__c.json'), JSON.stringify({ name: 'Order__c', fields: { Id: 'Id', Name: 'Text', Total__c: 'Currency', Account__c: { type: 'Id', references: 'Account' } } }));
    writeFileSync(join(dir, 'README.md'), 'not an object');
    mkdirSync(join(dir, 'nested.json'));
    const catalog = ObjectCatalog.builtin();
    const result = catalog.loadDirectory(dir);
    expect(result.errors).toEqual([]);
    expect(result.added.map((d) => d.name)).toEqual(['Delivery__c', 'Order__c']);
    expect(result.added[0]?.file).toBe(join(dir, 'Delivery__c.json'));
    const fields = catalog.recordType('Delivery__c') as RecordType;
    const f = compileFormula('Name & ": " & Order__r.Name & " for " & Order__r.Account__r.Name & ", " & Recipient__r.FirstName', { fields });
    expect(f.diagnostics).toEqual([]);
    const record = { Name: 'D-1', Order__r: { Name: 'O-7', Account__r: { Name: 'Acme' } }, Recipient__r: { FirstName: 'Sam' } };
    expect(f.evaluateToWire({ record })).toEqual({ type: 'Text', value: 'D-1: O-7 for Acme, Sam' });
    expect(compileFormula('Order__r.Total__c * 2', { fields }).returnType).toBe('Currency');
    expect(compileFormula('Order__c.Name', { fields }).diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD']);
  });

  it('names the file in every error and adds nothing when a file is bad', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ name: 'Good__c', fields: { Name: 'Text' } }));
    writeFileSync(join(dir, 'b.json'), '{ "name": "Broken__c", ');
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ name: 'Bad__c', fields: { Name: 'Strin' } }));
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ name: 'GOOD__c', fields: { Name: 'Text' } }));
    const catalog = ObjectCatalog.empty();
    const result = catalog.loadDirectory(dir);
    expect(result.added).toEqual([]);
    expect(result.errors.map((e) => [e.file, e.pointer])).toEqual([
      [join(dir, 'b.json'), ''],
      [join(dir, 'c.json'), '/fields/Name'],
      [join(dir, 'd.json'), '/name'],
    ]);
    expect(result.errors[0]?.message).toMatch(/^Invalid JSON/);
    expect(result.errors[2]?.message).toContain(`from ${join(dir, 'a.json')}`);
    expect(catalog.names()).toEqual([]);
  });

  it('reports a missing directory as an error instead of throwing', () => {
    const missing = join(tempDir(), 'nope');
    const result = ObjectCatalog.empty().loadDirectory(missing);
    expect(result.errors).toMatchObject([{ file: missing, pointer: '', message: expect.stringContaining('Cannot read the directory') }]);
  });
});

describe('docs/objects.md', () => {
  const doc = readFileSync(new URL('../../docs/objects.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] as string) as { name: string });

  it('has examples that are valid definitions', () => {
    expect(blocks.map((b) => b.name)).toEqual(['Case', 'Delivery__c']);
    expect(ObjectCatalog.empty().add(blocks[0]).errors).toEqual([]);
  });

  it('shows a user object whose documented formula gives the documented result', () => {
    const catalog = ObjectCatalog.builtin().withObjects([blocks[1]]);
    const title = compileFormula('Name & " for " & Recipient__r.FirstName & " from " & Store__r.Name', { fields: catalog.recordType('Delivery__c') });
    expect(doc).toContain(`compileFormula('Name & " for " & Recipient__r.FirstName & " from " & Store__r.Name'`);
    // test/docs/samples.test.ts runs the sample and compares its output block; this checks the block says what the formula gives.
    expect(doc).toContain("{ ok: true, type: 'Text', value: 'D-1 for Sam from Depot 4' }");
    const record = { Name: 'D-1', Recipient__r: { FirstName: 'Sam' }, Store__r: { Name: 'Depot 4' } };
    expect(title.evaluateToWire({ record })).toEqual({ type: 'Text', value: 'D-1 for Sam from Depot 4' });
  });

  it('quotes an error message the catalog really produces', () => {
    const errors = ObjectCatalog.empty().add({ name: 'Delivery__c', fields: { Eta__c: { type: 'Datetime' } } }).errors;
    expect(errors).toHaveLength(1);
    expect(doc).toContain(`${errors[0]?.pointer}: ${errors[0]?.message.split('.')[0]}. Did you mean "DateTime"?`);
  });
});
