/**
 * Versioned schema migrations, run at start. They are plain PostgreSQL, so the embedded store and
 * a PostgreSQL server get the same schema. A migration never changes once released: changes are
 * new migrations. Several instances starting at once take turns (an advisory lock).
 */
import type { Database } from './database.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema: components, channels, messaging users, consent ledger, sessions, messages',
    sql: `
      CREATE TABLE components (
        name text NOT NULL,
        version integer NOT NULL,
        definition jsonb,
        deleted boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (name, version)
      );
      CREATE TABLE channels (
        id text PRIMARY KEY,
        type text NOT NULL,
        settings jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE messaging_users (
        id bigserial PRIMARY KEY,
        channel_id text NOT NULL REFERENCES channels(id),
        platform_key text NOT NULL,
        consent_status text NOT NULL,
        pending_double_opt_in boolean NOT NULL DEFAULT false,
        language text,
        name text,
        locale text,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        last_inbound_at timestamptz,
        UNIQUE (channel_id, platform_key)
      );
      CREATE TABLE consent_ledger (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES messaging_users(id),
        from_status text,
        to_status text NOT NULL,
        cause jsonb NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX consent_ledger_by_user ON consent_ledger (user_id, id);
      CREATE TABLE sessions (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES messaging_users(id),
        channel_id text NOT NULL REFERENCES channels(id),
        status text NOT NULL,
        only_keywords boolean NOT NULL DEFAULT true,
        origin text NOT NULL,
        rep_id text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text
      );
      CREATE UNIQUE INDEX sessions_one_open_per_user ON sessions (user_id) WHERE status NOT IN ('Ended', 'Error');
      CREATE TABLE messages (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES messaging_users(id),
        session_id bigint REFERENCES sessions(id),
        direction text NOT NULL,
        text text NOT NULL,
        matched jsonb,
        at timestamptz NOT NULL
      );
      CREATE INDEX messages_by_session ON messages (session_id, id);
    `,
  },
  {
    version: 2,
    name: 'session lifecycle and outbound messages: expiry, accepting agent, routing target, outbound message content',
    sql: `
      ALTER TABLE sessions ADD COLUMN agent_type text;
      ALTER TABLE sessions ADD COLUMN route_to jsonb;
      ALTER TABLE sessions ADD COLUMN accepted_at timestamptz;
      ALTER TABLE sessions ADD COLUMN expires_at timestamptz;
      UPDATE sessions SET end_reason = 'OPTED_OUT' WHERE end_reason = 'OptedOut';
      CREATE INDEX sessions_by_user ON sessions (user_id, id);
      ALTER TABLE messages ADD COLUMN rep_id text;
      ALTER TABLE messages ADD COLUMN content jsonb;
    `,
  },
  {
    version: 3,
    name: 'channel-object linking: rules, records and their match keys, links, suggestions, link history',
    sql: `
      ALTER TABLE messaging_users ADD COLUMN link jsonb;
      CREATE TABLE linking_rules (
        id text PRIMARY KEY,
        channel_id text NOT NULL REFERENCES channels(id),
        object text NOT NULL,
        active boolean NOT NULL,
        priority integer NOT NULL,
        definition jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX linking_rules_by_channel ON linking_rules (channel_id, priority, id);
      CREATE TABLE object_records (
        object text NOT NULL,
        id text NOT NULL,
        fields jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (object, id)
      );
      CREATE TABLE record_match_specs (
        object text NOT NULL,
        field text NOT NULL,
        normalizer text NOT NULL,
        ready boolean NOT NULL,
        PRIMARY KEY (object, field, normalizer)
      );
      CREATE TABLE record_match_keys (
        object text NOT NULL,
        field text NOT NULL,
        normalizer text NOT NULL,
        value text NOT NULL,
        record_id text NOT NULL
      );
      CREATE INDEX record_match_keys_lookup ON record_match_keys (object, field, normalizer, value, record_id);
      CREATE INDEX record_match_keys_by_record ON record_match_keys (object, record_id);
      CREATE TABLE linking_suggestions (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES messaging_users(id),
        rule_id text NOT NULL,
        object text NOT NULL,
        record_id text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX linking_suggestions_by_user ON linking_suggestions (user_id);
      CREATE INDEX linking_suggestions_by_rule ON linking_suggestions (rule_id);
      CREATE TABLE linking_events (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES messaging_users(id),
        action text NOT NULL,
        object text NOT NULL,
        record_id text NOT NULL,
        by jsonb NOT NULL,
        previous jsonb,
        at timestamptz NOT NULL
      );
      CREATE INDEX linking_events_by_user ON linking_events (user_id, id);
    `,
  },
  {
    version: 4,
    name: 'sensitive data rules, per channel type',
    sql: `
      CREATE TABLE sensitive_data_rules (
        channel_type text PRIMARY KEY,
        rules jsonb NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'messaging templates and approved WhatsApp templates',
    sql: `
      CREATE TABLE message_templates (
        kind text NOT NULL,
        name text NOT NULL,
        definition jsonb NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (kind, name)
      );
    `,
  },
  {
    version: 6,
    name: "idempotent inbound messages: the platform's message id, a receipt per channel and id with the result",
    sql: `
      ALTER TABLE messages ADD COLUMN platform_message_id text;
      ALTER TABLE consent_ledger ADD COLUMN platform_message_id text;
      CREATE TABLE inbound_receipts (
        channel_id text NOT NULL REFERENCES channels(id),
        message_id text NOT NULL,
        user_id bigint NOT NULL REFERENCES messaging_users(id),
        fingerprint text NOT NULL,
        result json NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (channel_id, message_id)
      );
    `,
  },
];

/** Any number that identifies Parlance's migration lock among other advisory locks. */
const MIGRATION_LOCK = 7_210_415_001;

/** Applies the migrations the database doesn't have yet, in order, in one transaction. Returns the versions applied. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new Error(`The database has migrations this version of Parlance doesn't know (${unknown.join(', ')}): it was used by a newer version`);
    }
    const done: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      for (const statement of m.sql.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      done.push(m.version);
    }
    return done;
  });
}
