import type { SqlParam, SqlRow } from './sql-port.js';

/** Typed parameter builders, so every statement declares Sage's column types. */
export const varchar = (length: number, value: string | null): SqlParam => ({ type: 'varchar', length, value });
/** Only for a column the site declares nvarchar (unicode-columns.ts); Sage's own are varchar. */
export const nvarchar = (length: number, value: string | null): SqlParam => ({ type: 'nvarchar', length, value });
export const int = (value: number | null): SqlParam => ({ type: 'int', value });
export const smallint = (value: number | null): SqlParam => ({ type: 'smallint', value });
/** decimal(15,3) money as canonical text ("-12.340"). */
export const money = (value: string | null): SqlParam => ({ type: 'decimal', precision: 15, scale: 3, value });
/** decimal(16,8) quantities. */
export const quantity = (value: string | null): SqlParam => ({ type: 'decimal', precision: 16, scale: 8, value });
/** decimal(15,5) unit prices. */
export const unitPrice = (value: string | null): SqlParam => ({ type: 'decimal', precision: 15, scale: 5, value });
export const datetime = (value: string | null): SqlParam => ({ type: 'datetime', value });

export function numberColumn(row: SqlRow, column: string): number {
  const value = row[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new Error(`column ${column} is not a number: ${String(value)}`);
}

export function textColumn(row: SqlRow, column: string): string | null {
  const value = row[column];
  return value === null || value === undefined ? null : String(value);
}
