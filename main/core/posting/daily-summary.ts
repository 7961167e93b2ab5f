import { formatSageAmount, parseSageAmount } from '../money/sage-amount.js';
import type { JournalDocument, JournalLine, RuleEffect, SageDocument } from '../sage/documents.js';
import type { AnySyncedObject } from '../stripe/objects.js';
import { businessDate, type BusinessDate } from '../time/business-date.js';
import { postComment } from './balance-transaction-journal.js';
import { journalDocument } from './journal-document.js';

/**
 * Granularity "daily-summary": instead of one journal per Stripe transaction, one journal per
 * business day and kind (all charges of 10 March, all refunds of 10 March, …). The summary is
 * built from exactly the per-transaction journals the planners produce (its "parts"), added up
 * per account and direction, so per-transaction and summary mode can never disagree on an
 * amount. The parts stay in the summary's body: they name every balance transaction the
 * summary books (document_traces, and so the payout tie-out, know each one) and let a later
 * plan add a straggler or re-plan a part after a mapping change while the summary is unwritten.
 *
 * Payouts are not summarised: each payout is one bank deposit and must stay one journal for
 * the bank reconciliation.
 */

export type SummaryKind = 'charges' | 'refunds' | 'disputes' | 'invoices' | 'credit-notes';

const SUMMARY_KIND: Partial<Record<AnySyncedObject['object'], SummaryKind>> = {
  charge: 'charges',
  refund: 'refunds',
  dispute: 'disputes',
  invoice: 'invoices',
  credit_note: 'credit-notes',
};

export function summaryKindOf(objectType: AnySyncedObject['object']): SummaryKind | null {
  return SUMMARY_KIND[objectType] ?? null;
}

/** One per-transaction journal inside a summary. */
export interface SummaryPart {
  key: string;
  stripeObjectId: string;
  lines: JournalLine[];
  /**
   * The business rules that fired for this transaction and what they changed (core/rules):
   * the summary adds lines up per account, so the explanation stays with each part. Absent
   * when no rule fired.
   */
  rules?: RuleEffect[];
}

export interface DailySummaryJournal extends JournalDocument {
  summary: { kind: SummaryKind; day: BusinessDate; parts: SummaryPart[] };
}

export function isDailySummary(document: SageDocument): document is DailySummaryJournal {
  return document.type === 'journal' && 'summary' in document;
}

/**
 * The first summary of a day is `daily:charges:2026-03-10`; a transaction that turns up after
 * that summary was written goes into `…#2`, because a written journal is never changed.
 */
export function summaryKey(kind: SummaryKind, day: BusinessDate, sequence: number): string {
  return sequence === 1 ? `daily:${kind}:${day}` : `daily:${kind}:${day}#${sequence}`;
}

/**
 * A summary may be written once its day is over in the company's time zone and the settle
 * margin has passed: Stripe objects of a late evening can reach us hours later (event lag,
 * straggler sweeps), and a summary written too early would need a second one for the day.
 */
export const SUMMARY_SETTLE_SECONDS = 6 * 3600;

export function isDayComplete(day: BusinessDate, nowSeconds: number, timeZone: string): boolean {
  return businessDate(nowSeconds - SUMMARY_SETTLE_SECONDS, timeZone) > day;
}

