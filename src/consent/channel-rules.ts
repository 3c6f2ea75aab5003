/**
 * Channel consent settings validation, the rules of the channel type and consent type
 * (src/consent/validation.ts): the keywords and responses each allows and requires, the
 * 160-character limit of short code responses (G:3038) and the Canadian short code keywords
 * (G:3116).
 */
import type { ChannelType } from '../channels/profiles.js';
import { normalizeKeyword } from './normalize.js';
import { ConsentSettingsErrorCode, ConsentSettingsWarningCode, type SettingsProblem } from './problems.js';
import { characterCount, primaryLanguage } from './text.js';
import { AUTO_RESPONSE_KINDS, LANGUAGE_RESPONSE_KINDS, SMS_CHANNELS, STANDARD_SMS, allowedConsentTypes, consentApplies, type AutoResponseValue, type ConsentType, type KeywordKind, type LanguageResponseKind, type ListKeywordKind } from './model.js';
import { KIND_LABEL, RESPONSE_LABEL, type LanguageFacts, type Occurrence } from './languages.js';

const C = ConsentSettingsErrorCode;

/** Short code automated responses may have at most this many characters (G:3038). */
export const SHORT_CODE_RESPONSE_LIMIT = 160;

/** What the channel type and consent type allow and require. */
export function channelRules(
  type: ChannelType,
  consent: ConsentType,
  facts: readonly LanguageFacts[],
  def: LanguageFacts,
  occurrences: readonly Occurrence[],
  errors: SettingsProblem[],
  warnings: SettingsProblem[],
): void {
  const applies = consentApplies(type);
  const doubleAllowed = allowedConsentTypes(type).includes('DoubleOptIn');
  const defaultTag = def.tag ?? '';

  for (const f of facts) {
    const lang = f.tag ?? `#${f.index}`;
    const kw = f.settings.keywords ?? {};
    const rs = f.settings.responses ?? {};
    // Kinds the channel type doesn't have
    for (const kind of ['optIn', 'doubleOptIn', 'optOut'] as const) {
      if ((kw[kind]?.length ?? 0) === 0) continue;
      if (!applies) errors.push({ pointer: `${f.pointer}/keywords/${kind}`, code: C.KeywordNotAllowed, message: `${type} channels have no consent keywords: consent and opt-out don't apply to Messaging for In-App and Web (SPEC-EXTRACT §7.2 rows 351-354). Use help or custom keywords` });
      else if (kind === 'doubleOptIn' && !doubleAllowed) errors.push({ pointer: `${f.pointer}/keywords/doubleOptIn`, code: C.KeywordNotAllowed, message: `Double opt-in keywords are only for short codes; ${type} channels don't offer double opt-in (SPEC-EXTRACT §7.2 row 353, G:5236)` });
    }
    for (const kind of ['optInPrompt', 'optInConfirmation', 'doubleOptInPrompt', 'optOutConfirmation'] as const) {
      if (rs[kind] === undefined) continue;
      if (!applies) errors.push({ pointer: `${f.pointer}/responses/${kind}`, code: C.ResponseNotAllowed, message: `${type} channels have no ${RESPONSE_LABEL[kind]}: consent doesn't apply to Messaging for In-App and Web (SPEC-EXTRACT §7.2 rows 351-354)` });
      else if (kind === 'doubleOptInPrompt' && !doubleAllowed) errors.push({ pointer: `${f.pointer}/responses/doubleOptInPrompt`, code: C.ResponseNotAllowed, message: `A double opt-in prompt is only for short codes; ${type} channels don't offer double opt-in (G:5235)` });
    }
    if (!applies) continue;
    // A keyword's own response, in the keyword's language
    const need = (kind: ListKeywordKind, response: LanguageResponseKind, why: string): void => {
      if ((kw[kind]?.length ?? 0) > 0 && rs[response] === undefined) {
        errors.push({ pointer: `${f.pointer}/responses/${response}`, code: C.MissingResponse, message: `"${lang}" has ${KIND_LABEL[kind].replace(/^an? /, '')}s, so it needs its ${RESPONSE_LABEL[response]} in "${lang}": ${why}` });
      }
    };
    need('optOut', 'optOutConfirmation', 'every opt-out is confirmed, in the keyword\'s language (G:5234, G:3116)');
    need('help', 'helpResponse', 'a help keyword is answered with the help response, in the keyword\'s language (G:3094, G:3116)');
    if (consent === 'DoubleOptIn') need('doubleOptIn', 'optInConfirmation', 'the double opt-in keyword completes the opt-in and is confirmed (G:3746-3752)');
    else need('optIn', 'optInConfirmation', 'an opt-in keyword is confirmed (G:3062)');
    if (consent !== 'DoubleOptIn' && (kw.doubleOptIn?.length ?? 0) > 0 && doubleAllowed) {
      warnings.push({ pointer: `${f.pointer}/keywords/doubleOptIn`, code: ConsentSettingsWarningCode.DoubleOptInInactive, message: `Double opt-in keywords only take effect when "consentType" is DoubleOptIn (the "Require Double Opt-In" setting, G:3070); with ${consent} they are ignored` });
    }
  }
  if (!applies) return;

  const any = (kind: KeywordKind): boolean => occurrences.some((o) => o.kind === kind);
  const missingKeywords = (kind: ListKeywordKind, why: string): void => {
    if (!any(kind)) errors.push({ pointer: `${def.pointer}/keywords/${kind}`, code: C.MissingKeywords, message: `${type} channels with ${consent} need at least one ${KIND_LABEL[kind].replace(/^an? /, '')}: ${why}` });
  };
  const missingDefault = (response: LanguageResponseKind, why: string): void => {
    const pointer = `${def.pointer}/responses/${response}`;
    if (errors.some((e) => e.pointer === pointer && e.code === C.MissingResponse)) return;
    if (def.settings.responses?.[response] === undefined) errors.push({ pointer, code: C.MissingResponse, message: `The default language "${defaultTag}" needs the ${RESPONSE_LABEL[response]}: ${why}` });
  };
  missingKeywords('optOut', 'customers must be able to opt out (G:5233 "Required: Yes", G:3080)');
  if (consent === 'ExplicitOptIn' || consent === 'DoubleOptIn') {
    missingKeywords('optIn', 'customers opt in by sending one (G:5244, G:3062)');
    missingDefault('optInPrompt', 'customers who haven\'t opted in are asked to (G:3054, G:5230)');
  }
  if (consent === 'DoubleOptIn') {
    missingKeywords('doubleOptIn', 'customers confirm their opt-in by sending one (G:3070)');
    missingDefault('doubleOptInPrompt', 'customers who sent an opt-in keyword are asked to confirm (G:3070, G:5235)');
  }
  if (type === 'SmsShortCode') missingKeywords('help', 'short codes must answer help keywords (G:3094)');
  if (STANDARD_SMS.has(type)) missingDefault('optInConfirmation', 'SMS channels confirm every opt-in (G:5232 "Required: SMS and short codes only")');
  if (SMS_CHANNELS.has(type) && any('optOut') && !occurrences.some((o) => o.kind === 'optOut' && o.normalized === 'stop')) {
    warnings.push({ pointer: `${def.pointer}/keywords/optOut`, code: ConsentSettingsWarningCode.NoStopKeyword, message: 'No opt-out keyword is STOP. Carriers and providers expect STOP on every SMS number (PLATFORM-FACTS §4: it can\'t be removed in Twilio Advanced Opt-Out)' });
  }
}

