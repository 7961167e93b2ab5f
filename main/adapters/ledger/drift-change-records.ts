/**
 * What changed for the drift lists, recorded by the ledger's own writers (migration 18,
 * migration-drift-rows-seen.ts): the objects stored new or with a new body (upsertObjects), the
 * documents recorded written (markWrittenAll, recordFoundInSage), each in one statement a call
 * in the writer's transaction.
 *
 * Recorded only while the lists are carried, that is while a check has left its mark
 * (`drift_transactions_seen`, written in the transaction that builds or brings the lists up to
 * date). Without the mark the next check builds the lists from the history and empties these
 * records unread (SqliteReconciliationLedger.bringDriftListsUpToDate), so they would be written
 * for nothing: a backfill's first run stores every object and writes every document before its
 * first check. The mark is only ever made by a check, so a record left out here is one the next
 * check would not have read. Other connections write too (`s5sync retry` beside the tray app),
 * yet no check can come between a writer's reading of the mark and its own commit: the mark is
 * read by the writer's own INSERT, and in WAL mode a connection writes only from the newest
 * snapshot and holds the one write lock until it commits. A writer whose snapshot began before
 * another connection's check committed the mark cannot write at all (SQLITE_BUSY_SNAPSHOT: its
 * transaction fails and writes nothing); a check that starts while a writer holds the lock waits
 * for its commit, and then reads its changes (test/adapters/ledger-carry-triggers.test.ts).
 */
const WHILE_LISTS_CARRIED = 'EXISTS (SELECT 1 FROM drift_transactions_seen)';

/** Records the stored objects with these ids (a JSON array) as changed. */
export const RECORD_OBJECTS_CHANGED = `INSERT INTO drift_objects_changed (id) SELECT value FROM json_each(?) WHERE ${WHILE_LISTS_CARRIED} ON CONFLICT DO NOTHING`;

/** Records the documents with these keys (a JSON array) as written. */
export const RECORD_DOCUMENTS_WRITTEN = `INSERT INTO drift_documents_written (doc_key) SELECT value FROM json_each(?) WHERE ${WHILE_LISTS_CARRIED} ON CONFLICT DO NOTHING`;
