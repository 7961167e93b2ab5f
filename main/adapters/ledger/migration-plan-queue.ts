import type Database from 'better-sqlite3';
import { CHARGE_PAYMENT_INTENT } from './migration-charge-payment-intents.js';

/**
 * What the engine must plan, and a charge's PaymentIntent, in narrow rows of their own
 * (issue #19, item 5: the ledger's cost per object).
 *
 * - Objects changed since they were planned were marked by two columns of their own row
 *   (`planned_hash IS NOT body_hash`, with a partial index): marking a page planned rewrote each
 *   ~2 KB row and its index entries. They are now rows of `objects_to_plan` (created, id: one B-tree
 *   in the order the engine plans in), added when a body is stored new or changed, deleted when
 *   planned; both copy `created` from the object's row, which is never rewritten.
 * - A charge's PaymentIntent was indexed by an expression over the JSON body, which SQLite parsed
 *   twice on every insert of a charge (about half the cost of storing one). It is now a column
 *   the ledger fills from the object it stores, with an index on it.
 *
 * The queue is filled from the marks, so an existing ledger plans exactly what it would have.
 */
export function v9PlanQueue(db: Database.Database): void {
  db.exec(`
    CREATE TABLE objects_to_plan (
      created INTEGER NOT NULL,
      id TEXT NOT NULL,
      PRIMARY KEY (created, id)
    ) WITHOUT ROWID;
    INSERT INTO objects_to_plan (created, id) SELECT created, id FROM stripe_objects WHERE planned_hash IS NOT body_hash;
    DROP INDEX stripe_objects_to_plan;
    ALTER TABLE stripe_objects DROP COLUMN planned_hash;
    ALTER TABLE stripe_objects DROP COLUMN body_hash;

    ALTER TABLE stripe_objects ADD COLUMN payment_intent TEXT;
    UPDATE stripe_objects SET payment_intent = ${CHARGE_PAYMENT_INTENT} WHERE kind = 'charge';
    DROP INDEX stripe_objects_charge_payment_intent;
    CREATE INDEX stripe_objects_payment_intent ON stripe_objects (payment_intent) WHERE payment_intent IS NOT NULL;
  `);
}
