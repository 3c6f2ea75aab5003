/**
 * Linking decisions around the store's one matching statement (docs/linking.md): which
 * (user, rule, condition, normalized value) rows to look up ({@link planMatch}), and, from the
 * records the statement found, each user's outcome ({@link decideMatches}). Pure: no I/O; the
 * statement itself is the store's (src/store/linking.ts).
 */
import { normalizeValue } from './normalize.js';
import type { CompiledRule } from './rules.js';

/** Most candidates one rule suggests for one user. */
export const MAX_CANDIDATES = 50;

/** A record a linking run found (or linked). */
export interface LinkCandidate {
  readonly object: string;
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A user as matching sees them. */
export interface MatchUser {
  readonly id: string;
  readonly channelId: string;
  readonly platformKey: string;
  readonly name?: string | null;
  readonly locale?: string | null;
  readonly language?: string | null;
  readonly attributes?: Readonly<Record<string, unknown>> | null;
}

/** What matching decided for one user: the first rule with candidates that pass its filter. */
export interface Decision {
  readonly outcome: 'linked' | 'suggested';
  readonly rule: CompiledRule;
  readonly candidates: LinkCandidate[];
  readonly truncated: boolean;
}

/** The lookups of one batch: the rules taking part, and the statement's parameters, one array per column. */
export interface MatchPlan {
  readonly batchRules: readonly CompiledRule[];
  readonly ruleIndex: ReadonlyMap<CompiledRule, number>;
  readonly parameters: {
    readonly users: string[];
    readonly rules: number[];
    readonly objects: string[];
    readonly conds: number[];
    readonly fields: string[];
    readonly normalizers: string[];
    readonly values: string[];
    readonly counts: number[];
  };
}

/**
 * The lookups for a batch of users: for each user, each of their channel's rules whose every
 * condition the user has a value for, one row per condition with the normalized value (a
 * condition the user has no value for can't match: the rule has no candidates).
 */
export function planMatch(users: readonly MatchUser[], rules: ReadonlyMap<string, readonly CompiledRule[]>): MatchPlan {
  const batchRules: CompiledRule[] = [];
  const ruleIndex = new Map<CompiledRule, number>();
  const p = { users: [] as string[], rules: [] as number[], objects: [] as string[], conds: [] as number[], fields: [] as string[], normalizers: [] as string[], values: [] as string[], counts: [] as number[] };
  for (const user of users) {
    for (const rule of rules.get(user.channelId) ?? []) {
      const values: string[] = [];
      for (const c of rule.conditions) {
        const v = normalizeValue(c.spec, userValueOf(user, c));
        if (v === undefined) break;
        values.push(v);
      }
      if (values.length < rule.conditions.length) continue;
      let index = ruleIndex.get(rule);
      if (index === undefined) {
        index = batchRules.length;
        batchRules.push(rule);
        ruleIndex.set(rule, index);
      }
      rule.conditions.forEach((c, i) => {
        p.users.push(user.id);
        p.rules.push(index);
        p.objects.push(rule.definition.object);
        p.conds.push(i);
        p.fields.push(c.field);
        p.normalizers.push(c.key);
        p.values.push(values[i] as string);
        p.counts.push(rule.conditions.length);
      });
    }
  }
  return { batchRules, ruleIndex, parameters: p };
}

/**
 * Decides every user of a batch from the records the lookups found (`rows`, at most
 * MAX_CANDIDATES + 1 per user and rule, by Id): the first of the user's rules (in order) with
 * candidates that pass its filter decides: linked when the rule is `auto` and there is exactly
 * one, suggested otherwise. Users for whom no rule has a candidate are absent from the result.
 */
export function decideMatches(
  users: readonly MatchUser[],
  rules: ReadonlyMap<string, readonly CompiledRule[]>,
  plan: MatchPlan,
  rows: readonly { readonly user_id: string | number; readonly rule: number; readonly record_id: string; readonly fields: Record<string, unknown> }[],
  now: (userId: string) => number,
): Map<string, Decision> {
  // user → rule index → candidates
  const found = new Map<string, Map<number, LinkCandidate[]>>();
  for (const r of rows) {
    const userId = String(r.user_id);
    let byRule = found.get(userId);
    if (byRule === undefined) found.set(userId, (byRule = new Map()));
    const rule = plan.batchRules[Number(r.rule)] as CompiledRule;
    const list = byRule.get(Number(r.rule)) ?? [];
    list.push({ object: rule.definition.object, id: r.record_id, fields: r.fields });
    byRule.set(Number(r.rule), list);
  }
  const decisions = new Map<string, Decision>();
  for (const user of users) {
    const byRule = found.get(user.id);
    if (byRule === undefined) continue;
    for (const rule of rules.get(user.channelId) ?? []) {
      const index = plan.ruleIndex.get(rule);
      const listed = index === undefined ? undefined : byRule.get(index);
      if (listed === undefined) continue;
      const truncated = listed.length > MAX_CANDIDATES;
      let candidates = truncated ? listed.slice(0, MAX_CANDIDATES) : listed;
      const filter = rule.filter;
      if (filter !== undefined) {
        const at = now(user.id);
        candidates = candidates.filter((c) => {
          const r = filter.evaluate({ record: { ...rule.checkboxDefaults, ...c.fields }, now: at });
          return r.ok && r.value === true;
        });
      }
      if (candidates.length === 0) continue;
      const outcome = rule.definition.mode === 'auto' && candidates.length === 1 && !truncated ? 'linked' : 'suggested';
      decisions.set(user.id, { outcome, rule, candidates, truncated });
      break;
    }
  }
  return decisions;
}

/** The user's value a condition reads. */
function userValueOf(user: MatchUser, c: CompiledRule['conditions'][number]): unknown {
  switch (c.user.kind) {
    case 'platformKey':
      return user.platformKey;
    case 'name':
      return user.name;
    case 'locale':
      return user.locale;
    case 'language':
      return user.language;
    case 'attribute':
      return user.attributes?.[c.user.key];
  }
}
