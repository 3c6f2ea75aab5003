/**
 * `parlance/store`: the database (embedded PGlite or PostgreSQL), its migrations and maintenance,
 * and the repositories of components, channels, messaging users, sessions and linking
 * (docs/architecture.md); the use cases that run on them are in `parlance/services`. It loads no
 * HTTP server.
 *
 * @packageDocumentation
 */
export { ChannelStore, type StoredChannel } from './channels.js';
export { SENSITIVE_DATA_CACHE_MS, SensitiveDataStore, type StoredSensitiveDataRules } from './sensitive-data.js';
export { TemplateStore, type StoredTemplate, type TemplateKind } from './templates.js';
export { ComponentStore, type StoredComponent, type ComponentSummary } from './components.js';
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
