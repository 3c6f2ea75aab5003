/** Keyword normalisation and whole-message matching (DECISIONS.md §15.16). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultChannelSettings, canadianShortCodeDefaults, type ChannelSettings } from '../../src/consent/settings.js';
import { keywordIndex, matchKeyword, normalizeKeyword } from '../../src/consent/keywords.js';
import { runs } from '../helpers/runs.js';

const sms = defaultChannelSettings('SmsLongCode');
const stripping: ChannelSettings = { ...sms, stripTrailingPunctuation: true };
const canada = canadianShortCodeDefaults();

describe('normalizeKeyword', () => {
  it('trims whitespace and folds case without a locale', () => {
    expect(normalizeKeyword(' stop ')).toBe('stop');
    expect(normalizeKeyword('Stop')).toBe('stop');
    expect(normalizeKeyword('\tSTOP\r\n')).toBe('stop');
    expect(normalizeKeyword('\u00a0STOP\u200b')).toBe('stop');
    expect(normalizeKeyword('\ufeffSTOP')).toBe('stop');
  });

  it('uses full case folding: ß is ss, the ﬁ ligature is fi, Turkish İ needs no Turkish locale', () => {
    expect(normalizeKeyword('STRASSE')).toBe(normalizeKeyword('straße'));
    expect(normalizeKeyword('ẞ')).toBe('ss');
    expect(normalizeKeyword('ΟΔΟΣ')).toBe(normalizeKeyword('οδοσ'));
    expect(normalizeKeyword('ﬁn')).toBe('fin');
    expect(normalizeKeyword('İNFO')).toBe(normalizeKeyword('i̇nfo'));
    expect(normalizeKeyword('INFO')).toBe('info');
  });

  it('keeps accents: ARRÊT and ARRET differ, composed and decomposed ARRÊT are the same', () => {
    expect(normalizeKeyword('ARRÊT')).not.toBe(normalizeKeyword('ARRET'));
    expect(normalizeKeyword('ARRE\u0302T')).toBe(normalizeKeyword('ARR\u00caT'));
  });

  it('keeps trailing punctuation unless asked to strip it, and never strips leading punctuation', () => {
    expect(normalizeKeyword('STOP.')).toBe('stop.');
    expect(normalizeKeyword('STOP.', { stripTrailingPunctuation: true })).toBe('stop');
    expect(normalizeKeyword('stop !!', { stripTrailingPunctuation: true })).toBe('stop');
    expect(normalizeKeyword('¿AYUDA?', { stripTrailingPunctuation: true })).toBe('¿ayuda');
    expect(normalizeKeyword('...', { stripTrailingPunctuation: true })).toBe('');
  });

  it('handles a long run of spaces in linear time', () => {
    // No clock here (the machine may be busy): a quadratic pass over 400,000 characters (some
    // 10^11 steps) would not finish within the test's time-out, a linear one takes milliseconds.
    const text = `a${' '.repeat(200_000)}b${' '.repeat(200_000)}`;
    expect(normalizeKeyword(text, { stripTrailingPunctuation: true })).toBe(`a${' '.repeat(200_000)}b`);
  });

  it('is idempotent (property)', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: fc.constantFrom(' ', '.', '!', '\u200b', 'ß', 'ẞ', 'İ', 'ǰ', 'E', '\u0302', 'ς', 'Σ', 'ﬁ', '\ud83d', 'é', 'a', '\u00a0'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(texts, fc.boolean(), (text, strip) => {
        const once = normalizeKeyword(text, { stripTrailingPunctuation: strip });
        expect(normalizeKeyword(once, { stripTrailingPunctuation: strip })).toBe(once);
      }),
      { numRuns: runs(2000) },
    );
  });
});

describe('matchKeyword', () => {
  it('matches the whole message only', () => {
    expect(matchKeyword(sms, ' stop ')).toMatchObject({ kind: 'optOut', keyword: 'STOP', language: 'en', pointer: '/languages/0/keywords/optOut/0' });
    expect(matchKeyword(sms, 'Stop')?.kind).toBe('optOut');
    expect(matchKeyword(sms, 'STOP please')).toBeUndefined();
    expect(matchKeyword(sms, 'please cancel')).toBeUndefined();
    expect(matchKeyword(sms, '')).toBeUndefined();
    expect(matchKeyword(sms, '   ')).toBeUndefined();
  });

  it('matches "STOP." only when the channel strips trailing punctuation', () => {
    expect(matchKeyword(sms, 'STOP.')).toBeUndefined();
    expect(matchKeyword(stripping, 'STOP.')?.kind).toBe('optOut');
    expect(matchKeyword(stripping, 'help?')?.kind).toBe('help');
  });

  it('matches every kind, with its language', () => {
    expect(matchKeyword(sms, 'yes')?.kind).toBe('optIn');
    expect(matchKeyword(sms, 'info')?.kind).toBe('help');
    expect(matchKeyword(canada, 'arret')).toMatchObject({ kind: 'optOut', language: 'fr', keyword: 'ARRET' });
    expect(matchKeyword(canada, 'Arrêt')).toMatchObject({ kind: 'optOut', language: 'fr', keyword: 'ARRÊT' });
    expect(matchKeyword(canada, 'AIDE')).toMatchObject({ kind: 'help', language: 'fr' });
    const custom: ChannelSettings = { ...sms, languages: [{ ...sms.languages[0]!, custom: [{ keywords: ['HOURS'], response: 'Open 9-5.' }] }] };
    expect(matchKeyword(custom, 'hours')).toMatchObject({ kind: 'custom', custom: { index: 0, response: 'Open 9-5.' }, pointer: '/languages/0/custom/0/keywords/0' });
  });

  it('ignores double opt-in keywords unless the consent type is DoubleOptIn', () => {
    const double = defaultChannelSettings('SmsShortCode', { consentType: 'DoubleOptIn' });
    expect(matchKeyword(double, 'confirm')?.kind).toBe('doubleOptIn');
    expect(matchKeyword({ ...double, consentType: 'ExplicitOptIn' }, 'confirm')).toBeUndefined();
  });

  it('never matches a message that is not exactly a keyword after normalisation (property)', () => {
    for (const settings of [sms, stripping, canada]) {
      const keys = new Set(keywordIndex(settings).keys());
      const strip = settings.stripTrailingPunctuation === true;
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (text) => {
          const m = matchKeyword(settings, text);
          expect(m !== undefined).toBe(keys.has(normalizeKeyword(text, { stripTrailingPunctuation: strip })));
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('a keyword with any other word before or after it never matches (property)', () => {
    const keywords = [...keywordIndex(canada).values()].map((m) => m.keyword);
    const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((w) => /[\p{L}\p{N}]/u.test(w));
    fc.assert(
      fc.property(fc.constantFrom(...keywords), word, fc.constantFrom(' ', '  ', '\n', ', '), fc.boolean(), (keyword, other, sep, before) => {
        const text = before ? `${other}${sep}${keyword}` : `${keyword}${sep}${other}`;
        expect(matchKeyword(canada, text)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
