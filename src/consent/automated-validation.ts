/**
 * Validation of automated responses: the `automatedResponses` list, the component form of the
 * `autoResponses` fields, and how both combine with the older fields (a trigger configured twice
 * for one language is an error with both places). Called by `validateChannelSettings`; the
 * checks that need the stored components are {@link checkResponseComponents}.
 */
import type { ChannelType } from '../channels/profiles.js';
import { didYouMean } from '../component/data.js';
import { escapePointer } from '../component/schema.js';
import {
  AUTO_RESPONSE_TYPE,
  LANGUAGE_RESPONSE_TYPE,
  MAX_RESPONSE_TIMEOUT_MINS,
  languageResponseKindOf,
  TIMEOUT_TYPES,
  automatedResponseSupport,
  configuredResponses,
  supportsAutoResponseComponents,
} from './automated.js';
import { mergeComponentGlobals } from './globals.js';
import {
  AUTO_RESPONSE_KINDS,
  AUTOMATED_RESPONSE_TYPES,
  LANGUAGE_RESPONSE_KINDS,
  type AutoResponseKind,
  type AutoResponseValue,
  type AutomatedResponse,
  type AutomatedResponseType,
  type ChannelSettings,
  type LanguageResponseKind,
  type LanguageSettings,
} from './model.js';
import { ConsentSettingsErrorCode as C, type SettingsProblem } from './problems.js';
import { canonicalLanguage, characterCount } from './text.js';

const ENTRY_PROPERTIES = new Set(['type', 'language', 'text', 'component', 'responseTimeoutInMins']);
const SHORT_CODE_LIMIT = 160;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** A trigger and language already configured somewhere, and where. */
export interface ResponseSlot {
  readonly type: AutomatedResponseType;
  /** Canonical language tag. */
  readonly language: string;
  readonly pointer: string;
}

/** What the automated responses check needs from the rest of the settings. */
export interface AutomatedContext {
  readonly type: ChannelType | undefined;
  /** Configured languages, canonical tags. */
  readonly languages: readonly string[];
  /** The default language (canonical), when it is valid. */
  readonly defaultLanguage: string | undefined;
  /** The triggers the older fields configure (autoResponses, languages[].responses, custom groups' own responses). */
  readonly slots: readonly ResponseSlot[];
}

/** Why an auto-response component is refused on a channel type. */
export function componentRefusal(channel: ChannelType): string {
  if (channel === 'FacebookEnhanced') return 'Auto-response messaging components aren\'t supported in enhanced Facebook Messenger channels (G:4519); use text';
  return `auto-response components are supported only in Messaging for In-App and Web (G:4869); a ${channel} channel takes text`;
}

/**
 * An `autoResponses` field: non-blank text, or `{"component": name}` on In-App and Web
 * (G:4513: "select an auto-response component"). Undefined when invalid (reported).
 */
export function checkAutoResponseValue(v: unknown, kind: AutoResponseKind, channel: ChannelType | undefined, label: string, errors: SettingsProblem[]): AutoResponseValue | undefined {
  const pointer = `/autoResponses/${kind}`;
  if (v === undefined) return undefined;
  if (typeof v === 'string') {
    if (v.trim() !== '') return v;
    errors.push({ pointer, code: C.InvalidValue, message: `The ${label} must be non-blank text or {"component": "<name>"} (leave the property out to not configure it); received ${shown(v)}` });
    return undefined;
  }
  if (!isObject(v) || typeof v.component !== 'string' || v.component.trim() === '' || Object.keys(v).length !== 1) {
    errors.push({ pointer, code: C.InvalidValue, message: `The ${label} is text, or {"component": "<name>"}: the name of a stored auto-response component (G:4513); received ${isObject(v) ? JSON.stringify(v).slice(0, 80) : shown(v)}` });
    return undefined;
  }
  if (channel !== undefined && !supportsAutoResponseComponents(channel)) {
    errors.push({ pointer: `${pointer}/component`, code: C.ComponentNotSupported, message: `The ${label} can't be a component: ${componentRefusal(channel)}` });
    return undefined;
  }
  return { component: v.component };
}

