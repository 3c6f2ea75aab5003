/** Salesforce metadata in and out (issue 20): mapping, round trips, located problems, the CLI. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { ComponentDefinition } from '../../src/component/model.js';
import { validateComponent } from '../../src/component/validate.js';
import { validateChannelSettings } from '../../src/consent/settings.js';
import { exportChannel, importChannel, type ChannelDocument } from '../../src/metadata/channel.js';
import { exportComponent, importComponent } from '../../src/metadata/component.js';
import { findMetadataFiles, importMetadataFile, importMetadataText, metadataFileKind } from '../../src/metadata/files.js';
import { canonical, parseXml, writeDocument, type XmlElement } from '../../src/metadata/xml.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const dx = join(fixtures, 'salesforce-dx');
const allFixtureFiles = [...findMetadataFiles(dx), ...findMetadataFiles(join(fixtures, 'salesforce-metadata', 'mdapi'))];

function parse(text: string): XmlElement {
  const p = parseXml(text);
  if (!p.ok) throw new Error(p.problem.message);
  return p.root;
}

/** export(import(x)) for one file's text. */
function roundTrip(file: string, text: string): XmlElement {
  const kind = metadataFileKind(file);
  const root = parse(text);
  if (kind?.kind === 'component') {
    const r = importComponent(root, kind.name);
    expect(r.errors).toEqual([]);
    return exportComponent(r.definition!).root;
  }
  const r = importChannel(root, kind!.name);
  expect(r.errors).toEqual([]);
  return exportChannel(r.channel!).root;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable => new Writable({ write: (chunk, _e, cb) => (append(String(chunk)), cb()) });
  const code = await main(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), stdin: process.stdin });
  return { code, stdout, stderr };
}

