import Database from 'better-sqlite3';
import { recordCleanClose, takeCleanClose } from './ledger-clean-close.js';
import { damagedLedger, ledgerOpenErrorFor } from './ledger-open-error.js';
import { migrate } from './migrations.js';

/**
 * The one connection every part of the ledger shares: WAL so the window can read while the
 * engine writes, foreign keys on, migrations by user_version. Every call of a part is one
 * short synchronous transaction (no await inside a transaction, so nothing interleaves).
 */
export class LedgerConnection {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** One transaction function for every call: building a new one per call cost more than many of the calls it wrapped. */
  private readonly inTransaction: Database.Transaction<(work: () => unknown) => unknown>;
  readonly now: () => string;
  /** Epoch ms of the last full integrity check of the file (this open's, or one before a clean close). */
  private readonly checkedAt: number;
  /** Told when a transaction or savepoint is rolled back: what a part keeps in memory of its writes may be undone. */
  private readonly rollbackListeners: (() => void)[] = [];

  constructor(
    private readonly path: string,
    options: { now?: () => string } = {},
  ) {
    const checkedBefore = takeCleanClose(path, Date.now());
    try {
      this.db = new Database(path);
    } catch (error) {
      throw ledgerOpenErrorFor(error, path);
    }
    try {
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      // A damaged file is found here, at open, not as "malformed" in the middle of a run; left
      // out when the file is as the sync closed it, checked within the day (ledger-clean-close.ts).
      if (checkedBefore === null) {
        const problems = this.db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
        const findings = problems.map((row) => row.quick_check).filter((finding) => finding !== 'ok');
        if (findings.length > 0) throw damagedLedger(path, `integrity check: ${findings.join('; ')}`);
      }
      // Migrate (or refuse a newer schema) before switching to WAL, so a refused file is left as it was.
      migrate(this.db);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // A checkpoint copies every page changed since the last one into the file; at 1,000 pages
      // (SQLite's default) a backfill checkpointed every few commits and copied the same random
      // index pages again and again. At 10,000 (a WAL of up to 40 MB) the commits cost a fifth
      // less at 10k objects and 2 of 5.5 CPU-s at 100k, with no change in peak RSS
      // (docs/performance.md, section 5, fifth pass). What a power cut can take back grows with
      // it, so every run ends with a checkpoint of its own (SqliteRunLedger.finishRun);
      // exactly-once does not rest on either (the cross-reference row commits in Sage).
      this.db.pragma('wal_autocheckpoint = 10000');
      this.refuseReadOnly();
    } catch (error) {
      this.db.close();
      throw ledgerOpenErrorFor(error, path);
    }
    this.checkedAt = checkedBefore ?? Date.now();
    this.now = options.now ?? (() => new Date().toISOString());
    // Nested calls (a part's call inside the engine's inTransaction) become savepoints, so a
    // call that throws still undoes only its own writes.
    this.inTransaction = this.db.transaction((work: () => unknown) => work());
  }

  /**
   * SQLite opens a file it may not write read-only without a word, and the first write of a
   * run would fail. A write that is rolled back at once finds out now (SQLITE_READONLY).
   */
  private refuseReadOnly(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    this.db.exec('BEGIN');
    try {
      this.db.pragma(`user_version = ${version}`);
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  /** Statements are prepared once per connection: preparing is a large share of a call's cost. */
  sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs statements that are not kept prepared: schema changes made once in a while (carry-triggers.ts). */
  exec(text: string): void {
    this.db.exec(text);
  }

  /**
   * Copies the WAL into the file and syncs both (a passive checkpoint: it waits for no reader).
   * Between checkpoints a commit is on disk but not synced (synchronous = NORMAL), so a power cut
   * can take back what the last commits recorded; a run that ends with one keeps its marks.
   */
  checkpoint(): void {
    if (!this.db.inTransaction) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /**
   * `work` as one transaction (a savepoint when nested). With `lock` 'write' it begins
   * IMMEDIATE: the write lock is taken before the first read, so no other connection commits
   * between what it reads and what it writes (in WAL a deferred transaction reads a snapshot and
   * another connection may commit meanwhile).
   */
  transaction<T>(work: () => T, lock: 'read-first' | 'write' = 'read-first'): T {
    try {
      return (lock === 'write' ? this.inTransaction.immediate(work) : this.inTransaction(work)) as T;
    } catch (error) {
      // better-sqlite3 has rolled this level back (a savepoint when nested) before rethrowing.
      for (const listener of this.rollbackListeners) listener();
      throw error;
    }
  }

  /** Calls `listener` after any transaction or savepoint of this connection is rolled back. */
  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  close(): void {
    this.db.close();
    recordCleanClose(this.path, this.checkedAt, Date.now());
  }
}
