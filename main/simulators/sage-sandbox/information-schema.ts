import type Database from 'better-sqlite3';
import { PROCEDURE_SIGNATURES } from './procedures/signatures.js';
import { EMULATED_PROCEDURES } from './procedures/registry.js';
import { sageColumnType } from './sage-column-types.js';

/**
 * SQL Server's catalog as the preflight reads it, over SQLite's, so its statement text runs
 * unchanged on the sandbox (tsql-dialect.ts maps the dotted names):
 * - INFORMATION_SCHEMA.TABLES / COLUMNS / ROUTINES, with each column's Sage type and length
 *   (sage-column-types.ts), and TABLE_CONSTRAINTS / KEY_COLUMN_USAGE for primary keys;
 * - sys.tables, sys.triggers, sys.procedures, sys.parameters and sys.types, the procedures
 *   being the ones the sandbox emulates; their parameters live in the file
 *   (`sandbox_procedure_parameter`, seeded from signatures.ts), so a sandbox built from a
 *   site's fingerprint declares that site's parameters;
 * - the permissions HAS_PERMS_BY_NAME answers from: everything is granted except what
 *   `sandbox_permission_denied` lists (a tester's way to emulate a missing GRANT).
 */
export function installInformationSchema(db: Database.Database): void {
  db.function('sage_column_part', { deterministic: true }, (createSql: unknown, column: unknown, part: unknown) => {
    const type = sageColumnType(typeof createSql === 'string' ? createSql : null, String(column));
    if (!type) return null;
    switch (part) {
      case 'type':
        return type.dataType;
      case 'length':
        return type.length;
      case 'precision':
        return type.precision;
      default:
        return type.scale;
    }
  });
  createCatalogTables(db);
  db.exec(`
    CREATE TEMP VIEW IF NOT EXISTS INFORMATION_SCHEMA_TABLES AS
      SELECT 'dbo' AS TABLE_SCHEMA, name AS TABLE_NAME,
             CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS TABLE_TYPE
      FROM main.sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%';
    CREATE TEMP VIEW IF NOT EXISTS INFORMATION_SCHEMA_COLUMNS AS
      SELECT 'dbo' AS TABLE_SCHEMA, m.name AS TABLE_NAME, p.name AS COLUMN_NAME, p.cid + 1 AS ORDINAL_POSITION,
             p.dflt_value AS COLUMN_DEFAULT, CASE WHEN p."notnull" = 1 THEN 'NO' ELSE 'YES' END AS IS_NULLABLE,
             COALESCE(sage_column_part(m.sql, p.name, 'type'), lower(p.type)) AS DATA_TYPE,
             sage_column_part(m.sql, p.name, 'length') AS CHARACTER_MAXIMUM_LENGTH,
             sage_column_part(m.sql, p.name, 'precision') AS NUMERIC_PRECISION,
             sage_column_part(m.sql, p.name, 'scale') AS NUMERIC_SCALE
      FROM main.sqlite_schema m JOIN pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';
    CREATE TEMP VIEW IF NOT EXISTS INFORMATION_SCHEMA_TABLE_CONSTRAINTS AS
      SELECT 'PK_' || m.name AS CONSTRAINT_NAME, 'dbo' AS TABLE_SCHEMA, m.name AS TABLE_NAME, 'PRIMARY KEY' AS CONSTRAINT_TYPE
      FROM main.sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.pk > 0);
    CREATE TEMP VIEW IF NOT EXISTS INFORMATION_SCHEMA_KEY_COLUMN_USAGE AS
      SELECT 'PK_' || m.name AS CONSTRAINT_NAME, 'dbo' AS TABLE_SCHEMA, m.name AS TABLE_NAME, p.name AS COLUMN_NAME, p.pk AS ORDINAL_POSITION
      FROM main.sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND p.pk > 0;
    CREATE TEMP TABLE IF NOT EXISTS INFORMATION_SCHEMA_ROUTINES (ROUTINE_SCHEMA TEXT, ROUTINE_NAME TEXT, ROUTINE_TYPE TEXT);
    DELETE FROM INFORMATION_SCHEMA_ROUTINES;
    CREATE TEMP VIEW IF NOT EXISTS sys_tables AS
      SELECT rowid AS object_id, name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%';
    CREATE TEMP VIEW IF NOT EXISTS sys_triggers AS
      SELECT t.rowid AS object_id, t.name AS name, tb.rowid AS parent_id, 0 AS is_disabled
      FROM main.sqlite_schema t JOIN main.sqlite_schema tb ON tb.name = t.tbl_name AND tb.type = 'table' WHERE t.type = 'trigger';
    CREATE TEMP TABLE IF NOT EXISTS sys_procedures (object_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    DELETE FROM sys_procedures;
    CREATE TEMP TABLE IF NOT EXISTS sys_types (user_type_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    DELETE FROM sys_types;
    CREATE TEMP VIEW IF NOT EXISTS sys_parameters AS
      SELECT pr.object_id AS object_id, sp.ParamName AS name, sp.Position AS parameter_id, ty.user_type_id AS user_type_id,
             sp.MaxLength AS max_length, sp.IsOutput AS is_output
      FROM main.sandbox_procedure_parameter sp JOIN sys_procedures pr ON pr.name = sp.ProcedureName JOIN sys_types ty ON ty.name = sp.TypeName
      WHERE sp.Position > 0;
  `);
  const insertRoutine = db.prepare("INSERT INTO INFORMATION_SCHEMA_ROUTINES VALUES ('dbo', ?, 'PROCEDURE')");
  for (const name of Object.keys(EMULATED_PROCEDURES)) insertRoutine.run(name);

  // SQL Server's own type ids and byte sizes (sys.types), so the same query text works.
  const insertType = db.prepare('INSERT INTO sys_types (user_type_id, name) VALUES (?, ?)');
  for (const [name, { id }] of Object.entries(SQL_SERVER_TYPES)) insertType.run(id, name);
  const insertProcedure = db.prepare('INSERT INTO sys_procedures (object_id, name) VALUES (?, ?)');
  Object.keys(EMULATED_PROCEDURES).forEach((name, index) => insertProcedure.run(1_000 + index, name));
}