describe('fixtures', () => {
  it('finds every component and channel of the DX project through sfdx-project.json', () => {
    const names = findMetadataFiles(dx).map((f) => f.split('/').pop());
    expect(names.filter((n) => n?.endsWith('.conversationMessageDefinition-meta.xml'))).toHaveLength(8);
    expect(names.filter((n) => n?.endsWith('.messagingChannel-meta.xml'))).toHaveLength(3);
  });

  it.each(allFixtureFiles.map((f) => [f.slice(fixtures.length), f]))('export(import(%s)) equals it canonically, and imports valid', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(canonical(roundTrip(file, text))).toBe(canonical(parse(text)));
    const imported = importMetadataFile(file);
    expect(imported.errors).toEqual([]);
    if (imported.component !== undefined) expect(validateComponent(imported.component).errors).toEqual([]);
  });

  it('maps the Notification sample: formula template, parameter, kept elements with their lines', () => {
    const r = importMetadataFile(join(dx, 'force-app/main/default/conversationMessageDefinitions/Verification_Code.conversationMessageDefinition-meta.xml'));
    expect(r.component).toMatchObject({ name: 'Verification_Code', label: 'Verification code', type: 'AutoResponse', parameters: { Message: { type: 'Text' } } });
    expect(r.component?.formats?.[0]).toMatchObject({ type: 'Text', template: expect.stringContaining('{!$Parameters.Message}') });
    expect(r.component?.['x-salesforce']?.type).toBe('Notification');
    expect(r.warnings.map((w) => [w.path, w.line])).toEqual([
      ['language[0]', 4],
      ['messageLayouts[0]/layoutVariant[0]', 17],
      ['type[0]', 30],
    ]);
  });

  it('maps the SMS channel: consent type, keywords and consent responses per language', () => {
    const r = importMetadataFile(join(dx, 'force-app/main/default/messagingChannels/Acme_SMS.messagingChannel-meta.xml'));
    expect(r.channel).toMatchObject({ id: 'Acme_SMS', type: 'SmsEnhanced', country: 'US', consentType: 'ExplicitOptIn', defaultLanguage: 'en-US' });
    const en = r.channel!.languages[0]!;
    expect(en.keywords?.optOut).toContain('stop');
    // The automated responses one to one; the prompt has no language in the file, so none here (the default language).
    expect(r.channel!.automatedResponses).toEqual([
      { type: 'OptInPrompt', text: expect.stringMatching(/Msg & data rates/) },
      { type: 'OptOutConfirmation', language: 'en-US', text: expect.stringMatching(/^You're unsubscribed/) },
      { type: 'HelpResponse', language: 'en-US', text: expect.stringMatching(/^Acme Outdoor support/) },
      { type: 'OptInConfirmation', language: 'en-US', text: expect.stringMatching(/^Thanks! You're subscribed/) },
    ]);
    // A message definition can't answer on SMS (In-App and Web only): kept, and said why.
    expect(r.warnings[0]).toMatchObject({ code: 'W_SF_KEPT', path: 'automatedResponses[0]', line: 3 });
    expect(r.warnings[0]?.message).toMatch(/In-App and Web only/);
  });

  it('binds a Web channel\'s automated response to the message definition it names', () => {
    const r = importMetadataFile(join(dx, 'force-app/main/default/messagingChannels/Acme_Web.messagingChannel-meta.xml'));
    expect(r.channel).toMatchObject({ type: 'EmbeddedWeb', automatedResponses: [{ type: 'InitialResponse', component: 'Welcome_Terms' }] });
  });
});

describe('problems', () => {
  it('an unknown element imports with a warning naming its path and line', () => {
    const r = importMetadataFile(join(fixtures, 'salesforce-metadata/bad/With_Unknown.conversationMessageDefinition-meta.xml'));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'W_SF_UNKNOWN_ELEMENT', path: 'messageLayouts[0]/layoutItems[0]/futureSetting[0]', line: 13, column: 13 })]);
    expect(r.warnings[0]?.message).toContain('messageLayouts[0]/layoutItems[0]/futureSetting[0] (line 13)');
    // Kept, not dropped: it comes back on export.
    expect(writeDocument(exportComponent(r.component!).root)).toContain('<futureSetting>on</futureSetting>');
  });

  it('a malformed file gives file:line:column', async () => {
    const file = join(fixtures, 'salesforce-metadata/bad/Broken.conversationMessageDefinition-meta.xml');
    expect(importMetadataFile(file).errors).toEqual([expect.objectContaining({ code: 'E_XML_MALFORMED', file, line: 6, column: 20 })]);
    const r = await cli(['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:6:20: E_XML_MALFORMED`);
    expect(r.stderr).toContain('messageLayout');
  });

  it('bad values are errors with line and column', () => {
    const text = '<?xml version="1.0"?>\n<MessagingChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n  <messagingChannelType>Pigeon</messagingChannelType>\n</MessagingChannel>\n';
    const r = importMetadataText('X.messagingChannel', text);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'E_SF_INVALID_VALUE', line: 3, column: 3, file: 'X.messagingChannel' })]);
  });

  it('a binding Parlance has no equivalent for is kept, and validation names the missing property', () => {
    const text = readFileSync(join(dx, 'force-app/main/default/conversationMessageDefinitions/Home_Page_Link.conversationMessageDefinition-meta.xml'), 'utf8').replace(
      '<formulaTemplate>{!$Constants.Title}</formulaTemplate>',
      '<formulaTemplate>Visit {!$Constants.Title} today</formulaTemplate>',
    );
    const r = importMetadataText('Home_Page_Link.conversationMessageDefinition-meta.xml', text);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'W_SF_KEPT', path: 'messageLayouts[0]/layoutItems[0]' })]);
    expect(validateComponent(r.component).errors.map((e) => e.pointer)).toContain('/formats/0/title');
    // Still written back as it was.
    expect(canonical(exportComponent(r.component!).root)).toBe(canonical(parse(text)));
  });

  it('a file of the other type is refused', () => {
    const r = importMetadataText('X.conversationMessageDefinition', '<MessagingChannel/>');
    expect(r.errors[0]?.code).toBe('E_SF_WRONG_ROOT');
  });
});

// ---------------------------------------------------------------------------------------------
// Round-trip property over generated definitions

