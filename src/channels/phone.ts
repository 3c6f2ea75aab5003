/**
 * Phone numbers as platform keys (PLATFORM-FACTS.md §5): SMS and WhatsApp users are keyed by
 * their number in E.164 (`+14155552671`), checked with libphonenumber-js.
 */
import type { CountryCode } from 'libphonenumber-js';
import { phoneModule } from '../lazy-modules.js';

/** Channel types whose users are phone numbers. */
export function usesPhoneNumbers(channelType: string): boolean {
  return channelType.startsWith('Sms') || channelType.startsWith('WhatsApp');
}

/** The number when it is a valid E.164 number; otherwise a message saying why, with a suggestion when one is obvious. */
export function checkE164(value: string, defaultCountry?: string): { number: string } | { problem: string } {
  if (/^\+[1-9]\d{1,14}$/.test(value)) {
    const parsed = phoneModule().parsePhoneNumberFromString(value);
    if (parsed !== undefined && parsed.isValid()) return { number: parsed.number };
    return { problem: `${JSON.stringify(value)} is not a valid phone number${parsed?.country === undefined ? '' : ` for ${parsed.country}`}` };
  }
  const guess = defaultCountry !== undefined ? phoneModule().parsePhoneNumberFromString(value, defaultCountry as CountryCode) : phoneModule().parsePhoneNumberFromString(value);
  const hint = guess !== undefined && guess.isValid() ? `; did you mean ${guess.number}?` : '';
  return { problem: `${JSON.stringify(value)} is not an E.164 phone number (a "+", the country code and the number, digits only, such as +14155552671)${hint}` };
}
