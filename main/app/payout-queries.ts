import type { PayoutReport, PayoutReportLine, PayoutRow } from '../../preload/contract.js';
import { formatSageAmount, fromStripeMinor, parseSageAmount, sumAmounts } from '../core/money/sage-amount.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { Ledger } from '../core/ports/ledger.js';
import { heldNotes } from '../core/engine/payout-journal-order.js';
import type { StripePayout } from '../core/stripe/objects.js';
import { arrivalJournalKey } from '../core/posting/payout-plan.js';

/** The Payouts view: tie-out status per payout and its breakdown. */

type PayoutLedger = Pick<Ledger, 'objects' | 'documents'>;

const money = (minor: number, currency: string): string => formatSageAmount(fromStripeMinor(minor, currency));

/**
 * The variance of a blocked payout: the deposit less what of it is booked in Sage so far
 * (transactions whose journal is written), in the payout's currency; null before Stripe has
 * listed the payout's transactions.
 */
function notYetInSage(ledger: PayoutLedger, payout: StripePayout): string | null {
  const items = ledger.objects.payoutItems(payout.id);
  if (items === null) return null;
  const booked = items.filter((bt) => bt.type !== 'payout' && ledger.documents.isTraceBooked(bt.id));
  const bookedMinor = booked.reduce((sum, bt) => sum + bt.net, 0);
  return money(payout.amount - bookedMinor, payout.currency);
}

function payoutRow(ledger: PayoutLedger, payout: StripePayout): PayoutRow {
  const documents = ledger.documents.documentsForObject(payout.id);
  // A 'waiting' issue is the tie-out holding the payout back; any other is a planning problem, listed in Errors.
  const stored = ledger.objects.objectIssue(payout.id);
  const issue = stored?.errorClass === 'waiting' ? stored : null;
  // Reconciled once the arrival journal (payouts in transit → bank) is written; the journal of creation alone is not.
  const written = documents.find((doc) => doc.docKey === arrivalJournalKey(payout.id) && doc.state === 'written');
  const failed = documents.find((doc) => doc.state === 'failed' || doc.state === 'dead');
  const row: PayoutRow = {
    payoutId: payout.id,
    arrivalDate: new Date(payout.arrival_date * 1000).toISOString().slice(0, 10),
    amount: money(payout.amount, payout.currency),
    currency: payout.currency,
    status: 'waiting',
    variance: null,
    explanation: null,
    sageBatch: written?.ref?.sageNumber ?? null,
  };
  if (!payout.automatic) return { ...row, status: 'manual', explanation: 'Manual payouts have no itemised transaction list in Stripe; book them by hand.' };
  if (payout.status === 'failed' || payout.status === 'canceled') return { ...row, status: 'failed', explanation: payout.failure_message ?? `Stripe reports the payout ${payout.status}.` };
  if (written) return { ...row, status: 'reconciled', explanation: 'Every transaction in this payout is booked and adds up to the bank deposit.' };
  if (failed) return { ...row, status: 'failed', explanation: ['The payout journal could not be written to Sage; see Errors.', ...heldNotes(documents)].join(' ') };
  // Not paid yet is not a tie-out failure: the payout simply waits for Stripe.
  if (payout.status !== 'paid') return { ...row, explanation: issue?.message ?? 'Stripe has not paid this out yet.' };
  if (issue) return { ...row, status: 'blocked', variance: notYetInSage(ledger, payout), explanation: issue.message };
  return { ...row, explanation: 'Waiting for Stripe to list the payout transactions or for them to be booked.' };
}

/** Stored payouts, newest first. */
function readPayouts(ledger: PayoutLedger): StripePayout[] {
  return ledger.objects
    .payouts()
    .map((stored) => stored.object as StripePayout)
    .reverse();
}

export function listPayoutRows(ledger: PayoutLedger, range: { from?: string; to?: string }): PayoutRow[] {
  return readPayouts(ledger)
    .map((payout) => payoutRow(ledger, payout))
    .filter((row) => (!range.from || row.arrivalDate >= range.from) && (!range.to || row.arrivalDate <= range.to));
}

function accountFor(category: string, mapping: Mapping | null): string | null {
  if (!mapping) return null;
  const accounts = mapping.accounts;
  const byCategory: Record<string, string> = { charge: accounts.clearing, refund: accounts.clearing, fee: accounts.fees.default ?? accounts.clearing, dispute: accounts.disputes, dispute_reversal: accounts.disputes };
  return byCategory[category] ?? accounts.adjustments;
}

export function payoutReport(ledger: PayoutLedger, payoutId: string, mapping: Mapping | null): PayoutReport | null {
  const stored = ledger.objects.getObject(payoutId);
  if (stored?.kind !== 'payout') return null;
  const payout = stored.object as StripePayout;
  const row = payoutRow(ledger, payout);
  const items = (ledger.objects.payoutItems(payoutId) ?? []).filter((bt) => bt.type !== 'payout');
  const byCategory = new Map<string, { minor: number; ids: string[] }>();
  const add = (category: string, minor: number, id: string): void => {
    const entry = byCategory.get(category) ?? { minor: 0, ids: [] };
    entry.minor += minor;
    entry.ids.push(id);
    byCategory.set(category, entry);
  };
  for (const bt of items) {
    add(bt.reporting_category, bt.amount, bt.id);
    if (bt.fee !== 0) add('fee', -bt.fee, bt.id);
  }
  const booked = row.status === 'reconciled';
  const lines: PayoutReportLine[] = [...byCategory.entries()].map(([category, entry]) => ({
    category,
    stripeAmount: money(entry.minor, payout.currency),
    sageAmount: booked ? money(entry.minor, payout.currency) : null,
    acctNo: accountFor(category, mapping),
    sourceIds: entry.ids,
  }));
  return { payout: row, lines, stripeNet: row.amount, sageBankAmount: bankReceived(ledger, payoutId, mapping) };
}

/**
 * What the bank received from the payout in Sage: its debits to the bank account once the
 * arrival is written. They are on the arrival journal, or, for a payout booked before payouts
 * in transit, on the one journal that took it from clearing to the bank (that payout's arrival
 * is recorded with no lines of its own: migration-one-step-payout-journals.ts).
 */
function bankReceived(ledger: PayoutLedger, payoutId: string, mapping: Mapping | null): string | null {
  const documents = ledger.documents.documentsForObject(payoutId).filter((doc) => doc.state === 'written');
  if (!mapping || !documents.some((doc) => doc.docKey === arrivalJournalKey(payoutId))) return null;
  const debits = documents.flatMap((doc) => (doc.document.type === 'journal' ? doc.document.lines : [])).filter((line) => line.acctNo === mapping.accounts.bank);
  return formatSageAmount(sumAmounts(debits.map((line) => parseSageAmount(line.amount)).filter((amount) => amount > 0n)));
}

const csvCell = (value: string | null): string => (value === null ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function payoutsCsv(rows: readonly PayoutRow[]): string {
  const header = ['payout_id', 'arrival_date', 'amount', 'currency', 'status', 'variance', 'sage_batch', 'explanation'];
  const lines = rows.map((row) => [row.payoutId, row.arrivalDate, row.amount, row.currency, row.status, row.variance, row.sageBatch, row.explanation].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