const ident = fc.stringMatching(/^[A-Z][a-z]{1,6}$/);
// Printable ASCII (fast-check's default unit), with no surrounding spaces.
const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0);
const binding = fc.oneof(
  text.map((value) => ({ type: 'Literal' as const, value })),
  fc.constant({ type: 'Constant' as const, name: 'Title' }),
  fc.constant({ type: 'Formula' as const, formula: 'UPPER($Constants.Title)' }),
);
const component: fc.Arbitrary<ComponentDefinition> = fc
  .record({
    name: ident.map((s) => `C_${s}`),
    label: fc.option(text, { nil: undefined }),
    description: fc.option(text, { nil: undefined }),
    title: text,
    // Literal text around the merge field holds no braces: `{!` there would open another merge field.
    template: text.filter((t) => !/[{}]/.test(t)).map((t) => `${t} {!$Constants.Title}`),
    kind: fc.constantFrom('link', 'static', 'auto'),
    linkTitle: binding,
    extra: fc.dictionary(ident, fc.oneof(fc.record({ type: fc.constant('Text' as const), value: text }), fc.record({ type: fc.constant('Boolean' as const), value: fc.boolean() })), { maxKeys: 3 }),
  })
  .map((g) => {
    const constants = { ...g.extra, Title: { type: 'Text' as const, value: g.title }, Url: { type: 'Url' as const, value: 'https://example.com/a' } };
    const base = { name: g.name, ...(g.label !== undefined ? { label: g.label } : { label: g.name }), ...(g.description !== undefined ? { description: g.description } : {}) };
    if (g.kind === 'link') {
      return { ...base, type: 'EnhancedLink', constants, formats: [{ type: 'RichLink', title: g.linkTitle, url: { type: 'Constant', name: 'Url' }, image: { type: 'Constant', name: 'Url' } }, { type: 'Text', template: g.template }] } as ComponentDefinition;
    }
    if (g.kind === 'static') {
      const options = { type: 'List<Option>' as const, value: [{ Name: g.title, Id: 'a' }, { Name: `${g.title}2`, Subtitle: 'sub', Image: 'https://example.com/i.png' }] };
      return {
        ...base,
        type: 'QuestionStaticOptions',
        constants: { ...constants, Options: options },
        listTemplates: [{ name: 'List', source: '$Constants.Options', template: '{!$ListItem.Value.Name}' }],
        formats: [{ type: 'Buttons', title: g.linkTitle, options: { source: '$Constants.Options' } }, { type: 'Text', template: g.template }],
      } as ComponentDefinition;
    }
    return { ...base, type: 'AutoResponse', constants, parameters: { When: { type: 'Date' }, Case: { type: 'RecordId', object: 'Case' } }, formats: [{ type: 'Text', template: g.template }] } as ComponentDefinition;
  });

const channel: fc.Arbitrary<ChannelDocument> = fc.record({
  id: ident,
  type: fc.constantFrom('SmsEnhanced', 'WhatsAppEnhanced', 'FacebookEnhanced', 'LineEnhanced'),
  consentType: fc.option(fc.constantFrom('ImplicitOptIn', 'ExplicitOptIn'), { nil: undefined }),
  country: fc.option(fc.constantFrom('US', 'GB'), { nil: undefined }),
  stop: fc.uniqueArray(ident.map((s) => s.toUpperCase()), { minLength: 1, maxLength: 3 }),
  confirmation: text,
  prompt: fc.option(text, { nil: undefined }),
  idle: fc.option(fc.integer({ min: 1, max: 1800 }), { nil: undefined }),
  second: fc.boolean(),
}).map((g) => {
  const languages: Array<{ language: string; keywords: { optOut: string[] } }> = [{ language: 'en-US', keywords: { optOut: g.stop } }];
  const automatedResponses: Array<Record<string, unknown>> = [{ type: 'OptOutConfirmation', language: 'en-US', text: g.confirmation }];
  if (g.prompt !== undefined) automatedResponses.push({ type: 'OptInPrompt', text: g.prompt });
  if (g.idle !== undefined) automatedResponses.push({ type: 'EndUserIdleResponse', text: 'Still there?', responseTimeoutInMins: g.idle });
  const explicit = g.consentType === 'ExplicitOptIn';
  if (explicit) {
    (languages[0]!.keywords as Record<string, string[]>).optIn = ['SUBSCRIBE'];
    if (g.prompt === undefined) automatedResponses.push({ type: 'OptInPrompt', text: 'Reply SUBSCRIBE.' });
    automatedResponses.push({ type: 'OptInConfirmation', language: 'en-US', text: 'Subscribed.' });
  }
  if (g.second) {
    languages.push({ language: 'fr', keywords: { optOut: ['ARRET'], ...(explicit ? { optIn: ['ABONNER'] } : {}) } });
    automatedResponses.push({ type: 'OptOutConfirmation', language: 'fr', text: 'Fin.' });
    if (explicit) automatedResponses.push({ type: 'OptInConfirmation', language: 'fr', text: 'Abonné.' });
  }
  const doc = { id: g.id, type: g.type, ...(g.country !== undefined ? { country: g.country } : {}), ...(g.consentType !== undefined ? { consentType: g.consentType } : {}), defaultLanguage: 'en-US', languages, automatedResponses };
  return doc as unknown as ChannelDocument;
});

const webChannel: fc.Arbitrary<ChannelDocument> = fc.record({ id: ident, component: ident.map((s) => `Auto_${s}`), text: text }).map(
  (g) =>
    ({
      id: g.id,
      type: 'EmbeddedWeb',
      defaultLanguage: 'en',
      languages: [{ language: 'en', keywords: {} }],
      automatedResponses: [
        { type: 'InitialResponse', component: g.component },
        { type: 'AgentEndEngagementResponse', text: g.text },
      ],
    }) as unknown as ChannelDocument,
);

