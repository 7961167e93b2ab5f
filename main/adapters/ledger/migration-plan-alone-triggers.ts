import type Database from 'better-sqlite3';

/**
 * The plan-alone carry's triggers (migration-plan-alone-carry.ts) made complete and gated
 * (session 9's review of that carry).
 *
 * Complete: the triggers of migration 15 name the transaction of every claim lost by the kinds
 * of change the ledger's writers make: a trace row deleted, a document's state or mapping version
 * updated, a document leaving flight. Other changes to the rows the pass reads can lose a claim
 * too, and none of the ledger's writers makes them; for each, a trigger here drops the carry, so
 * the next pass reads the whole history:
 * - a trace row moved to another document or transaction (UPDATE document_traces SET doc_key or
 *   trace_id): the claim on the old transaction goes;
 * - a document moved to another key or object (UPDATE documents SET doc_key or stripe_object_id):
 *   a document of another object claims what it traces whatever its state, its own only by state;
 * - a document deleted with its trace rows left behind (possible with foreign keys off): its
 *   claims go. withdrawDocuments deletes a document's traces before the document, so this one
 *   never runs on its path (and the trace trigger names those transactions);
 * - an in-flight row moved to another document (UPDATE documents_writing SET doc_key): the
 *   document it leaves is out of flight;
 * - a transaction's id changed (UPDATE balance_transactions SET id): under its new id it is a
 *   transaction the pass has not seen, at a rowid it has.
 *
 * Gated: each trigger runs only while something is carried (a plan_alone_carry row). With none,
 * the next pass reads the whole history and replaces the recheck list with its answer, so what a
 * trigger would name is thrown away; only that full read creates the carry, in the same
 * transaction as it reads. On a new ledger nothing is carried until the spine's first pass, in
 * the first run's plan step: what is stored and planned before it runs no trigger body; the
 * journals written after it in that run do.
 *
 * What is carried is emptied here: it was made while the changes above went unwatched.
 */
export function v20PlanAloneTriggers(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER plan_alone_trace_removed;
    DROP TRIGGER plan_alone_claim_by_version;
    DROP TRIGGER plan_alone_left_flight;
    DELETE FROM plan_alone_carry;
    DELETE FROM plan_alone_recheck;

    CREATE TRIGGER plan_alone_trace_removed AFTER DELETE ON document_traces
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry)
    BEGIN
      INSERT INTO plan_alone_recheck (id) SELECT OLD.trace_id WHERE NOT EXISTS (SELECT 1 FROM plan_alone_recheck WHERE id = OLD.trace_id);
    END;

    CREATE TRIGGER plan_alone_claim_by_version AFTER UPDATE OF state, mapping_version ON documents
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry)
      AND NEW.state <> 'written' AND NEW.state <> 'skipped' AND (OLD.state IS NOT NEW.state OR OLD.mapping_version IS NOT NEW.mapping_version)
    BEGIN
      INSERT INTO plan_alone_recheck (id) SELECT NEW.stripe_object_id WHERE NOT EXISTS (SELECT 1 FROM plan_alone_recheck WHERE id = NEW.stripe_object_id);
    END;

    CREATE TRIGGER plan_alone_left_flight AFTER DELETE ON documents_writing
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND (SELECT state FROM documents WHERE doc_key = OLD.doc_key) <> 'written'
    BEGIN
      INSERT INTO plan_alone_recheck (id)
        SELECT d.stripe_object_id FROM documents d
        WHERE d.doc_key = OLD.doc_key AND NOT EXISTS (SELECT 1 FROM plan_alone_recheck r WHERE r.id = d.stripe_object_id);
    END;

    CREATE TRIGGER plan_alone_trace_moved AFTER UPDATE OF doc_key, trace_id ON document_traces
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND (OLD.doc_key IS NOT NEW.doc_key OR OLD.trace_id IS NOT NEW.trace_id)
    BEGIN
      DELETE FROM plan_alone_carry;
    END;

    CREATE TRIGGER plan_alone_document_moved AFTER UPDATE OF doc_key, stripe_object_id ON documents
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND (OLD.doc_key IS NOT NEW.doc_key OR OLD.stripe_object_id IS NOT NEW.stripe_object_id)
    BEGIN
      DELETE FROM plan_alone_carry;
    END;

    CREATE TRIGGER plan_alone_document_deleted_with_traces AFTER DELETE ON documents
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND EXISTS (SELECT 1 FROM document_traces WHERE doc_key = OLD.doc_key)
    BEGIN
      DELETE FROM plan_alone_carry;
    END;

    CREATE TRIGGER plan_alone_flight_moved AFTER UPDATE OF doc_key ON documents_writing
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND OLD.doc_key IS NOT NEW.doc_key
    BEGIN
      DELETE FROM plan_alone_carry;
    END;

    CREATE TRIGGER plan_alone_transaction_renamed AFTER UPDATE OF id ON balance_transactions
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND OLD.id IS NOT NEW.id
    BEGIN
      DELETE FROM plan_alone_carry;
    END;
  `);
}
