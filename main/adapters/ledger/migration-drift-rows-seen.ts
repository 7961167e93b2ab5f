import type Database from 'better-sqlite3';

/**
 * What the drift lists are brought up to date from, recorded without triggers that run for the
 * rows a backfill stores (issue #19, target 5). The triggers of migration 16 on
 * balance_transactions, stripe_objects and documents cost every row stored 6–8 µs, whether their
 * body ran or not (an update trigger slowed the objects' inserts as much as an insert trigger),
 * and a document written another insert: about 5% of the ledger's CPU in a 10k backfill.
 *
 * - Balance transactions stored since the last check are found by rowid.
 *   balance_transactions is a rowid table no code deletes from, so a row stored later has a
 *   larger rowid than every row stored before it. `drift_transactions_seen` holds the rowid and
 *   id of its last row when the lists were last brought up to date; the next check takes every
 *   row after it (SqliteReconciliationLedger). With no row here (the first check after this
 *   upgrade, or on a new ledger), or that rowid holding another transaction or none (rowids
 *   renumbered, as a VACUUM after deletes does, or the last row deleted and its rowid given to
 *   the next one), the check builds the lists from the whole history. A transaction deleted and
 *   stored again under its id needs nothing more: its place on the list depends on its id only.
 * - Objects stored new or with a new body are recorded by their one writer,
 *   SqliteStripeObjectLedger.upsertObjects, in its transaction, in one statement.
 * - Documents recorded written: by their two writers, markWrittenAll and recordFoundInSage, in
 *   their transactions. The documents' update trigger keeps only its other half: a written
 *   document leaving the written state makes the next check read the history (WHEN old.state is
 *   'written', so a document being written costs it a comparison).
 * A migration that stores objects or transactions, or records documents written, must put a row
 * on drift_lists_stale.
 */
export function v18DriftRowsSeen(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER drift_transaction_stored;
    DROP TRIGGER drift_object_inserted;
    DROP TRIGGER drift_object_updated;
    DROP TRIGGER drift_document_inserted_written;
    DROP TRIGGER drift_document_updated;
    CREATE TRIGGER drift_document_left_written AFTER UPDATE OF state, doc_key ON documents
    WHEN old.state = 'written' AND (new.state IS NOT 'written' OR new.doc_key IS NOT old.doc_key)
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written document left the written state') ON CONFLICT DO NOTHING;
    END;
    CREATE TABLE drift_transactions_seen (
      only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
      up_to INTEGER NOT NULL,
      last_id TEXT
    );
  `);
}
