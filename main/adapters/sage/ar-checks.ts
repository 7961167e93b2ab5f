import type { PreflightItem } from '../../core/sage/preflight-item.js';
import type { ReceiptTemplate } from './ar-receipt-template.js';
import { arReferenceProblems, grantStatements, missingGrants } from './ar-document-checks.js';
import { SELECT_COLUMN_TYPES } from './check-statements.js';
import { textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import { XREF_TABLE_NAME } from './required-schema.js';

/**
 * `s5sync check` for AR cash receipts (issue #21): the tables and columns of the site's captured
 * receipt and the ones the writer reads, the SQL login's permissions on them, and the reference
 * rows (batch type, the receipt's TranType counter, the AR module). All passing is one of the
 * three proofs that enable AR payments (main/app/ar-readiness.ts).
 */

const pass = (id: string, label: string, detail: string): PreflightItem => ({ id, label, passed: true, detail, fix: null });
const fail = (id: string, label: string, detail: string, fix: string): PreflightItem => ({ id, label, passed: false, detail, fix });

/** Columns the writer reads or updates beyond the captured rows (S6, S7, S8). */
const READ_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  tarInvoice: ['InvcKey', 'CompanyID', 'CustKey', 'TranID', 'TranNo', 'TranDate', 'BalanceHC', 'CurrID'],
  tarCustomer: ['CustKey', 'CustClassKey', 'CompanyID', 'CustID'],
  tarBatch: ['BatchKey', 'CashAcctKey', 'BatchCmnt', 'BankDepAmt'],
  tciBatchLog: ['BatchKey', 'NextSeqNo', 'Status', 'PostStatus'],
};

function requiredColumns(template: ReceiptTemplate): Map<string, string[]> {
  const columns = new Map(Object.entries(READ_COLUMNS).map(([table, list]) => [table, [...list]]));
  columns.set(template.receipt.table, Object.keys(template.receipt.row));
  columns.set(template.application.table, Object.keys(template.application.row));
  return columns;
}

function permissions(template: ReceiptTemplate): [string, string][] {
  return [
    [template.receipt.table, 'INSERT'], [template.receipt.table, 'SELECT'], [template.application.table, 'INSERT'], [template.application.table, 'SELECT'],
    ['tarBatch', 'UPDATE'], ['tciBatchLog', 'UPDATE'], ['tciTranTypeCompany', 'UPDATE'], ['tarInvoice', 'SELECT'], ['tarCustomer', 'SELECT'],
    [XREF_TABLE_NAME, 'INSERT'], ['spGetNextBatch', 'EXECUTE'], ['spGetNextSurrogateKey', 'EXECUTE'],
  ];
}

export async function arReceiptCheckItems(session: SqlSession, companyId: string, template: ReceiptTemplate): Promise<PreflightItem[]> {
  const items: PreflightItem[] = [];
  const missing: string[] = [];
  for (const [table, columns] of requiredColumns(template)) {
    const site = new Set((await session.query(SELECT_COLUMN_TYPES, { tableName: varchar(128, table) })).map((row) => textColumn(row, 'COLUMN_NAME') ?? ''));
    if (site.size === 0) missing.push(`table ${table}`);
    else missing.push(...columns.filter((column) => !site.has(column)).map((column) => `${table}.${column}`));
  }
  items.push(
    missing.length === 0
      ? pass('ar:columns', 'Cash receipt tables and columns', `${template.receipt.table}, ${template.application.table} and the AR tables the sync reads have every column of the captured receipt (${template.source})`)
      : fail('ar:columns', 'Cash receipt tables and columns', `Missing on this database: ${missing.join(', ')}`, 'The database changed since the cash receipt was captured; capture it again (`s5sync capture cash-receipt <BatchNo>`), or ask your Sage partner.'),
  );
  const denied = await missingGrants(session, permissions(template));
  items.push(
    denied.length === 0
      ? pass('ar:permissions', 'Cash receipt permissions', 'The SQL login may write pending receipts and applications and read invoices (HAS_PERMS_BY_NAME)')
      : fail('ar:permissions', 'Cash receipt permissions', `Missing: ${denied.join(', ')}`, `Have the DBA run: ${grantStatements(denied)}`),
  );
  const problems = await arReferenceProblems(session, companyId, template.batchType, template.tranType);
  items.push(
    problems.length === 0
      ? pass('ar:references', 'Cash receipt reference rows', `Batch type ${template.batchType}, TranType ${template.tranType} and the AR module are set up for company ${companyId}`)
      : fail('ar:references', 'Cash receipt reference rows', `Company ${companyId}: ${problems.join('; ')}`, 'Set up Accounts Receivable for this company in Sage, or ask your Sage partner.'),
  );
  return items;
}
