/**
 * Reads the SQL Server type a sandbox column stands for back out of its CREATE TABLE text:
 * ddl.ts writes every column as `Name SQLITETYPE … /* varchar(50) *\/`. The INFORMATION_SCHEMA
 * views call this (as a SQLite function over sqlite_schema.sql), so `s5sync check` sees
 * `varchar`, 50 where SQLite itself only knows TEXT. A column added without the comment
 * (a hand ALTER TABLE) reports its SQLite type.
 */

export interface SageColumnType {
  dataType: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
}

const COMMENTED_COLUMN = /^\s*(\w+)\s.*\/\*\s*(\w+)(?:\((\d+)(?:,(\d+))?\))?/;
/** SQL Server's NUMERIC_PRECISION for the fixed-size types. */
const FIXED_PRECISION: Record<string, number> = { int: 10, smallint: 5, bigint: 19, tinyint: 3, float: 53 };

const cache = new Map<string, Map<string, SageColumnType>>();

function parseTable(createSql: string): Map<string, SageColumnType> {
  const columns = new Map<string, SageColumnType>();
  for (const line of createSql.split('\n')) {
    const match = COMMENTED_COLUMN.exec(line);
    if (!match) continue;
    const [, name, dataType, first, second] = match;
    const type = dataType!.toLowerCase();
    const isText = type.endsWith('char');
    columns.set(name!, {
      dataType: type,
      length: isText && first !== undefined ? Number(first) : null,
      precision: !isText && first !== undefined ? Number(first) : (FIXED_PRECISION[type] ?? null),
      scale: second !== undefined ? Number(second) : type in FIXED_PRECISION && type !== 'float' ? 0 : null,
    });
  }
  return columns;
}

export function sageColumnType(createSql: string | null, column: string): SageColumnType | null {
  if (createSql === null) return null;
  let table = cache.get(createSql);
  if (!table) {
    table = parseTable(createSql);
    cache.set(createSql, table);
  }
  return table.get(column) ?? null;
}
