/**
 * Parlance: the Salesforce formula language for messaging components.
 *
 * This entry point (`parlance`) is the engine: formulas, templates, components, rendering,
 * channels, and the consent, outbound, session and linking decisions. It loads no HTTP server and
 * no database: those are `parlance/server` and `parlance/store` (docs/architecture.md). The formula
 * language service for editors is `parlance/language`; golden-file cases are `parlance/testing`.
 *
 * @packageDocumentation
 */
export {
  compileFormula,
  FormulaEngine,
  type CompileOptions,
  type CompiledFormula,
  type EngineOptions,
  type EvaluationContext,
  type EvaluationError,
  type EvaluationResult,
  type FieldsSpec,
  type WireResult,
} from './formula/formula.js';
export { DiagnosticCode, formatDiagnostic, type Diagnostic, type DiagnosticBag, type Severity } from './formula/diagnostics.js';
export type { Location, Span, SourceText } from './formula/source.js';
export { FormulaSyntax, type ParseLimits, type ParseResult, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH } from './formula/parser/parse.js';
export {
  print,
  children,
  type Expr,
  type Binary,
  type BooleanLiteral,
  type Call,
  type ErrorNode,
  type NullLiteral,
  type NumberLiteral,
  type Reference,
  type StringLiteral,
  type Unary,
  type PathSegment,
  type BinaryOperator,
  type UnaryOperator,
} from './formula/ast.js';
export { SCALAR_TYPES, parseTypeSpec, type FormulaType, type ScalarTypeName, type TypeSpec, type RecordType, type ListType, type FieldEntry, type TypeSpecError } from './formula/types.js';
export { RuntimeErrorCode } from './formula/runtime/errors.js';
export { Budget, DEFAULT_MAX_OPERATIONS, DEFAULT_MAX_TEXT_LENGTH, type BudgetOptions } from './formula/runtime/budget.js';
export { encodeValue, decodeValue, type RuntimeValue, type WireValue, type Geolocation, type EncodeOptions } from './formula/runtime/values.js';
export type { Num, Fixed } from './formula/runtime/num.js';
export type { Wide } from './formula/runtime/wide.js';
export type { ListItemContext, RuntimeContext } from './formula/runtime/context.js';
export {
  FunctionRegistry,
  defineFunction,
  type FunctionSpec,
  type Overload,
  type ParamSpec,
  type ParamType,
  type Family,
  type FunctionDoc,
  type Closure,
  type CallInfo,
  type UnsupportedFunction,
} from './formula/registry/registry.js';
export { createDefaultRegistry } from './formula/registry/default-registry.js';
export {
  compileTemplate,
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_OUTPUT,
  type CompiledTemplate,
  type ListTemplateDefinition,
  type RenderProblem,
  type TemplateData,
  type TemplateOptions,
  type TemplateRenderResult,
} from './template/template.js';
export { tokenizeTemplate, type LineBreakMode, type Segment } from './template/tokenizer.js';
export {
  ObjectCatalog,
  ObjectCatalogError,
  formatCatalogError,
  MAX_RELATIONSHIP_DEPTH,
  type AddResult,
  type CatalogError,
  type FieldDefinition,
  type ObjectDefinition,
} from './catalog/catalog.js';
export { compileSObjectFormula, type CompiledSObjectFormula, type SObjectData, type SObjectFormulaOptions } from './template/sobject.js';
export {
  ALLOWED_FORMATS,
  COMPONENT_TYPES,
  CONSTANT_TYPES,
  ComponentErrorCode,
  FORMAT_TYPES,
  FORMAT_LABELS,
  PARAMETER_TYPES,
  SCALAR_DATA_TYPES,
  type Binding,
  type ComponentDefinition,
  type ComponentType,
  type ConstantDeclaration,
  type Format,
  type FormatType,
  type OptionsFormat,
  type MediaFormat,
  type RichLinkFormat,
  type WebPageFormat,
  type TextFormat,
  type ScalarDataType,
  type ListTemplateSpec,
  type Option,
  type OptionsSpec,
  type ParameterDeclaration,
  type TimeSlot,
} from './component/model.js';
export { validateComponent, type ComponentValidationResult, type ValidateOptions } from './component/validate.js';
export { componentSchema, componentSchemaPath, type ComponentProblem } from './component/schema.js';
export { componentDataTypes, constantValuesOf, OPTION_RECORD, TIME_SLOT_RECORD } from './component/data.js';
export { textTemplateOf, textTemplateInput, SELECT_AN_OPTION, type TextTemplate, type TextTemplateInput } from './component/text.js';
export {
  compileComponent,
  renderComponent,
  RenderErrorCode,
  SkipCode,
  type CompiledComponent,
  type ComponentRenderOptions,
  type FallbackWording,
  type RenderCallOptions,
  type RenderError,
  type RenderOutcome,
  type RenderResult,
  type RenderWarning,
  type SkippedFormat,
} from './render/render.js';
export { RequestErrorCode, type RenderRequest, type RenderProblemDetail } from './render/request.js';
export { SLOT_LABEL_FORMAT, type LabelledSlot } from './render/slots.js';
export {
  ChannelProfiles,
  ChannelProfileError,
  CHANNEL_TYPES,
  type ChannelProfile,
  type ChannelType,
  type ContentField,
  type FormatProfile,
  type Platform,
  type ProfileProblem,
} from './channels/profiles.js';
export { buildPayload, splitText, textOverLimit, type Payload, type PayloadWarning, type RenderedContent, type RenderedOption } from './channels/payload.js';
export {
  isSmsChannel,
  SHORT_CODE_MAX_CHARACTERS,
  SMS_MAX_CHARACTERS,
  SmsLengthCode,
  type SmsLengthCodeValue,
  smsLengthProblems,
  smsSegments,
  type SmsLengthProblem,
  type SmsSegments,
} from './channels/sms.js';
export { GLOSSARY_CHANNELS, type GlossaryChannel } from './channels/glossary.js';
export {
  describeErrorCode,
  errorCodeCatalog,
  ErrorCodeLookupCode,
  listErrorCodes,
  type ErrorCategory,
  type ErrorCodeCatalog,
  type ErrorCodeEntry,
  type ErrorCodeInfo,
  type ErrorCodeLookup,
  type RetryAdvice,
} from './messaging/error-codes.js';
export { renderErrorCodeReference } from './messaging/error-codes-reference.js';
export {
  applySensitiveDataRules,
  compilePattern,
  ruleOrder,
  SENSITIVE_DATA_ROLES,
  SENSITIVE_DATA_STANDARD_ONLY,
  SensitiveDataCode,
  supportsSensitiveData,
  validateSensitiveDataRules,
  type CompiledPattern,
  type SensitiveDataHit,
  type SensitiveDataProblem,
  type SensitiveDataResult,
  type SensitiveDataRole,
  type SensitiveDataRule,
} from './messaging/sensitive-data.js';
export {
  compareWithApprovedTemplate,
  fillMessagingTemplate,
  MERGE_FIELD_OBJECTS,
  mergeFields,
  TEMPLATE_CHANNELS,
  TemplateCode,
  validateMessagingTemplate,
  validateWhatsAppTemplate,
  WHATSAPP_TEMPLATE_LIMIT,
  WHATSAPP_TEMPLATE_TYPES,
  type MergeField,
  type MessagingTemplate,
  type TemplateDifference,
  type TemplateProblem,
  type WhatsAppTemplate,
  type WhatsAppTemplateType,
} from './messaging/templates.js';
export {
  decideInbound,
  matchKeyword,
  normalizeKeyword,
  validateChannelSettings,
  defaultChannelSettings,
  canadianShortCodeDefaults,
  meets,
  CONSENT_STATUSES,
  CONSENT_TYPES,
  type ChannelSettings,
  type ConsentStatus,
  type ConsentType,
  type InboundDecision,
  type InboundInput,
  type KeywordMatch,
  type LanguageSettings,
} from './consent/index.js';
export { RouteReason, type ConsentChange, type ConsentCause, type AutoResponse, type ResponseKind, type RouteReasonCode, type UserDecision, type OpenSessionSummary, type MessagingUserState } from './consent/engine.js';
export { KEYWORD_KINDS, LANGUAGE_RESPONSE_KINDS, type CustomKeywords, type ChannelSettingsValidation, type DefaultSettingsOptions, type ValidateChannelSettingsOptions, type SettingsProblem, type LanguageResponseKind, type KeywordKind } from './consent/settings.js';
export type { NormalizeOptions } from './consent/keywords.js';
export {
  AUTOMATED_RESPONSE_TYPES,
  AUTO_RESPONSE_KINDS,
  AUTO_RESPONSE_TYPE,
  LANGUAGE_RESPONSE_TYPE,
  automatedResponseSupport,
  configuredResponses,
  findAutomatedResponse,
  supportsAutoResponseComponents,
  checkResponseComponents,
  responseComponentNames,
  autoResponseOf,
  responseKindOf,
  type AutomatedResponse,
  type AutomatedResponseType,
  type AutoResponseKind,
  type AutoResponseValue,
  type ConfiguredResponse,
  type ComponentFacts,
  mergeComponentGlobals,
  type GlobalsDeclaration,
  type GlobalValues,
  type GlobalsMerge,
  type GlobalsMismatch,
} from './consent/index.js';
export {
  AutoResponseErrorCode,
  TRANSCRIPT_PLACEHOLDER,
  sendAutoResponse,
  globalsConflictResponse,
  sessionEventResponses,
  type AutoResponseTrigger,
  type ResolvedComponent,
  type SentAutoResponse,
  type SessionEventInput,
} from './sessions/auto-responses.js';
export { NORMALIZERS, NORMALIZER_FIELD_TYPES, normalizeE164, normalizeEmail, normalizeExact, normalizeText, normalizeValue, normalizerKey, type NormalizerName, type NormalizerSpec } from './linking/normalize.js';
export { LinkingObjects, LINKABLE_STANDARD_OBJECTS, type LinkableObject, type Resolved } from './linking/objects.js';
export { checkRecordWrite, RECORD_ID, type RecordProblem, type RecordWrite } from './linking/records.js';
export {
  checkRule,
  compileRule,
  matchSpecs,
  DEFAULT_PRIORITY,
  MAX_CONDITIONS,
  UNLINKABLE_CHANNEL_TYPES,
  USER_FIELDS,
  type CompiledCondition,
  type CompiledRule,
  type LinkingCondition,
  type LinkingMode,
  type LinkingRuleDefinition,
  type LinkingRuleInput,
  type MatchSpec,
  type RuleProblem,
  type UserValue,
} from './linking/rules.js';
export { CAPACITY_MODELS, capacityModelOf, type CapacityModel } from './consent/settings.js';
export {
  decideOutbound,
  routingOf,
  OutboundReason,
  WHATSAPP_WINDOW_MS,
  FACEBOOK_WINDOW_MS,
  type OutboundContent,
  type OutboundDecision,
  type OutboundInput,
  type OutboundReasonCode,
  type OutboundReasonDetail,
  type OutboundRouting,
  type OutboundSessionPlan,
} from './outbound/rules.js';
export { dynamicParts, type DynamicPart } from './outbound/dynamic.js';
export {
  decideTransition,
  dueExpiry,
  expiryOf,
  newSessionTimeoutMs,
  supportsAction,
  usesRepCapacity,
  CLOSED_STATUSES,
  SESSION_TIMEOUTS,
  SessionEndReason,
  SessionErrorCode,
  type RouteTarget,
  type SessionAction,
  type SessionEndReasonCode,
  type SessionErrorCodeValue,
  type SessionState,
  type TransitionRefusal,
  type TransitionRequest,
  type TransitionResult,
} from './sessions/lifecycle.js';
export { SESSION_STATUSES, type SessionStatus } from './consent/engine.js';
