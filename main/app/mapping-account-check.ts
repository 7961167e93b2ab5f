import type { MappingProblem } from '../../preload/contract.js';
import { checkAccount, readCompany, unmaskAccountNo } from '../adapters/sage/gl-checks.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { accountTypeProblem } from '../core/mapping/account-categories.js';
import type { Mapping } from '../core/mapping/mapping.js';
import { accountLeaves } from './mapping-preview.js';
import { ruleAccountPaths } from '../core/rules/rule-validation.js';
import { readChartOfAccounts } from './sage-accounts.js';

/**
 * The mapping editor's check of each GL account against the Sage chart, with the same rules
 * the journal writer applies (exists, active, financial, currency, effective today), so a
 * wrong account shows on its field before anything fails in Sage; then the account's type
 * against what the setting needs (main/core/mapping/account-categories.ts), which Sage itself
 * would not stop: Stripe fees posted to a revenue account post fine and misstate the books.
 */
export async function sageAccountProblems(sage: SagePort, companyId: string, mapping: Mapping, today: string): Promise<MappingProblem[]> {
  // Sage unreachable must not stop the bookkeeper editing: the writer checks every account again.
  const company = await readCompany(sage, companyId).catch(() => null);
  // No company (or no Sage): Settings → Test Sage reports it; there is no chart to check against.
  if (!company) return [];
  const leaves = new Map<string, string>();
  accountLeaves(mapping.accounts, 'accounts', leaves);
  accountLeaves(mapping.productRevenue, 'productRevenue', leaves);
  const chart = new Map((await readChartOfAccounts(sage, companyId).catch(() => [])).map((account) => [unmaskAccountNo(account.acctNo), account]));
  const verdicts = new Map<string, string | null>();
  const problems: MappingProblem[] = [];
  // The accounts business rules book on (overrides, skip accounts, each substituted segment).
  for (const [path, acctNo] of [...leaves, ...ruleAccountPaths(mapping)]) {
    if (!verdicts.has(acctNo)) {
      const check = await checkAccount(sage, company, acctNo, today).catch(() => null);
      verdicts.set(acctNo, check && !check.ok ? check.problem : null);
    }
    const problem = verdicts.get(acctNo);
    if (problem) {
      // A segment rule produces several accounts on one path; each problem is said once.
      if (!problems.some((known) => known.path === path && known.message === problem)) problems.push({ path, message: problem });
      continue;
    }
    const account = chart.get(unmaskAccountNo(acctNo));
    const typeProblem = account ? accountTypeProblem(path, acctNo, { description: account.description, categoryId: account.type?.categoryId ?? null }) : null;
    if (typeProblem) problems.push({ path, message: typeProblem });
  }
  return problems;
}
