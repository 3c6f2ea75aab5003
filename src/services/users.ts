/**
 * Messaging users as a use case: create or update one, or import many, each in one transaction
 * that records every consent change in the ledger (DECISIONS.md "The consent ledger"). The rows
 * arrive checked by the caller (the HTTP route validates and locates each one); the store's
 * `applyWrites` persists them on the transaction this service opens.
 */
import type { ConsentCause } from '../consent/engine.js';
import type { Database } from '../store/database.js';
import { applyWrites, type ImportCounts, type MessagingUser, type UpsertResult, type UserFields, type UserWrite } from '../store/users.js';

export type { ImportCounts, MessagingUser, UpsertResult, UserFields, UserWrite };

export class UserService {
  constructor(private readonly db: Database) {}

  /** Creates or updates one messaging user; a consent change is recorded with `cause` in the same transaction. */
  async upsert(channelId: string, platformKey: string, fields: UserFields, cause: ConsentCause, now: number): Promise<UpsertResult> {
    const [outcome] = await this.db.transaction((tx) => applyWrites(tx, channelId, [{ platformKey, fields, cause }], now));
    return outcome as UpsertResult;
  }

  /**
   * Imports rows (distinct platform keys, already validated) in ONE transaction: a failure leaves
   * nothing of the import behind. Each row's consent change is recorded with its own cause.
   */
  async importRows(channelId: string, rows: readonly UserWrite[], now: number): Promise<ImportCounts> {
    const outcomes = await this.db.transaction((tx) => applyWrites(tx, channelId, rows, now));
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const o of outcomes) {
      if (o.created) created++;
      else if (o.changed) updated++;
      else unchanged++;
    }
    return { created, updated, unchanged };
  }
}
