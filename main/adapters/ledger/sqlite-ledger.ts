import type { Ledger } from '../../core/ports/ledger.js';
import { LedgerConnection } from './ledger-connection.js';
import { SqliteMappingLedger } from './sqlite-mapping-ledger.js';
import { SqliteReconciliationLedger } from './sqlite-reconciliation-ledger.js';
import { SqliteRuleRelatedObjectLedger } from './sqlite-rule-related-object-ledger.js';
import { SqliteRunLedger } from './sqlite-run-ledger.js';
import { SqliteSageDocumentLedger } from './sqlite-sage-document-ledger.js';
import { SqliteStripeObjectLedger } from './sqlite-stripe-object-ledger.js';

/**
 * The ledger in a local SQLite file: one connection (ledger-connection.ts) shared by the
 * parts, each the only code that knows its tables. Nothing outside this folder sees SQL or
 * the connection.
 */
export class SqliteLedger implements Ledger {
  private readonly connection: LedgerConnection;
  readonly runs: SqliteRunLedger;
  readonly objects: SqliteStripeObjectLedger;
  readonly documents: SqliteSageDocumentLedger;
  readonly reconciliation: SqliteReconciliationLedger;
  readonly mappings: SqliteMappingLedger;
  readonly related: SqliteRuleRelatedObjectLedger;

  constructor(path: string, options: { now?: () => string } = {}) {
    this.connection = new LedgerConnection(path, options);
    this.runs = new SqliteRunLedger(this.connection);
    this.objects = new SqliteStripeObjectLedger(this.connection);
    this.documents = new SqliteSageDocumentLedger(this.connection);
    this.reconciliation = new SqliteReconciliationLedger(this.connection);
    this.mappings = new SqliteMappingLedger(this.connection);
    this.related = new SqliteRuleRelatedObjectLedger(this.connection);
  }

  inTransaction<T>(work: () => T): T {
    return this.connection.transaction(work);
  }

  inWriteTransaction<T>(work: () => T): T {
    return this.connection.transaction(work, 'write');
  }

  close(): void {
    this.connection.close();
  }
}
