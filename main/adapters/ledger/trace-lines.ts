import { isDailySummary, journalTraceIds } from '../../core/posting/daily-summary.js';
import type { JournalDocument, JournalLine } from '../../core/sage/documents.js';

/**
 * A journal's lines beside its traces (document_traces.lines, migration 14): for each balance
 * transaction the journal traces, that transaction's lines as the JSON text of their [account,
 * amount] pairs in line order, so the reconciliation's reads of lines on an account read these
 * small rows instead of parsing every journal's body (docs/performance.md, 5, session 8,
 * journalrows). The trace rows are written, replaced and removed with the body already, so the
 * lines are exactly the body's; no row is added for them. Whether a line counts is its
 * document's state, read where the lines are read (sqlite-reconciliation-ledger.ts).
 */

/** The lines of a journal per balance transaction: a daily summary's parts' lines (its own lines trace the summary), or the journal's own lines. */
function perTransactionLines(journal: JournalDocument): JournalLine[] {
  return isDailySummary(journal) ? journal.summary.parts.flatMap((part) => part.lines) : journal.lines;
}

/** [account, amount] pairs of one trace's lines, as a trace row's `lines` holds them. */
type AccountAmount = [acctNo: string, amount: string];

/** A journal's trace rows: every id it traces (journalTraceIds) with that id's lines, or null for an id it traces without lines (a summary's own key, its parts' objects). */
export function traceRows(journal: JournalDocument): [traceId: string, lines: string | null][] {
  const byTrace = new Map<string, AccountAmount[]>();
  for (const line of perTransactionLines(journal)) {
    const pairs = byTrace.get(line.traceId);
    if (pairs) pairs.push([line.acctNo, line.amount]);
    else byTrace.set(line.traceId, [[line.acctNo, line.amount]]);
  }
  return journalTraceIds(journal).map((traceId) => {
    const pairs = byTrace.get(traceId);
    return [traceId, pairs ? JSON.stringify(pairs) : null];
  });
}

/** The amounts of a trace row's lines that are on `acctNo`, in line order. */
export function amountsOnAccount(lines: string, acctNo: string): string[] {
  const amounts: string[] = [];
  for (const [account, amount] of JSON.parse(lines) as AccountAmount[]) if (account === acctNo) amounts.push(amount);
  return amounts;
}

/**
 * Text that every trace row with a line on `acctNo` contains, for SQL's `instr` to skip the
 * others before a row is parsed; '' (found in every text) when there is none to rely on. An
 * account of printable ASCII without the two characters JSON escapes (`"` and `\`) is written
 * by `JSON.stringify` exactly as it is, quoted (a Sage account number is digits, letters and
 * separators). Callers still compare each line's account exactly.
 */
export function accountToken(acctNo: string): string {
  return /^[\x20-\x7e]*$/.test(acctNo) && !/["\\]/.test(acctNo) ? JSON.stringify(acctNo) : '';
}
