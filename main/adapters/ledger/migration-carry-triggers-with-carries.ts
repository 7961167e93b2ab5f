import type Database from 'better-sqlite3';

/**
 * The carries' triggers are created with the first carry and kept from then on (issue #19,
 * session 10; carry-triggers.ts). Migrations 15 to 22 created them on every ledger, so a new ledger's
 * backfill ran them for every row it stored, planned and wrote, with nothing carried yet.
 *
 * Here they are dropped, on a new ledger and on an upgraded one alike, and every carry is dropped
 * with them: the plan-alone pass's carry and recheck list, the balance proof's carry and change
 * log, and the drift lists' mark (with its change records). The code creates a carry's triggers
 * in the transaction that saves the carry, after a full read. After this upgrade the first
 * plan-alone pass, balance proof and drift check read the whole history (the proof and the
 * drift check would have anyway: their carries name the schema version they were made under).
 *
 * The names are written out: this migration drops what migrations 15 to 22 created, whatever
 * carry-triggers.ts lists later.
 */
export function v23CarryTriggersWithTheirCarries(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER IF EXISTS plan_alone_trace_removed;
    DROP TRIGGER IF EXISTS plan_alone_claim_by_version;
    DROP TRIGGER IF EXISTS plan_alone_left_flight;
    DROP TRIGGER IF EXISTS plan_alone_trace_moved;
    DROP TRIGGER IF EXISTS plan_alone_document_moved;
    DROP TRIGGER IF EXISTS plan_alone_document_deleted_with_traces;
    DROP TRIGGER IF EXISTS plan_alone_flight_moved;
    DROP TRIGGER IF EXISTS plan_alone_transaction_renamed;
    DELETE FROM plan_alone_carry;
    DELETE FROM plan_alone_recheck;

    DROP TRIGGER IF EXISTS balance_proof_transaction_removed;
    DROP TRIGGER IF EXISTS balance_proof_transaction_added;
    DROP TRIGGER IF EXISTS balance_proof_transaction_changed;
    DROP TRIGGER IF EXISTS balance_proof_document_state;
    DROP TRIGGER IF EXISTS balance_proof_document_added;
    DROP TRIGGER IF EXISTS balance_proof_document_removed;
    DROP TRIGGER IF EXISTS balance_proof_lines_added;
    DROP TRIGGER IF EXISTS balance_proof_lines_removed;
    DROP TRIGGER IF EXISTS balance_proof_lines_changed;
    DELETE FROM balance_proof_carry;
    DELETE FROM balance_proof_changes;

    DROP TRIGGER IF EXISTS drift_document_left_written;
    DROP TRIGGER IF EXISTS drift_written_document_deleted;
    DROP TRIGGER IF EXISTS drift_written_trace_deleted;
    DROP TRIGGER IF EXISTS drift_trace_moved;
    DELETE FROM drift_transactions_seen;
    DELETE FROM drift_objects_changed;
    DELETE FROM drift_documents_written;
  `);
}