export function shortCodeLimits(facts: readonly LanguageFacts[], autoResponses: Record<string, AutoResponseValue> | undefined, errors: SettingsProblem[]): void {
  const check = (text: string | undefined, pointer: string, label: string): void => {
    if (text === undefined) return;
    const n = characterCount(text);
    if (n > SHORT_CODE_RESPONSE_LIMIT) errors.push({ pointer, code: C.ResponseTooLong, message: `The ${label} has ${n} characters; short code automated responses may have at most ${SHORT_CODE_RESPONSE_LIMIT} (G:3038)` });
  };
  for (const f of facts) {
    const lang = f.tag ?? `#${f.index}`;
    for (const kind of LANGUAGE_RESPONSE_KINDS) check(f.settings.responses?.[kind], `${f.pointer}/responses/${kind}`, `${RESPONSE_LABEL[kind]} of "${lang}"`);
    f.settings.custom?.forEach((g, i) => check(g.response, `${f.pointer}/custom/${i}/response`, `custom response of "${lang}"`));
  }
  if (autoResponses !== undefined) {
    for (const kind of AUTO_RESPONSE_KINDS) {
      const v = autoResponses[kind];
      check(typeof v === 'string' ? v : undefined, `/autoResponses/${kind}`, RESPONSE_LABEL[kind]);
    }
  }
}

