import type { PreflightItem } from '../../preload/contract.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { checkAccount, checkFiscalPeriod, readCompany } from '../adapters/sage/gl-checks.js';
import { mappedAccounts, type Mapping } from '../core/mapping/mapping.js';

/**
 * The wizard's "Test Sage" checks: the company exists, today's fiscal period is open and
 * every mapped GL account can take a posting today. Each failure says what to fix in Sage.
 */
export async function sagePreflight(sage: SagePort, companyId: string, mapping: Mapping, today: string): Promise<PreflightItem[]> {
  const company = await readCompany(sage, companyId);
  if (!company) {
    return [{ id: 'company', label: `Sage company ${companyId}`, passed: false, detail: `Company ${companyId} is not in tsmCompany.`, fix: 'Check the company ID in Sage (Set Up Company) and in Settings.' }];
  }
  const items: PreflightItem[] = [{ id: 'company', label: `Sage company ${companyId}`, passed: true, detail: 'Found.', fix: null }];
  const period = await checkFiscalPeriod(sage, companyId, today);
  items.push(
    period.ok
      ? { id: 'fiscal-period', label: 'Open fiscal period today', passed: true, detail: `Period ${period.value} is open.`, fix: null }
      : { id: 'fiscal-period', label: 'Open fiscal period today', passed: false, detail: period.problem, fix: 'Open the period in Sage (Set Up Fiscal Calendar).' },
  );
  for (const acctNo of mappedAccounts(mapping)) {
    const account = await checkAccount(sage, company, acctNo, today);
    items.push(
      account.ok
        ? { id: `account:${acctNo}`, label: `GL account ${acctNo}`, passed: true, detail: 'Active and open for posting.', fix: null }
        : { id: `account:${acctNo}`, label: `GL account ${acctNo}`, passed: false, detail: account.problem, fix: 'Fix the account in Sage (Maintain Accounts) or pick another one in Mapping.' },
    );
  }
  return items;
}
