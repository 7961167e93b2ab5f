/**
 * The few places where the shared T-SQL statement text needs a different spelling in
 * SQLite. Everything else (named @parameters, GETDATE(), joins, subqueries) runs unchanged.
 * - `ISNULL` is a postfix operator keyword in SQLite, so it cannot be registered as a
 *   function; T-SQL's ISNULL(a, b) is SQLite's IFNULL(a, b).
 * - SQLite has no INFORMATION_SCHEMA; information-schema.ts provides TEMP views named
 *   INFORMATION_SCHEMA_COLUMNS etc., so `INFORMATION_SCHEMA.COLUMNS` maps to them.
 */
export function toSqliteText(tsql: string): string {
  return tsql.replace(/\bISNULL\s*\(/gi, 'IFNULL(').replace(/\bINFORMATION_SCHEMA\.(\w+)/gi, 'INFORMATION_SCHEMA_$1');
}

/** Local business time as Sage stores it: 'YYYY-MM-DD HH:MM:SS', no time zone. */
export function localDateTime(at: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** Sage datetime parameters may be a date only; the sandbox always stores the full form. */
export function toSageDateTime(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value} 00:00:00` : value;
}
