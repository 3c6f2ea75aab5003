/**
 * Issue 17: the classes where a live Salesforce org disagreed with Parlance. Each test name cites
 * its evidence. "sformula fixture" is stomita/sformula test/fixtures/formula-defs.yml (the formula)
 * evaluated on test/fixtures/test-records.yml (the record): sformula's CI deploys every formula to a
 * scratch org and asserts that its own result equals the org's, so a passing case is the org's
 * answer. docs/compatibility.md has the order of evidence and the details.
 */
import { describe, expect, it } from 'vitest';
import { compileFormula, type WireResult } from '../../src/index.js';

type Options = Parameters<typeof compileFormula>[1];

function wire(formula: string, options: Options = {}, context: Parameters<ReturnType<typeof compileFormula>['evaluateToWire']>[0] = {}): WireResult {
  const f = compileFormula(formula, options);
  if (!f.ok) throw new Error(`${formula}: ${f.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return f.evaluateToWire(context);
}

describe('ISNUMBER of a blank is blank below the top level', () => {
  const fields = { Text01__c: 'Text' };
  it('sformula fixture `NOT(ISNUMBER(Text01__c))` on the record {} (Text01__c blank): the org gives FALSE, so the result is not TRUE', () => {
    const r = wire('NOT(ISNUMBER(Text01__c))', { fields, returnType: 'Boolean' }, { record: {} });
    expect(r).toEqual({ type: 'Boolean', value: null });
    // A Checkbox reads a blank Boolean as FALSE (known difference blank-checkbox-result); IF does too.
    expect(wire('IF(NOT(ISNUMBER(Text01__c)), "T", "F")', { fields }, { record: { Text01__c: '' } })).toEqual({ type: 'Text', value: 'F' });
  });
  it('sformula fixture `ISNUMBER(Text01__c)` on the record {}: FALSE in the org, blank here (FALSE in IF and in a Checkbox)', () => {
    expect(wire('ISNUMBER(Text01__c)', { fields }, { record: {} })).toEqual({ type: 'Boolean', value: null });
    expect(wire('IF(ISNUMBER(Text01__c), "T", "F")', { fields }, { record: {} })).toEqual({ type: 'Text', value: 'F' });
  });
  it('non-blank text is still TRUE or FALSE (formula-engine BigDecimalHelper.functionIsNumber)', () => {
    expect(wire('ISNUMBER("2E2")')).toEqual({ type: 'Boolean', value: true });
    expect(wire('NOT(ISNUMBER("abc"))')).toEqual({ type: 'Boolean', value: true });
  });
});

describe('SUBSTITUTE with a blank old_text returns the text unchanged', () => {
  const fields = { Text01__c: 'Text', Text02__c: 'Text' };
  it("sformula fixture `SUBSTITUTE(Text01__c, Text02__c, '*')` on the record {Text01__c: abc} (Text02__c blank): the org gives \"abc\"", () => {
    expect(wire("SUBSTITUTE(Text01__c, Text02__c, '*')", { fields }, { record: { Text01__c: 'abc' } })).toEqual({ type: 'Text', value: 'abc' });
    expect(wire('SUBSTITUTE("abc", "", "*")')).toEqual({ type: 'Text', value: 'abc' });
  });
  it("sformula fixture `SUBSTITUTE(Text01__c, Text02__c, '*')` on the record {Text02__c: def} (Text01__c blank): blank", () => {
    expect(wire("SUBSTITUTE(Text01__c, Text02__c, '*')", { fields }, { record: { Text02__c: 'def' } })).toEqual({ type: 'Text', value: null });
  });
});

describe('RIGHT with a fractional count is blank', () => {
  it('issue 17 replay of the sformula fixture `RIGHT(Text01__c, Number01__c)`: RIGHT("abcABCde", 2.81) is blank in the org', () => {
    expect(wire('RIGHT("abcABCde", 2.81)')).toEqual({ type: 'Text', value: null });
    expect(wire('RIGHT(Text01__c, Number01__c)', { fields: { Text01__c: 'Text', Number01__c: 'Number' } }, { record: { Text01__c: 'abcABCde', Number01__c: '-0.5' } })).toEqual({ type: 'Text', value: null });
  });
  it('a whole count, even written with decimals, still counts (RIGHT("abcABCde", 2.0) is "de")', () => {
    expect(wire('RIGHT("abcABCde", 2.0)')).toEqual({ type: 'Text', value: 'de' });
    expect(wire('RIGHT("abcABCde", 5 / 2 * 2)')).toEqual({ type: 'Text', value: 'ABCde' });
  });
});

describe('MOD by zero gives the dividend', () => {
  const fields = { Number01__c: 'Number', Number02__c: 'Number' };
  it('sformula fixture `MOD(Number02__c, Number01__c)` on the record {Number01__c: 0, Number02__c: 4}: the org gives 4', () => {
    expect(wire('MOD(Number02__c, Number01__c)', { fields, scale: 4 }, { record: { Number01__c: '0', Number02__c: '4' } })).toEqual({ type: 'Number', value: '4.0000' });
    expect(wire('MOD(4, 0)')).toEqual({ type: 'Number', value: '4' });
  });
  it('sformula fixture `MOD(Number02__c, Number01__c)` on the record {Number01__c: 0, Number02__c: 1}: the org gives 1; negatives and fractions keep their value', () => {
    expect(wire('MOD(Number02__c, Number01__c)', { fields }, { record: { Number01__c: '0', Number02__c: '1' } })).toEqual({ type: 'Number', value: '1' });
    expect(wire('MOD(-7.25, 0)')).toEqual({ type: 'Number', value: '-7.25' });
  });
  it('the / operator by zero stays an error (formula-engine OperatorDivide; help customize_functions_divide)', () => {
    expect(wire('4 / 0')).toMatchObject({ error: { code: 'E_DIVISION_BY_ZERO' } });
  });
});

describe('a Date/Time result of a formula declared as Date is its GMT date', () => {
  const fields = { Datetime01__c: 'DateTime' };
  const asDate = (t: string, timezone = 'America/Los_Angeles') => wire('Datetime01__c - 0.5', { fields, returnType: 'Date' }, { record: { Datetime01__c: t }, timezone });
  it('sformula fixture `Datetime01__c - 0.5` as a Date formula on the records of test-records.yml (sformula src/cast.ts: dayjs(value).utc())', () => {
    expect(asDate('2018-01-01T14:00:00Z')).toEqual({ type: 'Date', value: '2018-01-01' });
    expect(asDate('2018-01-01T14:00:00+09:00')).toEqual({ type: 'Date', value: '2017-12-31' });
    expect(asDate('2018-01-02T00:00:00Z', 'Asia/Tokyo')).toEqual({ type: 'Date', value: '2018-01-01' });
    expect(wire('Datetime01__c - 0.5', { fields, returnType: 'Date' }, { record: {} })).toEqual({ type: 'Date', value: null });
  });
  it('is accepted at compile time; other mismatches are still E_RETURN_TYPE', () => {
    expect(compileFormula('Datetime01__c', { fields, returnType: 'Date' }).diagnostics).toEqual([]);
    expect(compileFormula('TODAY()', { returnType: 'DateTime' }).diagnostics.map((d) => d.code)).toEqual(['E_RETURN_TYPE']);
    expect(compileFormula('Datetime01__c', { fields, returnType: 'Time' }).diagnostics.map((d) => d.code)).toEqual(['E_RETURN_TYPE']);
  });
  it('the date is checked against Salesforce\'s 1700–4000 range', () => {
    expect(wire('Datetime01__c', { fields, returnType: 'Date' }, { record: { Datetime01__c: '4000-12-31T23:59:59Z' } })).toEqual({ type: 'Date', value: '4000-12-31' });
  });
});

describe('DATEVALUE of a Date/Time is its GMT date', () => {
  const fields = { Datetime01__c: 'DateTime' };
  it('sformula fixture `DATEVALUE(Datetime01__c)` on the record {Datetime01__c: 2018-01-01T14:00:00+09:00}, user zone America/Los_Angeles: the org gives 2018-01-01', () => {
    expect(wire('DATEVALUE(Datetime01__c)', { fields }, { record: { Datetime01__c: '2018-01-01T14:00:00+09:00' }, timezone: 'America/Los_Angeles' })).toEqual({ type: 'Date', value: '2018-01-01' });
  });
  it('sformula fixture `DATEVALUE(Datetime01__c)` on the record {Datetime01__c: 2018-01-01T14:00:00Z}: 2018-01-01 in every zone', () => {
    for (const timezone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
      expect(wire('DATEVALUE(Datetime01__c)', { fields }, { record: { Datetime01__c: '2018-01-01T14:00:00Z' }, timezone })).toEqual({ type: 'Date', value: '2018-01-01' });
    }
  });
});

describe("issue 17's contested items, settled by the order of evidence (docs/compatibility.md)", () => {
  it('help customize_functions_find: a start_num of 0 or less displays 0 (outranks formula-engine FunctionFind, which searches from 1)', () => {
    expect(wire('FIND("o", "Hello", 0)')).toEqual({ type: 'Number', value: '0' });
    expect(wire('FIND("H", "Hello", -1)')).toEqual({ type: 'Number', value: '0' });
    expect(wire('FIND("b", "abc", 0.5)')).toEqual({ type: 'Number', value: '2' });
  });
  it('help customize_functions_value: 1 + VALUE("$123") is blank, not an error', () => {
    expect(wire('1 + VALUE("$123")')).toEqual({ type: 'Number', value: null });
    expect(wire('VALUE("EUR123")')).toEqual({ type: 'Number', value: null });
    expect(wire('VALUE("1e3")')).toEqual({ type: 'Number', value: '1000' });
  });
  it('formula-engine FunctionValue (new BigDecimal, the in-memory path): VALUE(" 42 ") is not a number, so blank', () => {
    expect(wire('VALUE(" 42 ")')).toEqual({ type: 'Number', value: null });
    expect(wire('VALUE(TRIM(" 42 "))')).toEqual({ type: 'Number', value: '42' });
  });
  it('formula-engine FunctionText and Trailhead "Use Text Formulas": TEXT of a Boolean is a type error', () => {
    expect(compileFormula('TEXT(TRUE)').diagnostics.map((d) => d.code)).toEqual(['E_TYPE_MISMATCH']);
  });
  it('formula-engine UnaryMathCommand (Java doubles, BigDecimal.valueOf): TEXT(SQRT(2)) is 1.4142135623730951 and FLOOR(LOG(1000)) is 2', () => {
    expect(wire('TEXT(SQRT(2))')).toEqual({ type: 'Text', value: '1.4142135623730951' });
    expect(wire('FLOOR(LOG(1000))')).toEqual({ type: 'Number', value: '2' });
  });
  it('formula-engine BigDecimalHelper.MC_PRECISION_INTERNAL: a quotient has 39 significant digits', () => {
    expect(wire('TEXT(1/3)')).toEqual({ type: 'Text', value: `.${'3'.repeat(39)}` });
    expect(wire('TEXT(2/3)')).toEqual({ type: 'Text', value: `.${'6'.repeat(38)}7` });
  });
  it('formula-engine FormulaTextUtil.formulaTrim (both engine paths agree; the function list only describes): TRIM keeps tabs', () => {
    expect(wire('TRIM("\ta b ")')).toEqual({ type: 'Text', value: '\ta b' });
  });
  it('formula-engine FunctionDatetimeValue (SimpleDateFormat with the time): DATETIMEVALUE("2024-03-10") is an error', () => {
    expect(wire('DATETIMEVALUE("2024-03-10")')).toMatchObject({ error: { code: 'E_INVALID_ARGUMENT' } });
  });
  it('formula-engine FunctionCase ("null != null"): a blank number matches no CASE value, not even NULL', () => {
    expect(wire('CASE(n, NULL, "blank", "other")', { fields: { n: 'Number' } }, { record: {} })).toEqual({ type: 'Text', value: 'other' });
  });
  it('formula-engine FunctionMid (start compared before truncation): MID("abc", 3.5, 1) is blank', () => {
    expect(wire('MID("abc", 3.5, 1)')).toEqual({ type: 'Text', value: null });
  });
  it('KB 000383587 (dates 1700-01-01 to 4000-12-31): an intermediate date outside the range is E_DATE_OUT_OF_RANGE', () => {
    expect(wire('DATE(1700, 1, 1) - 1 + 1')).toMatchObject({ error: { code: 'E_DATE_OUT_OF_RANGE' } });
  });
});
