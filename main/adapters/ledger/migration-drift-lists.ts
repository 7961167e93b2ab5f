import type Database from 'better-sqlite3';

/**
 * The drift checks' lists carried from one check to the next (issue #19: a run's cost follows
 * what changed, not the ledger's history). The checks read every succeeded charge, every
 * balance transaction and every written journal after each run that wrote a document; they
 * now read three narrow lists, brought up to date at the start of each check from what
 * changed since the last one (SqliteReconciliationLedger.bringDriftListsUpToDate):
 *
 * - drift_unbooked_transactions: stored balance transactions no written document traces;
 * - drift_unbooked_charges: succeeded charges whose balance transaction is missing or not
 *   traced by a written document;
 * - drift_changed_journals: written journals whose object was stored after the journal was
 *   last written (the candidates for "changed after writing").
 *
 * What changed is recorded by triggers, so every writer is covered, whichever code (or
 * migration) it is:
 * - a balance transaction stored is put on drift_unbooked_transactions (a check takes it off
 *   once a written document traces it);
 * - an object stored with a new body goes on drift_objects_changed, a document stored or
 *   updated as written on drift_documents_written (a check reads them, then empties them);
 * - a change that can make a booked transaction unbooked again or that takes a journal out of
 *   Sage's side (a written document leaving "written", deleted, or losing a trace) cannot be
 *   followed by the lists, which only ever shrink by a check: it puts a row on
 *   drift_lists_stale, and the next check rebuilds the lists from the whole history. No code
 *   path does any of it today (written is a final state); the triggers make sure a future one,
 *   a migration or a hand edit is not missed.
 *
 * The lists start stale here: the first check after the upgrade (or on a new ledger) builds
 * them from the history. (Migration 18 replaced the triggers that record what was stored or
 * written: migration-drift-rows-seen.ts.)
 */
export function v16DriftLists(db: Database.Database): void {
  db.exec(`
    CREATE TABLE drift_unbooked_transactions (id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE drift_unbooked_charges (id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE drift_changed_journals (doc_key TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE drift_objects_changed (id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE drift_documents_written (doc_key TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE drift_lists_stale (reason TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO drift_lists_stale (reason) VALUES ('built by no check yet');

    CREATE TRIGGER drift_transaction_stored AFTER INSERT ON balance_transactions
    BEGIN
      INSERT INTO drift_unbooked_transactions (id) VALUES (new.id) ON CONFLICT DO NOTHING;
    END;

    CREATE TRIGGER drift_object_inserted AFTER INSERT ON stripe_objects
    BEGIN
      INSERT INTO drift_objects_changed (id) VALUES (new.id) ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER drift_object_updated AFTER UPDATE OF id, kind, body, updated_at ON stripe_objects
    BEGIN
      INSERT INTO drift_objects_changed (id) VALUES (new.id) ON CONFLICT DO NOTHING;
    END;

    CREATE TRIGGER drift_document_inserted_written AFTER INSERT ON documents WHEN new.state = 'written'
    BEGIN
      INSERT INTO drift_documents_written (doc_key) VALUES (new.doc_key) ON CONFLICT DO NOTHING;
    END;
    -- One trigger for both ways an update can matter (each trigger run costs a few µs a row).
    CREATE TRIGGER drift_document_updated AFTER UPDATE ON documents WHEN new.state = 'written' OR old.state = 'written'
    BEGIN
      INSERT INTO drift_documents_written (doc_key) SELECT new.doc_key WHERE new.state = 'written' ON CONFLICT DO NOTHING;
      INSERT INTO drift_lists_stale (reason) SELECT 'a written document left the written state'
        WHERE old.state = 'written' AND (new.state IS NOT 'written' OR new.doc_key IS NOT old.doc_key) ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER drift_written_document_deleted AFTER DELETE ON documents WHEN old.state = 'written'
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written document was deleted') ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER drift_written_trace_deleted AFTER DELETE ON document_traces
    WHEN EXISTS (SELECT 1 FROM documents d WHERE d.doc_key = old.doc_key AND d.state = 'written')
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written document lost a trace') ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER drift_trace_moved AFTER UPDATE OF doc_key, trace_id ON document_traces
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a trace row was changed') ON CONFLICT DO NOTHING;
    END;
  `);
}
