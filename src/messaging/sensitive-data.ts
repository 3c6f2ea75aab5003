/**
 * Sensitive data rules (seed G:3674-3715, SPEC-EXTRACT.md §13.8): patterns that remove text or
 * replace it with other characters, such as card, Social Security or account numbers.
 *
 * - Standard channels only: "Sensitive data rules also function only in standard Messaging
 *   channels, and aren't enforced in enhanced Messaging channels" (G:3695; matrix row 347). Rules
 *   for any other channel type are refused with that reason.
 * - Each pattern is "a JavaScript regular expression (regex)" and "case-sensitive" (G:3699). It is
 *   validated when the rules are written, and run by RE2 (the `re2js` package, a pure JavaScript
 *   port): matching takes time linear in the text, so no pattern, `(a+)+$` included, can hang the
 *   server. RE2 has no backreferences or lookarounds; a pattern that uses them is refused with
 *   the reason. Every match is handled (a global search).
 * - Roles: "Rules are enforced on the author" (G:3705): a rule applies to text written by the
 *   roles it names, `Agent`, `Supervisor` or `Visitor` (the customer), "or all three" (G:3709).
 *   It covers customers' text and the auto-greetings and quick text sent from the agent's side,
 *   not the agent name or other standard text in the chat window (G:3683-3693).
 * - Priority: "Lower numbers are executed first" (G:3706); each rule sees the text as the rules
 *   before it left it. Rules of equal priority keep their stored order.
 * - Replacement: each match is replaced by the rule's replacement text, as written (no `$1`
 *   group references); `remove` replaces it with nothing. (The seed doesn't say whether the
 *   replacement is per match or per character, ⚠ §13.8: Parlance replaces each match.)
 * - A rule that changes a text is reported with the seed's event name, "Sensitive data blocked
 *   (Visitor)" and so on (G:3711-3713).
 */
import { RE2JS } from 're2js';
import type { ChannelType } from '../channels/profiles.js';
import { isStandardChannel } from '../consent/model.js';

/** Whose text a rule applies to (G:3704-3709). */
export const SENSITIVE_DATA_ROLES = ['Agent', 'Supervisor', 'Visitor'] as const;
export type SensitiveDataRole = (typeof SENSITIVE_DATA_ROLES)[number];

/** One rule, as stored. */
export interface SensitiveDataRule {
  readonly name: string;
  /** A JavaScript regular expression (source, without slashes or flags), case-sensitive (G:3699). */
  readonly pattern: string;
  /** Remove the matched text, or replace it with `replacement` (G:3676). */
  readonly action: 'remove' | 'replace';
  readonly replacement?: string;
  /** The authors the rule is enforced on (G:3705). */
  readonly roles: readonly SensitiveDataRole[];
  /** Lower numbers run first (G:3706). */
  readonly priority: number;
  /** An inactive rule is kept but not applied. Default true. */
  readonly active?: boolean;
}

/** Codes of refused rules. */
export const SensitiveDataCode = {
  /** The channel type isn't a standard channel (G:3695). */
  NotSupported: 'E_SENSITIVE_DATA_NOT_SUPPORTED',
  /** The pattern isn't a regex Parlance can run (syntax, or a feature RE2 doesn't have). */
  InvalidPattern: 'E_INVALID_PATTERN',
  /** A pattern that matches the empty text would insert its replacement everywhere. */
  EmptyMatch: 'E_PATTERN_MATCHES_EMPTY',
  /** `replace` without a replacement, or `remove` with one. */
  Replacement: 'E_REPLACEMENT',
  /** No role, or a role twice. */
  Roles: 'E_ROLES',
  /** Two rules with one name. */
  DuplicateName: 'E_DUPLICATE_NAME',
} as const;

export interface SensitiveDataProblem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** The reason rules are refused on a channel type that isn't standard. */
export const SENSITIVE_DATA_STANDARD_ONLY =
  "Sensitive data rules function only in standard Messaging channels, and aren't enforced in enhanced Messaging channels (G:3695; matrix row 347: not on enhanced Facebook Messenger, enhanced WhatsApp, Messaging for In-App and Web)";

/** Whether a channel type takes sensitive data rules: the standard channels (SMS, Facebook Messenger, WhatsApp). */
export const supportsSensitiveData = (type: ChannelType): boolean => isStandardChannel(type);

export type CompiledPattern = { readonly ok: true; readonly re: RE2JS } | { readonly ok: false; readonly message: string };
/** Compiled patterns (immutable), most recent last; bounded. */
const compiledCache = new Map<string, CompiledPattern>();
const CACHE_SIZE = 512;

/** Compiles a JavaScript regex source with RE2 (cached), or says why it can't. */
export function compilePattern(pattern: string): CompiledPattern {
  const hit = compiledCache.get(pattern);
  if (hit !== undefined) return hit;
  const made = compileUncached(pattern);
  compiledCache.set(pattern, made);
  if (compiledCache.size > CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value as string);
  return made;
}

