import type Database from 'better-sqlite3';

const byConnection = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The connection's statement for `sql`, compiled once. SQL Server compiles a procedure's
 * statements once and keeps their plans; the emulations compiled theirs on every call, which was
 * most of the sandbox's time for a backfill's customers (each staging row a call of several
 * statements) and weighed on every benchmark as if it were Sage's. The texts are the emulations'
 * own, a fixed set, so the cache stays small.
 */
export function preparedStatement(db: Database.Database, sql: string): Database.Statement {
  let statements = byConnection.get(db);
  if (!statements) byConnection.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
