/**
 * The few places where the shared T-SQL statement text needs a different spelling in
 * SQLite. Everything else (named @parameters, GETDATE(), joins, subqueries) runs unchanged.
 * - `ISNULL` is a postfix operator keyword in SQLite, so it cannot be registered as a
 *   function; T-SQL's ISNULL(a, b) is SQLite's IFNULL(a, b).
 * - SQLite has no INFORMATION_SCHEMA or sys catalog; information-schema.ts provides TEMP views
 *   named INFORMATION_SCHEMA_COLUMNS, sys_parameters etc., so `INFORMATION_SCHEMA.COLUMNS`
 *   and `sys.parameters` map to them.
 * - HAS_PERMS_BY_NAME(@object, 'OBJECT', @permission) becomes a subquery with SQL Server's
 *   answers: NULL for an object that does not exist, 0 when denied, 1 when granted.
 */
export function toSqliteText(tsql: string): string {
  return tsql
    .replace(/\bISNULL\s*\(/gi, 'IFNULL(')
    .replace(/\bINFORMATION_SCHEMA\.(\w+)/gi, 'INFORMATION_SCHEMA_$1')
    .replace(/\bsys\.(\w+)/gi, 'sys_$1')
    .replace(/\bHAS_PERMS_BY_NAME\s*\(\s*(@\w+)\s*,\s*'OBJECT'\s*,\s*(@\w+)\s*\)/gi, (_match, object: string, permission: string) =>
      `(SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM main.sqlite_schema WHERE name = ${object} AND type IN ('table', 'view') UNION ALL SELECT 1 FROM sys_procedures WHERE name = ${object}) THEN NULL ` +
      `WHEN EXISTS (SELECT 1 FROM sandbox_permission_denied WHERE ObjectName = ${object} AND Permission = upper(${permission})) THEN 0 ELSE 1 END)`);
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