export function dailySummary(kind: SummaryKind, day: BusinessDate, sequence: number, parts: readonly SummaryPart[]): DailySummaryJournal {
  const key = summaryKey(kind, day, sequence);
  const sorted = [...parts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const label = `${kind} ${day}${sequence === 1 ? '' : ` #${sequence}`}`;
  const journal = journalDocument({
    key,
    postDate: day,
    stripeObjectId: key,
    description: `Stripe ${label}: daily summary of ${sorted.length} transaction(s)`,
    lines: summaryLines(sorted, label, key),
  });
  return { ...journal, summary: { kind, day, parts: sorted } };
}

/**
 * Debits and credits of each account are added up separately, so the summary still shows the
 * day's gross movement (sales vs. their reversal) and a refund that failed the same day does
 * not collapse into an empty journal. Every line's traceId is the summary's own key; the
 * balance transactions it covers are the parts' traceIds (see journalTraceIds).
 */
function summaryLines(parts: readonly SummaryPart[], label: string, key: string): JournalLine[] {
  const totals = new Map<string, { debit: bigint; credit: bigint; debits: number; credits: number }>();
  for (const part of parts) {
    for (const line of part.lines) {
      const amount = parseSageAmount(line.amount);
      const total = totals.get(line.acctNo) ?? { debit: 0n, credit: 0n, debits: 0, credits: 0 };
      if (amount >= 0n) {
        total.debit += amount;
        total.debits++;
      } else {
        total.credit += amount;
        total.credits++;
      }
      totals.set(line.acctNo, total);
    }
  }
  const lines: JournalLine[] = [];
  for (const acctNo of [...totals.keys()].sort()) {
    const total = totals.get(acctNo)!;
    if (total.debit !== 0n) lines.push({ acctNo, amount: formatSageAmount(total.debit), comment: postComment(`${label} debits (${total.debits})`), traceId: key });
    if (total.credit !== 0n) lines.push({ acctNo, amount: formatSageAmount(total.credit), comment: postComment(`${label} credits (${total.credits})`), traceId: key });
  }
  return lines;
}

/**
 * Everything a journal books, for document_traces: its lines' trace ids and, for a summary,
 * every part's balance transactions and Stripe object, so isTraceBooked(btId) turns true
 * when the summary is written and a preview finds the summary from the object id.
 */
export function journalTraceIds(journal: JournalDocument): string[] {
  const ids = new Set(journal.lines.map((line) => line.traceId));
  if (isDailySummary(journal)) {
    for (const part of journal.summary.parts) {
      ids.add(part.stripeObjectId);
      for (const line of part.lines) ids.add(line.traceId);
    }
  }
  return [...ids];
}

/** A summary already in the ledger; `open` while it is not written (nor being written, nor skipped). */
export interface StoredSummary {
  journal: DailySummaryJournal;
  open: boolean;
}

/**
 * Puts per-transaction journals into the chain of summaries of one kind and day. A part that
 * is already in a written summary is booked and stays as it is; a part in an open summary is
 * replaced (a re-plan); a new part goes into the first open summary, or into a new one after
 * the written ones. Returns the summaries that changed; `chain` is updated in place.
 */
export function foldIntoSummaries(chain: StoredSummary[], kind: SummaryKind, day: BusinessDate, parts: readonly SummaryPart[]): DailySummaryJournal[] {
  const changed = new Set<number>();
  for (const part of parts) {
    const owner = chain.findIndex((entry) => entry.journal.summary.parts.some((existing) => existing.key === part.key));
    if (owner >= 0 && !chain[owner]!.open) continue;
    let target = owner >= 0 ? owner : chain.findIndex((entry) => entry.open);
    if (target < 0) {
      chain.push({ journal: emptySummary(kind, day, chain.length + 1), open: true });
      target = chain.length - 1;
    }
    const current = chain[target]!.journal;
    const others = current.summary.parts.filter((existing) => existing.key !== part.key);
    chain[target] = { journal: withParts(current, [...others, part]), open: true };
    changed.add(target);
  }
  return [...changed].map((index) => chain[index]!.journal);
}

/** Takes parts out of an open summary (the mapping went back to per-transaction journals). */
export function withoutParts(summary: DailySummaryJournal, partKeys: ReadonlySet<string>): DailySummaryJournal | null {
  const parts = summary.summary.parts.filter((part) => !partKeys.has(part.key));
  return parts.length === 0 ? null : withParts(summary, parts);
}

function withParts(summary: DailySummaryJournal, parts: SummaryPart[]): DailySummaryJournal {
  return dailySummary(summary.summary.kind, summary.summary.day, summarySequence(summary.key), parts);
}

export function summarySequence(key: string): number {
  const hash = key.lastIndexOf('#');
  return hash < 0 ? 1 : Number(key.slice(hash + 1));
}

/** A placeholder with no parts yet; withParts gives it its real lines before anyone sees it. */
function emptySummary(kind: SummaryKind, day: BusinessDate, sequence: number): DailySummaryJournal {
  const key = summaryKey(kind, day, sequence);
  return { type: 'journal', key, postDate: day, stripeObjectId: key, description: '', lines: [], summary: { kind, day, parts: [] } };
}

export function partOf(journal: JournalDocument): SummaryPart {
  const part: SummaryPart = { key: journal.key, stripeObjectId: journal.stripeObjectId, lines: journal.lines };
  return journal.rules?.length ? { ...part, rules: journal.rules } : part;
}
