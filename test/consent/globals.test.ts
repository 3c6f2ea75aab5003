/**
 * A channel's global merge fields (docs/auto-responses.md#globals, issue 17 deliverable 3):
 * `globals` declares what the channel's auto-response components may read, `globalValues` gives the
 * values; a component rendered for the channel sees both declarations merged, and must agree
 * with the channel on every member both declare.
 */
import { describe, expect, it } from 'vitest';
import { checkResponseComponents } from '../../src/consent/automated-validation.js';
import { mergeComponentGlobals } from '../../src/consent/globals.js';
import { validateChannelSettings, type ChannelSettings } from '../../src/consent/settings.js';

const base = { type: 'EmbeddedWeb', languages: [{ language: 'en' }] };
const valid = (extra: Record<string, unknown>): ChannelSettings => {
  const v = validateChannelSettings({ ...base, ...extra });
  expect(v.errors).toEqual([]);
  expect(v.valid).toBe(true);
  return v.settings as ChannelSettings;
};
const errorsOf = (extra: Record<string, unknown>) => validateChannelSettings({ ...base, ...extra }).errors;

describe('channel settings: globals and globalValues', () => {
  it('a declaration with its values is valid and kept as written', () => {
    const globals = { $Organization: { Name: 'Text', Employees: 'Number' }, $Label: { Greeting: 'Text' } };
    const globalValues = { $Organization: { Name: 'Acme', Employees: 120 }, $Label: { Greeting: 'Welcome' } };
    const v = validateChannelSettings({ ...base, globals, globalValues });
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(v.settings?.globals).toEqual(globals);
    expect(v.settings?.globalValues).toEqual(globalValues);
  });

  it('settings without globals have neither property', () => {
    const s = valid({});
    expect('globals' in s).toBe(false);
    expect('globalValues' in s).toBe(false);
  });

  it('a key of globals that is not a declarable global: E_UNKNOWN_GLOBAL at its pointer, with the closest global', () => {
    const errors = errorsOf({ globals: { $Organisation: { Name: 'Text' } } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ pointer: '/globals/$Organisation', code: 'E_UNKNOWN_GLOBAL' });
    expect(errors[0]?.message).toContain('Did you mean $Organization?');
    expect(errors[0]?.message).toContain('a channel can declare');
  });

  it('a global whose declaration is wrong is reported once, at the declaration: its values are not checked again', () => {
    const errors = errorsOf({ globals: { $Organisation: { Name: 'Text' } }, globalValues: { $Organisation: { Name: 'Acme' } } });
    expect(errors.map((e) => e.pointer)).toEqual(['/globals/$Organisation']);
  });

  it('a member type that does not exist, and globals that are not an object', () => {
    expect(errorsOf({ globals: { $User: { FirstName: 'Txt' } } })).toEqual([expect.objectContaining({ pointer: '/globals/$User/FirstName', code: 'E_INVALID_VALUE' })]);
    expect(errorsOf({ globals: ['$User'] })).toEqual([expect.objectContaining({ pointer: '/globals', code: 'E_NOT_AN_OBJECT' })]);
    expect(errorsOf({ globals: { $User: 'Text' } })).toEqual([expect.objectContaining({ pointer: '/globals/$User', code: 'E_INVALID_VALUE' })]);
  });

  it('a value for a global the channel does not declare: E_UNKNOWN_GLOBAL with the declared ones', () => {
    const errors = errorsOf({ globals: { $Organization: { Name: 'Text' } }, globalValues: { $Organisation: { Name: 'Acme' }, $Organization: { Name: 'Acme' } } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ pointer: '/globalValues/$Organisation', code: 'E_UNKNOWN_GLOBAL' });
    expect(errors[0]?.message).toContain('Did you mean "$Organization"?');
    expect(errors[0]?.message).toContain('The channel declares: $Organization');
  });

  it('values without any declaration: each global is unknown, and the message says to declare it', () => {
    const errors = errorsOf({ globalValues: { $User: { FirstName: 'Ada' } } });
    expect(errors).toEqual([expect.objectContaining({ pointer: '/globalValues/$User', code: 'E_UNKNOWN_GLOBAL' })]);
    expect(errors[0]?.message).toContain('The channel declares no globals');
  });

  it('a member the declaration lacks: E_UNKNOWN_FIELD at the member, with the closest member', () => {
    const errors = errorsOf({ globals: { $Organization: { Name: 'Text', Phone: 'Text' } }, globalValues: { $Organization: { Nmae: 'Acme', Phone: '555' } } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ pointer: '/globalValues/$Organization/Nmae', code: 'E_UNKNOWN_FIELD' });
    expect(errors[0]?.message).toContain('Did you mean "Name"?');
  });

  it('global and member names match case-insensitively, as in formulas', () => {
    const s = valid({ globals: { $User: { FirstName: 'Text' } }, globalValues: { $user: { firstname: 'Ada' } } });
    expect(s.globalValues).toEqual({ $user: { firstname: 'Ada' } });
  });

  it('a value that does not fit its member type: E_INVALID_VALUE with the accepted forms', () => {
    const errors = errorsOf({
      globals: { $Organization: { Employees: 'Number', Founded: 'Date', Owner: { Name: 'Text' } } },
      globalValues: { $Organization: { Employees: 'many', Founded: '2024-02-30', Owner: 'Ann' } },
    });
    expect(errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/globalValues/$Organization/Employees', 'E_INVALID_VALUE'],
      ['/globalValues/$Organization/Founded', 'E_INVALID_VALUE'],
      ['/globalValues/$Organization/Owner', 'E_INVALID_VALUE'],
    ]);
    expect(errors[0]?.message).toContain('$Organization.Employees is Number');
  });

  it('relationship members are checked inside, and a value that is not an object is E_NOT_AN_OBJECT', () => {
    const errors = errorsOf({ globals: { $User: { Manager: { Name: 'Text' } } }, globalValues: { $User: { Manager: { Nme: 'Ann' } } } });
    expect(errors).toEqual([expect.objectContaining({ pointer: '/globalValues/$User/Manager/Nme', code: 'E_UNKNOWN_FIELD' })]);
    expect(errorsOf({ globals: { $User: { FirstName: 'Text' } }, globalValues: { $User: 'Ada' } })).toEqual([expect.objectContaining({ pointer: '/globalValues/$User', code: 'E_NOT_AN_OBJECT' })]);
    expect(errorsOf({ globals: { $User: { FirstName: 'Text' } }, globalValues: 'Ada' })).toEqual([expect.objectContaining({ pointer: '/globalValues', code: 'E_NOT_AN_OBJECT' })]);
  });

  it('a declared member without a value is valid, with a warning at the declaration: it reads as blank', () => {
    const v = validateChannelSettings({ ...base, globals: { $Organization: { Name: 'Text', Phone: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' } } });
    expect(v.valid).toBe(true);
    expect(v.warnings).toEqual([expect.objectContaining({ pointer: '/globals/$Organization/Phone', code: 'W_GLOBAL_VALUE_MISSING' })]);
  });
});

describe('a component rendered for the channel: the two declarations merged', () => {
  it('the union of both; a global both declare keeps the channel\'s spelling', () => {
    const m = mergeComponentGlobals({ $Organization: { Name: 'Text' }, $Label: { Greeting: 'Text' } }, { $organization: { Name: 'Text' } }, 'Greeting');
    expect(m.conflicts).toEqual([]);
    expect(m.missing).toEqual([]);
    expect(m.globals).toEqual({ $Organization: { Name: 'Text' }, $Label: { Greeting: 'Text' } });
  });

  it('a member both declare with different types is a conflict, located in both', () => {
    const m = mergeComponentGlobals({ $Organization: { Name: 'Text' } }, { $Organization: { Name: 'Number' } }, 'Greeting');
    expect(m.conflicts).toEqual([{ code: 'E_GLOBAL_TYPE_CONFLICT', message: expect.stringContaining('as Number'), componentPointer: '/globals/$Organization/Name', channelPointer: '/globals/$Organization/Name' }]);
  });

  it('relationships must have the same fields with the same types', () => {
    expect(mergeComponentGlobals({ $User: { Manager: { Name: 'Text' } } }, { $User: { Manager: { Name: 'Text' } } }, 'X').conflicts).toEqual([]);
    expect(mergeComponentGlobals({ $User: { Manager: { Name: 'Text' } } }, { $User: { Manager: { Name: 'Text', Email: 'Text' } } }, 'X').conflicts).toHaveLength(1);
  });

  it('a member only the component declares is missing: no value would reach it; the closest channel member is suggested', () => {
    const m = mergeComponentGlobals({ $Organization: { Name: 'Text' } }, { $Organization: { Nmae: 'Text' }, $User: { FirstName: 'Text' } }, 'Greeting');
    expect(m.conflicts).toEqual([]);
    expect(m.missing.map((x) => [x.code, x.componentPointer, x.channelPointer])).toEqual([
      ['E_GLOBAL_NOT_DECLARED', '/globals/$Organization/Nmae', '/globals/$Organization'],
      ['E_GLOBAL_NOT_DECLARED', '/globals/$User/FirstName', undefined],
    ]);
    expect(m.missing[0]?.message).toContain('Did you mean "Name"?');
    expect(m.missing[1]?.message).toContain("The channel doesn't declare $User");
    expect(m.globals).toEqual({ $Organization: { Name: 'Text', Nmae: 'Text' }, $User: { FirstName: 'Text' } });
  });

  it('at write time: each disagreement is an error at the automated response, with the channel\'s declaration related', () => {
    const settings = valid({ globals: { $Organization: { Name: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' } }, automatedResponses: [{ type: 'AgentEngagedResponse', component: 'Greeting' }] });
    const components = new Map([['Greeting', { type: 'AutoResponse', globals: { $Organization: { Name: 'Number' }, $User: { FirstName: 'Text' } } }]]);
    const problems = checkResponseComponents(settings, components);
    expect(problems.map((p) => [p.pointer, p.code, p.related])).toEqual([
      ['/automatedResponses/0/component', 'E_GLOBAL_TYPE_CONFLICT', ['/globals/$Organization/Name']],
      ['/automatedResponses/0/component', 'E_GLOBAL_NOT_DECLARED', undefined],
    ]);
    expect(checkResponseComponents(settings, new Map([['Greeting', { type: 'AutoResponse', globals: { $Organization: { Name: 'Text' } } }]]))).toEqual([]);
  });

  it('a component that declares no globals agrees with any channel', () => {
    const settings = valid({ globals: { $Organization: { Name: 'Text' } }, autoResponses: { startConversation: { component: 'Plain' } } });
    expect(checkResponseComponents(settings, new Map([['Plain', { type: 'AutoResponse' }]]))).toEqual([]);
  });
});

describe('export to Salesforce metadata', () => {
  it('globals and globalValues have no MessagingChannel element: left out with W_SF_NOT_EXPORTED', async () => {
    const { exportChannel } = await import('../../src/metadata/channel.js');
    const settings = valid({ globals: { $Organization: { Name: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' } } });
    const out = exportChannel({ id: 'web', ...settings });
    expect(out.warnings.filter((w) => w.path === '/globals' || w.path === '/globalValues').map((w) => [w.path, w.code])).toEqual([
      ['/globals', 'W_SF_NOT_EXPORTED'],
      ['/globalValues', 'W_SF_NOT_EXPORTED'],
    ]);
  });
});
