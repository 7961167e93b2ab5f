import type { SqlSession } from './sql-port.js';

/** The companies of a Sage database (tsmCompany), ordered by id: what the setup wizard offers and the runtime checks its company against. */
export async function listSageCompanies(sage: SqlSession): Promise<{ companyId: string; name: string }[]> {
  const rows = await sage.query('SELECT CompanyID, CompanyName FROM tsmCompany ORDER BY CompanyID', {});
  return rows.map((row) => ({ companyId: String(row.CompanyID).trim(), name: String(row.CompanyName ?? '').trim() }));
}
