import { sageIdentifier } from './ar-statements.js';

/**
 * The SQL of AR invoices for Stripe sales (issue #21 item 4). The pending invoice header is
 * tarPendInvoice (V, S6) but its columns, the line table's and the line GL distribution table
 * (whose name no public source gives, sage500.md §3.6) come from the site's captured invoice;
 * their statements are built from the captured names, checked to be plain identifiers.
 */

/** spGetNextBatch's batch type for AR invoices (S6). */
export const BATCH_TYPE_AR_INVOICE = 501;

export const SELECT_AR_INVOICE_BATCH_BY_NO = `SELECT BatchKey FROM tciBatchLog WHERE SourceCompanyID = @companyId AND BatchType = ${BATCH_TYPE_AR_INVOICE} AND BatchNo = @batchNo`;

/** The site's AR tables that have a column of this name (the catalog, not a guess). */
export const SELECT_AR_TABLES_WITH_COLUMN =
  "SELECT DISTINCT TABLE_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = @columnName AND TABLE_NAME LIKE 'tar%' ORDER BY TABLE_NAME";

export function selectRowsWhere(table: string, column: string): string {
  return `SELECT * FROM ${sageIdentifier(table)} WHERE ${sageIdentifier(column)} = @value`;
}

/** A table's primary key columns, in order, from SQL Server's catalog. */
export const SELECT_PRIMARY_KEY =
  "SELECT k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c INNER JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND k.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_NAME = @tableName AND c.CONSTRAINT_TYPE = 'PRIMARY KEY' ORDER BY k.ORDINAL_POSITION";

/** The buyer and the addresses and terms its invoices default to (tarCustomer S7; tarCustAddr S1). */
export const SELECT_INVOICE_CUSTOMER =
  'SELECT c.CustKey, c.CustClassKey, c.DfltBillToAddrKey, c.DfltShipToAddrKey, a.PmtTermsKey FROM tarCustomer c LEFT JOIN tarCustAddr a ON a.AddrKey = c.DfltBillToAddrKey WHERE c.CompanyID = @companyId AND c.CustID = @custId';

/** The invoice a receipt of the same sale is applied to, in the table the xref names. */
export function selectOwnInvoice(table: string): string {
  return `SELECT InvcKey, TranID, TranDate, CustKey FROM ${sageIdentifier(table)} WHERE InvcKey = @invcKey AND CompanyID = @companyId`;
}

export const SET_AR_BATCH_COMMENT = 'UPDATE tarBatch SET BatchCmnt = @batchCmnt WHERE BatchKey = @batchKey';
