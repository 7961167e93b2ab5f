import type Database from 'better-sqlite3';

/**
 * Two columns of a document for "Accept Sage's journal" (core/engine/accept-sage-journal.ts):
 * error_code, the last error's code (SageWriteError.code), so the action applies to a journal
 * the writer refused because Sage's cross-reference holds another one under its key
 * (core/sage/found-journal.ts) and to no other failure, without reading the message's words;
 * and accept_reason, the bookkeeper's reason for accepting Sage's journal as the document, kept
 * with it as a skip keeps its reason. Both NULL on every existing row: a document refused before
 * the upgrade has no code, and is refused again with it at its next Retry.
 */
export function v25DocumentAccept(db: Database.Database): void {
  db.exec(`
    ALTER TABLE documents ADD COLUMN error_code TEXT;
    ALTER TABLE documents ADD COLUMN accept_reason TEXT;
  `);
}
