/**
 * `parlance/store`: the database (embedded PGlite or PostgreSQL), its migrations and maintenance,
 * and the stores of components, channels, messaging users, sessions and linking
 * (docs/architecture.md). It loads no HTTP server.
 *
 * @packageDocumentation
 */
export { ChannelStore, type StoredChannel } from './channels.js';
export { ComponentStore, LATEST_CACHE_MS, type StoredComponent, type ComponentSummary } from './components.js';
export { InboundProcessor, type InboundMessage, type InboundResult } from './inbound.js';
export { MessageIdReusedError } from './receipts.js';
export { openDatabase, type Database, type OpenOptions, type Queryable, type QueryOptions } from './database.js';
export type { LockEnvironment, LockOptions, LockOwner } from './lock.js';
export {
  DEFAULT_MAINTENANCE_POLICY,
  dueTables,
  Maintenance,
  type MaintenanceListener,
  type MaintenancePolicy,
  type MaintenanceQuery,
  type MaintenanceReason,
  type MaintenanceReport,
  type TableFigures,
} from './maintenance.js';
export { migrate, MIGRATIONS, type Migration } from './migrations.js';
export {
  LinkingStore,
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
