/**
 * Table maintenance for the embedded store. A PostgreSQL server has autovacuum; the embedded one
 * (PGlite, one process, no background workers) has none, and keeps no table statistics either. Left
 * alone, its tables would never be analyzed, so a statement planned while the tables were empty
 * keeps that plan (a sequential scan, say) as they grow to millions of rows; they would never be
 * vacuumed, so dead rows would stay and transaction ids would never be frozen.
 *
 * So the store does what autovacuum would: after every few commits it reads each table's size
 * from the catalog (one query) and vacuums and analyzes the tables that are due. The decision is
 * {@link dueTables}, a pure function of the catalog's figures; {@link Maintenance} runs it.
 */
/** Why a table is maintained. */
export type MaintenanceReason =
  /** The table has rows and has never been analyzed: the planner knows nothing of it. */
  | 'never-analyzed'
  /** The table has grown by {@link MaintenancePolicy.growth} since it was last vacuumed or analyzed. */
  | 'grown'
  /** The table's oldest unfrozen transaction id is older than {@link MaintenancePolicy.freezeAge}. */
  | 'freeze';

/** One table as the catalog describes it. */
export interface TableFigures {
  readonly name: string;
  /** The table's size now, in pages. */
  readonly pages: number;
  /** Its size when it was last vacuumed or analyzed, in pages (`pg_class.relpages`). */
  readonly analyzedPages: number;
  /** Its rows when it was last vacuumed or analyzed (`pg_class.reltuples`); negative when never. */
  readonly analyzedRows: number;
  /** The age of its oldest unfrozen transaction id (`age(pg_class.relfrozenxid)`). */
  readonly xidAge: number;
}

/** When a table is due. The defaults follow PostgreSQL's autovacuum settings. */
export interface MaintenancePolicy {
  /** Growth that makes a table due, as a fraction of its analyzed size (autovacuum_analyze_scale_factor: 0.1). */
  readonly growth: number;
  /** ... and at least this many pages (8 pages: 64 kB). */
  readonly minPages: number;
  /** Transaction id age that makes a table due (vacuum_freeze_table_age: 150 million, when a vacuum freezes the whole table). */
  readonly freezeAge: number;
  /** Commits between two looks at the catalog. */
  readonly everyCommits: number;
}

export const DEFAULT_MAINTENANCE_POLICY: MaintenancePolicy = { growth: 0.1, minPages: 8, freezeAge: 150_000_000, everyCommits: 64 };

/** The tables that are due, each with its reason, in the order given. */
export function dueTables(tables: readonly TableFigures[], policy: MaintenancePolicy = DEFAULT_MAINTENANCE_POLICY): { readonly name: string; readonly reason: MaintenanceReason }[] {
  const due: { name: string; reason: MaintenanceReason }[] = [];
  for (const t of tables) {
    if (t.xidAge > policy.freezeAge) due.push({ name: t.name, reason: 'freeze' });
    else if (t.analyzedRows < 0 && t.pages > 0) due.push({ name: t.name, reason: 'never-analyzed' });
    else if (t.pages - Math.max(0, t.analyzedPages) > Math.max(policy.minPages, policy.growth * Math.max(0, t.analyzedPages))) due.push({ name: t.name, reason: 'grown' });
  }
  return due;
}

/** What one maintenance run did. */
export interface MaintenanceReport {
  /** The tables vacuumed and analyzed, with their reason and time in ms. Empty when none was due. */
  readonly tables: readonly { readonly name: string; readonly reason: MaintenanceReason; readonly ms: number }[];
  /** The whole run, the catalog query included, in ms. */
  readonly ms: number;
}

/** Told of every run that maintained a table, and of every failed run. */
export type MaintenanceListener = (event: { readonly report: MaintenanceReport } | { readonly error: Error }) => void;

/** The ordinary tables of the current schema, with their figures. */
const FIGURES = `
  SELECT c.relname AS name, pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,
    c.relpages AS analyzed_pages, c.reltuples AS analyzed_rows, age(c.relfrozenxid) AS xid_age
  FROM pg_class c
  WHERE c.relnamespace = current_schema()::text::regnamespace AND c.relkind = 'r'
  ORDER BY c.relname`;

/** How maintenance reaches the database: a statement outside any transaction (VACUUM can't run inside one). */
export type MaintenanceQuery = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * Runs {@link dueTables} after every {@link MaintenancePolicy.everyCommits} commits, in the
 * background: the commit that triggers it is not delayed, and the store's later statements queue
 * behind the VACUUM as they would behind any statement.
 */
export class Maintenance {
  private commits = 0;
  private running: Promise<MaintenanceReport> | undefined;
  private readonly listeners = new Set<MaintenanceListener>();
  private closed = false;

  constructor(
    private readonly query: MaintenanceQuery,
    readonly policy: MaintenancePolicy = DEFAULT_MAINTENANCE_POLICY,
  ) {}

  /** Counts a commit, and starts a run in the background when one is due. */
  committed(): void {
    if (this.closed || ++this.commits < this.policy.everyCommits || this.running !== undefined) return;
    this.commits = 0;
    void this.run().catch(() => undefined); // reported to the listeners by run()
  }

  /** Checks the tables now and maintains the ones that are due (the run already in progress, if any). */
  run(): Promise<MaintenanceReport> {
    if (this.running !== undefined) return this.running;
    const started = performance.now();
    const p = this.maintain(started).then(
      (report) => {
        if (report.tables.length > 0) this.emit({ report });
        return report;
      },
      (e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        this.emit({ error });
        throw error;
      },
    );
    this.running = p.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Calls `listener` after each run that maintained a table or failed; returns the unsubscribe function. */
  subscribe(listener: MaintenanceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops starting runs, and waits for the one in progress. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => undefined);
  }

  private async maintain(started: number): Promise<MaintenanceReport> {
    const rows = (await this.query(FIGURES)).rows;
    const figures: TableFigures[] = rows.map((r) => ({
      name: String(r.name),
      pages: Number(r.pages),
      analyzedPages: Number(r.analyzed_pages),
      analyzedRows: Number(r.analyzed_rows),
      xidAge: Number(r.xid_age),
    }));
    const done: { name: string; reason: MaintenanceReason; ms: number }[] = [];
    for (const { name, reason } of dueTables(figures, this.policy)) {
      if (this.closed) break;
      const t = performance.now();
      await this.query(`VACUUM (ANALYZE) ${quoteIdent(name)}`);
      done.push({ name, reason, ms: Math.round(performance.now() - t) });
    }
    return { tables: done, ms: Math.round(performance.now() - started) };
  }

  private emit(event: Parameters<MaintenanceListener>[0]): void {
    if (this.listeners.size === 0) {
      // Nobody listens (a library user): a failure still must not pass unseen.
      if ('error' in event) process.emitWarning(`Parlance: maintenance of the embedded store failed: ${event.error.message}`, 'ParlanceStoreWarning');
      return;
    }
    for (const l of this.listeners) l(event);
  }
}

/** A PostgreSQL identifier, quoted. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