/** One `automatedResponses` entry; undefined when invalid (reported). */
function checkEntry(raw: unknown, pointer: string, ctx: AutomatedContext, errors: SettingsProblem[]): AutomatedResponse | undefined {
  if (!isObject(raw)) {
    errors.push({ pointer, code: C.NotAnObject, message: `An automated response is {"type", "language"?, "text" | "component", "responseTimeoutInMins"?}; received ${shown(raw)}` });
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(raw)) {
    if (!ENTRY_PROPERTIES.has(key)) errors.push({ pointer: `${pointer}/${escapePointer(key)}`, code: C.UnknownProperty, message: `Unknown property "${key}".${didYouMean(key, ENTRY_PROPERTIES)}` });
  }
  const type = raw.type;
  if (typeof type !== 'string' || !(AUTOMATED_RESPONSE_TYPES as readonly string[]).includes(type)) {
    const hint = typeof type === 'string' ? didYouMean(type, AUTOMATED_RESPONSE_TYPES) : '';
    errors.push({ pointer: `${pointer}/type`, code: type === undefined ? C.MissingProperty : C.InvalidValue, message: `"type" must be one of ${AUTOMATED_RESPONSE_TYPES.join(', ')}; received ${shown(type)}.${hint}` });
  }
  let language: string | undefined;
  if (raw.language !== undefined) {
    const tag = typeof raw.language === 'string' ? canonicalLanguage(raw.language) : undefined;
    if (tag === undefined) errors.push({ pointer: `${pointer}/language`, code: C.InvalidLanguage, message: `"language" must be a BCP 47 language tag such as "en" or "fr-CA"; received ${shown(raw.language)}` });
    else if (!ctx.languages.includes(tag)) errors.push({ pointer: `${pointer}/language`, code: C.LanguageNotConfigured, message: `The language "${tag}" isn't one of the channel's languages (${ctx.languages.join(', ')}): add it to "languages" first` });
    else language = tag;
  }
  const hasText = raw.text !== undefined;
  const hasComponent = raw.component !== undefined;
  if (hasText === hasComponent) {
    errors.push({ pointer, code: C.TextOrComponent, message: `An automated response has exactly one of "text" (the response's text) and "component" (the name of a stored auto-response component); this one has ${hasText ? 'both' : 'neither'}` });
  } else if (hasText && (typeof raw.text !== 'string' || raw.text.trim() === '')) {
    errors.push({ pointer: `${pointer}/text`, code: C.InvalidValue, message: `"text" must be non-blank text; received ${shown(raw.text)}` });
  } else if (hasComponent && (typeof raw.component !== 'string' || raw.component.trim() === '')) {
    errors.push({ pointer: `${pointer}/component`, code: C.InvalidValue, message: `"component" is the name of a stored auto-response component; received ${shown(raw.component)}` });
  } else if (hasComponent && ctx.type !== undefined && !supportsAutoResponseComponents(ctx.type)) {
    errors.push({ pointer: `${pointer}/component`, code: C.ComponentNotSupported, message: `This automated response can't be a component: ${componentRefusal(ctx.type)}` });
  }
  const timeout = raw.responseTimeoutInMins;
  if (timeout !== undefined) {
    if (typeof type === 'string' && !TIMEOUT_TYPES.has(type as AutomatedResponseType)) {
      errors.push({ pointer: `${pointer}/responseTimeoutInMins`, code: C.InvalidValue, message: `Only EndUserInactiveResponse and EndUserIdleResponse wait for a time without customer messages; a ${type} has no "responseTimeoutInMins"` });
    } else if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_RESPONSE_TIMEOUT_MINS) {
      errors.push({ pointer: `${pointer}/responseTimeoutInMins`, code: C.InvalidValue, message: `"responseTimeoutInMins" is a whole number of minutes from 1 to ${MAX_RESPONSE_TIMEOUT_MINS} (30 hours, after which an Inactive session has ended, G:6491); received ${shown(timeout)}` });
    }
  }
  if (errors.length > before) return undefined;
  const t = type as AutomatedResponseType;
  if (ctx.type !== undefined) {
    const support = automatedResponseSupport(t, ctx.type);
    if (!support.ok) {
      errors.push({ pointer: `${pointer}/type`, code: C.ResponseNotAllowed, message: `A ${ctx.type} channel has no ${t}: ${support.reason}` });
      return undefined;
    }
    if (ctx.type === 'SmsShortCode' && typeof raw.text === 'string' && characterCount(raw.text) > SHORT_CODE_LIMIT) {
      errors.push({ pointer: `${pointer}/text`, code: C.ResponseTooLong, message: `The ${t} has ${characterCount(raw.text)} characters; short code automated responses may have at most ${SHORT_CODE_LIMIT} (G:3038)` });
      return undefined;
    }
  }
  return {
    type: t,
    ...(language !== undefined ? { language } : {}),
    ...(hasText ? { text: raw.text as string } : { component: raw.component as string }),
    ...(timeout !== undefined ? { responseTimeoutInMins: timeout as number } : {}),
  };
}

