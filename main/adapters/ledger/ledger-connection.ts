import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/**
 * The one connection every part of the ledger shares: WAL so the window can read while the
 * engine writes, foreign keys on, migrations by user_version. Every call of a part is one
 * short synchronous transaction (no await inside a transaction, so nothing interleaves).
 */
export class LedgerConnection {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  readonly now: () => string;

  constructor(path: string, options: { now?: () => string } = {}) {
    this.db = new Database(path);
    try {
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      // Migrate (or refuse a newer schema) before switching to WAL, so a refused file is left as it was.
      migrate(this.db);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.now = options.now ?? (() => new Date().toISOString());
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

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
