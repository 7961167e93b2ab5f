import type Database from 'better-sqlite3';
import { LedgerOpenError } from './ledger-open-error.js';
import { v6OneStepPayoutJournals } from './migration-one-step-payout-journals.js';
import { v7RuleRelatedObjects } from './migration-rule-related-objects.js';
import { v8ChargePaymentIntents } from './migration-charge-payment-intents.js';
import { v9PlanQueue } from './migration-plan-queue.js';
import { v10KeyTablesWithoutRowid } from './migration-key-tables-without-rowid.js';
import { v11IndexesForQueries } from './migration-indexes-for-queries.js';
import { v12PayoutItems } from './migration-payout-items.js';
import { v13DocumentsWriting } from './migration-documents-writing.js';
import { v14TraceLines } from './migration-trace-lines.js';
import { v15PlanAloneCarry } from './migration-plan-alone-carry.js';
import { v16DriftLists } from './migration-drift-lists.js';
import { v17BalanceProofCarry } from './migration-balance-proof-carry.js';
import { v18DriftRowsSeen } from './migration-drift-rows-seen.js';
import { v19BalanceProofTransactionRemoved } from './migration-balance-proof-transaction-removed.js';
import { v20PlanAloneTriggers } from './migration-plan-alone-triggers.js';
import { v21DriftListsSchemaVersion } from './migration-drift-lists-schema-version.js';
import { v22DriftSkippedKeptOut } from './migration-drift-skipped-kept-out.js';
import { v23CarryTriggersWithTheirCarries } from './migration-carry-triggers-with-carries.js';
import { v24RelatedObjectsByRowid } from './migration-related-objects-by-rowid.js';
import { v25DocumentAccept } from './migration-document-accept.js';

/**
 * Ledger schema migrations, applied in order by PRAGMA user_version. Each migration is a
 * function of its own so tests can open a database at any older version and upgrade it.
 * Never edit a released migration: add the next one. One that rebuilds a table (copy, drop,
 * rename) calls dropCarriesBeforeTableRebuild (carry-triggers.ts) first: on a site's ledger the
 * carries' triggers would fail the rename.
 */
