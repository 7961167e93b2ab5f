import type Database from 'better-sqlite3';

/**
 * A transaction's payout as a narrow row of its own (issue #19, item 5: the ledger's cost per
 * object). The payout was a column of the transaction's ~500-byte row: the transaction is stored
 * with its charge or from the history first, and storing it again from its payout's list rewrote
 * the whole row (a random page of the table) to set that column. `payout_items` holds
 * (payout_id, id) in one WITHOUT ROWID B-tree in the order a payout's list is read back
 * (payoutItemsAfter), so itemising a payout adds one small row per transaction and leaves the
 * transaction's row alone. The payout index and column go; every link moves over.
 */
export function v12PayoutItems(db: Database.Database): void {
  db.exec(`
    CREATE TABLE payout_items (
      payout_id TEXT NOT NULL,
      id TEXT NOT NULL,
      PRIMARY KEY (payout_id, id)
    ) WITHOUT ROWID;
    INSERT INTO payout_items (payout_id, id) SELECT payout_id, id FROM balance_transactions WHERE payout_id IS NOT NULL;
    DROP INDEX balance_transactions_payout_id;
    ALTER TABLE balance_transactions DROP COLUMN payout_id;
  `);
}
