/**
 * Whether rendered content fits its format on a channel: the profile's required values, option
 * images and length limits (schemas/channels/profiles.json), checked on every render. Each
 * profile's checks are planned once, in the profile's own order.
 */
import type { RenderedContent, RenderedOption } from '../channels/payload.js';
import type { ChannelProfile, ContentField, FormatProfile } from '../channels/profiles.js';
import { SkipCode } from './types.js';

const FIELD_NAMES: Readonly<Record<ContentField, string>> = {
  title: 'title',
  text: 'text',
  url: 'URL',
  image: 'image',
  'option.title': 'title',
  'option.subtitle': 'subtitle',
  'option.id': 'identifier',
};

/** Characters (code points) in a string. */
const length = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Whether a string has more than `limit` characters; UTF-16 length is an upper bound, so most strings need no count. */
const longer = (s: string, limit: number): boolean => s.length > limit && length(s) > limit;

/** One check of a format profile: a content field, or with `option` the same key of every option. */
interface FieldCheck {
  readonly field: ContentField;
  /** For `option.<key>` fields: the option's key. */
  readonly option: keyof RenderedOption | undefined;
}

/** A format profile's checks in its own order, built once per profile: checkContent runs on every render. */
interface ContentPlan {
  readonly required: readonly FieldCheck[];
  readonly limits: readonly (FieldCheck & { readonly limit: number })[];
}

const CONTENT_PLANS = new WeakMap<FormatProfile, ContentPlan>();

function contentPlan(fp: FormatProfile): ContentPlan {
  let plan = CONTENT_PLANS.get(fp);
  if (plan === undefined) {
    const check = (field: ContentField): FieldCheck => ({ field, option: field.startsWith('option.') ? (field.slice(7) as keyof RenderedOption) : undefined });
    plan = {
      required: (fp.required ?? []).map(check),
      limits: (Object.entries(fp.limits ?? {}) as [ContentField, number][]).map(([field, limit]) => ({ ...check(field), limit })),
    };
    CONTENT_PLANS.set(fp, plan);
  }
  return plan;
}

const NO_OPTIONS: readonly RenderedOption[] = [];

const shownOn = (name: string, profile: ChannelProfile): string => `${name} on ${profile.label}`;

/** The first way the content breaks the format's profile, if any. */
export function checkContent(content: RenderedContent, fp: FormatProfile, profile: ChannelProfile, name: string): { code: SkipCode; message: string; extra: { field?: string; option?: number } } | undefined {
  const fields = content as unknown as Record<string, unknown>;
  const options = 'options' in content ? content.options : NO_OPTIONS;
  const plan = contentPlan(fp);
  for (const { field, option: key } of plan.required) {
    if (key !== undefined) {
      for (let i = 0; i < options.length; i++) {
        if (((options[i] as RenderedOption)[key] ?? '') === '') {
          return { code: SkipCode.MissingValue, message: `Option ${i + 1} has a blank ${FIELD_NAMES[field]}; ${shownOn(name, profile)} needs one for every option`, extra: { field, option: i } };
        }
      }
    } else if ((fields[field] ?? '') === '') {
      return { code: field === 'image' ? SkipCode.MissingImage : SkipCode.MissingValue, message: `The ${FIELD_NAMES[field]} is blank; ${shownOn(name, profile)} needs one`, extra: { field } };
    }
  }
  if (fp.optionImages !== undefined) {
    const seen = new Map<string, number>();
    for (let i = 0; i < options.length; i++) {
      const o = options[i] as RenderedOption;
      if (o.image === undefined) return { code: SkipCode.MissingImage, message: `Option ${i + 1} has no image; ${shownOn(name, profile)} needs an image for every option`, extra: { field: 'option.image', option: i } };
      const first = seen.get(o.image);
      if (first !== undefined && fp.optionImages === 'unique') {
        return { code: SkipCode.DuplicateImage, message: `Options ${first + 1} and ${i + 1} share the image ${o.image}; ${shownOn(name, profile)} needs a unique image per option`, extra: { field: 'option.image', option: i } };
      }
      seen.set(o.image, i);
    }
  }
  for (const { field, option: key, limit } of plan.limits) {
    if (key !== undefined) {
      for (let i = 0; i < options.length; i++) {
        const v = (options[i] as RenderedOption)[key];
        if (v !== undefined && longer(v, limit)) {
          return { code: SkipCode.FieldTooLong, message: `Option ${i + 1}'s ${FIELD_NAMES[field]} has ${length(v)} characters; ${shownOn(name, profile)} allows ${limit}: ${JSON.stringify(v)}`, extra: { field, option: i } };
        }
      }
    } else {
      const v = fields[field];
      if (typeof v === 'string' && longer(v, limit)) return { code: SkipCode.FieldTooLong, message: `The ${FIELD_NAMES[field]} has ${length(v)} characters; ${shownOn(name, profile)} allows ${limit}`, extra: { field } };
    }
  }
  return undefined;
}

