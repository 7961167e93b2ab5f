import type { MappingProblem } from '../../preload/contract.js';
import { checkAccount, readCompany } from '../adapters/sage/gl-checks.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import type { Mapping } from '../core/mapping/mapping.js';
import { accountLeaves } from './mapping-preview.js';

/**
 * The mapping editor's check of each GL account against the Sage chart, with the same rules
 * the journal writer applies (exists, active, financial, currency, effective today), so a
 * wrong account shows on its field before anything fails in Sage.
 */
export async function sageAccountProblems(sage: SagePort, companyId: string, mapping: Mapping, today: string): Promise<MappingProblem[]> {
  // Sage unreachable must not stop the bookkeeper editing: the writer checks every account again.
  const company = await readCompany(sage, companyId).catch(() => null);
  // No company (or no Sage): Settings → Test Sage reports it; there is no chart to check against.
  if (!company) return [];
  const leaves = new Map<string, string>();
  accountLeaves(mapping.accounts, 'accounts', leaves);
  const verdicts = new Map<string, string | null>();
  const problems: MappingProblem[] = [];
  for (const [path, acctNo] of leaves) {
    if (!verdicts.has(acctNo)) {
      const check = await checkAccount(sage, company, acctNo, today).catch(() => null);
      verdicts.set(acctNo, check && !check.ok ? check.problem : null);
    }
    const problem = verdicts.get(acctNo);
    if (problem) problems.push({ path, message: problem });
  }
  return problems;
}
