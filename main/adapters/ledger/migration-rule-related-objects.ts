import type Database from 'better-sqlite3';

/**
 * PaymentIntents (expanded on charges) and Products (listed once, then kept current by their
 * events), reduced to id, metadata and name: what business-rule conditions read
 * (core/stripe/rule-related-objects.ts).
 */
export function v7RuleRelatedObjects(db: Database.Database): void {
  db.exec(`
    CREATE TABLE related_objects (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('payment_intent', 'product')),
      body TEXT NOT NULL
    );
  `);
}
