import { describe, expect, it } from 'vitest';
import { compileSObjectFormula } from '../../src/index.js';

const Case = { Id: 'Id', CaseNumber: 'Text', Subject: 'Text', Priority: 'Picklist', Account: { Name: 'Text' } };

describe('sObject formulas', () => {
  it('gives the seed example exactly (G:4680-4686)', () => {
    const f = compileSObjectFormula('CaseNumber & " - " & Subject', { object: Case });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateEachToWire([{ CaseNumber: '00001006', Subject: 'Generator assembly instructions unclear' }])).toEqual([
      { type: 'Text', value: '00001006 - Generator assembly instructions unclear' },
    ]);
  });

  it('evaluates once per record, with constants and parameters', () => {
    const f = compileSObjectFormula('$Constants.Prefix & CaseNumber & IF(ISPICKVAL(Priority, "High"), " (!)", "") & " " & Account.Name', {
      object: Case,
      constants: { Prefix: 'Text' },
    });
    expect(f.ok).toBe(true);
    const rows = [
      { CaseNumber: '1', Priority: 'High', Account: { Name: 'Acme' } },
      { CaseNumber: '2', Priority: 'Low', Account: null },
    ];
    expect(f.evaluateEachToWire(rows, { constants: { Prefix: '#' } }).map((r) => ('value' in r ? r.value : r))).toEqual(['#1 (!) Acme', '#2 ']);
  });

  it('reports unknown fields against the object', () => {
    const f = compileSObjectFormula('Case.CaseNumber', { object: Case });
    expect(f.diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD', message: 'Field Case does not exist. Check spelling.' }]);
  });
});
