/**
 * What the HTTP routes share: the server's limits, the per-request budget and the context every
 * route module receives. Its own module so that `app.ts` imports the routes and the routes import
 * this, not `app.ts` (no import circle).
 */
import type { ObjectCatalog } from '../catalog/catalog.js';
import type { ChannelProfiles } from '../channels/profiles.js';
import { Budget, DEFAULT_MAX_OPERATIONS, DEFAULT_MAX_TEXT_LENGTH } from '../formula/runtime/budget.js';
import type { ChannelStore } from '../store/channels.js';
import type { ComponentStore } from '../store/components.js';
import type { InboundProcessor } from '../services/inbound.js';
import type { LinkingService } from '../services/linking.js';
import type { Database } from '../store/database.js';
import type { SensitiveDataStore } from '../store/sensitive-data.js';
import type { HttpSchemas } from './schemas.js';

/** Limits that keep one request from taking the server down. */
export interface ServerLimits {
  /** Largest request body, in bytes. Default 1 MiB. */
  readonly bodyLimit: number;
  /** Most items in one `/v1/formulas/evaluate` batch. Default 1,000. (User imports have their own limit of 10,000 rows.) */
  readonly maxBatch: number;
  /**
   * Time one request may spend evaluating and rendering, in milliseconds: one budget for the
   * whole request (every item of a batch, every merge field and list entry of a render), checked
   * inside the evaluator. Past it, evaluation fails with E_BUDGET_EXCEEDED. Default 250.
   */
  readonly evaluationBudgetMs: number;
  /** Deepest nesting of objects and arrays in a JSON body (the top-level value is level 1); deeper: 400 E_JSON_TOO_DEEP. Default 64. */
  readonly maxJsonDepth: number;
  /** Most evaluation operations one request may use (docs/formula-language.md, "Limits"). Default 20,000,000. */
  readonly maxOperations: number;
  /** Longest text value a formula or template may build, in characters (E_TEXT_TOO_LONG past it). Default 131,072. */
  readonly maxTextLength: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  bodyLimit: 1024 * 1024,
  maxBatch: 1000,
  evaluationBudgetMs: 250,
  maxJsonDepth: 64,
  maxOperations: DEFAULT_MAX_OPERATIONS,
  maxTextLength: DEFAULT_MAX_TEXT_LENGTH,
};

/** The budget of one request: every evaluation and render the request makes charges this one object. */
export function requestBudget(limits: ServerLimits): Budget {
  return new Budget({ timeoutMs: limits.evaluationBudgetMs, maxOperations: limits.maxOperations, maxTextLength: limits.maxTextLength });
}

/** What route modules share. */
export interface ServerContext {
  readonly db: Database;
  readonly clock: () => number;
  readonly limits: ServerLimits;
  readonly schemas: HttpSchemas;
  readonly components: ComponentStore;
  readonly channels: ChannelStore;
  /** Sensitive data rules per channel type (docs/sensitive-data.md). */
  readonly sensitiveData: SensitiveDataStore;
  readonly inbound: InboundProcessor;
  /** Channel-object linking: rules, records, links (docs/linking.md). */
  readonly linking: LinkingService;
  readonly catalog?: ObjectCatalog;
  readonly profiles?: ChannelProfiles;
}
