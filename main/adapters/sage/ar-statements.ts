/**
 * The SQL of the AR payment flow (issue #21). The pending cash-receipt and application tables
 * have no public name (docs/sage-sources.md, "Not in any public source"), so their statements are built from the
 * names the site's own capture shows (ar-receipt-template.ts), checked to be plain identifiers;
 * the verified tables (tciBatchLog, tarBatch, tarInvoice, tarCustomer: S6, S7) are fixed text.
 */

/** spGetNextBatch's batch type for AR cash receipts (S6). */
export const BATCH_TYPE_AR_CASH_RECEIPT = 503;
/** tciBatchLog.Status 6 = posted (S6, S8): applications in any other batch are still pending. */
export const BATCH_STATUS_POSTED = 6;

export class SageIdentifierError extends Error {
  constructor(name: string) {
    super(`"${name}" is not a plain SQL Server table or column name; the captured template cannot be used`);
    this.name = 'SageIdentifierError';
  }
}

/** A table or column name from the site's catalog, safe to put in statement text. */
export function sageIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) throw new SageIdentifierError(name);
  return name;
}

// capture: one AR cash-receipt batch a Sage user keyed, and every tar* table holding rows of it.
export const SELECT_AR_RECEIPT_BATCH_BY_NO = `SELECT BatchKey FROM tciBatchLog WHERE SourceCompanyID = @companyId AND BatchType = ${BATCH_TYPE_AR_CASH_RECEIPT} AND BatchNo = @batchNo`;
export const SELECT_AR_BATCH_TABLES =
  "SELECT DISTINCT TABLE_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = 'BatchKey' AND TABLE_NAME LIKE 'tar%' AND TABLE_NAME <> 'tarBatch' ORDER BY TABLE_NAME";
export const CAPTURE_BATCH_LOG_ROW = 'SELECT * FROM tciBatchLog WHERE BatchKey = @batchKey';
export const CAPTURE_AR_BATCH_ROW = 'SELECT * FROM tarBatch WHERE BatchKey = @batchKey';
export function captureBatchRows(table: string): string {
  return `SELECT * FROM ${sageIdentifier(table)} WHERE BatchKey = @batchKey`;
}

// the writer
/** By CustID; many-rows.ts selectByKeys turns the condition into a list for a chunk's payers. */
export const SELECT_AR_CUSTOMER = 'SELECT CustID, CustKey, CustClassKey FROM tarCustomer WHERE CompanyID = @companyId AND CustID = @custId';
export const SELECT_INVOICE_TO_APPLY =
  'SELECT i.InvcKey, i.TranID, i.TranDate, i.BalanceHC, i.CurrID, c.CustID FROM tarInvoice i INNER JOIN tarCustomer c ON c.CustKey = i.CustKey WHERE i.InvcKey = @invcKey AND i.CompanyID = @companyId';
export const SET_AR_BATCH_CASH_ACCOUNT = 'UPDATE tarBatch SET CashAcctKey = @cashAcctKey, BatchCmnt = @batchCmnt WHERE BatchKey = @batchKey';
export const ADD_AR_BATCH_DEPOSIT = 'UPDATE tarBatch SET BankDepAmt = BankDepAmt + @amount WHERE BatchKey = @batchKey';
/** S8 numbers a batch's applications from tciBatchLog.NextSeqNo and advances it; the UPDATE takes the row lock first, for a block of `@count`. */
export const TAKE_BATCH_SEQ_NOS = 'UPDATE tciBatchLog SET NextSeqNo = NextSeqNo + @count WHERE BatchKey = @batchKey';

/** The BatchKey of the receipt counter's row in selectNextNumbers: Sage's surrogate keys start at 1. */
export const NO_BATCH = 0;

/**
 * After the blocks are taken (RESERVE_TRAN_NOS, TAKE_BATCH_SEQ_NOS), the counters as they now
 * stand, in one query: the receipt TranType's NextTranNo (BatchKey NO_BATCH) and each batch's
 * NextSeqNo (`@batch0`, …).
 */
export function selectNextNumbers(batchCount: number): string {
  const counter = `SELECT ${NO_BATCH} AS BatchKey, NextTranNo AS NextNo FROM tciTranTypeCompany WHERE CompanyID = @companyId AND TranType = @tranType`;
  if (batchCount === 0) return counter;
  const batches = Array.from({ length: batchCount }, (_, index) => `@batch${index}`).join(', ');
  return `${counter} UNION ALL SELECT BatchKey, NextSeqNo AS NextNo FROM tciBatchLog WHERE BatchKey IN (${batches})`;
}

/**
 * What pending applications (in batches not posted yet) already take from invoices; the
 * application table is the site's. Aliased as a money column so both executors return decimal text.
 */
export function selectPendingApplied(applicationTable: string, invoiceCount: number): string {
  const keys = Array.from({ length: invoiceCount }, (_, index) => `@invc${index}`).join(', ');
  return `SELECT a.ApplyToInvcKey, SUM(a.PmtAmtIC) AS PmtAmtIC FROM ${sageIdentifier(applicationTable)} a INNER JOIN tciBatchLog b ON b.BatchKey = a.BatchKey WHERE b.Status <> ${BATCH_STATUS_POSTED} AND a.ApplyToInvcKey IN (${keys}) GROUP BY a.ApplyToInvcKey`;
}

/** Open home-currency invoices (tarInvoice, S7) by TranID or TranNo. */
export function selectOpenInvoicesByReference(referenceCount: number): string {
  const refs = Array.from({ length: referenceCount }, (_, index) => `@ref${index}`).join(', ');
  return `${OPEN_INVOICES} AND (i.TranID IN (${refs}) OR i.TranNo IN (${refs})) ORDER BY i.InvcKey`;
}
const OPEN_INVOICES =
  'SELECT i.InvcKey, i.TranID, i.TranNo, i.TranDate, i.BalanceHC, c.CustID FROM tarInvoice i INNER JOIN tarCustomer c ON c.CustKey = i.CustKey WHERE i.CompanyID = @companyId AND i.CurrID = @currId AND i.BalanceHC > 0';
export const SELECT_OPEN_INVOICES_OF_CUSTOMER = `${OPEN_INVOICES} AND c.CustID = @custId ORDER BY i.InvcKey`;

export function insertRow(table: string, columns: readonly string[], values: readonly string[]): string {
  return `INSERT INTO ${sageIdentifier(table)} (${columns.map(sageIdentifier).join(', ')}) VALUES (${values.join(', ')})`;
}

// check: the reference rows a cash receipt needs.
export const SELECT_BATCH_TYPE_ROW = 'SELECT NextBatchNo FROM tciBatchTypCompany WHERE CompanyID = @companyId AND BatchType = @batchType';
export const SELECT_TRAN_TYPE_ROW = 'SELECT NextTranNo FROM tciTranTypeCompany WHERE CompanyID = @companyId AND TranType = @tranType';
export const SELECT_AR_MODULE = 'SELECT Active FROM tsmCompanyModule WHERE CompanyID = @companyId AND ModuleNo = 5';
export const SELECT_CUST_ID_BY_KEY = 'SELECT CustID FROM tarCustomer WHERE CustKey = @custKey';
