import type Database from 'better-sqlite3';

/**
 * The money spine's "plan alone" pass carried from one run to the next (issue #19: a run's cost
 * follows what changed, not the ledger's history). The pass (balanceTransactionsToPlanAlone)
 * finds the balance transactions that no document claims: no other object's document traces
 * them, and their own document is neither written, in flight, skipped, nor planned with the
 * current mapping version. It read every transaction against its traces on every run. Now it
 * reads only the candidates: the transactions stored since the last pass, the ones that pass
 * returned, and the ones whose claim may have gone since. A claim can go only by a change to
 * what the pass reads. The changes the ledger's writers make name their transaction in
 * `plan_alone_recheck` through a trigger on the table, whichever writer makes them:
 * - a trace row removed (a plan replaced, a document withdrawn, a journal found in Sage):
 *   its trace id;
 * - a document's own row leaving written or skipped, or changing mapping version, into a state
 *   that claims only by version (planned, failed, dead, shadow): its object's id (a
 *   transaction's own document has the transaction's id as its object);
 * - a document leaving flight (its documents_writing row removed) other than as written: its
 *   object's id. markWrittenAll marks the row written before it removes the in-flight row, so
 *   a written document adds nothing.
 * Claims gained (new traces, documents written) only take transactions out of the answer,
 * which the pass reads again for those it returned. The other changes that can lose a claim
 * (a trace row, document, in-flight row or transaction id changed in place, a document deleted
 * with its traces left) are watched from migration 20 on (migration-plan-alone-triggers.ts),
 * which also recreates these three to run only while something is carried.
 *
 * `plan_alone_carry` is one row: the mapping version of the last pass, and the rowid and id of
 * the last balance_transactions row it saw. balance_transactions is never deleted from, so its
 * rowids only grow and a row stored later has a larger one. With no row, another mapping
 * version, or a different transaction at that rowid, the pass reads the whole history as before
 * and starts the carry again. Both tables start empty here, so the first pass after the upgrade
 * reads the whole history; a later change to what the carry means must empty them too.
 */
export function v15PlanAloneCarry(db: Database.Database): void {
  db.exec(`
    CREATE TABLE plan_alone_carry (
      only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
      mapping_version INTEGER NOT NULL,
      transactions_up_to INTEGER NOT NULL,
      last_transaction_id TEXT
    );
    CREATE TABLE plan_alone_recheck (id TEXT PRIMARY KEY) WITHOUT ROWID;

    CREATE TRIGGER plan_alone_trace_removed AFTER DELETE ON document_traces
    BEGIN
      INSERT INTO plan_alone_recheck (id) SELECT OLD.trace_id WHERE NOT EXISTS (SELECT 1 FROM plan_alone_recheck WHERE id = OLD.trace_id);
    END;

    CREATE TRIGGER plan_alone_claim_by_version AFTER UPDATE OF state, mapping_version ON documents
    WHEN NEW.state <> 'written' AND NEW.state <> 'skipped' AND (OLD.state IS NOT NEW.state OR OLD.mapping_version IS NOT NEW.mapping_version)
    BEGIN
      INSERT INTO plan_alone_recheck (id) SELECT NEW.stripe_object_id WHERE NOT EXISTS (SELECT 1 FROM plan_alone_recheck WHERE id = NEW.stripe_object_id);
    END;

    CREATE TRIGGER plan_alone_left_flight AFTER DELETE ON documents_writing
    WHEN (SELECT state FROM documents WHERE doc_key = OLD.doc_key) <> 'written'
    BEGIN
      INSERT INTO plan_alone_recheck (id)
        SELECT d.stripe_object_id FROM documents d
        WHERE d.doc_key = OLD.doc_key AND NOT EXISTS (SELECT 1 FROM plan_alone_recheck r WHERE r.id = d.stripe_object_id);
    END;
  `);
}
