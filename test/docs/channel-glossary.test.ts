/** Every channel of the glossary (X:27, X:42) is modelled or listed as not modelled, with the reason (issue 18 item 8). */
import { describe, expect, it } from 'vitest';
import { ChannelProfiles } from '../../src/index.js';
import { GLOSSARY_CHANNELS } from '../../src/channels/glossary.js';
import { renderChannelReference } from '../../src/channels/reference.js';
import { CHANNEL_TYPES } from '../../src/channels/profiles.js';

const rendered = renderChannelReference(ChannelProfiles.builtin());

describe('the glossary channels in docs/channels.md', () => {
  it('X:27 lists the nine channel types of the glossary, in its order', () => {
    expect(GLOSSARY_CHANNELS.map((g) => g.name)).toEqual([
      'Facebook Messenger', 'WhatsApp', 'Apple Messages for Business', 'SMS', 'LINE', 'Enhanced In-App Chat', 'Enhanced Web Chat', 'Bring Your Own Channel', 'Bring Your Own Channel for CCaaS',
    ]);
  });

  it('every modelled channel names a built-in channel type, and every built-in channel type models a glossary channel', () => {
    const modelled = GLOSSARY_CHANNELS.flatMap((g) => g.modelledAs);
    for (const t of modelled) expect(CHANNEL_TYPES).toContain(t);
    expect([...modelled].sort()).toEqual([...CHANNEL_TYPES].sort());
  });

  it('X:27, X:42 Bring Your Own Channel for CCaaS appears as not modelled, with the reason', () => {
    const line = rendered.split('\n').find((l) => l.startsWith('| Bring Your Own Channel for CCaaS |'));
    expect(line).toBeDefined();
    expect(line).toContain('| not modelled |');
    expect(line).toContain('Conversation Channel Definition');
  });

  it('each glossary channel has a row with its sources', () => {
    for (const g of GLOSSARY_CHANNELS) {
      const line = rendered.split('\n').find((l) => l.startsWith(`| ${g.name} |`));
      expect(line, g.name).toContain(g.sources.join(', '));
    }
  });
});
