import type Database from 'better-sqlite3';

/**
 * The drift lists record the ledger schema version they were last brought up to date at
 * (issue #19, review). The lists follow only the changes their writers record (rowids past the
 * last one seen, drift_objects_changed, drift_documents_written: migration-drift-rows-seen.ts);
 * a later migration that stores objects or transactions, or records documents written, does so
 * behind them. Instead of every such migration having to remember a row on drift_lists_stale,
 * a check at another schema version than the one recorded reads the history (as the balance
 * proof's carry does with its schema_version), so the first check after any upgrade does.
 * The mark kept before this has no version: the first check after this upgrade reads the
 * history too.
 */
export function v21DriftListsSchemaVersion(db: Database.Database): void {
  db.exec('ALTER TABLE drift_transactions_seen ADD COLUMN schema_version INTEGER');
}
