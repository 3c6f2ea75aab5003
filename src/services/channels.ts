/**
 * The channel settings service: the settings' own validation (`validateChannelSettings`), then
 * the checks that need the stored components (an automated response's component exists and is
 * an auto-response component, `checkResponseComponents`). The HTTP server and the sample loader
 * call this same code before storing a channel.
 */
import { checkResponseComponents, responseComponentNames, type ComponentFacts } from '../consent/automated-validation.js';
import { validateChannelSettings, type ChannelSettingsValidation, type ValidateChannelSettingsOptions } from '../consent/settings.js';

/** Reads a stored component's latest version: its definition, or undefined when there is none. */
export type ComponentLookup = (name: string) => Promise<{ readonly definition: Record<string, unknown> } | undefined>;

/** Validates channel settings, the components their automated responses name included. Never throws for bad input. */
export async function checkChannelSettings(input: unknown, lookup: ComponentLookup, options: ValidateChannelSettingsOptions = {}): Promise<ChannelSettingsValidation> {
  const v = validateChannelSettings(input, options);
  if (!v.valid || v.settings === undefined) return v;
  const names = responseComponentNames(v.settings);
  if (names.length === 0) return v;
  const found = new Map<string, ComponentFacts | undefined>();
  for (const name of names) {
    const stored = await lookup(name);
    found.set(name, stored === undefined ? undefined : { type: String(stored.definition.type), globals: stored.definition.globals });
  }
  const problems = checkResponseComponents(v.settings, found);
  if (problems.length === 0) return v;
  const { settings: _settings, ...rest } = v;
  return { ...rest, valid: false, errors: [...v.errors, ...problems] };
}
