import { SageWriteError } from '../../core/ports/sage-target.js';
import { transliterate } from '../../core/customers/code-page-text.js';
import { nvarchar, textColumn, varchar } from './sql-params.js';
import type { SqlParam, SqlSession } from './sql-port.js';

/**
 * Sage declares its text columns varchar, but a site may have altered some to nvarchar (Unicode).
 * The writer reads, once, which columns this site declares nvarchar or nchar
 * (INFORMATION_SCHEMA.COLUMNS, as `s5sync check` reads the catalog): text for those is sent as
 * nvarchar as it is; text for a varchar column is put into code page 1252 first (Ł → L), since
 * the driver would turn what the code page cannot hold into '?' without a word, and text with
 * no transliteration (e.g. CJK) is refused naming the column.
 */
const SELECT_UNICODE_COLUMNS =
  "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE DATA_TYPE IN ('nvarchar', 'nchar')";

/** "Table.Column" of every nvarchar/nchar column of the site. */
export async function readUnicodeColumns(session: SqlSession): Promise<ReadonlySet<string>> {
  const rows = await session.query(SELECT_UNICODE_COLUMNS);
  return new Set(rows.map((row) => `${textColumn(row, 'TABLE_NAME') ?? ''}.${textColumn(row, 'COLUMN_NAME') ?? ''}`));
}

/** The StgCustomer column names among them: customer planning keeps their text untransliterated. */
export function stgCustomerColumns(unicode: ReadonlySet<string>): ReadonlySet<string> {
  return new Set([...unicode].filter((column) => column.startsWith('StgCustomer.')).map((column) => column.slice('StgCustomer.'.length)));
}

/** Reads the site's nvarchar columns once per writer; a failed read (Sage unreachable) is read again next time. */
export class SiteUnicodeColumns {
  private columns: Promise<ReadonlySet<string>> | null = null;

  constructor(private readonly session: SqlSession) {}

  get(): Promise<ReadonlySet<string>> {
    this.columns ??= readUnicodeColumns(this.session).catch((error: unknown) => {
      this.columns = null;
      throw error;
    });
    return this.columns;
  }
}

export interface SiteText {
  /** The text as it will be stored. */
  text: string;
  param: SqlParam;
  /** Set when the text was transliterated, saying what changed. */
  note: string | null;
}

/**
 * Text for a column Sage fills from `columns` (a staging column and the column the API copies
 * it to, or just the column written): nvarchar as it is when the site declares every one of
 * them nvarchar, else transliterated to code page 1252, or refused when it cannot be.
 */
export function siteText(unicode: ReadonlySet<string>, columns: readonly string[], length: number, value: string, what: string): SiteText {
  if (columns.every((column) => unicode.has(column))) return { text: value, param: nvarchar(length, value), note: null };
  const converted = transliterate(value);
  const column = columns[columns.length - 1]!;
  if (converted === null) {
    throw new SageWriteError(
      `${what}: ${column} is varchar (code page 1252) on this Sage database and cannot hold "${value}"; change the text in Stripe, or have your Sage partner declare ${column} nvarchar`,
      'data',
      column,
    );
  }
  const note = converted === value ? null : `${column} "${value}" written as "${converted}" (Sage's varchar text is code page 1252)`;
  return { text: converted, param: varchar(length, converted), note };
}

/**
 * The columns the writer fills with free text from Stripe (names, addresses, comments,
 * descriptions), as "Table.Column": `s5sync check` says for each whether the site declares it
 * nvarchar (kept as is) or varchar (code page 1252).
 */
export const FREE_TEXT_COLUMNS: readonly string[] = [
  ...['CustName', 'AddrLine1', 'AddrLine2', 'AddrLine3', 'AddrLine4', 'AddrLine5', 'City', 'StateID', 'PostalCode', 'Phone', 'EMailAddr', 'Name'].map((column) => `StgCustomer.${column}`),
  'StgSalesOrder.TranCmnt', 'tsoSalesOrder.TranCmnt', 'StgSOLine.Description', 'tsoSOLine.Description',
  'tglJournalDetl.PostCmnt', 'tglBatch.BatchCmnt', 'tciBatchLog.BatchCmnt',
];
