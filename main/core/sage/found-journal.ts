import { AmountError, formatSageAmount, parseSageAmount, type SageAmount } from '../money/sage-amount.js';
import { SageWriteError, type JournalInSage } from '../ports/sage-target.js';
import { accountIdentity } from './account-number.js';
import { batchIsDeleted, batchPostingReached, describeBatchState } from './batch-state.js';
import type { JournalDocument } from './documents.js';

/**
 * A journal Sage's cross-reference (tciStripeXref_STRIPE) already holds under a document's key
 * is adopted as that document, never written twice. It is that document only if Sage holds its
 * lines: a ledger that lost both its "writing" and "written" marks (a power cut under
 * synchronous = NORMAL can take back a run's last commits) may plan the key again with another
 * body before it is written (a daily summary that gained lines since), and recording that body
 * as written would leave the books and the ledger apart with nothing said.
 *
 * An account is compared by its identity (account-number.ts: unmasked, upper case), since Sage
 * holds GLAcctNo unmasked and SQL Server's collation finds it whatever its case, so a document
 * may spell one account several ways; the differences name it as the document spells it.
 * Pending lines (tglJournalDetl) are compared as a multiset of account, exact amount and
 * TranDate (the writer stamps every line with the document's post date). Posted lines
 * (tglTransaction) are compared by each account's net on each post date: posting may summarise
 * an account's lines (tglPosting.Summarize, S5), their TranDate is whatever posting gave them, and
 * PostDate is the batch's post date posting stamps on every row (S5), which must be the
 * document's: a journal posted on another date is in another fiscal period. Comments are not
 * compared: they describe, they do not book.
 *
 * Returns null when Sage's journal is this document, else the error that parks the document
 * (a data error: the rest of its chunk is written, Retry compares again).
 */
export function refuseFoundJournal(doc: JournalDocument, found: JournalInSage): SageWriteError | null {
  const journal = `journal ${found.ref.sageNumber} in GL batch ${found.batch ? found.batch.batchNo : `key ${String(found.ref.batchKey)} (no longer in tciBatchLog)`}`;
  const held = `Journal ${doc.key}: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as ${journal}`;
  const notWritten = 'Nothing was written, and the sync does not record this document as written.';
  // Never a throw: the writer's chunk and the recovery of documents left writing go on with the others.
  const badAmount = unreadableAmount(doc);
  if (badAmount) return new SageWriteError(`${held}, but this document cannot be compared with it: ${badAmount}. ${notWritten}`, 'data', 'tglJournalDetl.PostAmt');
  const differences = found.posted ? netDifferences(doc, found) : lineDifferences(doc, found);
  if (differences.length === 0) return null;
  if (found.lines.length === 0 && found.batch && batchPostingReached(found.batch)) {
    // Posted GL under the sync's own batch: never "deleted", never to be entered again.
    return refusal(
      `${held}, in a batch Sage has posted or is posting (${describeBatchState(found.batch)}), but the sync cannot read its lines: none are pending (tglJournalDetl), ` +
        `and tglTransaction holds no balancing lines under that batch and journal number. ${notWritten} ` +
        `The journal is in Sage's books: do not enter it again. Look it up in Sage: if it is this document, Accept Sage's journal for this document, with that as the reason; ` +
        `if not, enter the difference as a journal entry of its own, then Accept Sage's journal for this document, with that as the reason: the sync records it as written, under Sage's journal.`,
    );
  }
  if (found.lines.length === 0) {
    const why = !found.batch
      ? 'a user may have deleted the batch'
      : batchIsDeleted(found.batch)
        ? `Sage deleted its batch (${describeBatchState(found.batch)})`
        : `its batch is not posted (${describeBatchState(found.batch)}): a user may have deleted the journal's lines`;
    return refusal(
      `${held}, but Sage holds none of its lines, pending (tglJournalDetl) or posted (tglTransaction under that batch and journal number): ${why}. ${notWritten} ` +
        "If the journal belongs in Sage, enter its lines there yourself as a journal entry of its own; then Accept Sage's journal for this document, with that as the reason: the sync records it as written, under Sage's journal.",
    );
  }
  const lines = `Lines that differ (Sage's, then this document's): ${differences.join('; ')}.`;
  if (found.posted) {
    return refusal(
      `${held}, posted (tglTransaction), with other amounts or post dates than this document. ${lines} ${notWritten} ` +
        `Posted GL cannot be changed: enter the difference in Sage as a journal entry of its own, then Accept Sage's journal for this document, with that as the reason: the sync records it as written, under Sage's journal.`,
    );
  }
  if (found.batch?.postStatus === POST_STATUS_OPEN) {
    return refusal(
      `${held}, unposted (its batch is open), with other lines than this document. ${lines} ${notWritten} ` +
        `Correct ${journal} in Sage so its lines are this document's, then Retry: the sync then records Sage's journal as this document.`,
      FOUND_JOURNAL_OPEN,
    );
  }
  const state = found.batch ? describeBatchState(found.batch) : 'no tciBatchLog row';
  return refusal(
    `${held}, its lines pending (tglJournalDetl) but its batch not open (${state}), with other lines than this document. ${lines} ${notWritten} ` +
      `Look the journal up in Sage: while it is unposted, correct its lines to this document's and Retry; once posted, enter the difference as a journal entry of its own, then Accept Sage's journal for this document, with that as the reason.`,
  );
}

