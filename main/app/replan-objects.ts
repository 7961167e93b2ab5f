import type Database from 'better-sqlite3';

/**
 * The engine plans a Stripe record again only when its stored body changed (planned_hash no
 * longer matches body_hash) or the mapping version changed. A fix made elsewhere (a Sage
 * setting, a record the bookkeeper wants looked at again) changes neither, so a retry clears
 * planned_hash to have the next run plan those records again. Written documents are never
 * touched: the ledger keeps them as they are.
 */
export function replanObjects(db: Database.Database, objectIds: readonly string[]): number {
  const statement = db.prepare('UPDATE stripe_objects SET planned_hash = NULL WHERE id = ?');
  let changed = 0;
  db.transaction(() => {
    for (const id of objectIds) changed += statement.run(id).changes;
  })();
  return changed;
}