/** The sandbox file's own catalog tables: the procedures' declared parameters (seeded) and the grants a tester took away. */
export function createCatalogTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS sandbox_permission_denied (ObjectName TEXT NOT NULL, Permission TEXT NOT NULL, PRIMARY KEY (ObjectName, Permission));
    CREATE TABLE IF NOT EXISTS sandbox_procedure_parameter (ProcedureName TEXT NOT NULL, Position INTEGER NOT NULL, ParamName TEXT NOT NULL,
      TypeName TEXT NOT NULL, MaxLength INTEGER NOT NULL, IsOutput INTEGER NOT NULL, PRIMARY KEY (ProcedureName, Position));
  `);
  seedProcedureParameters(db);
}

/** SQL Server's own type ids and byte sizes (sys.types), so the same query text works. */
const SQL_SERVER_TYPES: Record<string, { id: number; size: number }> = {
  tinyint: { id: 48, size: 1 }, smallint: { id: 52, size: 2 }, int: { id: 56, size: 4 }, datetime: { id: 61, size: 8 }, float: { id: 62, size: 8 },
  bit: { id: 104, size: 1 }, decimal: { id: 106, size: 17 }, bigint: { id: 127, size: 8 }, varchar: { id: 167, size: 0 }, char: { id: 175, size: 0 },
  nvarchar: { id: 231, size: 0 }, nchar: { id: 239, size: 0 },
};

/**
 * Declares each emulated procedure's parameters (signatures.ts) unless the file already declares
 * that procedure's; a Position 0 row declares a procedure the site does not have (from-fingerprint.ts).
 */
function seedProcedureParameters(db: Database.Database): void {
  const declared = db.prepare('SELECT 1 FROM sandbox_procedure_parameter WHERE ProcedureName = ?');
  const insert = db.prepare('INSERT INTO sandbox_procedure_parameter (ProcedureName, Position, ParamName, TypeName, MaxLength, IsOutput) VALUES (?, ?, ?, ?, ?, ?)');
  for (const [name, parameters] of Object.entries(PROCEDURE_SIGNATURES)) {
    if (declared.get(name)) continue;
    parameters.forEach((parameter, index) => {
      const size = SQL_SERVER_TYPES[parameter.type]!.size;
      insert.run(name, index + 1, parameter.name, parameter.type, parameter.length ?? size, parameter.output ? 1 : 0);
    });
  }
}
