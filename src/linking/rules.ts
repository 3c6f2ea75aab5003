/**
 * Channel-object linking rules (SPEC-EXTRACT §10.1): for one channel and one object, the linking
 * logic (match conditions, ANDed, and an optional Boolean filter formula), a mode (`auto` links a
 * unique match, `suggest` proposes candidates for an agent to review), an active flag, a name and
 * a description. docs/linking.md describes every decision; the seed leaves the matching semantics
 * open (§15.9).
 *
 * This module checks a rule (every problem, located) and compiles a stored one for matching.
 */
import { phoneModule } from '../lazy-modules.js';
import type { CompiledFormula, FormulaEngine } from '../formula/formula.js';
import { didYouMean } from '../component/data.js';
import type { StoredChannel } from '../store/channels.js';
import { NORMALIZER_FIELD_TYPES, normalizerKey, type NormalizerName, type NormalizerSpec } from './normalize.js';
import type { LinkableObject, LinkingObjects } from './objects.js';

/** Channel types without channel-object linking: "isn't available for Messaging for In-App and Web channels" (G:5846; DECISIONS.md: the prose wins over the matrix, §15.9). */
export const UNLINKABLE_CHANNEL_TYPES: readonly string[] = ['EmbeddedWeb', 'EmbeddedInApp'];

/** Most conditions in one rule. */
export const MAX_CONDITIONS = 5;

/** The messaging-user values a condition can read: these, or `attributes.<key>`. */
export const USER_FIELDS: readonly string[] = ['platformKey', 'name', 'locale', 'language'];

export type LinkingMode = 'auto' | 'suggest';

/** One match condition: a messaging-user value equals a record field, both normalized. */
export interface LinkingCondition {
  /** `platformKey`, `name`, `locale`, `language` or `attributes.<key>`. */
  readonly user: string;
  /** A field of the rule's object (exact API name). */
  readonly field: string;
  readonly normalizer: NormalizerName;
  /** `e164`: the region numbers without `+` are read in; stored as resolved when the rule is saved (the channel's country by default). */
  readonly region?: string;
}

/** A rule as stored and shown (without its id and timestamps). */
export interface LinkingRuleDefinition {
  readonly channelId: string;
  readonly object: string;
  readonly name: string;
  readonly description?: string;
  readonly mode: LinkingMode;
  readonly active: boolean;
  /** Rules of one channel are tried in ascending priority, then by id. */
  readonly priority: number;
  readonly conditions: readonly LinkingCondition[];
  /** A Boolean sObject formula over the object's fields; candidates for which it isn't true are dropped. */
  readonly filter?: string;
}

/** The rule as a PUT gives it (its shape already checked by the request schema). */
export interface LinkingRuleInput {
  readonly channelId: string;
  readonly object: string;
  readonly name: string;
  readonly description?: string;
  readonly mode: LinkingMode;
  readonly active?: boolean;
  readonly priority?: number;
  readonly conditions: readonly { readonly user: string; readonly field: string; readonly normalizer: NormalizerName; readonly region?: string }[];
  readonly filter?: string;
}

/** Default priority of a rule that doesn't give one. */
export const DEFAULT_PRIORITY = 100;

export interface RuleProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** Where a condition reads the user's value. */
export type UserValue = { readonly kind: 'platformKey' | 'name' | 'locale' | 'language' } | { readonly kind: 'attribute'; readonly key: string };

/** A condition ready for matching. */
export interface CompiledCondition {
  readonly user: UserValue;
  readonly field: string;
  readonly spec: NormalizerSpec;
  /** The name its match keys are stored under (`e164:US`). */
  readonly key: string;
}

/** A stored rule ready for matching. */
export interface CompiledRule {
  readonly id: string;
  readonly definition: LinkingRuleDefinition;
  readonly conditions: readonly CompiledCondition[];
  readonly filter?: CompiledFormula;
  /**
   * What the filter reads for Boolean fields a record leaves out: false, as Salesforce checkboxes
   * are never blank. Spread under the record's fields.
   */
  readonly checkboxDefaults: Readonly<Record<string, boolean>>;
  /** Some condition reads more than the platform key, so the users' stored values are needed. */
  readonly readsUserFields: boolean;
}

/** The (object, field, normalizer key) triples whose match keys a rule needs maintained. */
export interface MatchSpec {
  readonly object: string;
  readonly field: string;
  readonly normalizer: string;
  readonly spec: NormalizerSpec;
}

function userValue(path: string): UserValue | undefined {
  if ((USER_FIELDS as readonly string[]).includes(path)) return { kind: path as 'platformKey' };
  const m = /^attributes\.(.+)$/s.exec(path);
  return m === null ? undefined : { kind: 'attribute', key: m[1] as string };
}

/**
 * Checks a rule against its channel (which must exist and not be In-App or Web) and the linkable
 * objects: the object, every condition's user value, field and normalizer (the field's type must
 * suit the normalizer), and the filter, compiled as a Boolean sObject formula over the object's
 * fields with its diagnostics located in the formula. Returns the definition to store, with
 * defaults and e164 regions resolved, or every problem.
 */
