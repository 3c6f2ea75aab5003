/** The codes and the shape of channel settings problems (validation.ts). */

/** Stable codes of settings problems. */
export const ConsentSettingsErrorCode = {
  NotAnObject: 'E_NOT_AN_OBJECT',
  UnknownProperty: 'E_UNKNOWN_PROPERTY',
  MissingProperty: 'E_MISSING_PROPERTY',
  InvalidValue: 'E_INVALID_VALUE',
  UnknownChannel: 'E_UNKNOWN_CHANNEL',
  InvalidCountry: 'E_INVALID_COUNTRY',
  InvalidLanguage: 'E_INVALID_LANGUAGE',
  DuplicateLanguage: 'E_DUPLICATE_LANGUAGE',
  DefaultLanguageNotConfigured: 'E_DEFAULT_LANGUAGE_NOT_CONFIGURED',
  ConsentTypeNotAllowed: 'E_CONSENT_TYPE_NOT_ALLOWED',
  EmptyKeyword: 'E_EMPTY_KEYWORD',
  KeywordHasSpace: 'E_KEYWORD_HAS_SPACE',
  DuplicateKeyword: 'E_DUPLICATE_KEYWORD',
  KeywordNotAllowed: 'E_KEYWORD_NOT_ALLOWED',
  ResponseNotAllowed: 'E_RESPONSE_NOT_ALLOWED',
  MissingKeywords: 'E_MISSING_KEYWORDS',
  MissingResponse: 'E_MISSING_RESPONSE',
  ResponseTooLong: 'E_RESPONSE_TOO_LONG',
  CanadaKeywordMissing: 'E_CANADA_KEYWORD_MISSING',
  CanadaKeywordMisplaced: 'E_CANADA_KEYWORD_MISPLACED',
  /** An automated response in a language the channel doesn't configure. */
  LanguageNotConfigured: 'E_LANGUAGE_NOT_CONFIGURED',
  /** An automated response with both or neither of `text` and `component`. */
  TextOrComponent: 'E_TEXT_OR_COMPONENT',
  /** An auto-response component on a channel type without them (only In-App and Web, G:4519, G:4869). */
  ComponentNotSupported: 'E_COMPONENT_NOT_SUPPORTED',
  /** The same trigger and language configured twice (in `automatedResponses` or an equivalent older field). */
  AutomatedResponseConflict: 'E_AUTOMATED_RESPONSE_CONFLICT',
  /** An automated response names a component that isn't stored. */
  ComponentNotFound: 'E_COMPONENT_NOT_FOUND',
  /** An automated response names a component that isn't an auto-response component. */
  NotAnAutoResponse: 'E_NOT_AN_AUTO_RESPONSE',
  /** A key of `globals` that isn't a declarable global, or of `globalValues` that the channel doesn't declare. */
  UnknownGlobal: 'E_UNKNOWN_GLOBAL',
  /** A member in `globalValues` that the channel's `globals` doesn't declare. */
  UnknownGlobalMember: 'E_UNKNOWN_FIELD',
  /** An auto-response component declares a global member with another type than the channel (docs/auto-responses.md#globals). */
  GlobalTypeConflict: 'E_GLOBAL_TYPE_CONFLICT',
  /** An auto-response component reads a global member that the channel doesn't declare: no value would reach it. */
  GlobalNotDeclared: 'E_GLOBAL_NOT_DECLARED',
} as const;

/** Stable codes of settings warnings (valid settings that probably don't do what was meant). */
export const ConsentSettingsWarningCode = {
  DoubleOptInInactive: 'W_DOUBLE_OPT_IN_INACTIVE',
  NoStopKeyword: 'W_NO_STOP_KEYWORD',
  /** A member declared in `globals` without a value in `globalValues`: it reads as blank. */
  GlobalValueMissing: 'W_GLOBAL_VALUE_MISSING',
} as const;

/** A located problem in channel settings. */
export interface SettingsProblem {
  /** JSON pointer (RFC 6901) into the settings; `""` is the whole document. */
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
  /** Other places the problem involves, such as the first occurrence of a duplicate keyword. */
  readonly related?: readonly string[];
}
