/**
 * Issue 17, global merge fields: $User, $Organization, $Profile, $UserRole, $Label, $Setup,
 * $Permission and $Api are typed by top-level `$`-prefixed entries of `fields` and valued from the
 * same entries of the record; $System.OriginDateTime is built in.
 */
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/index.js';

describe('caller-declared globals', () => {
  it('the issue\'s acceptance formula: MAX($User.Commission_Percent__c * Price, 100) is 200', () => {
    const f = compileFormula('MAX($User.Commission_Percent__c * Price, 100)', { fields: { $User: { Commission_Percent__c: 'Number' }, Price: 'Number' } });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire({ record: { $User: { Commission_Percent__c: 2 }, Price: 100 } })).toEqual({ type: 'Number', value: '200' });
    expect(f.dependencies).toContain('$User.Commission_Percent__c');
  });

  it.each(['$User', '$Organization', '$Profile', '$UserRole', '$Label', '$Setup', '$Permission', '$Api'])('%s members are typed and read from the caller', (g) => {
    const f = compileFormula(`${g}.Member_1 & "!"`, { fields: { [g]: { Member_1: 'Text' } } });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire({ record: { [g]: { Member_1: 'x' } } })).toEqual({ type: 'Text', value: 'x!' });
    expect(f.evaluateToWire({ record: {} })).toEqual({ type: 'Text', value: '!' });
  });

  it('$Label.Month_of_Year_1 and a relationship under a global ($User.Manager.Name)', () => {
    const fields = { $Label: { Month_of_Year_1: 'Text' }, $User: { Manager: { Name: 'Text' } } };
    const f = compileFormula('$Label.Month_of_Year_1 & " " & $user.manager.name', { fields });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire({ record: { $Label: { Month_of_Year_1: 'January' }, $User: { Manager: { Name: 'Ada' } } } })).toEqual({ type: 'Text', value: 'January Ada' });
  });

  it('a missing member is E_UNKNOWN_FIELD on the member, with a suggestion', () => {
    const f = compileFormula('$User.Comission_Percent__c', { fields: { $User: { Commission_Percent__c: 'Number' } } });
    expect(f.diagnostics).toEqual([
      expect.objectContaining({ code: 'E_UNKNOWN_FIELD', span: expect.objectContaining({ start: 6, end: 26 }) }),
    ]);
    expect(f.diagnostics[0]?.message).toContain('Commission_Percent__c');
  });

  it('an undeclared known global says how to declare it; an unknown one suggests a close name', () => {
    const undeclared = compileFormula('$User.FirstName');
    expect(undeclared.diagnostics).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_GLOBAL', span: expect.objectContaining({ start: 0, end: 5 }) })]);
    expect(undeclared.diagnostics[0]?.message).toContain('{"$User": {"FirstName": "Text"}}');
    const typo = compileFormula('$Usr.FirstName', { fields: { $User: { FirstName: 'Text' } } });
    expect(typo.diagnostics).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_GLOBAL', span: expect.objectContaining({ start: 0, end: 4 }) })]);
    expect(typo.diagnostics[0]?.message).toContain('Did you mean $User');
  });

  it('only top-level entries of fields may be globals, and only as objects; other $ names are invalid field names', () => {
    expect(compileFormula('1', { fields: { $User: 'Text' } }).diagnostics.map((d) => d.code)).toEqual(['E_INVALID_OPTION']);
    expect(compileFormula('1', { fields: { $Nope: { A: 'Text' } } }).diagnostics.map((d) => d.code)).toEqual(['E_INVALID_OPTION']);
    expect(compileFormula('1', { fields: { Account: { $User: { A: 'Text' } } } }).diagnostics.map((d) => d.code)).toEqual(['E_INVALID_OPTION']);
    expect(compileFormula('1', { constants: { $User: { A: 'Text' } } }).diagnostics.map((d) => d.code)).toEqual(['E_INVALID_OPTION']);
  });
});

describe('$System.OriginDateTime', () => {
  it('is 1900-01-01T00:00:00Z (Salesforce help "Global Variables")', () => {
    expect(compileFormula('$System.OriginDateTime').evaluateToWire()).toEqual({ type: 'DateTime', value: '1900-01-01T00:00:00.000Z' });
    expect(compileFormula('FLOOR(DATETIMEVALUE("1900-01-02 12:00:00") - $System.OriginDateTime)').evaluateToWire()).toEqual({ type: 'Number', value: '1' });
  });
  it('has no other member', () => {
    expect(compileFormula('$System.Now').diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD']);
    expect(compileFormula('$System.OriginDateTime.Year').diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_FIELD']);
  });
});
