/**
 * Default channel consent settings: keywords and texts per channel type (DECISIONS.md "Consent
 * and keywords", the seed's default texts, SPEC-EXTRACT §8.4), and the Canadian short code defaults.
 */
import type { ChannelType } from '../channels/profiles.js';
import { consentApplies, defaultConsentType, type ChannelSettings, type ConsentType, type LanguageSettings, type ListKeywordKind } from './model.js';

// ---------------------------------------------------------------------------------------------
// Defaults

/** Options of {@link defaultChannelSettings}. */
export interface DefaultSettingsOptions {
  /** Default `ExplicitOptIn` on short codes, else `ImplicitOptIn`. */
  readonly consentType?: ConsentType;
  /** ISO 3166-1 alpha-2. `CA` on a short code gives {@link canadianShortCodeDefaults}. */
  readonly country?: string;
  readonly stripTrailingPunctuation?: boolean;
}

/** The default keywords (DECISIONS.md §15.19). YES is an opt-in keyword, so the double opt-in defaults are CONFIRM and Y. */
export const DEFAULT_KEYWORDS: Readonly<Record<ListKeywordKind, readonly string[]>> = {
  optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'],
  optIn: ['START', 'YES', 'UNSTOP'],
  doubleOptIn: ['CONFIRM', 'Y'],
  help: ['HELP', 'INFO'],
};

/**
 * The default English texts. The opt-in and opt-out confirmations are the seed's defaults
 * (G:5232, G:5234), the prompt and the auto-responses its examples (G:3744, G:5211-5213). The
 * double opt-in prompt is the seed's (G:3750) with the default double opt-in keyword; the help
 * response is generic because the seed's has placeholders ([Campaign Name]…) to fill in.
 */
export const DEFAULT_TEXTS = {
  optInPrompt: 'Thanks for connecting with us! To opt in to receiving messages, respond Yes.',
  optInConfirmation: 'Thanks for opting in and allowing us to send you messages.',
  doubleOptInPrompt: 'To confirm your response, respond Confirm.',
  optOutConfirmation: "You've opted out of receiving messages from us, so we won't contact you again.",
  helpResponse: 'Reply with your question and someone will help you. Reply STOP to opt out.',
  conversationAcknowledgment: 'Thanks for your message. An agent will be with you shortly. Just so you know, we record and track conversations to help improve your experience.',
  startConversation: 'Hello, how can I help you today?',
  endConversation: 'Thanks again for contacting us. We appreciate your business.',
} as const;

/** Canadian French keywords and texts for {@link canadianShortCodeDefaults}. ARRÊT is added next to the mandatory ARRET. */
export const FRENCH_DEFAULTS = {
  keywords: { optOut: ['ARRET', 'ARRÊT'], optIn: ['OUI'], doubleOptIn: ['CONFIRMER'], help: ['AIDE'] },
  texts: {
    optInPrompt: 'Merci de nous avoir écrit! Pour accepter de recevoir nos messages, répondez Oui.',
    optInConfirmation: "Merci d'avoir accepté de recevoir nos messages.",
    doubleOptInPrompt: 'Pour confirmer votre réponse, répondez Confirmer.',
    optOutConfirmation: 'Vous ne recevrez plus de messages de notre part. Nous ne vous contacterons plus.',
    helpResponse: "Répondez avec votre question et quelqu'un vous aidera. Répondez ARRET pour ne plus recevoir de messages.",
  },
} as const;

function englishLanguage(type: ChannelType, consent: ConsentType): LanguageSettings {
  if (!consentApplies(type)) return { language: 'en', keywords: {}, custom: [], responses: {} };
  const double = consent === 'DoubleOptIn';
  return {
    language: 'en',
    keywords: {
      optIn: [...DEFAULT_KEYWORDS.optIn],
      ...(double ? { doubleOptIn: [...DEFAULT_KEYWORDS.doubleOptIn] } : {}),
      optOut: [...DEFAULT_KEYWORDS.optOut],
      help: [...DEFAULT_KEYWORDS.help],
    },
    custom: [],
    responses: {
      optInPrompt: DEFAULT_TEXTS.optInPrompt,
      optInConfirmation: DEFAULT_TEXTS.optInConfirmation,
      ...(double ? { doubleOptInPrompt: DEFAULT_TEXTS.doubleOptInPrompt } : {}),
      optOutConfirmation: DEFAULT_TEXTS.optOutConfirmation,
      helpResponse: DEFAULT_TEXTS.helpResponse,
    },
  };
}

/**
 * Default settings for a channel type, valid as they are: one English language with the default
 * keywords and texts. In-App and Web channels get no keywords (consent doesn't apply, and a help
 * keyword would keep a chat's first "help" from reaching an agent). A short code in Canada gets
 * {@link canadianShortCodeDefaults}.
 */
export function defaultChannelSettings(type: ChannelType, options: DefaultSettingsOptions = {}): ChannelSettings {
  if (type === 'SmsShortCode' && options.country === 'CA') return canadianShortCodeDefaults(options);
  const consentType = options.consentType ?? defaultConsentType(type);
  return {
    type,
    ...(options.country !== undefined ? { country: options.country } : {}),
    consentType,
    stripTrailingPunctuation: options.stripTrailingPunctuation ?? false,
    defaultLanguage: 'en',
    languages: [englishLanguage(type, consentType)],
    autoResponses: {
      conversationAcknowledgment: DEFAULT_TEXTS.conversationAcknowledgment,
      startConversation: DEFAULT_TEXTS.startConversation,
      endConversation: DEFAULT_TEXTS.endConversation,
    },
  };
}

/**
 * Default settings for a Canadian short code (G:3116): English (`en`, the default language) with
 * HELP, INFO and STOP among the defaults, and French (`fr`) with ARRET (and ARRÊT) to opt out,
 * AIDE for help, OUI to opt in and French responses. All responses fit in 160 characters.
 */
export function canadianShortCodeDefaults(options: Omit<DefaultSettingsOptions, 'country'> = {}): ChannelSettings {
  const consentType = options.consentType ?? 'ExplicitOptIn';
  const double = consentType === 'DoubleOptIn';
  const fr = FRENCH_DEFAULTS;
  const french: LanguageSettings = {
    language: 'fr',
    keywords: {
      optIn: [...fr.keywords.optIn],
      ...(double ? { doubleOptIn: [...fr.keywords.doubleOptIn] } : {}),
      optOut: [...fr.keywords.optOut],
      help: [...fr.keywords.help],
    },
    custom: [],
    responses: {
      optInPrompt: fr.texts.optInPrompt,
      optInConfirmation: fr.texts.optInConfirmation,
      ...(double ? { doubleOptInPrompt: fr.texts.doubleOptInPrompt } : {}),
      optOutConfirmation: fr.texts.optOutConfirmation,
      helpResponse: fr.texts.helpResponse,
    },
  };
  return {
    type: 'SmsShortCode',
    country: 'CA',
    consentType,
    stripTrailingPunctuation: options.stripTrailingPunctuation ?? false,
    defaultLanguage: 'en',
    languages: [englishLanguage('SmsShortCode', consentType), french],
    autoResponses: {
      conversationAcknowledgment: DEFAULT_TEXTS.conversationAcknowledgment,
      startConversation: DEFAULT_TEXTS.startConversation,
      endConversation: DEFAULT_TEXTS.endConversation,
    },
  };
}