/**
 * Checks `automatedResponses` against the channel type and the rest of the settings: each entry's
 * shape, its trigger on this channel type, its language, and that no trigger is configured twice
 * for one language, here or in an older field (E_AUTOMATED_RESPONSE_CONFLICT, with the other
 * place in `related`). Returns the valid entries; undefined when the property is absent.
 */
export function checkAutomatedResponses(raw: unknown, ctx: AutomatedContext, errors: SettingsProblem[]): AutomatedResponse[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push({ pointer: '/automatedResponses', code: C.InvalidValue, message: `"automatedResponses" is an array of {"type", "language"?, "text" | "component", "responseTimeoutInMins"?}; received ${shown(raw)}` });
    return undefined;
  }
  const kept: AutomatedResponse[] = [];
  const taken = new Map<string, string>(ctx.slots.map((s) => [`${s.type} ${s.language}`, s.pointer]));
  raw.forEach((entry: unknown, i: number) => {
    const pointer = `/automatedResponses/${i}`;
    const r = checkEntry(entry, pointer, ctx, errors);
    if (r === undefined) return;
    const language = r.language ?? ctx.defaultLanguage;
    if (language !== undefined) {
      const key = `${r.type} ${language}`;
      const first = taken.get(key);
      if (first !== undefined) {
        const older = !first.startsWith('/automatedResponses/');
        errors.push({
          pointer,
          code: C.AutomatedResponseConflict,
          message: `${r.type} in "${language}" is already configured at ${first}${older ? ` (${equivalentNote(first)})` : ''}; configure each trigger once per language`,
          related: [first],
        });
        return;
      }
      taken.set(key, pointer);
    }
    kept.push(r);
  });
  return kept;
}

function equivalentNote(pointer: string): string {
  const kind = pointer.split('/').pop() ?? '';
  if (pointer.startsWith('/autoResponses/')) return `"${kind}" is the ${AUTO_RESPONSE_TYPE[kind as AutoResponseKind]} in the default language`;
  if (pointer.includes('/custom/')) return 'a custom keyword group\'s own response is its CustomResponse';
  return `"${kind}" is the same trigger`;
}

/** What {@link checkResponseComponents} needs to know about a stored component. */
export interface ComponentFacts {
  readonly type: string;
  /** The component's declared `globals`, checked against the channel's (docs/auto-responses.md#globals). */
  readonly globals?: unknown;
}

/**
 * The checks that need the stored components (at write): every component an automated response
 * names exists and is an auto-response component. `components` maps each name of
 * {@link responseComponentNames} to the stored component's facts, or undefined when there is none.
 */
export function checkResponseComponents(settings: ChannelSettings, components: ReadonlyMap<string, ComponentFacts | undefined>): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const r of configuredResponses(settings)) {
    if (r.component === undefined) continue;
    const pointer = `${r.pointer}/component`;
    const found = components.get(r.component);
    if (found === undefined) {
      problems.push({ pointer, code: C.ComponentNotFound, message: `There is no stored component named "${r.component}": store the auto-response component first (PUT /v1/components/${r.component})` });
    } else if (found.type !== 'AutoResponse') {
      problems.push({ pointer, code: C.NotAnAutoResponse, message: `The component "${r.component}" is ${found.type === 'EnhancedLink' ? 'an' : 'a'} ${found.type} component; channel fields take auto-response components (type AutoResponse, G:4513)` });
    } else {
      // The component's globals agree with the channel's, and the channel provides every one it reads.
      const merge = mergeComponentGlobals(settings.globals, found.globals, r.component);
      for (const m of [...merge.conflicts, ...merge.missing]) problems.push({ pointer, code: m.code, message: m.message, ...(m.channelPointer !== undefined ? { related: [m.channelPointer] } : {}) });
    }
  }
  return problems;
}

