import type { JournalBatchInSage, JournalInSage, JournalLineInSage } from '../../core/ports/sage-target.js';
import { formatSageAmount, parseSageAmount } from '../../core/money/sage-amount.js';
import { selectByKeys } from './many-rows.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlRow, SqlSession } from './sql-port.js';
import { SELECT_POSTED_JOURNAL_LINES, SELECT_XREF_JOURNAL_LINES_BY_DOC_KEY } from './statements.js';
import { xrefRowRef } from './xref-store.js';

/** Keys per lookup: well within SQL Server's 2,100 parameters. */
const KEYS_PER_LOOKUP = 1_000;

/**
 * The GL journals tciStripeXref_STRIPE holds under these keys, read back with their lines from
 * the tables the journal writer fills (tglJournalDetl by the xref's SageKey = JrnlHdrKey, each
 * line's tglAccount.GLAcctNo) and its batch (tciBatchLog: number and state), one query per
 * thousand keys; the journal writer's own xref lookup is this read, so a journal found is
 * compared with the document before it is adopted. A line's account is GLAcctNo as Sage stores
 * it (unmasked, in Sage's case): which document spelling it stands for is the comparer's to say
 * (core/sage/account-number.ts), since two documents, or two lines of one, may spell one account
 * two ways.
 *
 * A journal with none of its lines pending any more (a user posted its batch, and posting moved
 * them on) is looked for in posted GL, read only: tglTransaction rows of the xref's BatchKey with
 * the xref's journal number (SageNumber = JrnlNo) (S5: posting copies BatchKey, JrnlKey and JrnlNo
 * of each posting row into tglTransaction), whatever journal code the settings name today, in one
 * more query for all such journals. They count only if they balance, as every journal does;
 * otherwise, or when there are none (the lines were deleted), the journal is given back with no
 * lines. SourceModuleNo is not used: BatchKey already names the batch, and the number GL's own
 * journal posting writes there is not in the public sources.
 */
export async function findJournalsInSage(
  session: SqlSession,
  companyId: string,
  docKeys: readonly string[],
): Promise<Map<string, JournalInSage>> {
  // PostDate is a posted row's column (tglTransaction); a pending line has none of its own.
  const line = (row: SqlRow): JournalLineInSage => ({
    acctNo: textColumn(row, 'GLAcctNo') ?? '',
    amount: formatSageAmount(parseSageAmount(textColumn(row, 'PostAmt') ?? '')),
    comment: textColumn(row, 'PostCmnt') ?? '',
    tranDate: textColumn(row, 'TranDate')?.slice(0, 10) ?? null,
    postDate: textColumn(row, 'PostDate')?.slice(0, 10) ?? null,
  });
  const found = new Map<string, JournalInSage>();
  const unique = [...new Set(docKeys)];
  for (let start = 0; start < unique.length; start += KEYS_PER_LOOKUP) {
    const keys = unique.slice(start, start + KEYS_PER_LOOKUP);
    const { sql, params } = selectByKeys(SELECT_XREF_JOURNAL_LINES_BY_DOC_KEY, 'x.DocKey', 'docKey', keys.map((key) => varchar(100, key)));
    for (const row of await session.query(sql, { ...params, companyId: varchar(3, companyId) })) {
      const docKey = textColumn(row, 'DocKey') ?? '';
      let journal = found.get(docKey);
      if (!journal) {
        journal = {
          ref: xrefRowRef(docKey, row),
          lines: [],
          posted: false,
          batch: batchOf(row),
        };
        found.set(docKey, journal);
      }
      // The left joins give one row without a line for a journal with no pending lines.
      if (row['EntryNo'] === null || row['EntryNo'] === undefined) continue;
      journal.lines.push(line(row));
    }
  }
  await addPostedLines(session, [...found.values()].filter((journal) => journal.lines.length === 0), line);
  return found;
}

/** The posted lines of journals with no pending line, by their batch and journal number (one query per thousand journals). */
async function addPostedLines(session: SqlSession, journals: readonly JournalInSage[], line: (row: SqlRow) => JournalLineInSage): Promise<void> {
  const byBatchAndNumber = new Map<string, JournalInSage>();
  for (const journal of journals) {
    if (journal.ref.batchKey === null || !/^\d+$/.test(journal.ref.sageNumber)) continue;
    byBatchAndNumber.set(`${journal.ref.batchKey}/${Number(journal.ref.sageNumber)}`, journal);
  }
  const wanted = [...byBatchAndNumber.values()];
  const posted = new Map<JournalInSage, JournalLineInSage[]>();
  for (let start = 0; start < wanted.length; start += KEYS_PER_LOOKUP) {
    const some = wanted.slice(start, start + KEYS_PER_LOOKUP);
    const batches = selectByKeys(SELECT_POSTED_JOURNAL_LINES, 't.BatchKey', 'batchKey', [...new Set(some.map((journal) => journal.ref.batchKey!))].map((key) => int(key)));
    const numbers = selectByKeys(batches.sql, 't.JrnlNo', 'jrnlNo', [...new Set(some.map((journal) => Number(journal.ref.sageNumber)))].map((no) => int(no)));
    const rows = await session.query(numbers.sql, { ...batches.params, ...numbers.params });
    for (const row of rows) {
      // The IN lists cross: only the pairs asked for count.
      const journal = byBatchAndNumber.get(`${numberColumn(row, 'BatchKey')}/${numberColumn(row, 'JrnlNo')}`);
      if (!journal) continue;
      const lines = posted.get(journal);
      if (lines) lines.push(line(row));
      else posted.set(journal, [line(row)]);
    }
  }
  for (const [journal, lines] of posted) {
    if (lines.reduce((sum, entry) => sum + parseSageAmount(entry.amount), 0n) !== 0n) continue;
    journal.lines = lines;
    journal.posted = true;
  }
}

/** The journal's batch from the row's left join on tciBatchLog: null when Sage has no batch row under the xref's BatchKey. */
function batchOf(row: SqlRow): JournalBatchInSage | null {
  if (row['BatchNo'] === null || row['BatchNo'] === undefined) return null;
  return { batchNo: numberColumn(row, 'BatchNo'), status: numberColumn(row, 'BatchStatus'), postStatus: numberColumn(row, 'PostStatus') };
}
