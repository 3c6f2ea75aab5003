/**
 * Auto-response components rendered with their channel's globals (docs/auto-responses.md#globals):
 * the channel's declaration merged with the component's, the channel's values in the render, and a
 * component whose declaration disagrees with the channel's refused with an error, never sent.
 */
import { describe, expect, it } from 'vitest';
import type { AutoResponse } from '../../src/consent/engine.js';
import { AutoResponseSender } from '../../src/services/auto-responses.js';

const greeting = (globals: Record<string, unknown>, template: string) => ({ name: 'Greeting', type: 'AutoResponse', globals, formats: [{ type: 'Text', template }] });
const senderFor = (definition: Record<string, unknown>) => {
  const store = new Map([[definition.name as string, { name: definition.name as string, version: 3, definition }]]);
  return new AutoResponseSender(async (name) => store.get(name));
};
const response: AutoResponse = { kind: 'startConversation', type: 'AgentEngagedResponse', language: 'en', text: '', component: 'Greeting' };
const NOW = Date.UTC(2026, 0, 5, 12);

describe('AutoResponseSender with channel globals', () => {
  it("renders the component with the channel's values", async () => {
    const sender = senderFor(greeting({ $Organization: { Name: 'Text' } }, 'Welcome to {!$Organization.Name}!'));
    const [sent] = await sender.send([response], 'accept', 'EmbeddedWeb', NOW, { globals: { $Organization: { Name: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' } } });
    expect(sent?.error).toBeUndefined();
    expect(sent).toMatchObject({ text: 'Welcome to Acme!', componentVersion: 3, transcript: '[Auto-response]' });
  });

  it('the component sees the union: globals only the channel declares are accepted as values; members it declares alone read as blank', async () => {
    const sender = senderFor(greeting({ $Organization: { Name: 'Text', Phone: 'Text' } }, '{!$Organization.Name} [{!$Organization.Phone}]'));
    const channel = { globals: { $Organization: { Name: 'Text' }, $Label: { Greeting: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' }, $Label: { Greeting: 'Hi' } } };
    const [sent] = await sender.send([response], 'accept', 'EmbeddedWeb', NOW, channel);
    expect(sent?.error).toBeUndefined();
    expect(sent?.text).toBe('Acme []');
  });

  it('without channel globals, the component renders as before (its globals blank)', async () => {
    const sender = senderFor(greeting({ $Organization: { Name: 'Text' } }, 'Welcome to {!$Organization.Name}!'));
    const [sent] = await sender.send([response], 'accept', 'EmbeddedWeb', NOW);
    expect(sent?.text).toBe('Welcome to !');
  });

  it('a component whose declaration disagrees with the channel (edited since the channel was saved) is not sent: E_GLOBAL_TYPE_CONFLICT', async () => {
    const sender = senderFor(greeting({ $Organization: { Name: 'Number' } }, 'Welcome to {!TEXT($Organization.Name)}!'));
    const [sent] = await sender.send([response], 'accept', 'EmbeddedWeb', NOW, { globals: { $Organization: { Name: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' } } });
    expect(sent?.render).toBeUndefined();
    expect(sent?.error?.code).toBe('E_GLOBAL_TYPE_CONFLICT');
    expect(sent?.error?.message).toContain('Nothing was sent');
    expect(sent?.componentVersion).toBe(3);
  });

  it('each channel declaration gets its own compiled component: two channels, two values', async () => {
    const sender = senderFor(greeting({ $Organization: { Name: 'Text' } }, '{!$Organization.Name}'));
    const a = await sender.send([response], 'accept', 'EmbeddedWeb', NOW, { globals: { $Organization: { Name: 'Text' } }, globalValues: { $Organization: { Name: 'Acme' } } });
    const b = await sender.send([response], 'accept', 'EmbeddedWeb', NOW, { globals: { $Organization: { Name: 'Text' }, $Label: { X: 'Text' } }, globalValues: { $Organization: { Name: 'Globex' } } });
    expect([a[0]?.text, b[0]?.text]).toEqual(['Acme', 'Globex']);
  });
});