function compileUncached(pattern: string): CompiledPattern {
  try {
    // Syntax first: what JavaScript itself refuses is refused with JavaScript's message.
    new RegExp(pattern, 'u');
  } catch (e) {
    return { ok: false, message: `Not a valid JavaScript regular expression: ${(e as Error).message}` };
  }
  try {
    return { ok: true, re: RE2JS.compile(RE2JS.translateRegExp(pattern)) };
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    return {
      ok: false,
      message: `Parlance runs patterns with RE2, which takes time linear in the text so that no pattern can hang the server, and RE2 can't run this one (${why}): backreferences and lookarounds aren't supported`,
    };
  }
}

/** Every problem of a rule list for a channel type; empty when it may be stored. */
export function validateSensitiveDataRules(type: ChannelType, rules: readonly SensitiveDataRule[]): SensitiveDataProblem[] {
  if (!supportsSensitiveData(type)) return [{ pointer: '', code: SensitiveDataCode.NotSupported, message: `${type}: ${SENSITIVE_DATA_STANDARD_ONLY}` }];
  const problems: SensitiveDataProblem[] = [];
  const names = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    const seen = names.get(rule.name);
    if (seen !== undefined) problems.push({ pointer: `${at}/name`, code: SensitiveDataCode.DuplicateName, message: `Rule ${i} has the name of rule ${seen}: "${rule.name}"` });
    else names.set(rule.name, i);
    const compiled = compilePattern(rule.pattern);
    if (!compiled.ok) problems.push({ pointer: `${at}/pattern`, code: SensitiveDataCode.InvalidPattern, message: compiled.message });
    else if (compiled.re.matches('')) {
      problems.push({ pointer: `${at}/pattern`, code: SensitiveDataCode.EmptyMatch, message: `The pattern ${JSON.stringify(rule.pattern)} matches the empty text, so it would act between every two characters: make it match at least one character` });
    }
    if (rule.action === 'replace' && (rule.replacement === undefined || rule.replacement === '')) {
      problems.push({ pointer: `${at}/replacement`, code: SensitiveDataCode.Replacement, message: 'A replace rule needs the replacement characters (G:3676); to drop the text, use "action": "remove"' });
    }
    if (rule.action === 'remove' && rule.replacement !== undefined) {
      problems.push({ pointer: `${at}/replacement`, code: SensitiveDataCode.Replacement, message: 'A remove rule has no replacement: use "action": "replace" to replace the text' });
    }
    if (rule.roles.length === 0) problems.push({ pointer: `${at}/roles`, code: SensitiveDataCode.Roles, message: 'Name the roles the rule is enforced on: Agent, Supervisor, Visitor, or all three (G:3704-3709)' });
    else if (new Set(rule.roles).size !== rule.roles.length) problems.push({ pointer: `${at}/roles`, code: SensitiveDataCode.Roles, message: 'A role is listed twice' });
  });
  return problems;
}

/** One rule that changed the text. */
export interface SensitiveDataHit {
  readonly rule: string;
  readonly matches: number;
  /** The seed's event: "Sensitive data blocked (Visitor)" (G:3711-3713). */
  readonly event: string;
}

export interface SensitiveDataResult {
  readonly text: string;
  readonly hits: readonly SensitiveDataHit[];
}

/** Rules in the order they run: active ones, lower priority first, stored order among equals. */
export function ruleOrder(rules: readonly SensitiveDataRule[]): SensitiveDataRule[] {
  return rules
    .map((rule, i) => ({ rule, i }))
    .filter((x) => x.rule.active !== false)
    .sort((a, b) => a.rule.priority - b.rule.priority || a.i - b.i)
    .map((x) => x.rule);
}

/**
 * Applies the rules to a text written by `author`, in priority order (G:3706), each on the text
 * the ones before it left. Rules that don't name the author are skipped (G:3705). A rule whose
 * pattern can't be compiled (never stored: validation refuses it) is skipped. Never throws.
 */
export function applySensitiveDataRules(text: string, rules: readonly SensitiveDataRule[], author: SensitiveDataRole): SensitiveDataResult {
  let out = text;
  const hits: SensitiveDataHit[] = [];
  for (const rule of ruleOrder(rules)) {
    if (!rule.roles.includes(author)) continue;
    const compiled = compilePattern(rule.pattern);
    if (!compiled.ok) continue;
    let matches = 0;
    const replacement = rule.action === 'replace' ? (rule.replacement ?? '') : '';
    const next = compiled.re.matcher(out).replaceAll(() => {
      matches++;
      return replacement;
    });
    if (matches > 0) {
      hits.push({ rule: rule.name, matches, event: `Sensitive data blocked (${author})` });
      out = next;
    }
  }
  return { text: out, hits };
}