export const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  function v1Initial(db) {
    db.exec(`
      CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT CHECK (outcome IN ('succeeded', 'completed-with-errors', 'failed')),
        objects_seen INTEGER NOT NULL DEFAULT 0,
        events_applied INTEGER NOT NULL DEFAULT 0,
        documents_written INTEGER NOT NULL DEFAULT 0,
        documents_failed INTEGER NOT NULL DEFAULT 0,
        stripe_requests INTEGER NOT NULL DEFAULT 0,
        message TEXT
      );
      CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE stripe_objects (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        created INTEGER NOT NULL,
        body TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        planned_hash TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX stripe_objects_to_plan ON stripe_objects (created) WHERE planned_hash IS NOT body_hash;
      CREATE INDEX stripe_objects_kind ON stripe_objects (kind, created);
      CREATE TABLE balance_transactions (
        id TEXT PRIMARY KEY,
        source_id TEXT,
        payout_id TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX balance_transactions_payout ON balance_transactions (payout_id);
      CREATE INDEX balance_transactions_source ON balance_transactions (source_id);
      CREATE TABLE payouts_itemised (payout_id TEXT PRIMARY KEY, read_at TEXT NOT NULL);
      CREATE TABLE invoice_payments (charge_id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL);
      CREATE TABLE credit_note_refunds (refund_id TEXT PRIMARY KEY, credit_note_id TEXT NOT NULL);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        created INTEGER NOT NULL,
        object_id TEXT,
        skipped INTEGER NOT NULL DEFAULT 0,
        applied_at TEXT NOT NULL
      );
      CREATE INDEX events_created ON events (created);
      CREATE TABLE object_issues (
        object_id TEXT PRIMARY KEY,
        error_class TEXT NOT NULL,
        message TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE mappings (version INTEGER PRIMARY KEY, body TEXT NOT NULL, saved_at TEXT NOT NULL);
      CREATE TABLE documents (
        doc_key TEXT PRIMARY KEY,
        stripe_object_id TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('journal', 'customer', 'sales_order')),
        state TEXT NOT NULL CHECK (state IN ('planned', 'writing', 'written', 'failed', 'dead', 'skipped', 'shadow')),
        sort_key TEXT NOT NULL,
        body TEXT NOT NULL,
        mapping_version INTEGER NOT NULL REFERENCES mappings (version),
        attempts INTEGER NOT NULL DEFAULT 0,
        error_class TEXT,
        last_error TEXT,
        next_attempt_at TEXT,
        skip_reason TEXT,
        sage_table TEXT,
        sage_key INTEGER,
        sage_number TEXT,
        batch_key INTEGER,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX documents_object ON documents (stripe_object_id);
      CREATE INDEX documents_due ON documents (state, sort_key);
    `);
  },
  function v2DocumentTraces(db) {
    // Which balance transactions each document books, so "is this transaction in Sage?" has
    // one answer whether journals are per transaction or daily summaries.
    db.exec(`
      CREATE TABLE document_traces (
        doc_key TEXT NOT NULL REFERENCES documents (doc_key),
        trace_id TEXT NOT NULL,
        PRIMARY KEY (doc_key, trace_id)
      );
      CREATE INDEX document_traces_trace ON document_traces (trace_id);
      INSERT INTO document_traces (doc_key, trace_id)
        SELECT DISTINCT d.doc_key, json_extract(line.value, '$.traceId')
        FROM documents d, json_each(json_extract(d.body, '$.lines')) AS line
        WHERE d.type = 'journal';
    `);
  },
  function v3DriftFindings(db) {
    // The latest drift check's findings, replaced at the end of each run.
    db.exec(`
      CREATE TABLE drift_findings (
        kind TEXT NOT NULL,
        object_id TEXT NOT NULL,
        message TEXT NOT NULL,
        hint TEXT NOT NULL,
        found_at TEXT NOT NULL,
        PRIMARY KEY (kind, object_id)
      );
    `);
  },
  function v4MetadataWriteBacks(db) {
    // Sage numbers to write back to Stripe metadata: a row is queued (done_at NULL) when a
    // customer or sales order is written and closed when Stripe has it, so a crash between the
    // Sage commit and the write-back is finished on the next run instead of lost.
    db.exec(`
      CREATE TABLE metadata_write_backs (
        doc_key TEXT PRIMARY KEY REFERENCES documents (doc_key),
        done_at TEXT
      );
      CREATE INDEX metadata_write_backs_pending ON metadata_write_backs (doc_key) WHERE done_at IS NULL;
      INSERT INTO metadata_write_backs (doc_key, done_at)
        SELECT doc_key, NULL FROM documents WHERE state = 'written' AND type IN ('customer', 'sales_order');
    `);
  },
  function v5PayoutItemPages(db) {
    // A payout's transactions are read page by page in id order (payoutItemsAfter), so a payout
    // of 90,000 transactions is never held whole; this index makes each page a range scan.
    db.exec(`
      CREATE INDEX balance_transactions_payout_id ON balance_transactions (payout_id, id);
      DROP INDEX balance_transactions_payout;
    `);
  },
  v6OneStepPayoutJournals,
  v7RuleRelatedObjects,
  v8ChargePaymentIntents,
  v9PlanQueue,
  v10KeyTablesWithoutRowid,
  v11IndexesForQueries,
  v12PayoutItems,
  v13DocumentsWriting,
  v14TraceLines,
  v15PlanAloneCarry,
  v16DriftLists,
  v17BalanceProofCarry,
  v18DriftRowsSeen,
  v19BalanceProofTransactionRemoved,
  v20PlanAloneTriggers,
  v21DriftListsSchemaVersion,
  v22DriftSkippedKeptOut,
  v23CarryTriggersWithTheirCarries,
  v24RelatedObjectsByRowid,
  v25DocumentAccept,
];

export const LEDGER_SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LEDGER_SCHEMA_VERSION) {
    throw new LedgerOpenError(
      'newer-schema',
      db.name,
      `the sync ledger ${db.name} was written by a newer version of Stripe Sync (schema ${current}, this version knows up to ${LEDGER_SCHEMA_VERSION}); update the app`,
    );
  }
  for (let version = current; version < LEDGER_SCHEMA_VERSION; version++) {
    db.transaction(() => {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
