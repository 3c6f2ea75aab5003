/** SMS length: the segment calculator and the length rules (src/channels/sms.ts; issue 18 item 7). */
import { describe, expect, it } from 'vitest';
import { smsLengthProblems, smsSegments } from '../../src/channels/sms.js';

describe('smsSegments', () => {
  it('G:2902 a GSM-7 text of 160 characters is one message', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, units: 160, segments: 1, perSegment: 160, unitsLeft: 0 });
  });

  it('G:2906 a 161-character GSM-7 text is 2 segments of at most 153', () => {
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, units: 161, segments: 2, perSegment: 153, unitsLeft: 145 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('G:2902 a non-GSM-7 character makes the text UCS-2: 70 in one message, a 71-character text is 2 segments of 67', () => {
    expect(smsSegments('ж'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70, unitsLeft: 0 });
    expect(smsSegments('ж'.repeat(71))).toEqual({ encoding: 'UCS-2', characters: 71, units: 71, segments: 2, perSegment: 67, unitsLeft: 63 });
    expect(smsSegments(`${'a'.repeat(70)}ж`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('G:2680 GSM-7 extension-table characters count 2 septets', () => {
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', characters: 80, units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81))).toMatchObject({ encoding: 'GSM-7', characters: 81, segments: 2 });
    expect(smsSegments('[]{}~^|\\').units).toBe(16);
    // Accented letters of the basic set stay GSM-7.
    expect(smsSegments('é à ñ ü Ä').encoding).toBe('GSM-7');
  });

  it('G:2902 a character outside the BMP takes two UCS-2 units', () => {
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', characters: 35, units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36)).segments).toBe(2);
  });

  it('counts what is left in the last segment, and the empty text as no segment', () => {
    expect(smsSegments('hello')).toMatchObject({ segments: 1, unitsLeft: 155 });
    expect(smsSegments('')).toMatchObject({ segments: 0, characters: 0 });
  });
});

describe('smsLengthProblems', () => {
  it('G:2892, G:6212 a 919-character SMS is refused with the seed\'s reason, not split', () => {
    const problems = smsLengthProblems('a'.repeat(919), 'SmsLongCode');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'SMS_TOO_LONG', limit: 840, characters: 919 });
    expect(problems[0]?.message).toContain("Messages over 840 characters aren't sent");
    expect(smsLengthProblems('a'.repeat(840), 'SmsTollFree')).toEqual([]);
    expect(smsLengthProblems('😀'.repeat(841), 'SmsEnhanced').map((p) => p.code)).toEqual(['SMS_TOO_LONG']);
  });

  it('G:3038, G:3348 more than 160 characters on a short code is refused', () => {
    expect(smsLengthProblems('a'.repeat(160), 'SmsShortCode')).toEqual([]);
    expect(smsLengthProblems('a'.repeat(161), 'SmsShortCode').map((p) => p.code)).toEqual(['SHORT_CODE_TOO_LONG']);
    expect(smsLengthProblems('a'.repeat(161), 'SmsLongCode')).toEqual([]);
    expect(smsLengthProblems('a'.repeat(900), 'SmsShortCode').map((p) => p.code)).toEqual(['SMS_TOO_LONG', 'SHORT_CODE_TOO_LONG']);
  });

  it('applies to SMS channels only', () => {
    expect(smsLengthProblems('a'.repeat(2000), 'WhatsAppStandard')).toEqual([]);
  });
});
