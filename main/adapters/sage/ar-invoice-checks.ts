import type { PreflightItem } from '../../core/sage/preflight-item.js';
import type { InvoiceTemplate } from './ar-invoice-template.js';
import { SELECT_PRIMARY_KEY } from './ar-invoice-statements.js';
import { arReferenceProblems, grantStatements, missingGrants } from './ar-document-checks.js';
import { SELECT_COLUMN_TYPES } from './check-statements.js';
import { XREF_TABLE_NAME } from './required-schema.js';
import { textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * `s5sync check` for AR invoices for Stripe sales (issue #21 items 4 and 5): the tables and
 * columns of the site's captured invoice (header, line, line distribution) and the ones the writer
 * reads, the distribution table's key, the SQL login's permissions, and the reference rows (batch
 * type, the invoice's TranType counter, the AR module). All passing is one of the three proofs
 * that enable the option (main/app/ar-invoice-readiness.ts).
 */

const pass = (id: string, label: string, detail: string): PreflightItem => ({ id, label, passed: true, detail, fix: null });
const fail = (id: string, label: string, detail: string, fix: string): PreflightItem => ({ id, label, passed: false, detail, fix });

/** Columns the writer reads or updates beyond the captured rows (S6, S7; tarCustAddr S1). */
const READ_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  tarCustomer: ['CustKey', 'CustClassKey', 'CompanyID', 'CustID', 'DfltBillToAddrKey', 'DfltShipToAddrKey'],
  tarCustAddr: ['AddrKey', 'PmtTermsKey'],
  tarInvoice: ['InvcKey', 'CompanyID', 'TranID', 'TranDate'],
  tarBatch: ['BatchKey', 'BatchCmnt'],
  tciBatchLog: ['BatchKey', 'Status', 'PostStatus', 'BatchCmnt', 'PostDate'],
};

function requiredColumns(template: InvoiceTemplate): Map<string, string[]> {
  const columns = new Map(Object.entries(READ_COLUMNS).map(([table, list]) => [table, [...list]]));
  for (const captured of [template.invoice, template.line, template.distribution]) columns.set(captured.table, Object.keys(captured.row));
  return columns;
}

function permissions(template: InvoiceTemplate): [string, string][] {
  const written = [template.invoice.table, template.line.table, template.distribution.table].flatMap((table): [string, string][] => [[table, 'INSERT'], [table, 'SELECT']]);
  return [
    ...written, ['tarBatch', 'UPDATE'], ['tciBatchLog', 'UPDATE'], ['tciTranTypeCompany', 'UPDATE'], ['tarCustomer', 'SELECT'], ['tarCustAddr', 'SELECT'],
    ['tarInvoice', 'SELECT'], [XREF_TABLE_NAME, 'INSERT'], ['spGetNextBatch', 'EXECUTE'], ['spGetNextSurrogateKey', 'EXECUTE'],
  ];
}

export async function arInvoiceCheckItems(session: SqlSession, companyId: string, template: InvoiceTemplate): Promise<PreflightItem[]> {
  const items: PreflightItem[] = [];
  const missing: string[] = [];
  for (const [table, columns] of requiredColumns(template)) {
    const site = new Set((await session.query(SELECT_COLUMN_TYPES, { tableName: varchar(128, table) })).map((row) => textColumn(row, 'COLUMN_NAME') ?? ''));
    if (site.size === 0) missing.push(`table ${table}`);
    else missing.push(...columns.filter((column) => !site.has(column)).map((column) => `${table}.${column}`));
  }
  const keys = (await session.query(SELECT_PRIMARY_KEY, { tableName: varchar(128, template.distribution.table) })).map((row) => textColumn(row, 'COLUMN_NAME') ?? '');
  const keyProblem =
    keys.length === 1 && keys[0] !== 'InvoiceLineKey' && keys[0] !== 'GLAcctKey'
      ? null
      : `${template.distribution.table} has the primary key (${keys.join(', ') || 'none'}), not one column of its own`;
  items.push(
    missing.length === 0 && keyProblem === null
      ? pass(
          'ar-invoice:columns',
          'AR invoice tables and columns',
          `${template.invoice.table}, ${template.line.table} and ${template.distribution.table} (keyed by ${keys[0]}, amount in ${template.distribution.amountColumn}) have every column of the captured invoice (${template.source})`,
        )
      : fail(
          'ar-invoice:columns',
          'AR invoice tables and columns',
          [missing.length > 0 ? `Missing on this database: ${missing.join(', ')}` : null, keyProblem].filter((part) => part !== null).join('; '),
          'The database changed since the AR invoice was captured, or its line distribution is not one the sync can write; capture it again (`s5sync capture ar-invoice <BatchNo>`), or ask your Sage partner.',
        ),
  );
  const denied = await missingGrants(session, permissions(template));
  items.push(
    denied.length === 0
      ? pass('ar-invoice:permissions', 'AR invoice permissions', 'The SQL login may write pending invoices, their lines and distributions (HAS_PERMS_BY_NAME)')
      : fail('ar-invoice:permissions', 'AR invoice permissions', `Missing: ${denied.join(', ')}`, `Have the DBA run: ${grantStatements(denied)}`),
  );
  const problems = await arReferenceProblems(session, companyId, template.batchType, template.tranType);
  items.push(
    problems.length === 0
      ? pass('ar-invoice:references', 'AR invoice reference rows', `Batch type ${template.batchType}, TranType ${template.tranType} and the AR module are set up for company ${companyId}`)
      : fail('ar-invoice:references', 'AR invoice reference rows', `Company ${companyId}: ${problems.join('; ')}`, 'Set up Accounts Receivable for this company in Sage, or ask your Sage partner.'),
  );
  return items;
}
