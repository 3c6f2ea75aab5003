/**
 * Channel profiles: what each channel type can show. They are data
 * (`schemas/channels/profiles.json`, described by `schemas/channel-profiles.schema.json`), so
 * adding a channel or changing a limit never needs a code change. See docs/channels.md.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { ajvModule } from '../lazy-modules.js';
import type { ComponentType, FormatType } from '../component/model.js';
import { packagePath } from '../package-files.js';

/** The formats a platform can build payloads for; a profile offering anything else is refused at render time. */
export const PLATFORM_FORMATS: Readonly<Record<Platform, ReadonlySet<FormatType>>> = {
  messenger: new Set(['Text', 'QuickReplies', 'Buttons', 'CardCarousel', 'Media']),
  embedded: new Set(['Text', 'Buttons', 'QuickReplies', 'CardCarousel', 'RichLink', 'Media', 'WebPage']),
  whatsapp: new Set(['Text']),
  sms: new Set(['Text']),
  text: new Set(['Text']),
};

/** The channel types of CONTRACT.md §3. Profiles may add more. */
export const CHANNEL_TYPES = [
  'SmsLongCode',
  'SmsShortCode',
  'SmsTollFree',
  'SmsEnhanced',
  'FacebookStandard',
  'FacebookEnhanced',
  'WhatsAppStandard',
  'WhatsAppEnhanced',
  'EmbeddedWeb',
  'EmbeddedInApp',
  'AppleMessagesEnhanced',
  'LineEnhanced',
  'BringYourOwn',
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Which native payload a channel receives. */
export type Platform = 'messenger' | 'embedded' | 'whatsapp' | 'sms' | 'text';

/** A content field a format profile can require or limit. */
export type ContentField = 'title' | 'text' | 'url' | 'image' | 'option.title' | 'option.subtitle' | 'option.id';

/** One format's capacities and field limits on one channel. */
export interface FormatProfile {
  readonly options?: { readonly min: number; readonly max: number };
  readonly optionImages?: 'required' | 'unique';
  readonly required?: readonly ContentField[];
  readonly limits?: Readonly<Partial<Record<ContentField, number>>>;
  readonly displays?: readonly ('ChatMessage' | 'Popup')[];
  readonly sources?: readonly string[];
}

/** What one channel type can show. */
export interface ChannelProfile {
  /** The channel type's name (the key in the profiles document). */
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly platform: Platform;
  /** Component type → the rich formats shown for it; absent types are unsupported. Text is implied. */
  readonly components: Readonly<Partial<Record<ComponentType, readonly FormatType[]>>>;
  readonly formats: Readonly<Partial<Record<FormatType, FormatProfile>>>;
  readonly textLimit?: number;
  /** What happens to a Text version over `textLimit`: `split` (default) into several messages, or `refuse` the render (SMS, G:2892). */
  readonly textOverLimit?: 'split' | 'refuse';
  /** The reason quoted when a text over the limit is refused. */
  readonly textLimitReason?: string;
  readonly labels?: { readonly select?: Readonly<Record<string, string>> };
  readonly mediaTemplateHosts?: readonly string[];
  readonly sources?: readonly string[];
}

/** A problem in a profiles document, located by a JSON pointer. */
export interface ProfileProblem {
  readonly pointer: string;
  readonly message: string;
}

export class ChannelProfileError extends Error {
  constructor(readonly problems: readonly ProfileProblem[]) {
    super(`Invalid channel profiles:\n${problems.map((p) => `  ${p.pointer === '' ? '(root)' : p.pointer}: ${p.message}`).join('\n')}`);
    this.name = 'ChannelProfileError';
  }
}

let validatorCache: ValidateFunction | undefined;
let builtinCache: ChannelProfiles | undefined;

function validator(): ValidateFunction {
  if (validatorCache !== undefined) return validatorCache;
  const schema = JSON.parse(readFileSync(packagePath('schemas', 'channel-profiles.schema.json'), 'utf8')) as Record<string, unknown>;
  return (validatorCache = new (ajvModule().Ajv2020)({ allErrors: true, strict: true }).compile(schema));
}

function describe(e: ErrorObject): ProfileProblem {
  const extra =
    e.keyword === 'additionalProperties'
      ? `: ${(e.params as { additionalProperty: string }).additionalProperty}`
      : e.keyword === 'enum'
        ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
        : '';
  return { pointer: e.instancePath, message: `${e.message ?? 'is invalid'}${extra}` };
}

/** Rules the schema can't state: capacities that make sense, formats that have a profile. */
function semanticProblems(doc: { channels: Record<string, Omit<ChannelProfile, 'name'>> }): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const [name, c] of Object.entries(doc.channels)) {
    for (const [type, formats] of Object.entries(c.components)) {
      for (const [i, f] of (formats ?? []).entries()) {
        if (c.formats?.[f] === undefined) problems.push({ pointer: `/channels/${name}/components/${type}/${i}`, message: `${f} is offered but has no entry in "formats"` });
        else if (!PLATFORM_FORMATS[c.platform].has(f)) problems.push({ pointer: `/channels/${name}/components/${type}/${i}`, message: `the ${c.platform} platform has no payload for ${f}` });
      }
    }
    for (const [f, p] of Object.entries(c.formats ?? {})) {
      if (p?.options !== undefined && p.options.min > p.options.max) problems.push({ pointer: `/channels/${name}/formats/${f}/options`, message: `min (${p.options.min}) is greater than max (${p.options.max})` });
    }
  }
  return problems;
}

/** A validated, immutable set of channel profiles. */
export class ChannelProfiles {
  private readonly byName: ReadonlyMap<string, ChannelProfile>;

  private constructor(profiles: readonly ChannelProfile[]) {
    this.byName = new Map(profiles.map((p) => [p.name, p]));
  }

  /** The built-in profiles (`schemas/channels/profiles.json`), loaded once. */
  static builtin(): ChannelProfiles {
    return (builtinCache ??= ChannelProfiles.fromDocument(JSON.parse(readFileSync(packagePath('schemas', 'channels', 'profiles.json'), 'utf8'))));
  }

  /** Profiles from a parsed profiles document. Throws {@link ChannelProfileError} listing every problem. */
  static fromDocument(doc: unknown): ChannelProfiles {
    const validate = validator();
    if (!validate(doc)) throw new ChannelProfileError((validate.errors ?? []).map(describe));
    const typed = doc as { channels: Record<string, Omit<ChannelProfile, 'name'>> };
    const problems = semanticProblems(typed);
    if (problems.length > 0) throw new ChannelProfileError(problems);
    const profiles = Object.entries(typed.channels).map(([name, c]): ChannelProfile => deepFreeze({ ...structuredClone(c), name, formats: structuredClone(c.formats ?? {}) }));
    return new ChannelProfiles(profiles);
  }

  /** The built-in profiles with some channels added or replaced (a profiles document's `channels`). */
  withChannels(channels: Readonly<Record<string, unknown>>): ChannelProfiles {
    const merged: Record<string, unknown> = {};
    for (const p of this.byName.values()) {
      const { name, ...rest } = p;
      merged[name] = rest;
    }
    return ChannelProfiles.fromDocument({ channels: { ...merged, ...channels } });
  }

  get(name: string): ChannelProfile | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  all(): ChannelProfile[] {
    return [...this.byName.values()];
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
