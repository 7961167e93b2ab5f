import type { SageAccountView } from '../../preload/contract.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { numberColumn, textColumn, varchar } from '../adapters/sage/sql-params.js';

/**
 * GL accounts of the Sage company for the mapping editor's search. Sage stores account
 * numbers without the mask; they are shown masked, as Sage's own screens do.
 */
const SAGE_ACTIVE = 1;
const MAX_RESULTS = 50;

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

export async function listSageAccounts(sage: SagePort, companyId: string, search: string): Promise<SageAccountView[]> {
  const options = await sage.query('SELECT AcctMask FROM tglOptions WHERE CompanyID = @companyId', { companyId: varchar(3, companyId) });
  const mask = options[0] ? textColumn(options[0], 'AcctMask') : null;
  const rows = await sage.query('SELECT GLAcctNo, Description, Status FROM tglAccount WHERE CompanyID = @companyId ORDER BY GLAcctNo', {
    companyId: varchar(3, companyId),
  });
  const needle = search.trim().toLowerCase();
  const needleDigits = needle.replace(/[^0-9a-z]/g, '');
  return rows
    .map((row) => ({
      acctNo: applyMask(textColumn(row, 'GLAcctNo') ?? '', mask),
      description: textColumn(row, 'Description') ?? '',
      active: numberColumn(row, 'Status') === SAGE_ACTIVE,
    }))
    .filter((account) => !needle || account.description.toLowerCase().includes(needle) || (needleDigits !== '' && account.acctNo.replace(/[^0-9a-z]/gi, '').toLowerCase().includes(needleDigits)))
    .slice(0, MAX_RESULTS);
}