/** The five mandatory keywords of Canadian short codes, with the kind and language each needs (G:3116). */
const CANADA_KEYWORDS: readonly { readonly keyword: string; readonly kinds: readonly KeywordKind[]; readonly language: 'en' | 'fr' }[] = [
  { keyword: 'HELP', kinds: ['help'], language: 'en' },
  { keyword: 'INFO', kinds: ['help', 'custom'], language: 'en' },
  { keyword: 'STOP', kinds: ['optOut'], language: 'en' },
  { keyword: 'AIDE', kinds: ['help'], language: 'fr' },
  { keyword: 'ARRET', kinds: ['optOut'], language: 'fr' },
];

const LANGUAGE_NAME = { en: 'English', fr: 'French' } as const;

export function canadaRule(facts: readonly LanguageFacts[], byKeyword: ReadonlyMap<string, Occurrence>, strip: boolean, errors: SettingsProblem[]): void {
  for (const rule of CANADA_KEYWORDS) {
    const norm = normalizeKeyword(rule.keyword, { stripTrailingPunctuation: strip });
    const found = byKeyword.get(norm);
    const name = LANGUAGE_NAME[rule.language];
    const kindText = rule.kinds.map((k) => KIND_LABEL[k]).join(' or ');
    const target = facts.find((f) => f.tag !== undefined && primaryLanguage(f.tag) === rule.language);
    const where = target === undefined ? undefined : `${target.pointer}/keywords/${rule.kinds[0]}`;
    if (found === undefined) {
      const accented = rule.keyword === 'ARRET' && byKeyword.has(normalizeKeyword('ARRÊT', { stripTrailingPunctuation: strip })) ? ' ARRÊT is configured, but ARRET (without the accent) is a different keyword: add it too.' : '';
      const fix = target === undefined
        ? `no ${name} language is configured: add a language "${rule.language}" with ${rule.keyword} as ${kindText} and its response in ${name}`
        : `add ${rule.keyword} as ${kindText} of "${target.tag}" (${where})`;
      errors.push({ pointer: where ?? '/languages', code: C.CanadaKeywordMissing, message: `A Canadian short code (country CA) must answer ${rule.keyword} with an automated ${name} response (G:3116): ${fix}.${accented}` });
      continue;
    }
    const langOk = primaryLanguage(found.language) === rule.language;
    const kindOk = rule.kinds.includes(found.kind);
    if (!langOk || !kindOk) {
      const need = [kindOk ? '' : `as ${kindText}`, langOk ? '' : `in a ${name} language, so that its response is in ${name}`].filter((s) => s !== '').join(' ');
      errors.push({ pointer: found.pointer, code: C.CanadaKeywordMisplaced, message: `${rule.keyword} is ${KIND_LABEL[found.kind]} of "${found.language}"; a Canadian short code needs it ${need} (G:3116)`, related: where !== undefined && where !== found.pointer ? [where] : [] });
    }
  }
}