export function checkRule(
  input: LinkingRuleInput,
  channel: StoredChannel | undefined,
  objects: LinkingObjects,
  engine: FormulaEngine,
): { definition?: LinkingRuleDefinition; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  if (channel === undefined) problems.push({ pointer: '/channelId', code: 'E_UNKNOWN_CHANNEL', message: `There is no channel ${JSON.stringify(input.channelId)}` });
  else if (UNLINKABLE_CHANNEL_TYPES.includes(channel.settings.type)) {
    problems.push({
      pointer: '/channelId',
      code: 'E_LINKING_UNAVAILABLE',
      message: `Channel-object linking isn't available for Messaging for In-App and Web channels (G:5846); ${channel.id} is ${channel.settings.type}`,
    });
  }
  const resolved = objects.resolve(input.object);
  if (!resolved.ok) problems.push({ pointer: '/object', code: resolved.code, message: resolved.message });
  const object: LinkableObject | undefined = resolved.ok ? resolved.value : undefined;
  const conditions: LinkingCondition[] = [];
  const seen = new Map<string, number>();
  input.conditions.forEach((c, i) => {
    const at = `/conditions/${i}`;
    if (userValue(c.user) === undefined) {
      problems.push({
        pointer: `${at}/user`,
        code: 'E_UNKNOWN_USER_FIELD',
        message: `A condition reads the messaging user's ${USER_FIELDS.join(', ')} or attributes.<key>, not ${JSON.stringify(c.user)}.${didYouMean(c.user, USER_FIELDS)}`,
      });
    }
    let region = c.region;
    if (c.normalizer !== 'e164' && region !== undefined) {
      problems.push({ pointer: `${at}/region`, code: 'E_REGION_NOT_APPLICABLE', message: `"region" only applies to the e164 normalizer; this condition uses ${c.normalizer}` });
    }
    if (c.normalizer === 'e164' && region !== undefined && !phoneModule().isSupportedCountry(region)) {
      problems.push({ pointer: `${at}/region`, code: 'E_INVALID_REGION', message: `${JSON.stringify(region)} is not a region phone numbers can be read in: an ISO 3166-1 alpha-2 code such as US, CA or GB` });
    }
    if (c.normalizer === 'e164' && region === undefined) region = channel?.settings.country;
    if (object !== undefined) {
      const field = objects.field(object, c.field);
      if (!field.ok) problems.push({ pointer: `${at}/field`, code: field.code, message: field.message });
      else {
        const allowed = NORMALIZER_FIELD_TYPES[c.normalizer];
        if (!allowed.includes(field.value.type)) {
          problems.push({
            pointer: `${at}/normalizer`,
            code: 'E_NORMALIZER_FIELD_TYPE',
            message: `The ${c.normalizer} normalizer compares ${allowed.join(', ')} fields; ${object.name}.${field.value.name} is ${field.value.type}`,
          });
        }
      }
    }
    const key = `${c.user}\u0000${c.field}\u0000${c.normalizer}\u0000${c.normalizer === 'e164' ? (region ?? '') : ''}`;
    const previous = seen.get(key);
    if (previous !== undefined) problems.push({ pointer: at, code: 'E_DUPLICATE_CONDITION', message: `The same condition as /conditions/${previous}` });
    seen.set(key, i);
    conditions.push({ user: c.user, field: c.field, normalizer: c.normalizer, ...(c.normalizer === 'e164' && region !== undefined ? { region } : {}) });
  });
  if (input.filter !== undefined && object !== undefined) {
    const compiled = compileFilter(input.filter, object, engine);
    for (const d of compiled.diagnostics) {
      if (d.severity !== 'error') continue;
      problems.push({ pointer: '/filter', code: d.code, message: d.message, line: d.span.line, column: d.span.column });
    }
  }
  if (problems.length > 0) return { problems };
  return {
    definition: {
      channelId: input.channelId,
      object: (object as LinkableObject).name,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      mode: input.mode,
      active: input.active ?? false,
      priority: input.priority ?? DEFAULT_PRIORITY,
      conditions,
      ...(input.filter !== undefined ? { filter: input.filter } : {}),
    },
    problems: [],
  };
}

/** The filter as a Boolean formula over the object's own fields. */
function compileFilter(source: string, object: LinkableObject, engine: FormulaEngine): CompiledFormula {
  return engine.compile(source, { fields: object.type, returnType: 'Boolean' });
}

/**
 * A stored rule ready for matching; undefined when it no longer checks out against the catalog
 * (a field or object that was removed), so that it never matches rather than matching wrongly.
 */
export function compileRule(id: string, definition: LinkingRuleDefinition, objects: LinkingObjects, engine: FormulaEngine): CompiledRule | undefined {
  const resolved = objects.resolve(definition.object);
  if (!resolved.ok) return undefined;
  const object = resolved.value;
  const conditions: CompiledCondition[] = [];
  for (const c of definition.conditions) {
    const user = userValue(c.user);
    const field = objects.field(object, c.field);
    if (user === undefined || !field.ok) return undefined;
    const spec: NormalizerSpec = { normalizer: c.normalizer, ...(c.region !== undefined ? { region: c.region } : {}), type: field.value.type };
    conditions.push({ user, field: field.value.name, spec, key: normalizerKey(spec) });
  }
  let filter: CompiledFormula | undefined;
  if (definition.filter !== undefined) {
    filter = compileFilter(definition.filter, object, engine);
    if (!filter.ok) return undefined;
  }
  const checkboxDefaults = Object.fromEntries(object.definition.fields.filter((f) => f.type === 'Boolean').map((f) => [f.name, false]));
  return { id, definition, conditions, ...(filter !== undefined ? { filter } : {}), checkboxDefaults, readsUserFields: conditions.some((c) => c.user.kind !== 'platformKey') };
}

/** The match specs a set of rules needs, without repeats. */
export function matchSpecs(rules: Iterable<CompiledRule>): MatchSpec[] {
  const out = new Map<string, MatchSpec>();
  for (const r of rules) {
    for (const c of r.conditions) {
      const k = `${r.definition.object}\u0000${c.field}\u0000${c.key}`;
      if (!out.has(k)) out.set(k, { object: r.definition.object, field: c.field, normalizer: c.key, spec: c.spec });
    }
  }
  return [...out.values()];
}