/** The names of the components the settings' automated responses use. */
export function responseComponentNames(settings: ChannelSettings): string[] {
  return [...new Set(configuredResponses(settings).flatMap((r) => (r.component !== undefined ? [r.component] : [])))];
}

/** What the helpers below need to know about a checked language. */
export interface LanguageFact {
  /** The canonical tag, when valid. */
  readonly tag: string | undefined;
  /** `/languages/<i>`. */
  readonly pointer: string;
  readonly settings: LanguageSettings;
}

/** The triggers and languages the older fields configure, for the conflict check of `automatedResponses`. */
export function responseSlots(facts: readonly LanguageFact[], autoResponses: Record<string, AutoResponseValue> | undefined, defaultTag: string | undefined): ResponseSlot[] {
  const slots: ResponseSlot[] = [];
  if (defaultTag !== undefined) {
    for (const kind of AUTO_RESPONSE_KINDS) if (autoResponses?.[kind] !== undefined) slots.push({ type: AUTO_RESPONSE_TYPE[kind], language: defaultTag, pointer: `/autoResponses/${kind}` });
  }
  for (const f of facts) {
    if (f.tag === undefined) continue;
    for (const kind of LANGUAGE_RESPONSE_KINDS) if (f.settings.responses?.[kind] !== undefined) slots.push({ type: LANGUAGE_RESPONSE_TYPE[kind], language: f.tag, pointer: `${f.pointer}/responses/${kind}` });
    f.settings.custom?.forEach((g, i) => {
      if (g.response !== undefined) slots.push({ type: 'CustomResponse', language: f.tag as string, pointer: `${f.pointer}/custom/${i}/response` });
    });
  }
  return slots;
}

/**
 * The languages whose CustomResponse `automatedResponses` configures (canonical tags; an entry
 * without a language counts for the default language), read from the raw input before the
 * languages are checked: a custom keyword group without its own response needs one.
 */
export function customResponseLanguages(input: Record<string, unknown>): ReadonlySet<string> {
  const out = new Set<string>();
  if (!Array.isArray(input.automatedResponses)) return out;
  const first = Array.isArray(input.languages) && isObject(input.languages[0]) ? input.languages[0].language : undefined;
  const rawDefault = typeof input.defaultLanguage === 'string' ? input.defaultLanguage : first;
  const defaultTag = typeof rawDefault === 'string' ? canonicalLanguage(rawDefault) : undefined;
  for (const r of input.automatedResponses as unknown[]) {
    if (!isObject(r) || r.type !== 'CustomResponse') continue;
    const tag = typeof r.language === 'string' ? canonicalLanguage(r.language) : r.language === undefined ? defaultTag : undefined;
    if (tag !== undefined) out.add(tag);
  }
  return out;
}

/**
 * The languages with the text responses of `automatedResponses` added to their `responses`, so
 * the rules on required responses (channelRules) see them wherever they are configured. Only for
 * checking: the stored settings keep each response where it was written.
 */
export function withAutomatedTexts<F extends LanguageFact>(facts: readonly F[], automated: readonly AutomatedResponse[], defaultTag: string | undefined): F[] {
  if (automated.length === 0) return [...facts];
  return facts.map((f) => {
    const extra: Partial<Record<LanguageResponseKind, string>> = {};
    for (const r of automated) {
      const kind = languageResponseKindOf(r.type);
      if (kind !== undefined && r.text !== undefined && (r.language ?? defaultTag) === f.tag) extra[kind] = r.text;
    }
    return Object.keys(extra).length === 0 ? f : { ...f, settings: { ...f.settings, responses: { ...f.settings.responses, ...extra } } };
  });
}
