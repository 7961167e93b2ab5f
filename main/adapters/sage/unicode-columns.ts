import type { SqlSession } from './sql-port.js';
import { textColumn } from './sql-params.js';

/**
 * Sage declares its text columns varchar, but a site may have altered some to nvarchar (Unicode).
 * The writer reads, once, which StgCustomer columns this site declares nvarchar or nchar
 * (INFORMATION_SCHEMA.COLUMNS, as `s5sync check` reads the catalog); their text is sent as
 * nvarchar and is not transliterated to code page 1252 (core/customers/code-page-text.ts).
 */
const SELECT_UNICODE_STG_CUSTOMER_COLUMNS =
  "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'StgCustomer' AND DATA_TYPE IN ('nvarchar', 'nchar')";

export async function readUnicodeCustomerColumns(session: SqlSession): Promise<ReadonlySet<string>> {
  const rows = await session.query(SELECT_UNICODE_STG_CUSTOMER_COLUMNS);
  return new Set(rows.map((row) => textColumn(row, 'COLUMN_NAME') ?? ''));
}
