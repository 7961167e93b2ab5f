import type Database from 'better-sqlite3';
import { IDENTITY_COLUMNS } from '../../main/adapters/sage/required-schema.js';
import { ALL_TABLES } from '../../main/simulators/sage-sandbox/ddl.js';
import { isMoneyType, parseColumn, type ColumnSpec, type TableSpec } from '../../main/simulators/sage-sandbox/table-spec.js';

/**
 * The Sage-shaped schema and seed as T-SQL, for a real SQL Server (test/mssql): generated from
 * the same table specs as the SQLite sandbox, so both hold the same tables, types, NOT NULLs,
 * defaults, CHECKs and keys. Sage enforces its logical foreign keys in triggers, not declared
 * keys (the tI_/tU_/tD_ triggers S7 lists, docs/sage-sources.md), so none are declared here. The seed is the sandbox's own seed rows,
 * read from a freshly created sandbox file.
 */

function columnTsql(table: string, column: ColumnSpec): string {
  // The staging tables' RowKey is an IDENTITY in Sage (S1's staging tables, docs/sage-sources.md); SQLite's INTEGER PRIMARY KEY does the same.
  const identity = (IDENTITY_COLUMNS[table] ?? []).includes(column.name) ? ' IDENTITY(1,1)' : '';
  const parts = [column.name, `${column.sageType}${identity}`, column.notNull ? 'NOT NULL' : 'NULL'];
  if (column.defaultValue !== null) parts.push(`DEFAULT ${column.defaultValue === 'CURRENT_TIMESTAMP' ? 'GETDATE()' : column.defaultValue}`);
  if (column.allowedValues) parts.push(`CHECK (${column.name} IN (${column.allowedValues.join(', ')}))`);
  return parts.join(' ');
}

export function tsqlCreateTable(table: TableSpec): string {
  const lines = table.columns.map((text) => columnTsql(table.name, parseColumn(text)));
  if (table.primaryKey.length > 0) lines.push(`CONSTRAINT PK_${table.name} PRIMARY KEY (${table.primaryKey.join(', ')})`);
  (table.unique ?? []).forEach((columns, index) => lines.push(`CONSTRAINT XAK${index + 1}${table.name} UNIQUE (${columns.join(', ')})`));
  return `CREATE TABLE ${table.name} (${lines.join(', ')})`;
}

export function tsqlSchema(tables: readonly TableSpec[] = ALL_TABLES): string[] {
  return tables.map(tsqlCreateTable);
}

function literal(column: ColumnSpec | undefined, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (column && isMoneyType(column.type) && (typeof value === 'number' || typeof value === 'bigint')) {
    const thousandths = BigInt(value);
    const sign = thousandths < 0n ? '-' : '';
    const magnitude = thousandths < 0n ? -thousandths : thousandths;
    return `${sign}${magnitude / 1000n}.${String(magnitude % 1000n).padStart(3, '0')}`;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = String(value);
  // ISO 8601 with a T is read the same whatever the login's language (SET DATEFORMAT).
  const iso = column?.type.kind === 'datetime' ? text.replace(' ', 'T') : text;
  return `'${iso.replace(/'/g, "''")}'`;
}

/** One INSERT per seed row of a fresh sandbox, parents first (the order ALL_TABLES lists them). */
export function tsqlSeed(db: Database.Database, tables: readonly TableSpec[] = ALL_TABLES): string[] {
  const inserts: string[] = [];
  for (const table of tables) {
    const columns = new Map(table.columns.map((text) => [parseColumn(text).name, parseColumn(text)]));
    for (const row of db.prepare(`SELECT * FROM ${table.name}`).all() as Record<string, unknown>[]) {
      const names = Object.keys(row);
      inserts.push(`INSERT INTO ${table.name} (${names.join(', ')}) VALUES (${names.map((name) => literal(columns.get(name), row[name])).join(', ')})`);
    }
  }
  return inserts;
}
