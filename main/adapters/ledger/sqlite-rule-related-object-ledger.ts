import type { RuleRelatedObjectLedger } from '../../core/ports/rule-related-object-ledger.js';
import type { RuleRelatedObject } from '../../core/stripe/rule-related-objects.js';
import type { LedgerConnection } from './ledger-connection.js';

/** The related_objects table: PaymentIntents and Products, reduced to what the business rules read. */
export class SqliteRuleRelatedObjectLedger implements RuleRelatedObjectLedger {
  constructor(private readonly connection: LedgerConnection) {}

  upsertRelatedObjects(objects: readonly RuleRelatedObject[]): void {
    if (objects.length === 0) return;
    const upsert = this.connection.sql(
      `INSERT INTO related_objects (id, kind, body) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, body = excluded.body WHERE body IS NOT excluded.body`,
    );
    this.connection.transaction(() => {
      for (const object of objects) upsert.run(object.id, object.object, JSON.stringify(object));
    });
  }

  getRelatedObject(id: string): RuleRelatedObject | null {
    const row = this.connection.sql('SELECT body FROM related_objects WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as RuleRelatedObject) : null;
  }
}
