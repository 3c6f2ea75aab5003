/**
 * `parlance/services`: the use cases, each owning its transactions on a database from
 * `parlance/store` and calling the engine's pure decisions (docs/architecture.md): inbound
 * messages (group commit), outbound check and send, session reads and transitions, automated
 * responses (components resolved and rendered), channel settings checked against the stored
 * components, channel-object linking, messaging users (one or an import); and the jobs the HTTP server (`parlance/server`) and the CLI
 * share: evaluate a batch, render a template, render a component (inline or stored), validate a
 * component. It loads no HTTP server and no database driver.
 *
 * @packageDocumentation
 */
export { AutoResponseSender, type ChannelGlobals, type StoredComponentLookup } from './auto-responses.js';
export { checkChannelSettings, type ComponentLookup } from './channels.js';
export { Evaluator, inferTypes, validateRequest, type EvalOutcome, type EvalRequest, type WireError } from './evaluate.js';
export { InboundProcessor, type InboundMessage, type InboundResult } from './inbound.js';
export {
  LinkingService,
  MAX_CANDIDATES,
  type LinkCandidate,
  type LinkedBy,
  type LinkHistoryEntry,
  type LinkOutcome,
  type LinkResult,
  type LinkState,
  type LinkSuggestion,
  type RecordWriteCounts,
  type StoredLinkingRule,
  type StoredRecord,
  type UserLink,
} from './linking.js';
export { OutboundService, SessionConflictError, type OutboundCheckResult, type OutboundMessageInput, type OutboundSendResult } from './outbound.js';
export { RenderService, renderInline } from './render.js';
export { SessionService, type Session, type TransitionOutcome } from './sessions.js';
export { listTemplateOf, renderTemplate, type TemplateJob } from './template.js';
export { UserService, type ImportCounts, type MessagingUser, type UpsertResult, type UserFields, type UserWrite } from './users.js';
export { jsonSyntaxError, validateComponentText, validateDefinition, type DefinitionValidation } from './validate.js';
