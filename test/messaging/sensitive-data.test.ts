/** Sensitive data rules (src/messaging/sensitive-data.ts; issue 18 item 5, G:3674-3715). */
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES } from '../../src/channels/profiles.js';
import { applySensitiveDataRules, compilePattern, ruleOrder, supportsSensitiveData, validateSensitiveDataRules, type SensitiveDataRule } from '../../src/messaging/sensitive-data.js';

const card: SensitiveDataRule = { name: 'Card', pattern: '\\b\\d{16}\\b', action: 'replace', replacement: '****', roles: ['Visitor'], priority: 1 };

describe('where rules apply', () => {
  it('G:3695, matrix row 347: standard channels only; enhanced, In-App and Web are refused with the seed\'s reason', () => {
    expect(CHANNEL_TYPES.filter(supportsSensitiveData)).toEqual(['SmsLongCode', 'SmsShortCode', 'SmsTollFree', 'FacebookStandard', 'WhatsAppStandard']);
    const web = validateSensitiveDataRules('EmbeddedWeb', [card]);
    expect(web).toMatchObject([{ code: 'E_SENSITIVE_DATA_NOT_SUPPORTED' }]);
    expect(web[0]?.message).toContain("function only in standard Messaging channels, and aren't enforced in enhanced Messaging channels");
    expect(validateSensitiveDataRules('SmsLongCode', [card])).toEqual([]);
  });
});

describe('validation at write', () => {
  const problem = (rule: Partial<SensitiveDataRule>) => validateSensitiveDataRules('SmsLongCode', [{ ...card, ...rule }]).map((p) => [p.pointer, p.code]);

  it('G:3699 a pattern that isn\'t a JavaScript regex is refused with a clear error', () => {
    expect(problem({ pattern: '[0-9' })).toEqual([['/rules/0/pattern', 'E_INVALID_PATTERN']]);
    expect(validateSensitiveDataRules('SmsLongCode', [{ ...card, pattern: '(' }])[0]?.message).toContain('Not a valid JavaScript regular expression');
  });

  it('backreferences and lookarounds are refused: RE2 runs in linear time and has neither', () => {
    for (const pattern of ['(a)\\1', '(?=x)a', '(?<!x)a']) {
      const p = validateSensitiveDataRules('SmsLongCode', [{ ...card, pattern }]);
      expect(p.map((x) => x.code), pattern).toEqual(['E_INVALID_PATTERN']);
      expect(p[0]?.message).toContain('linear');
    }
  });

  it('refuses a pattern matching the empty text, a replace without replacement, a remove with one, no roles, duplicate names', () => {
    expect(problem({ pattern: 'a*' })).toEqual([['/rules/0/pattern', 'E_PATTERN_MATCHES_EMPTY']]);
    expect(problem({ replacement: undefined })).toEqual([['/rules/0/replacement', 'E_REPLACEMENT']]);
    expect(problem({ action: 'remove' })).toEqual([['/rules/0/replacement', 'E_REPLACEMENT']]);
    expect(problem({ roles: [] })).toEqual([['/rules/0/roles', 'E_ROLES']]);
    expect(validateSensitiveDataRules('SmsLongCode', [card, card]).map((p) => p.code)).toEqual(['E_DUPLICATE_NAME']);
  });
});

describe('applying rules', () => {
  it('G:3676 replace: a card number in a customer\'s message becomes ****; every match is replaced', () => {
    const r = applySensitiveDataRules('My card is 4111111111111111, or 5500000000000004.', [card], 'Visitor');
    expect(r.text).toBe('My card is ****, or ****.');
    expect(r.hits).toEqual([{ rule: 'Card', matches: 2, event: 'Sensitive data blocked (Visitor)' }]);
  });

  it('G:3676 remove: the matched text is dropped', () => {
    const ssn: SensitiveDataRule = { name: 'SSN', pattern: '\\d{3}-\\d{2}-\\d{4}', action: 'remove', roles: ['Visitor', 'Agent'], priority: 1 };
    expect(applySensitiveDataRules('SSN 123-45-6789 thanks', [ssn], 'Visitor').text).toBe('SSN  thanks');
  });

  it('G:3699 patterns are case-sensitive', () => {
    const word: SensitiveDataRule = { name: 'Word', pattern: 'darn', action: 'replace', replacement: '#', roles: ['Visitor'], priority: 1 };
    expect(applySensitiveDataRules('darn Darn', [word], 'Visitor').text).toBe('# Darn');
  });

  it('G:3705, G:3709 rules are enforced on the author: a Visitor rule leaves an agent\'s quick text alone, an Agent rule masks it', () => {
    expect(applySensitiveDataRules('Call 4111111111111111', [card], 'Agent').hits).toEqual([]);
    const agent = { ...card, roles: ['Agent', 'Supervisor', 'Visitor'] as const };
    expect(applySensitiveDataRules('Call 4111111111111111', [agent], 'Agent')).toMatchObject({ text: 'Call ****', hits: [{ event: 'Sensitive data blocked (Agent)' }] });
    expect(applySensitiveDataRules('Call 4111111111111111', [agent], 'Supervisor').hits[0]?.event).toBe('Sensitive data blocked (Supervisor)');
  });

  it('G:3706 lower priority numbers run first, each rule on the text the earlier ones left; inactive rules are skipped', () => {
    const digits: SensitiveDataRule = { name: 'Digits', pattern: '\\d', action: 'replace', replacement: 'X', roles: ['Visitor'], priority: 2 };
    // The card rule runs first (priority 1), so the digits rule no longer sees the card number.
    expect(applySensitiveDataRules('4111111111111111 and 42', [digits, card], 'Visitor').text).toBe('**** and XX');
    expect(applySensitiveDataRules('4111111111111111 and 42', [{ ...digits, priority: 0 }, card], 'Visitor').text).toBe('XXXXXXXXXXXXXXXX and XX');
    expect(ruleOrder([digits, { ...card, active: false }]).map((r) => r.name)).toEqual(['Digits']);
  });

  it('replacement text is literal: $1 and $& are not group references', () => {
    const r = applySensitiveDataRules('a1', [{ ...card, pattern: '(\\d)', replacement: '$1$&' }], 'Visitor');
    expect(r.text).toBe('a$1$&');
  });

  it('(a+)+$ compiles and runs on a long input: RE2 needs no backtracking', () => {
    const evil: SensitiveDataRule = { name: 'Evil', pattern: '(a+)+$', action: 'remove', roles: ['Visitor'], priority: 1 };
    expect(validateSensitiveDataRules('SmsLongCode', [evil])).toEqual([]);
    const text = `${'a'.repeat(20_000)}!`;
    expect(applySensitiveDataRules(text, [evil], 'Visitor').text).toBe(text);
    expect(applySensitiveDataRules('xaaaa', [evil], 'Visitor').text).toBe('x');
  });

  it('compiled patterns are reused', () => {
    const a = compilePattern('\\d+');
    expect(compilePattern('\\d+')).toBe(a);
  });
});
