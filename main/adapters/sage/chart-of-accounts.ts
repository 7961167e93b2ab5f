import { numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * The company's chart of accounts as Sage holds it: every account with its status and its
 * type's ids. Sage stores account numbers without the mask (tglOptions.AcctMask); they are
 * returned masked, as Sage's own screens show them.
 */

const SAGE_ACTIVE = 1;

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

export interface SageChartAccount {
  /** Masked, as Sage's screens show it. */
  acctNo: string;
  description: string;
  active: boolean;
  /** tglAcctCategory.AcctCatID; null when the account's type chain is broken. */
  categoryId: number | null;
  typeId: number | null;
}

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
export async function readSageChart(sage: SqlSession, companyId: string): Promise<SageChartAccount[]> {
  const options = await sage.query('SELECT AcctMask FROM tglOptions WHERE CompanyID = @companyId', { companyId: varchar(3, companyId) });
  const mask = options[0] ? textColumn(options[0], 'AcctMask') : null;
  const rows = await sage.query(SELECT_CHART_OF_ACCOUNTS, { companyId: varchar(3, companyId) });
  return rows.map((row) => ({
    acctNo: applyMask(textColumn(row, 'GLAcctNo') ?? '', mask),
    description: textColumn(row, 'Description') ?? '',
    active: numberColumn(row, 'Status') === SAGE_ACTIVE,
    categoryId: nullableNumber(textColumn(row, 'AcctCatID')),
    typeId: nullableNumber(textColumn(row, 'AcctTypeID')),
  }));
}
