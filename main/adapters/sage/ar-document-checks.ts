import { SELECT_AR_MODULE, SELECT_BATCH_TYPE_ROW, SELECT_TRAN_TYPE_ROW } from './ar-statements.js';
import { SELECT_PERMISSION } from './check-statements.js';
import { int, numberColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * The two checks every AR document type the sync writes shares (cash receipts, AR invoices):
 * the SQL login's grants on its tables, and the company's reference rows for its batch type and
 * TranType. Each document's own check (ar-checks.ts, ar-invoice-checks.ts) words the result.
 */

/** Each `[object, permission]` the login lacks, as `PERMISSION on object` (HAS_PERMS_BY_NAME). */
export async function missingGrants(session: SqlSession, wanted: readonly (readonly [string, string])[]): Promise<string[]> {
  const denied: string[] = [];
  for (const [object, permission] of wanted) {
    const row = (await session.query(SELECT_PERMISSION, { objectName: varchar(128, object), permission: varchar(20, permission) }))[0];
    if (Number(row?.['Granted'] ?? 0) !== 1) denied.push(`${permission} on ${object}`);
  }
  return denied;
}

/** The DBA's statements that grant what `missingGrants` found missing. */
export const grantStatements = (denied: readonly string[]): string =>
  denied.map((entry) => `GRANT ${entry.replace(' on ', ' ON ')} TO <sync login>;`).join(' ');

/** Why the company cannot take a document of this batch type and TranType; empty when it can. */
export async function arReferenceProblems(session: SqlSession, companyId: string, batchType: number, tranType: number): Promise<string[]> {
  const company = varchar(3, companyId);
  const hasBatchType = (await session.query(SELECT_BATCH_TYPE_ROW, { companyId: company, batchType: int(batchType) })).length > 0;
  const hasTranType = (await session.query(SELECT_TRAN_TYPE_ROW, { companyId: company, tranType: int(tranType) })).length > 0;
  const module = (await session.query(SELECT_AR_MODULE, { companyId: company }))[0];
  return [
    hasBatchType ? null : `no tciBatchTypCompany row for batch type ${batchType}`,
    hasTranType ? null : `no tciTranTypeCompany row for TranType ${tranType}`,
    module && numberColumn(module, 'Active') === 1 ? null : 'the Accounts Receivable module (5) is not active (tsmCompanyModule)',
  ].filter((problem): problem is string => problem !== null);
}
