import type Database from 'better-sqlite3';
import type { PayoutReport, PayoutReportLine, PayoutRow } from '../../preload/contract.js';
import { formatSageAmount, fromStripeMinor, parseSageAmount, sumAmounts } from '../core/money/sage-amount.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { SageDocument } from '../core/sage/documents.js';
import type { StripeBalanceTransaction, StripePayout } from '../core/stripe/objects.js';

/** Read queries of the Payouts view: tie-out status per payout and its breakdown. */

interface PayoutDocument {
  state: string;
  sage_number: string | null;
  body: string;
}

const money = (minor: number, currency: string): string => formatSageAmount(fromStripeMinor(minor, currency));

/**
 * The variance of a blocked payout: the deposit less what of it is booked in Sage so far
 * (transactions whose journal is written), in the payout's currency; null before Stripe has
 * listed the payout's transactions.
 */
function notYetInSage(db: Database.Database, payout: StripePayout): string | null {
  if (!db.prepare('SELECT 1 FROM payouts_itemised WHERE payout_id = ?').get(payout.id)) return null;
  const booked = db
    .prepare(
      `SELECT bt.body FROM balance_transactions bt
       WHERE bt.payout_id = ? AND json_extract(bt.body, '$.type') <> 'payout'
         AND EXISTS (SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE t.trace_id = bt.id AND d.state = 'written')`,
    )
    .all(payout.id) as { body: string }[];
  const bookedMinor = booked.reduce((sum, row) => sum + (JSON.parse(row.body) as StripeBalanceTransaction).net, 0);
  return money(payout.amount - bookedMinor, payout.currency);
}

function payoutRow(db: Database.Database, payout: StripePayout): PayoutRow {
  const documents = db.prepare('SELECT state, sage_number, body FROM documents WHERE stripe_object_id = ?').all(payout.id) as PayoutDocument[];
  // A 'waiting' issue is the tie-out holding the payout back; any other is a planning problem, listed in Errors.
  const issue = db.prepare(`SELECT message FROM object_issues WHERE object_id = ? AND error_class = 'waiting'`).get(payout.id) as { message: string } | undefined;
  const written = documents.find((doc) => doc.state === 'written');
  const failed = documents.find((doc) => doc.state === 'failed' || doc.state === 'dead');
  const row: PayoutRow = {
    payoutId: payout.id,
    arrivalDate: new Date(payout.arrival_date * 1000).toISOString().slice(0, 10),
    amount: money(payout.amount, payout.currency),
    currency: payout.currency,
    status: 'waiting',
    variance: null,
    explanation: null,
    sageBatch: written?.sage_number ?? null,
  };
  if (!payout.automatic) return { ...row, status: 'manual', explanation: 'Manual payouts have no itemised transaction list in Stripe; book them by hand.' };
  if (payout.status === 'failed' || payout.status === 'canceled') return { ...row, status: 'failed', explanation: payout.failure_message ?? `Stripe reports the payout ${payout.status}.` };
  if (written) return { ...row, status: 'reconciled', explanation: 'Every transaction in this payout is booked and adds up to the bank deposit.' };
  if (failed) return { ...row, status: 'failed', explanation: 'The payout journal could not be written to Sage; see Errors.' };
  // Not paid yet is not a tie-out failure: the payout simply waits for Stripe.
  if (payout.status !== 'paid') return { ...row, explanation: issue?.message ?? 'Stripe has not paid this out yet.' };
  if (issue) return { ...row, status: 'blocked', variance: notYetInSage(db, payout), explanation: issue.message };
  return { ...row, explanation: 'Waiting for Stripe to list the payout transactions or for them to be booked.' };
}

function readPayouts(db: Database.Database): StripePayout[] {
  return (db.prepare(`SELECT body FROM stripe_objects WHERE kind = 'payout' ORDER BY created DESC, id DESC`).all() as { body: string }[]).map(
    (row) => JSON.parse(row.body) as StripePayout,
  );
}

export function listPayoutRows(db: Database.Database, range: { from?: string; to?: string }): PayoutRow[] {
  return readPayouts(db)
    .map((payout) => payoutRow(db, payout))
    .filter((row) => (!range.from || row.arrivalDate >= range.from) && (!range.to || row.arrivalDate <= range.to));
}

function accountFor(category: string, mapping: Mapping | null): string | null {
  if (!mapping) return null;
  const accounts = mapping.accounts;
  const byCategory: Record<string, string> = { charge: accounts.clearing, refund: accounts.clearing, fee: accounts.fees.default ?? accounts.clearing, dispute: accounts.disputes, dispute_reversal: accounts.disputes };
  return byCategory[category] ?? accounts.adjustments;
}

export function payoutReport(db: Database.Database, payoutId: string, mapping: Mapping | null): PayoutReport | null {
  const body = db.prepare(`SELECT body FROM stripe_objects WHERE id = ? AND kind = 'payout'`).get(payoutId) as { body: string } | undefined;
  if (!body) return null;
  const payout = JSON.parse(body.body) as StripePayout;
  const row = payoutRow(db, payout);
  const items = (db.prepare('SELECT body FROM balance_transactions WHERE payout_id = ? ORDER BY id').all(payoutId) as { body: string }[])
    .map((item) => JSON.parse(item.body) as StripeBalanceTransaction)
    .filter((bt) => bt.type !== 'payout');
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
  const journal = db.prepare(`SELECT body FROM documents WHERE stripe_object_id = ? AND type = 'journal' AND state = 'written'`).get(payoutId) as { body: string } | undefined;
  let sageBankAmount: string | null = null;
  if (journal) {
    const document = JSON.parse(journal.body) as SageDocument;
    if (document.type === 'journal') {
      sageBankAmount = formatSageAmount(sumAmounts(document.lines.map((line) => parseSageAmount(line.amount)).filter((amount) => amount > 0n)));
    }
  }
  return { payout: row, lines, stripeNet: row.amount, sageBankAmount };
}

const csvCell = (value: string | null): string => (value === null ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function payoutsCsv(rows: readonly PayoutRow[]): string {
  const header = ['payout_id', 'arrival_date', 'amount', 'currency', 'status', 'variance', 'sage_batch', 'explanation'];
  const lines = rows.map((row) => [row.payoutId, row.arrivalDate, row.amount, row.currency, row.status, row.variance, row.sageBatch, row.explanation].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
