import type { JournalInSage } from '../../core/ports/sage-target.js';
import { formatSageAmount, parseSageAmount } from '../../core/money/sage-amount.js';
import { unmaskAccountNo } from './gl-checks.js';
import { selectByKeys } from './many-rows.js';
import { numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import { SELECT_XREF_JOURNAL_LINES_BY_DOC_KEY } from './statements.js';

/** Keys per lookup: well within SQL Server's 2,100 parameters. */
const KEYS_PER_LOOKUP = 1_000;

/**
 * The GL journals tciStripeXref_STRIPE holds under these keys, read back with their lines from
 * the tables the journal writer fills (tglJournalDetl by the xref's SageKey = JrnlHdrKey, each
 * line's tglAccount.GLAcctNo), one query per thousand keys. Sage stores account numbers
 * without the mask (gl-checks.ts), so a line's account is given back as `accountNames` spells
 * it when it is one of them.
 */
export async function findJournalsInSage(
  session: SqlSession,
  companyId: string,
  docKeys: readonly string[],
  accountNames: readonly string[],
): Promise<Map<string, JournalInSage>> {
  const byUnmasked = new Map(accountNames.map((name) => [unmaskAccountNo(name), name]));
  const found = new Map<string, JournalInSage>();
  const unique = [...new Set(docKeys)];
  for (let start = 0; start < unique.length; start += KEYS_PER_LOOKUP) {
    const keys = unique.slice(start, start + KEYS_PER_LOOKUP);
    const { sql, params } = selectByKeys(SELECT_XREF_JOURNAL_LINES_BY_DOC_KEY, 'x.DocKey', 'docKey', keys.map((key) => varchar(100, key)));
    for (const row of await session.query(sql, { ...params, companyId: varchar(3, companyId) })) {
      const docKey = textColumn(row, 'DocKey') ?? '';
      let journal = found.get(docKey);
      if (!journal) {
        const batchKey = row['BatchKey'];
        journal = {
          ref: {
            docKey,
            sageTable: textColumn(row, 'SageTable') ?? '',
            sageKey: numberColumn(row, 'SageKey'),
            sageNumber: textColumn(row, 'SageNumber') ?? '',
            batchKey: batchKey === null || batchKey === undefined ? null : numberColumn(row, 'BatchKey'),
          },
          lines: [],
        };
        found.set(docKey, journal);
      }
      // The left joins give one row without a line for a journal with no pending lines.
      if (row['EntryNo'] === null || row['EntryNo'] === undefined) continue;
      const sageAcctNo = textColumn(row, 'GLAcctNo') ?? '';
      journal.lines.push({
        acctNo: byUnmasked.get(sageAcctNo) ?? sageAcctNo,
        amount: formatSageAmount(parseSageAmount(textColumn(row, 'PostAmt') ?? '')),
        comment: textColumn(row, 'PostCmnt') ?? '',
        tranDate: (textColumn(row, 'TranDate') ?? '').slice(0, 10),
      });
    }
  }
  return found;
}