/**
 * The error code (SageWriteError.code) of refuseFoundJournal's refusals whose advice names
 * "Accept Sage's journal" (posted, its lines gone, pending in a batch not open), kept with the
 * document's last error: the action (core/engine/accept-sage-journal.ts) applies to a document
 * failed with it and to no other.
 */
export const FOUND_JOURNAL_REFUSED = 'found-journal-refused';

/**
 * The code of the refusal of a journal Sage holds unposted in an open batch with other lines:
 * its lines can still be corrected in Sage (or edited and deleted by a user), so the fix is to
 * correct them and Retry, never "Accept Sage's journal", which would record the document as
 * written while Sage's pending journal books something else and can still change.
 */
export const FOUND_JOURNAL_OPEN = 'found-journal-open';

/** The document's first line whose amount is not a Sage amount (decimal(15,3) text), named; null when all are. */
function unreadableAmount(doc: JournalDocument): string | null {
  for (const [index, line] of doc.lines.entries()) {
    try {
      parseSageAmount(line.amount);
    } catch (error) {
      if (error instanceof AmountError) return `line ${index + 1}: ${error.message} (tglJournalDetl.PostAmt)`;
      throw error;
    }
  }
  return null;
}

/** tciBatchLog.PostStatus 0: open, not posted (S6). */
const POST_STATUS_OPEN = 0;

function refusal(message: string, code: string = FOUND_JOURNAL_REFUSED): SageWriteError {
  return new SageWriteError(message, 'data', 'tglJournalDetl', code);
}

interface SideLine {
  /** The account's identity (accountIdentity). */
  acctNo: string;
  amount: SageAmount;
  /** The date compared: a pending line's TranDate, a posted net's PostDate; null where Sage holds none. */
  date: string | null;
}

