import { AR_TABLES } from './ar-schema.js';
import { SAGE_TABLES, XREF_TABLE } from './sage-schema.js';
import { isMoneyType, parseColumn, type ColumnSpec, type TableSpec } from './table-spec.js';

/**
 * Turns the table specs into SQLite DDL following source S7, docs/sage-sources.md:
 * - int/smallint → INTEGER (enum columns get a CHECK);
 * - varchar(n) → TEXT CHECK(length(col) <= n);
 * - decimal(15,3) money → INTEGER thousandths, so `SELECT sum(PostAmt) FROM tglJournalDetl`
 *   is exactly 0 for balanced journals; other decimals (quantities, prices) → TEXT;
 * - datetime → TEXT 'YYYY-MM-DD HH:MM:SS'; float → REAL;
 * - keys without AUTOINCREMENT; logical FKs DEFERRABLE INITIALLY DEFERRED.
 * The Sage type stays in a comment so `.schema tarCustomer` shows it.
 */

const DATETIME_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'";

function columnDdl(column: ColumnSpec): string {
  const { name, type } = column;
  const parts = [name];
  const checks: string[] = [];
  switch (type.kind) {
    case 'int':
    case 'smallint':
      parts.push('INTEGER');
      break;
    case 'float':
      parts.push('REAL');
      break;
    case 'datetime':
      parts.push('TEXT');
      checks.push(`${name} GLOB ${DATETIME_GLOB}`);
      break;
    case 'varchar':
    case 'nvarchar':
      parts.push('TEXT');
      checks.push(`length(${name}) <= ${type.length}`);
      break;
    case 'decimal':
      parts.push(isMoneyType(type) ? 'INTEGER' : 'TEXT');
      break;
  }
  if (column.notNull) parts.push('NOT NULL');
  if (column.defaultValue !== null) parts.push(`DEFAULT ${column.defaultValue}`);
  if (column.allowedValues) checks.push(`${name} IN (${column.allowedValues.join(', ')})`);
  for (const check of checks) parts.push(`CHECK (${check})`);
  const note = isMoneyType(type) ? `${column.sageType}, stored as integer thousandths` : column.sageType;
  return `  ${parts.join(' ')} /* ${note} */`;
}

export function tableDdl(table: TableSpec): string {
  const lines = table.columns.map((text) => columnDdl(parseColumn(text)));
  if (table.primaryKey.length > 0) lines.push(`  PRIMARY KEY (${table.primaryKey.join(', ')})`);
  for (const unique of table.unique ?? []) lines.push(`  UNIQUE (${unique.join(', ')})`);
  for (const key of table.foreignKeys ?? []) {
    lines.push(
      `  FOREIGN KEY (${key.columns.join(', ')}) REFERENCES ${key.references} (${key.referencedColumns.join(', ')}) DEFERRABLE INITIALLY DEFERRED`,
    );
  }
  return `CREATE TABLE ${table.name} (\n${lines.join(',\n')}\n)`;
}

export const ALL_TABLES: readonly TableSpec[] = [...SAGE_TABLES, ...AR_TABLES, XREF_TABLE];

/**
 * Names of every decimal(15,3) column. The sandbox executor converts values of these columns
 * between canonical decimal text and integer thousandths; a name must mean money in every
 * table it appears in, which moneyColumnNames() checks.
 */
export function moneyColumnNames(tables: readonly TableSpec[] = ALL_TABLES): ReadonlySet<string> {
  const money = new Set<string>();
  const other = new Set<string>();
  for (const table of tables) {
    for (const column of table.columns.map(parseColumn)) {
      (isMoneyType(column.type) ? money : other).add(column.name);
    }
  }
  const clash = [...money].filter((name) => other.has(name));
  if (clash.length > 0) throw new Error(`columns both money and not money: ${clash.join(', ')}`);
  return money;
}

/** The triggers of a table's keyTriggers: an insert or update naming no row of any referenced table is refused like a foreign key. */
export function keyTriggersDdl(table: TableSpec): string[] {
  return (table.keyTriggers ?? []).flatMap((key) => {
    const missing = key.references.map((other) => `NOT EXISTS (SELECT 1 FROM ${other} WHERE ${key.referencedColumn} = NEW.${key.column})`).join(' AND ');
    const message = `FOREIGN KEY constraint failed: ${table.name}.${key.column} names no row of ${key.references.join(' or ')}`;
    return (['INSERT', `UPDATE OF ${key.column}`] as const).map(
      (event, index) =>
        `CREATE TRIGGER ${table.name}_${key.column}_${index === 0 ? 'ins' : 'upd'} BEFORE ${event} ON ${table.name} WHEN NEW.${key.column} IS NOT NULL AND ${missing} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    );
  });
}
