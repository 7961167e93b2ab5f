import type { SageAccountView } from '../../preload/contract.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { numberColumn, textColumn, varchar } from '../adapters/sage/sql-params.js';
import { accountCategoryName, accountTypeProblem } from '../core/mapping/account-categories.js';

/**
 * The Sage company's chart of accounts with each account's type, for the mapping editor's
 * finder and its type check. Sage stores account numbers without the mask; they are shown
 * masked, as Sage's own screens do.
 */
const SAGE_ACTIVE = 1;
const MAX_RESULTS = 50;

/**
 * The account-type chain as Sage's own procedures join it (S5 spglCalcBeginBalance). Outer
 * joins: an account whose chain is broken is still listed, with no type.
 */
export const SELECT_CHART_OF_ACCOUNTS = `SELECT a.GLAcctNo, a.Description, a.Status, t.AcctTypeID, c.AcctCatID
FROM tglAccount a
LEFT JOIN tglNaturalAcct n ON n.NaturalAcctKey = a.NaturalAcctKey
LEFT JOIN tglAcctType t ON t.AcctTypeKey = n.AcctTypeKey
LEFT JOIN tglAcctCategory c ON c.AcctCategoryKey = t.AcctCategoryKey
WHERE a.CompanyID = @companyId
ORDER BY a.GLAcctNo`;

function applyMask(unmasked: string, mask: string | null): string {
  if (!mask) return unmasked;
  let position = 0;
  let masked = '';
  for (const symbol of mask) {
    if (position >= unmasked.length) break;
    masked += symbol === '-' || symbol === '.' ? symbol : unmasked[position++];
  }
  return masked + unmasked.slice(position);
}

const nullableNumber = (value: string | null): number | null => (value === null ? null : Number(value));

/** Every account of the company, masked, with its type; ordered by number. */
export async function readChartOfAccounts(sage: SagePort, companyId: string): Promise<SageAccountView[]> {
  const options = await sage.query('SELECT AcctMask FROM tglOptions WHERE CompanyID = @companyId', { companyId: varchar(3, companyId) });
  const mask = options[0] ? textColumn(options[0], 'AcctMask') : null;
  const rows = await sage.query(SELECT_CHART_OF_ACCOUNTS, { companyId: varchar(3, companyId) });
  return rows.map((row) => {
    const categoryId = nullableNumber(textColumn(row, 'AcctCatID'));
    return {
      acctNo: applyMask(textColumn(row, 'GLAcctNo') ?? '', mask),
      description: textColumn(row, 'Description') ?? '',
      active: numberColumn(row, 'Status') === SAGE_ACTIVE,
      type: categoryId === null ? null : { categoryId, typeId: nullableNumber(textColumn(row, 'AcctTypeID')), name: accountCategoryName(categoryId) },
      unsuitable: null,
    };
  });
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
