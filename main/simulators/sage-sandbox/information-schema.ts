import type Database from 'better-sqlite3';
import { EMULATED_PROCEDURES } from './procedures/registry.js';

/**
 * SQL Server's INFORMATION_SCHEMA views, as TEMP views over SQLite's catalog, so the
 * preflight's statement text runs unchanged on the sandbox (tsql-dialect.ts maps the dotted
 * name). ROUTINES lists the procedures the sandbox emulates in TypeScript.
 */
export function installInformationSchema(db: Database.Database): void {
  db.exec(`
    CREATE TEMP VIEW IF NOT EXISTS INFORMATION_SCHEMA_TABLES AS
      SELECT 'dbo' AS TABLE_SCHEMA, name AS TABLE_NAME,
             CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS TABLE_TYPE
      FROM main.sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%';
    CREATE TEMP VIEW IF NOT EXISTS INFORMATION_SCHEMA_COLUMNS AS
      SELECT 'dbo' AS TABLE_SCHEMA, m.name AS TABLE_NAME, p.name AS COLUMN_NAME, p.cid + 1 AS ORDINAL_POSITION,
             p.dflt_value AS COLUMN_DEFAULT, CASE WHEN p."notnull" = 1 THEN 'NO' ELSE 'YES' END AS IS_NULLABLE,
             p.type AS DATA_TYPE
      FROM main.sqlite_schema m JOIN pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';
    CREATE TEMP TABLE IF NOT EXISTS INFORMATION_SCHEMA_ROUTINES (ROUTINE_SCHEMA TEXT, ROUTINE_NAME TEXT, ROUTINE_TYPE TEXT);
    DELETE FROM INFORMATION_SCHEMA_ROUTINES;
  `);
  const insert = db.prepare("INSERT INTO INFORMATION_SCHEMA_ROUTINES VALUES ('dbo', ?, 'PROCEDURE')");
  for (const name of Object.keys(EMULATED_PROCEDURES)) insert.run(name);
}