describe('round-trip property', () => {
  it('components: import(export(d)) = d and export(import(x)) = x for x = export(d)', () => {
    fc.assert(
      fc.property(component, (d) => {
        expect(validateComponent(d).errors).toEqual([]);
        const x = writeDocument(exportComponent(d).root);
        const back = importComponent(parse(x), d.name);
        expect(back.errors).toEqual([]);
        expect(back.warnings).toEqual([]);
        expect(back.definition).toEqual(d);
        expect(canonical(exportComponent(back.definition!).root)).toBe(canonical(parse(x)));
      }),
      { numRuns: 150, seed: 20261207 },
    );
  });

  it('channels: import(export(c)) = c and export(import(x)) = x', () => {
    fc.assert(
      fc.property(fc.oneof(channel, webChannel), (c) => {
        const { id: _id, ...settings } = c;
        expect(validateChannelSettings(settings).errors).toEqual([]);
        const x = writeDocument(exportChannel(c).root);
        const back = importChannel(parse(x), c.id);
        expect(back.errors).toEqual([]);
        expect(back.channel).toEqual(c);
        expect(canonical(exportChannel(back.channel!).root)).toBe(canonical(parse(x)));
      }),
      { numRuns: 150, seed: 20261207 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// CLI

describe('parlance import / export / validate / test', () => {
  it('imports a DX project into one JSON file each, and exports them back to the same documents', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parlance-import-'));
    const imported = await cli(['import', dx, '--out', out]);
    expect(imported.code).toBe(0);
    expect(readdirSync(join(out, 'components')).sort()).toContain('Verification_Code.json');
    expect(readdirSync(join(out, 'channels')).sort()).toEqual(['Acme_SMS.json', 'Acme_Web.json', 'Acme_WhatsApp.json']);
    const xml = mkdtempSync(join(tmpdir(), 'parlance-export-'));
    const exported = await cli(['export', join(out, 'components'), join(out, 'channels'), '--out', xml]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    for (const file of findMetadataFiles(dx)) {
      const rel = file.split('/').slice(-2).join('/');
      expect(canonical(parse(readFileSync(join(xml, rel), 'utf8'))), rel).toBe(canonical(parse(readFileSync(file, 'utf8'))));
    }
  });

  it('prints the import on stdout without --out', async () => {
    const r = await cli(['import', join(fixtures, 'salesforce-metadata/mdapi')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.components.map((c: { name: string }) => c.name)).toEqual(['Order_Shipped']);
    expect(json.channels.map((c: { id: string }) => c.id)).toEqual(['Acme_Line']);
  });

  it('validate accepts metadata files and DX projects', async () => {
    const r = await cli(['validate', dx]);
    expect(r.stdout).toMatch(/11 files: 11 valid, 0 invalid/);
    expect(r.code).toBe(0);
    const bad = await cli(['validate', join(fixtures, 'salesforce-metadata/bad/Broken.conversationMessageDefinition-meta.xml')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/\(line 6, column 20\): E_XML_MALFORMED/);
  });

  it('render accepts a metadata file', async () => {
    const file = join(dx, 'force-app/main/default/conversationMessageDefinitions/Verification_Code.conversationMessageDefinition-meta.xml');
    const r = await cli(['render', file, '--channel', 'EmbeddedWeb', '--parameters', '{"Message":"123456"}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).text).toMatch(/^Your Acme verification code is 123456\./);
  });

  it('test passes on the fixture DX project, and fails with a diff when a formula template changes', async () => {
    const passed = await cli(['test', dx]);
    expect(passed.stdout).toMatch(/12 cases: 12 passed, 0 failed/);
    expect(passed.code).toBe(0);
    const copy = mkdtempSync(join(tmpdir(), 'parlance-dx-'));
    cpSync(dx, copy, { recursive: true });
    const file = join(copy, 'force-app/main/default/conversationMessageDefinitions/Verification_Code.conversationMessageDefinition-meta.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('It expires in 10 minutes.', 'It expires in 5 minutes.'));
    const failed = await cli(['test', copy]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAIL .*verification-code-web\.case\.json/);
    expect(failed.stdout).toMatch(/^-.*It expires in 10 minutes\./m);
    expect(failed.stdout).toMatch(/^\+.*It expires in 5 minutes\./m);
  });
});
