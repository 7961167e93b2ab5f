import { SqlExecutionError, type SqlFailureKind } from '../../adapters/sage/sql-port.js';

/** Classifies a better-sqlite3 error the way mssql-errors.ts classifies SQL Server's. */
export function classifySqliteError(error: unknown): SqlFailureKind {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'transient';
  // The disk is full or failing: SQL Server's 1105 / 9002 in the sandbox.
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) return 'unavailable';
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'permission';
  if (/no such (table|column|function)/i.test(message)) return 'missing-object';
  return 'other';
}

export function toSqlExecutionError(error: unknown, statement: string): SqlExecutionError {
  if (error instanceof SqlExecutionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SqlExecutionError(message, classifySqliteError(error), statement);
}
