/**
 * SMS length: the segment calculator and the length rules of SMS channels.
 *
 * - Encoding (G:2680, G:2902): a text that only uses GSM-7 characters (the basic set, and the
 *   extension table, whose characters such as `€ [ ] { } ~ ^ | \` take two septets) is sent in
 *   GSM-7; any other character makes the whole text UCS-2, two bytes per UTF-16 code unit.
 * - Segments (G:2688, G:2902, G:2906): one message carries 140 bytes: 160 GSM-7 characters or 70
 *   UCS-2 ones. A longer text is split into segments with a header each, leaving 153 GSM-7 or 67
 *   UCS-2 characters per segment.
 * - Messages over 840 characters aren't sent (G:2892, G:6212): they are refused, never split.
 * - Short codes: text is limited to 160 characters (G:3038 for automated responses, G:3348 for
 *   broadcasts); Parlance applies it to every text sent on a short code.
 *
 * The counting is done by the `sms-segments-calculator` package (Twilio's message segment
 * calculator); this module reads its result, without its "smart encoding" substitutions.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import type { ChannelType } from './profiles.js';

/** "Messages over 840 characters aren't sent" (G:2892, G:6212). */
export const SMS_MAX_CHARACTERS = 840;
/** Text sent on a short code: at most 160 characters (G:3038, G:3348). */
export const SHORT_CODE_MAX_CHARACTERS = 160;

/** The seed's reason, quoted in refusals. */
export const SMS_TOO_LONG_REASON = "Messages over 840 characters aren't sent (G:2892, G:6212)";
export const SHORT_CODE_TOO_LONG_REASON = 'Text messages on a short code are limited to 160 characters (G:3038, G:3348)';

/** Codes of the SMS length rules. */
export const SmsLengthCode = {
  /** More than 840 characters (G:2892, G:6212). */
  TooLong: 'SMS_TOO_LONG',
  /** More than 160 characters on a short code (G:3038, G:3348). */
  ShortCodeTooLong: 'SHORT_CODE_TOO_LONG',
} as const;
export type SmsLengthCodeValue = (typeof SmsLengthCode)[keyof typeof SmsLengthCode];

/** How a text is sent as SMS. */
export interface SmsSegments {
  /** `GSM-7` when every character is in the GSM-7 basic set or its extension table, else `UCS-2`. */
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Characters (Unicode code points), as the 840- and 160-character limits count them. */
  readonly characters: number;
  /** Encoding units: GSM-7 septets (an extension-table character counts 2) or UCS-2 code units (a character outside the BMP counts 2). */
  readonly units: number;
  /** How many SMS messages (segments) the text is sent as; 0 for the empty text. */
  readonly segments: number;
  /** Units one segment holds at this length: 160 or 70 for a single message, 153 or 67 each when segmented. */
  readonly perSegment: number;
  /** Units still free in the last segment (what can be added without another segment). */
  readonly unitsLeft: number;
}

const BITS: Readonly<Record<SmsSegments['encoding'], number>> = { 'GSM-7': 7, 'UCS-2': 16 };
const SINGLE: Readonly<Record<SmsSegments['encoding'], number>> = { 'GSM-7': 160, 'UCS-2': 70 };
const MULTI: Readonly<Record<SmsSegments['encoding'], number>> = { 'GSM-7': 153, 'UCS-2': 67 };

/**
 * Counts the segments of an SMS text: its encoding, units, segments and the units left in the
 * last segment. A 161-character GSM-7 text is 2 segments; a 71-character UCS-2 text is 2.
 * Never throws.
 */
export function smsSegments(text: string): SmsSegments {
  const characters = Array.from(text).length;
  if (text === '') return { encoding: 'GSM-7', characters: 0, units: 0, segments: 0, perSegment: SINGLE['GSM-7'], unitsLeft: SINGLE['GSM-7'] };
  const message = new SegmentedMessage(text, 'auto');
  const encoding: SmsSegments['encoding'] = message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2';
  const bits = BITS[encoding];
  const segments = message.segments.length;
  const units = message.segments.reduce((n, s) => n + s.messageSizeInBits() / bits, 0);
  const last = message.segments[segments - 1];
  const unitsLeft = last === undefined ? 0 : Math.floor(last.freeSizeInBits() / bits);
  return { encoding, characters, units, segments, perSegment: segments > 1 ? MULTI[encoding] : SINGLE[encoding], unitsLeft };
}

/** One broken SMS length rule. */
export interface SmsLengthProblem {
  readonly code: SmsLengthCodeValue;
  readonly limit: number;
  readonly characters: number;
  readonly message: string;
}

/** Whether the channel type sends SMS. */
export const isSmsChannel = (type: string): boolean => type === 'SmsLongCode' || type === 'SmsShortCode' || type === 'SmsTollFree' || type === 'SmsEnhanced';

/**
 * The SMS length rules a text breaks on a channel type (none for a channel that isn't SMS): over
 * 840 characters on any SMS channel (G:2892, G:6212); over 160 on a short code (G:3038, G:3348).
 * Characters are Unicode code points.
 */
export function smsLengthProblems(text: string, type: ChannelType | string): SmsLengthProblem[] {
  if (!isSmsChannel(type)) return [];
  const characters = Array.from(text).length;
  const problems: SmsLengthProblem[] = [];
  if (characters > SMS_MAX_CHARACTERS) {
    problems.push({ code: SmsLengthCode.TooLong, limit: SMS_MAX_CHARACTERS, characters, message: `The text has ${characters} characters: ${SMS_TOO_LONG_REASON}. It is not split; shorten it` });
  }
  if (type === 'SmsShortCode' && characters > SHORT_CODE_MAX_CHARACTERS) {
    problems.push({ code: SmsLengthCode.ShortCodeTooLong, limit: SHORT_CODE_MAX_CHARACTERS, characters, message: `The text has ${characters} characters: ${SHORT_CODE_TOO_LONG_REASON}` });
  }
  return problems;
}