/** The lines of one side that the other does not hold, as a multiset of account, amount and date, by account. */
function lineDifferences(doc: JournalDocument, found: JournalInSage): string[] {
  const ours: SideLine[] = doc.lines.map((line) => ({ acctNo: accountIdentity(line.acctNo), amount: parseSageAmount(line.amount), date: doc.postDate }));
  const sages: SideLine[] = found.lines.map((line) => ({ acctNo: accountIdentity(line.acctNo), amount: parseSageAmount(line.amount), date: line.tranDate }));
  const identity = (line: SideLine): string => `${line.acctNo}\u0000${line.amount}\u0000${line.date ?? ''}`;
  const unmatched = new Map<string, number>();
  for (const line of sages) unmatched.set(identity(line), (unmatched.get(identity(line)) ?? 0) + 1);
  const oursOnly: SideLine[] = [];
  for (const line of ours) {
    const left = unmatched.get(identity(line)) ?? 0;
    if (left > 0) unmatched.set(identity(line), left - 1);
    else oursOnly.push(line);
  }
  const sagesOnly: SideLine[] = [];
  for (const line of sages) {
    const left = unmatched.get(identity(line)) ?? 0;
    if (left === 0) continue;
    unmatched.set(identity(line), left - 1);
    sagesOnly.push(line);
  }
  // Dates are named only when one differs, and then on both sides.
  const dated = [...sagesOnly, ...oursOnly].some((line) => line.date !== doc.postDate);
  const label = (line: SideLine): string => (dated ? `${formatSageAmount(line.amount)} ${line.date === null ? 'with no TranDate' : `dated ${line.date}`}` : formatSageAmount(line.amount));
  return byAccount(sagesOnly, oursOnly, label, accountNames(doc, found));
}

/** The accounts whose net on a post date differs between Sage's posted lines and the document's lines (all on its post date). */
function netDifferences(doc: JournalDocument, found: JournalInSage): string[] {
  const identity = (acctNo: string, postDate: string | null): string => `${acctNo}\u0000${postDate ?? ''}`;
  const sums = new Map<string, SideLine & { side: 'sage' | 'ours' }>();
  const add = (side: 'sage' | 'ours', acctNo: string, amount: string, postDate: string | null): void => {
    const key = `${side}\u0000${identity(accountIdentity(acctNo), postDate)}`;
    const sum = sums.get(key) ?? { side, acctNo: accountIdentity(acctNo), amount: 0n, date: postDate };
    sum.amount += parseSageAmount(amount);
    sums.set(key, sum);
  };
  for (const line of found.lines) add('sage', line.acctNo, line.amount, line.postDate);
  for (const line of doc.lines) add('ours', line.acctNo, line.amount, doc.postDate);
  const net = (side: 'sage' | 'ours', acctNo: string, postDate: string | null): SageAmount => sums.get(`${side}\u0000${identity(acctNo, postDate)}`)?.amount ?? 0n;
  const differing = [...sums.values()].filter((sum) => net('sage', sum.acctNo, sum.date) !== net('ours', sum.acctNo, sum.date));
  const keep = (side: 'sage' | 'ours'): SideLine[] => differing.filter((sum) => sum.side === side && sum.amount !== 0n);
  // Dates are named only when one differs, and then on both sides.
  const dated = differing.some((sum) => sum.date !== doc.postDate);
  return byAccount(
    keep('sage'),
    keep('ours'),
    (line) => `net ${formatSageAmount(line.amount)}${dated ? ` ${line.date === null ? 'with no PostDate' : `posted ${line.date}`}` : ''}`,
    accountNames(doc, found),
  );
}

/** Each account's name in a message, by identity: the document's first spelling, else Sage's GLAcctNo. */
function accountNames(doc: JournalDocument, found: JournalInSage): Map<string, string> {
  const names = new Map<string, string>();
  for (const { acctNo } of [...doc.lines, ...found.lines]) if (!names.has(accountIdentity(acctNo))) names.set(accountIdentity(acctNo), acctNo);
  return names;
}

/** "4000-00: Sage -100.000, this document -100.000 and -25.500", one entry per account, accounts in order. */
function byAccount(sages: readonly SideLine[], ours: readonly SideLine[], label: (line: SideLine) => string, names: ReadonlyMap<string, string>): string[] {
  const name = (acctNo: string): string => names.get(acctNo) ?? acctNo;
  const accounts = [...new Set([...sages, ...ours].map((line) => line.acctNo))].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  const list = (lines: readonly SideLine[], acctNo: string): string => {
    const labels = lines.filter((line) => line.acctNo === acctNo).map(label);
    return labels.length === 0 ? 'none' : labels.join(' and ');
  };
  return accounts.map((acctNo) => `${name(acctNo)}: Sage ${list(sages, acctNo)}, this document ${list(ours, acctNo)}`);
}
