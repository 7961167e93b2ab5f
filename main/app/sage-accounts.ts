import type { SageAccountView } from '../../preload/contract.js';
import { readSageChart } from '../adapters/sage/chart-of-accounts.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { accountCategoryName, accountTypeProblem } from '../core/mapping/account-categories.js';

/**
 * The Sage company's chart of accounts (main/adapters/sage/chart-of-accounts.ts) for the
 * mapping editor's finder and its type check: each account with its type's name.
 */
const MAX_RESULTS = 50;

/** Every account of the company, masked, with its type; ordered by number. */
export async function readChartOfAccounts(sage: SagePort, companyId: string): Promise<SageAccountView[]> {
  return (await readSageChart(sage, companyId)).map(({ acctNo, description, active, categoryId, typeId }) => ({
    acctNo,
    description,
    active,
    type: categoryId === null ? null : { categoryId, typeId, name: accountCategoryName(categoryId) },
    unsuitable: null,
  }));
}

/** The finder's search: part of the number or of the name, or a type ("expense"); at most 50 accounts. */
export async function listSageAccounts(sage: SagePort, companyId: string, search: string): Promise<SageAccountView[]> {
  const needle = search.trim().toLowerCase();
  const needleDigits = needle.replace(/[^0-9a-z]/g, '');
  return (await readChartOfAccounts(sage, companyId))
    .filter((account) => !needle || account.description.toLowerCase().includes(needle) || account.type?.name.toLowerCase() === needle || (needleDigits !== '' && account.acctNo.replace(/[^0-9a-z]/gi, '').toLowerCase().includes(needleDigits)))
    .slice(0, MAX_RESULTS);
}

/** The accounts as candidates for one mapping setting: each says whether its type fits it. */
export function accountsFor(setting: string | undefined, accounts: SageAccountView[]): SageAccountView[] {
  if (!setting) return accounts;
  return accounts.map((account) => ({ ...account, unsuitable: accountTypeProblem(setting, account.acctNo, { description: account.description, categoryId: account.type?.categoryId ?? null }) }));
}
