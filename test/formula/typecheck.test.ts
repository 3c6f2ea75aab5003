import { describe, expect, it } from 'vitest';
import { compileFormula, createDefaultRegistry, FormulaEngine, FunctionRegistry, defineFunction } from '../../src/index.js';

describe('type checker', () => {
  it('collects every problem in one pass, in source order, with line and column', () => {
    const f = compileFormula('IF(Days, 1, "x") +\n  UNKNOWN(1) & Nme', { fields: { Days: 'Number', Name: 'Text' } });
    expect(f.ok).toBe(false);
    expect(f.diagnostics.map((d) => [d.code, d.span.line, d.span.column])).toEqual([
      ['E_TYPE_MISMATCH', 1, 4],
      ['E_TYPE_MISMATCH', 1, 13],
      ['E_FUNCTION_NOT_SUPPORTED', 2, 3],
      ['E_UNKNOWN_FIELD', 2, 16],
    ]);
    expect(f.diagnostics[1]?.message).toBe("Incorrect parameter type for function 'IF()'. Expected Number, received Text");
    expect(f.diagnostics[3]?.message).toBe('Field Nme does not exist. Did you mean Name?');
  });

  it('resolves relationship paths case-insensitively and reports where a path breaks', () => {
    const fields = { Account: { Owner: { Name: 'Text' }, Industry: 'Text' } };
    expect(compileFormula('account.OWNER.name', { fields }).evaluateToWire({ record: { Account: { Owner: { Name: 'Ann' } } } })).toEqual({ type: 'Text', value: 'Ann' });
    expect(compileFormula('Account.Industry.Name', { fields }).diagnostics).toMatchObject([
      { code: 'E_UNKNOWN_FIELD', message: 'Account.Industry is Text, not a relationship, so it has no field Name', span: { column: 18 } },
    ]);
    expect(compileFormula('Account', { fields }).diagnostics).toMatchObject([{ code: 'E_NOT_A_VALUE' }]);
    expect(compileFormula('Account.Owner.Name', { fields }).dependencies).toEqual(['Account.Owner.Name']);
  });

  it('types $Constants, $Parameters and record parameters', () => {
    const f = compileFormula('$Constants.Title & ": " & $Parameters.MyCaseParam.CaseNumber', {
      constants: { Title: 'Text' },
      parameters: { MyCaseParam: { CaseNumber: 'Text', Subject: 'Text' } },
    });
    expect(f.dependencies).toEqual(['$Constants.Title', '$Parameters.MyCaseParam.CaseNumber']);
    expect(f.evaluateToWire({ constants: { Title: 'Case' }, parameters: { MyCaseParam: { CaseNumber: '00001006' } } })).toEqual({ type: 'Text', value: 'Case: 00001006' });
    expect(compileFormula('$Constants.Nope').diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD', message: 'Constant Nope does not exist. Check spelling.' }]);
    expect(compileFormula('$Parameters.MyCaseParam', { parameters: { MyCaseParam: { CaseNumber: 'Text' } } }).diagnostics).toMatchObject([{ code: 'E_NOT_A_VALUE' }]);
  });

  it('types $ListItem only inside list templates', () => {
    expect(compileFormula('$ListItem.Index').diagnostics).toMatchObject([{ code: 'E_UNKNOWN_GLOBAL' }]);
    const f = compileFormula('TEXT($ListItem.Index) & ". " & $ListItem.Value.Name & IF(NOT($ListItem.IsLast), BR(), "")', { listItem: { value: { Name: 'Text' } } });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire({ listItem: { index: 2, value: { Name: 'Cancel my order' }, isFirst: false, isLast: false } })).toEqual({ type: 'Text', value: '2. Cancel my order\n' });
    expect(compileFormula('$ListItem.Value.Nope', { listItem: { value: { Name: 'Text' } } }).diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD' }]);
    expect(compileFormula('$ListItem.Size', { listItem: { value: 'Text' } }).diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD' }]);
    expect(compileFormula('$ListTemplates.OptionsList').diagnostics).toMatchObject([{ code: 'E_UNKNOWN_GLOBAL' }]);
  });

  it('checks the declared return type', () => {
    expect(compileFormula('1', { returnType: 'Currency' }).evaluateToWire()).toEqual({ type: 'Currency', value: '1' });
    expect(compileFormula('"a"', { returnType: 'Number' }).diagnostics).toMatchObject([
      { code: 'E_RETURN_TYPE', message: 'Formula result is data type (Text), incompatible with expected data type (Number)' },
    ]);
    expect(compileFormula('1', { returnType: 'Banana' }).diagnostics).toMatchObject([{ code: 'E_INVALID_OPTION' }]);
  });

  it('reports bad field specs with JSON pointers', () => {
    const f = compileFormula('x', { fields: { x: 'Nmber', y: { z: 7 } } as never });
    expect(f.diagnostics.map((d) => d.message)).toEqual([
      "/fields/x: Unknown type 'Nmber'. Expected one of Number, Currency, Percent, Text, Boolean, Date, DateTime, Time, Geolocation, Picklist, MultiPicklist, Id",
      '/fields/y/z: A type must be a type name, an object of fields or a one-element array, not number',
    ]);
  });

  it('follows a field spec changed in place between compiles (parsed specs are reused only while they hold the same)', () => {
    const fields: Record<string, unknown> = { Amount: 'Number', Account: { Name: 'Text' } };
    const compile = (source: string) => compileFormula(source, { fields });
    expect(compile('Amount + 1').returnType).toBe('Number');
    expect(compile('Amount + 1').returnType).toBe('Number');
    fields['Amount'] = 'Currency';
    expect(compile('Amount + 1').returnType).toBe('Currency');
    expect(compile('Total').diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD' }]);
    fields['Total'] = 'Number';
    expect(compile('Total').ok).toBe(true);
    delete fields['Total'];
    expect(compile('Total').ok).toBe(false);
    (fields['Account'] as Record<string, unknown>)['Name'] = 'Number';
    expect(compile('Account.Name').returnType).toBe('Number');
    (fields['Account'] as Record<string, unknown>)['Owner'] = { Name: 'Text' };
    expect(compile('Account.Owner.Name').returnType).toBe('Text');
    fields['Amount'] = 'Nmber';
    expect(compile('1').diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("/fields/Amount: Unknown type 'Nmber'")]);
    expect(compile('1').diagnostics).toHaveLength(1);
    fields['Amount'] = 'Number';
    expect(compile('Amount').ok).toBe(true);
  });

  it('reuses a parsed spec for an equal fresh object only while it holds the same (specs interned by content)', () => {
    const engine = new FormulaEngine();
    const typeOf = (source: string, fields: Record<string, unknown>) => engine.compile(source, { fields }).returnType;
    expect(typeOf('Amount + 1', { Amount: 'Number', Account: { Name: 'Text' } })).toBe('Number');
    expect(typeOf('Amount + 1', { Amount: 'Number', Account: { Name: 'Text' } })).toBe('Number');
    expect(typeOf('Amount + 1', { Amount: 'Currency', Account: { Name: 'Text' } })).toBe('Currency');
    expect(typeOf('Account.Name', { Amount: 'Currency', Account: { Name: 'Number' } })).toBe('Number');
    expect(typeOf('Account.Name', { Amount: 'Currency', Account: { Name: 'Text' } })).toBe('Text');
    // Same key count and first and last keys, a different key between them.
    expect(typeOf('B', { A: 'Number', B: 'Text', C: 'Number' })).toBe('Text');
    expect(engine.compile('B', { fields: { A: 'Number', X: 'Text', C: 'Number' } }).diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD' }]);
    expect(typeOf('X', { A: 'Number', X: 'Date', C: 'Number' })).toBe('Date');
    // A relationship where an equal spec had a type name, and the reverse.
    expect(typeOf('A.Name', { A: { Name: 'Text' }, C: 'Number' })).toBe('Text');
    expect(engine.compile('A.Name', { fields: { A: 'Number', C: 'Number' } }).diagnostics).toMatchObject([{ code: 'E_UNKNOWN_FIELD' }]);
    expect(typeOf('A.Name', { A: { Name: 'Date' }, C: 'Number' })).toBe('Date');
    // Top-level `$User` entries are globals in `fields` only.
    expect(typeOf('$User.Title', { $User: { Title: 'Text' } })).toBe('Text');
    expect(engine.compile('1', { constants: { $User: { Title: 'Text' } } }).diagnostics).toMatchObject([{ code: 'E_INVALID_OPTION', message: expect.stringContaining('/constants/$User') }]);
    // An instance of a class is not interned by content, and still parses.
    class Fields {
      Amount = 'Percent';
    }
    expect(typeOf('Amount', new Fields() as unknown as Record<string, unknown>)).toBe('Percent');
    expect(typeOf('Amount', { Amount: 'Number' })).toBe('Number');
  });

  it('a parameter validator that checks another formula does not disturb the call it validates (shared type-variable bindings)', () => {
    const engine: { current?: FormulaEngine } = {};
    const registry = createDefaultRegistry().register(
      defineFunction({
        name: 'SAME',
        family: 'logic',
        overloads: [{ params: [{ name: 'value', type: 'T', validate: () => (engine.current?.compile('IF(TRUE, 1, 2)').returnType === 'Number' ? undefined : 'inner') }], returns: 'T', impl: (v: unknown) => v }],
        doc: { summary: 'x', examples: [] },
      }),
    );
    engine.current = new FormulaEngine({ registry });
    const f = engine.current.compile('SAME("a")');
    expect(f.diagnostics).toEqual([]);
    expect(f.returnType).toBe('Text');
  });

  it('rejects lists used as values', () => {
    expect(compileFormula('$Constants.Options', { constants: { Options: [{ Name: 'Text' }] } }).diagnostics).toMatchObject([{ code: 'E_NOT_A_VALUE' }]);
  });

  it('resolves overloads at compile time: + on numbers, text and dates', () => {
    expect(compileFormula('"a" + "b"').evaluateToWire()).toEqual({ type: 'Text', value: 'ab' });
    expect(compileFormula('d + 1', { fields: { d: 'Date' } }).returnType).toBe('Date');
    expect(compileFormula('c + 1', { fields: { c: 'Currency' } }).returnType).toBe('Currency');
    expect(compileFormula('TRUE + 1').diagnostics).toMatchObject([
      { code: 'E_TYPE_MISMATCH', message: "Incorrect parameter type for operator '+'. Expected Number, Text, Date, DateTime, Time, received Boolean" },
    ]);
  });

  it('keeps registries per engine instance', () => {
    const registry = new FunctionRegistry().register(
      defineFunction({ name: 'TWICE', family: 'math', overloads: [{ params: [{ name: 'n', type: 'Numeric' }], returns: 'Number', impl: (n: number) => n * 2 }], doc: { summary: 'x', examples: [] } }),
    );
    const engine = new FormulaEngine({ registry });
    expect(engine.compile('TWICE(21)').evaluateToWire()).toEqual({ type: 'Number', value: '42' });
    expect(compileFormula('TWICE(21)').diagnostics).toMatchObject([{ code: 'E_FUNCTION_NOT_SUPPORTED' }]);
  });
});

describe('evaluation', () => {
  it('rounds to the requested scale, half away from zero', () => {
    expect(compileFormula('x / 3', { fields: { x: 'Number' }, scale: 2 }).evaluateToWire({ record: { x: 2 } })).toEqual({ type: 'Number', value: '0.67' });
    expect(compileFormula('x', { fields: { x: 'Number' }, scale: 0 }).evaluateToWire({ record: { x: '-2.5' } })).toEqual({ type: 'Number', value: '-3' });
    expect(compileFormula('x', { fields: { x: 'Number' }, scale: 2 }).evaluateToWire({ record: { x: 5 } })).toEqual({ type: 'Number', value: '5.00' });
  });

  it('treats Percent as a fraction inside formulas and percent points on the wire', () => {
    const f = compileFormula('Discount * 100', { fields: { Discount: 'Percent' } });
    expect(f.evaluateToWire({ record: { Discount: 12.5 } })).toEqual({ type: 'Number', value: '12.5' });
    expect(compileFormula('Discount', { fields: { Discount: 'Percent' } }).evaluateToWire({ record: { Discount: '12.5' } })).toEqual({ type: 'Percent', value: '12.5' });
  });

  it('reads a Percent field given as a JSON number exactly as the same number given as text', () => {
    // A bare Percent field has its own read (no decoder switch); the text goes through the decoder.
    const f = compileFormula('P', { fields: { P: 'Percent' } });
    const g = compileFormula('P * 3 + 1', { fields: { P: 'Percent' } });
    const values = [0, -0, 1, -1, 15, 12.5, 8.25, 33.3, 0.001, -0.35, 1e-7, 123456789.125, 2 ** 53, 2 ** 53 + 2, 1e21, 5e-324, Number.MAX_VALUE, 0.1 + 0.2];
    for (let i = 0; i < 300; i++) values.push((((i * 7919) % 1000) - 500) / [1, 3, 7, 100, 1024][i % 5]!);
    for (const v of values) {
      expect(f.evaluateToWire({ record: { P: v } }), String(v)).toEqual(f.evaluateToWire({ record: { P: String(v) } }));
      expect(g.evaluateToWire({ record: { P: v } }), String(v)).toEqual(g.evaluateToWire({ record: { P: String(v) } }));
    }
    for (const v of [Infinity, -Infinity, NaN]) expect(f.evaluateToWire({ record: { P: v } })).toMatchObject({ error: { code: 'E_INVALID_INPUT', span: { start: 0, end: 1 } } });
    expect(f.evaluateToWire({ record: { P: null } })).toEqual({ type: 'Percent', value: null });
    expect(compileFormula('P', { fields: { P: 'Percent' }, blankAs: 'zero' }).evaluateToWire({ record: {} })).toEqual({ type: 'Percent', value: '0' });
  });

  it('blankAs zero reads blank numbers as 0 and blank text as empty', () => {
    const options = { fields: { a: 'Number', t: 'Text' }, blankAs: 'zero' as const };
    expect(compileFormula('a + 1', options).evaluateToWire({ record: {} })).toEqual({ type: 'Number', value: '1' });
    expect(compileFormula('a + 1', { fields: { a: 'Number' } }).evaluateToWire({ record: {} })).toEqual({ type: 'Number', value: null });
    expect(compileFormula('ISBLANK(t)', options).evaluateToWire({ record: {} })).toEqual({ type: 'Boolean', value: true });
  });

  it('rejects record values that do not fit their type, naming the field', () => {
    const f = compileFormula('Account.Owner.Name', { fields: { Account: { Owner: { Name: 'Text' } } } });
    expect(f.evaluateToWire({ record: { Account: { Owner: { Name: 7 } } } })).toMatchObject({
      error: { code: 'E_INVALID_INPUT', message: 'Invalid input for Account.Owner.Name: expected a string, received 7', span: { start: 0, end: 18 } },
    });
    expect(f.evaluateToWire({ record: { Account: 'x' } })).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
    expect(compileFormula('d', { fields: { d: 'Date' } }).evaluateToWire({ record: { d: '2024-02-30' } })).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
    expect(compileFormula('d', { fields: { d: 'DateTime' } }).evaluateToWire({ record: { d: '2024-02-03T10:00:00' } })).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
  });

  it('encodes every type for the wire', () => {
    const fields = { n: 'Number', d: 'Date', dt: 'DateTime', t: 'Time', b: 'Boolean', m: 'MultiPicklist', g: 'Geolocation' };
    const record = { n: '1357.950', d: '2026-11-21', dt: '2026-11-21T11:00:00+01:00', t: '09:30', b: true, m: ['a', 'b'], g: { latitude: 37.7749, longitude: '-122.4194' } };
    const wire = (name: string) => compileFormula(name, { fields }).evaluateToWire({ record });
    expect(wire('n')).toEqual({ type: 'Number', value: '1357.95' });
    expect(wire('d')).toEqual({ type: 'Date', value: '2026-11-21' });
    expect(wire('dt')).toEqual({ type: 'DateTime', value: '2026-11-21T10:00:00.000Z' });
    expect(wire('t')).toEqual({ type: 'Time', value: '09:30:00.000' });
    expect(wire('b')).toEqual({ type: 'Boolean', value: true });
    expect(wire('m')).toEqual({ type: 'MultiPicklist', value: 'a;b' });
    expect(wire('g')).toEqual({ type: 'Geolocation', value: { latitude: '37.7749', longitude: '-122.4194' } });
  });

  it('validates the time zone', () => {
    const f = compileFormula('1');
    expect(f.evaluateToWire({ timezone: 'Mars/Olympus' })).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
    expect(f.evaluateToWire({ timezone: 'Europe/Paris', now: '2026-11-21T10:00:00Z' })).toEqual({ type: 'Number', value: '1' });
  });

  it('reads `now` at the first clock call: a formula that does not read the clock ignores it', () => {
    expect(compileFormula('1').evaluateToWire({ now: 'yesterday' })).toEqual({ type: 'Number', value: '1' });
    expect(compileFormula('1').evaluateToWire({ now: new Date(NaN) })).toEqual({ type: 'Number', value: '1' });
    // A clock call on a branch not taken does not read it either.
    expect(compileFormula('IF(false, TEXT(TODAY()), "x")').evaluateToWire({ now: 'yesterday' })).toEqual({ type: 'Text', value: 'x' });
  });

  it('reports a bad `now` read by a clock call as E_INVALID_INPUT located at that call', () => {
    const bad = { code: 'E_INVALID_INPUT', message: `Invalid 'now': expected an ISO 8601 date-time with an offset, received "yesterday"` };
    expect(compileFormula('TODAY()').evaluateToWire({ now: 'yesterday' })).toEqual({ error: { ...bad, span: { start: 0, end: 7, line: 1, column: 1 } } });
    expect(compileFormula('"at " & TEXT(NOW())').evaluateToWire({ now: 'yesterday' })).toEqual({ error: { ...bad, span: { start: 13, end: 18, line: 1, column: 14 } } });
    expect(compileFormula('TIMENOW()').evaluate({ now: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT', span: { start: 0, end: 9 } } });
    expect(compileFormula('TODAY()').evaluateToWire({ now: new Date(NaN) })).toMatchObject({ error: { code: 'E_INVALID_INPUT', span: { start: 0, end: 7 } } });
    // The memo of the last text parsed does not keep a bad text, nor hide one after a good one.
    const f = compileFormula('TODAY()');
    expect(f.evaluateToWire({ now: '2026-11-21T10:00:00Z' })).toEqual({ type: 'Date', value: '2026-11-21' });
    expect(f.evaluateToWire({ now: '2026-11-21T10:00:00' })).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
    expect(f.evaluateToWire({ now: '2026-11-22T10:00:00Z' })).toEqual({ type: 'Date', value: '2026-11-22' });
    // Every clock call of one evaluation reads the same instant: a clock function is called once.
    let calls = 0;
    const clock = () => Date.UTC(2026, 10, 21, 10) + 1000 * calls++;
    expect(compileFormula('NOW() = NOW() && TODAY() = DATEVALUE(NOW())').evaluateToWire({ now: clock })).toEqual({ type: 'Boolean', value: true });
    expect(calls).toBe(1);
  });

  it('an evaluation nested in a clock function of the same formula keeps each its own data', () => {
    const f = compileFormula('Name & " " & TEXT(TODAY())', { fields: { Name: 'Text' } });
    const inner = () => {
      expect(f.evaluateToWire({ record: { Name: 'inner' }, now: '2026-01-02T00:00:00Z' })).toEqual({ type: 'Text', value: 'inner 2026-01-02' });
      return Date.UTC(2026, 10, 21);
    };
    expect(f.evaluateToWire({ record: { Name: 'outer' }, now: inner })).toEqual({ type: 'Text', value: 'outer 2026-11-21' });
    expect(f.evaluate({ record: { Name: 'again' }, now: '2026-03-04T00:00:00Z' })).toEqual({ ok: true, type: 'Text', value: 'again 2026-03-04' });
  });

  it('bounds numbers and text so no input exhausts the process', () => {
    expect(compileFormula('10 ^ 5000').evaluateToWire()).toMatchObject({ error: { code: 'E_NUMBER_OUT_OF_RANGE' } });
    const grow = `${'("x" & '.repeat(1)}"y")`;
    expect(compileFormula(grow).evaluateToWire()).toEqual({ type: 'Text', value: 'xy' });
  });

  it('rejects formulas over 3,900 characters, and the limit is configurable', () => {
    const long = `1${' + 1'.repeat(1000)}`;
    expect(compileFormula(long).diagnostics).toMatchObject([{ code: 'E_FORMULA_TOO_LONG', message: 'Formula is too long (4,001 characters). Maximum length is 3,900 characters' }]);
    expect(compileFormula(long, { maxLength: 5000 }).evaluateToWire()).toEqual({ type: 'Number', value: '1001' });
  });
});

describe('compile options: record specs and built record types', () => {
  it('reports a fields, constants or parameters option that is not an object (null included) instead of throwing', () => {
    for (const bad of [null, 'Number', 3, ['Text']]) {
      for (const option of ['fields', 'constants', 'parameters'] as const) {
        const f = compileFormula('1', { [option]: bad } as never);
        expect(f.ok).toBe(false);
        expect(f.diagnostics).toMatchObject([{ code: 'E_INVALID_OPTION', message: `/${option}: Expected an object of field name → type` }]);
      }
    }
  });

  it('takes a built record type as it is, and a spec with a field named kind as a spec', async () => {
    const { ObjectCatalog } = await import('../../src/index.js');
    const { recordType } = await import('../../src/formula/types.js');
    const Case = ObjectCatalog.builtin().recordType('Case')!;
    expect(compileFormula('CaseNumber', { fields: Case }).returnType).toBe('Text');
    const built = recordType([{ name: 'Amount', type: 'Currency' }]);
    expect(compileFormula('Amount', { fields: built }).returnType).toBe('Currency');
    // The keys of a built type, written as a spec: `kind` is a field and `fields` a relationship.
    expect(compileFormula('kind', { fields: { kind: 'Text', fields: { Name: 'Text' } } }).returnType).toBe('Text');
    expect(compileFormula('fields.Name', { fields: { kind: 'record', fields: { Name: 'Text' } } }).diagnostics).toMatchObject([{ code: 'E_INVALID_OPTION', message: expect.stringContaining("/fields/kind: Unknown type 'record'") }]);
    expect(compileFormula('Amount', { fields: { Amount: 'Number', kind: 'Text' } }).returnType).toBe('Number');
  });

  it('accepts exactly the field names /^[A-Za-z_][A-Za-z0-9_]*$/, and top-level globals in fields only', () => {
    const chars = ['a', 'z', 'A', 'Z', '_', '0', '9', '$', '@', '[', '`', '{', '/', ':', '-', ' ', 'é', '\n', '.'];
    const names: string[] = ['$User', '$user', '$Api', '$Nope', '$', 'User', 'kind'];
    for (const a of chars) {
      names.push(a);
      for (const b of chars) names.push(a + b, `${a}x${b}`);
    }
    const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
    const GLOBAL = /^\$(?:User|Organization|Profile|UserRole|Label|Setup|Permission|Api)$/i;
    const engine = new FormulaEngine();
    for (const name of names) {
      const spec = GLOBAL.test(name) ? { [name]: { Title: 'Text' } } : { [name]: 'Text' };
      const inFields = engine.compile('1', { fields: spec }).diagnostics.map((d) => d.code);
      const inConstants = engine.compile('1', { constants: spec }).diagnostics.map((d) => d.code);
      expect(inFields, name).toEqual(FIELD.test(name) || GLOBAL.test(name) ? [] : ['E_INVALID_OPTION']);
      expect(inConstants, name).toEqual(FIELD.test(name) ? [] : ['E_INVALID_OPTION']);
    }
  });
});

describe('built types inside type specs', () => {
  it('accepts a catalog record type for a parameter', async () => {
    const { ObjectCatalog } = await import('../../src/index.js');
    const Case = ObjectCatalog.builtin().recordType('Case')!;
    const f = compileFormula('$Parameters.MyCaseParam.CaseNumber & " " & $Parameters.MyCaseParam.Account.Name', { parameters: { MyCaseParam: Case } });
    expect(f.diagnostics).toEqual([]);
    expect(f.evaluateToWire({ parameters: { MyCaseParam: { CaseNumber: '00001006', Account: { Name: 'Acme' } } } })).toEqual({ type: 'Text', value: '00001006 Acme' });
  });
});
