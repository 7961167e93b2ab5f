import { formatSageAmount, fromStripeMinor, parseSageAmount, sumAmounts, type SageAmount } from '../money/sage-amount.js';
import type { DocumentState } from '../engine/engine-events.js';
import { isDailySummary } from '../posting/daily-summary.js';
import type { JournalDocument } from '../sage/documents.js';
import type { StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';
import { arrivalDate, arrivalJournalKey } from '../posting/payout-plan.js';
import { businessDate, type BusinessDate } from '../time/business-date.js';
import { isItemisable, sourceId } from './tie-out.js';

/**
 * The reconciliation report of one payout, for the accountant: Stripe's side (gross by
 * category, fees by type, net) beside Sage's side as read back from Sage (batches, journals,
 * accounts, amounts), with the lineage of every transaction: Stripe event → object →
 * balance transaction → ledger document → Sage batch / journal. Pure: the adapter gathers
 * the facts (adapters/reports/payout-report-source.ts).
 */

/** One tglJournalDetl line as read back from Sage, with the ledger document it belongs to. */
export interface SageJournalLine {
  docKey: string;
  batchNo: number;
  journalNo: number;
  entryNo: number;
  acctNo: string;
  /** decimal(15,3) text as the SagePort returns it. */
  amount: string;
  comment: string;
}

export interface ReportDocument {
  docKey: string;
  state: DocumentState;
  document: JournalDocument;
}

export interface PayoutReportInput {
  payout: StripePayout;
  /** The payout's balance transactions as Stripe listed them (its own among them), or null. */
  items: readonly StripeBalanceTransaction[] | null;
  /** The payout's own and failure balance transactions, when read. */
  ownTransactions: readonly StripeBalanceTransaction[];
  /** Ledger journals booking any of those transactions. */
  documents: readonly ReportDocument[];
  /** The lines of those journals in Sage. */
  sageLines: readonly SageJournalLine[];
  eventIds(objectId: string): string[];
  /** The reason recorded on the payout while it waits, if any. */
  waitingReason: string | null;
}

export interface ReportAccounts {
  clearing: string;
  bank: string;
  timeZone: string;
}

export interface LineageRow {
  eventIds: string[];
  objectId: string;
  balanceTransaction: string;
  category: string;
  gross: string;
  fee: string;
  net: string;
  /** Ledger documents booking it, "key (state)". */
  documents: string[];
  /** "batch 12 / journal 345" per Sage journal. */
  sage: string[];
}

export type ReconciliationState = 'reconciled' | 'waiting' | 'failed-and-reversed';

export interface PayoutReport {
  payoutId: string;
  kind: 'automatic' | 'manual' | 'instant';
  status: StripePayout['status'];
  created: BusinessDate;
  arrival: BusinessDate;
  currency: string;
  amount: string;
  state: ReconciliationState;
  /** Why it waits, or how it was proved. */
  note: string;
  stripe: {
    itemised: boolean;
    transactionCount: number;
    grossByCategory: Record<string, string>;
    feesByType: Record<string, string>;
    net: string;
  };
  sage: {
    batches: number[];
    journals: number[];
    /** Bank movement of the payout's own journals: equals the payout when reconciled. */
    bank: string;
    /** Clearing movement of every journal of the payout: zero when reconciled and itemised. */
    clearingNet: string;
    totalsByAccount: Record<string, string>;
    lines: SageJournalLine[];
  };
  lineage: LineageRow[];
}

export function buildPayoutReport(input: PayoutReportInput, accounts: ReportAccounts): PayoutReport {
  const { payout } = input;
  const own = new Set(input.ownTransactions.map((bt) => bt.id));
  const included = (input.items ?? []).filter((bt) => !own.has(bt.id) && !(bt.type === 'payout' && sourceId(bt) === payout.id));
  const lines = dedupeLines(input.sageLines);
  const ownDocKeys = new Set(input.documents.filter((doc) => doc.document.stripeObjectId === payout.id).map((doc) => doc.docKey));
  const bank = sumAmounts(lines.filter((line) => ownDocKeys.has(line.docKey) && line.acctNo === accounts.bank).map((line) => parseSageAmount(line.amount)));
  const clearingNet = sumAmounts(lines.filter((line) => line.acctNo === accounts.clearing).map((line) => parseSageAmount(line.amount)));
  const written = input.documents.some((doc) => doc.docKey === arrivalJournalKey(payout.id) && doc.state === 'written');
  const state: ReconciliationState =
    payout.status === 'failed' || payout.status === 'canceled' ? 'failed-and-reversed' : written ? 'reconciled' : 'waiting';
  return {
    payoutId: payout.id,
    kind: !payout.automatic ? 'manual' : payout.method === 'instant' ? 'instant' : 'automatic',
    status: payout.status,
    created: businessDate(payout.created, accounts.timeZone),
    arrival: arrivalDate(payout, accounts.timeZone),
    currency: payout.currency.toUpperCase(),
    amount: money(payout.amount, payout.currency),
    state,
    note: noteFor(payout, state, input.waitingReason),
    stripe: {
      itemised: isItemisable(payout) && input.items !== null,
      transactionCount: included.length,
      grossByCategory: totals(included.map((bt) => [bt.reporting_category, fromStripeMinor(bt.amount, bt.currency)])),
      feesByType: totals(included.flatMap((bt) => bt.fee_details.map((fee) => [fee.type, fromStripeMinor(fee.amount, fee.currency)] as const))),
      net: formatSageAmount(sumAmounts(included.map((bt) => fromStripeMinor(bt.net, bt.currency)))),
    },
    sage: {
      batches: unique(lines.map((line) => line.batchNo)),
      journals: unique(lines.map((line) => line.journalNo)),
      bank: formatSageAmount(bank),
      clearingNet: formatSageAmount(clearingNet),
      totalsByAccount: totals(lines.map((line) => [line.acctNo, parseSageAmount(line.amount)])),
      lines,
    },
    lineage: [...included, ...input.ownTransactions].map((bt) => lineageOf(bt, payout, input, lines)),
  };
}

export interface PeriodReport {
  from: BusinessDate;
  to: BusinessDate;
  payouts: PayoutReport[];
  /** Sum of the payouts Stripe reported, by currency. */
  payoutTotal: string;
  /** Sum of every Sage journal line of the period's payouts, by account (each journal counted once). */
  sageTotalsByAccount: Record<string, string>;
  sageTotal: string;
  waiting: number;
}

/** Payouts arriving in [from, to] (business dates, inclusive). */
export function buildPeriodReport(from: BusinessDate, to: BusinessDate, payouts: readonly PayoutReport[]): PeriodReport {
  const inPeriod = payouts.filter((report) => report.arrival >= from && report.arrival <= to);
  const lines = dedupeLines(inPeriod.flatMap((report) => report.sage.lines));
  return {
    from,
    to,
    payouts: inPeriod,
    payoutTotal: formatSageAmount(sumAmounts(inPeriod.map((report) => parseSageAmount(report.amount)))),
    sageTotalsByAccount: totals(lines.map((line) => [line.acctNo, parseSageAmount(line.amount)])),
    sageTotal: formatSageAmount(sumAmounts(lines.map((line) => parseSageAmount(line.amount)))),
    waiting: inPeriod.filter((report) => report.state === 'waiting').length,
  };
}

function lineageOf(bt: StripeBalanceTransaction, payout: StripePayout, input: PayoutReportInput, lines: readonly SageJournalLine[]): LineageRow {
  const objectId = sourceId(bt) ?? bt.id;
  const documents = input.documents.filter((doc) => tracesOf(doc.document).has(bt.id));
  const docKeys = new Set(documents.map((doc) => doc.docKey));
  const journals = new Map<string, string>();
  for (const line of lines) if (docKeys.has(line.docKey)) journals.set(`${line.batchNo}/${line.journalNo}`, `batch ${line.batchNo} / journal ${line.journalNo}`);
  return {
    eventIds: input.eventIds(objectId === bt.id ? payout.id : objectId),
    objectId,
    balanceTransaction: bt.id,
    category: bt.reporting_category,
    gross: money(bt.amount, bt.currency),
    fee: money(bt.fee, bt.currency),
    net: money(bt.net, bt.currency),
    documents: documents.map((doc) => `${doc.docKey} (${doc.state})`),
    sage: [...journals.values()],
  };
}

/** The balance transactions a journal books: its lines' traces, and a daily summary's parts'. */
function tracesOf(document: JournalDocument): Set<string> {
  const ids = new Set(document.lines.map((line) => line.traceId));
  if (isDailySummary(document)) for (const part of document.summary.parts) for (const line of part.lines) ids.add(line.traceId);
  return ids;
}

function noteFor(payout: StripePayout, state: ReconciliationState, waitingReason: string | null): string {
  if (state === 'failed-and-reversed') {
    return `the payout ${payout.status}: the failure transaction returns the money from the bank to the clearing account, and a later payout pays it out again`;
  }
  if (state === 'waiting') return waitingReason ?? 'not proved yet: run a sync';
  if (!isItemisable(payout)) {
    return `Stripe cannot itemise ${payout.method === 'instant' ? 'instant' : 'manual'} payouts: proved against the clearing balance booked before it; its transactions are paid out through the clearing account`;
  }
  return payout.amount < 0 ? 'negative payout: Stripe debited the bank; every transaction is booked and the clearing account nets to zero' : 'every transaction is booked and the clearing account nets to zero';
}

function dedupeLines(lines: readonly SageJournalLine[]): SageJournalLine[] {
  const seen = new Map<string, SageJournalLine>();
  for (const line of lines) seen.set(`${line.batchNo}|${line.journalNo}|${line.entryNo}`, line);
  return [...seen.values()].sort((a, b) => a.batchNo - b.batchNo || a.journalNo - b.journalNo || a.entryNo - b.entryNo);
}

function totals(entries: readonly (readonly [string, SageAmount])[]): Record<string, string> {
  const sums = new Map<string, SageAmount>();
  for (const [key, amount] of entries) sums.set(key, (sums.get(key) ?? 0n) + amount);
  return Object.fromEntries([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, amount]) => [key, formatSageAmount(amount)]));
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function money(minor: number, currency: string): string {
  return formatSageAmount(fromStripeMinor(minor, currency));
}
