import type Database from 'better-sqlite3';

/**
 * A balance transaction a skipped document traces is not drift (issue #19, review): a skipped
 * document is one kept out of Sage on purpose (before go-live: the opening-balance journal
 * carries that history, go-live.ts; by a business rule, rule-skips.ts; or by the bookkeeper),
 * as the balance proof also counts it. So the drift lists take a transaction, or a charge's
 * sale and fees, off once a written or skipped document traces it
 * (SqliteReconciliationLedger). The lists cannot follow such a document leaving its state:
 * the triggers of migrations 16 and 18 that make the next check read the history when a
 * written document leaves "written", is deleted or loses a trace now fire for a skipped one
 * too (a rule-skipped document planned again after a mapping change, a skipped one
 * withdrawn). Same names, so DRIFT_STALE_TRIGGERS (carry-triggers.ts) still lists them. Skipping a document
 * (planned to skipped) fires none of them: its transactions leave the lists at the next check.
 */
export function v22DriftSkippedKeptOut(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER drift_document_left_written;
    DROP TRIGGER drift_written_document_deleted;
    DROP TRIGGER drift_written_trace_deleted;
    CREATE TRIGGER drift_document_left_written AFTER UPDATE OF state, doc_key ON documents
    WHEN old.state IN ('written', 'skipped') AND (new.state IS NOT old.state OR new.doc_key IS NOT old.doc_key)
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written or skipped document left its state') ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER drift_written_document_deleted AFTER DELETE ON documents WHEN old.state IN ('written', 'skipped')
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written or skipped document was deleted') ON CONFLICT DO NOTHING;
    END;
    CREATE TRIGGER drift_written_trace_deleted AFTER DELETE ON document_traces
    WHEN EXISTS (SELECT 1 FROM documents d WHERE d.doc_key = old.doc_key AND d.state IN ('written', 'skipped'))
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written or skipped document lost a trace') ON CONFLICT DO NOTHING;
    END;
  `);
}
