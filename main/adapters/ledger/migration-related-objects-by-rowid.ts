import type Database from 'better-sqlite3';

/**
 * related_objects as a rowid table again (issue #19, item 5; migration 10 had made it WITHOUT
 * ROWID). Clustered on the PaymentIntent's random id, each row of about 170 bytes went into a
 * random page of the table itself, so every call storing a charge page's PaymentIntents (about
 * 45) rewrote most of the table's pages at its commit: 2,915 pages written for a table of 177
 * at 10k objects, the most of any table for its size. As a rowid table the rows are appended in
 * arrival order and only the id goes into a random page of the key's index (about 35 bytes an
 * entry, so about a fifth of the pages): replayed on a 10k ledger's rows in pages of 45, one
 * commit each, 51% fewer pages written and a third less CPU (docs/performance.md, session 10).
 * The small key tables of migration 10 keep their clustered form: their rows are about as
 * narrow as a key index's entries. Same columns, key, check and rows; no trigger or index names
 * the table.
 */
export function v24RelatedObjectsByRowid(db: Database.Database): void {
  db.exec(`
    CREATE TABLE related_objects_by_rowid (id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('payment_intent', 'product')), body TEXT NOT NULL);
    INSERT INTO related_objects_by_rowid (id, kind, body) SELECT id, kind, body FROM related_objects;
    DROP TABLE related_objects;
    ALTER TABLE related_objects_by_rowid RENAME TO related_objects;
  `);
}
