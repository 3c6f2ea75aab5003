/**
 * `parlance/server`: the HTTP server (fastify) and its API keys. The server runs on a store from
 * `parlance/store`; the engine it serves is `parlance` (docs/architecture.md).
 *
 * @packageDocumentation
 */
export { buildServer, DEFAULT_LIMITS, type ServerOptions, type ServerLimits, type ServerContext } from './app.js';
export { KeyRing, KeyConfigError, parseKeys, hashKey, generateKey, SCOPES, type ApiKey, type Scope } from './auth.js';
export type { HttpSchemas } from './schemas.js';
