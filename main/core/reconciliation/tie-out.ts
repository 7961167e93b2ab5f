import { formatSageAmount, fromStripeMinor } from '../money/sage-amount.js';
import type { StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';

/**
 * The per-payout tie-out proof, checked before the payout journal may be written: the
 * payout's balance transactions (listed by Stripe for automatic payouts once reconciliation
 * completes) must add up to the payout, and every one of them must already be booked in
 * Sage, so that the clearing account moves by exactly the payout amount and returns to zero
 * when the bank journal is written.
 */

export type TieOutBlock =
  | 'not-paid-yet'
  | 'reconciliation-pending'
  | 'not-itemisable'
  | 'items-not-read'
  | 'sum-mismatch'
  | 'sources-not-synced';

export interface TieOutSummary {
  itemCount: number;
  /** Gross by reporting category, in Stripe minor units of the payout currency. */
  grossByCategory: Record<string, number>;
  feesByType: Record<string, number>;
  net: number;
}

export type TieOutResult =
  | { ok: true; summary: TieOutSummary; note: string | null }
  | { ok: false; block: TieOutBlock; explanation: string; action: string; variance: string | null };

/**
 * A payout's balance transactions, which may be read more than once: an array, or the
 * ledger's page-by-page reader, so a payout of any size is proved without being held whole.
 */
export type PayoutItems = Iterable<StripeBalanceTransaction>;

export interface TieOutInput {
  payout: StripePayout;
  /** The payout's balance transactions (its own payout BT may be among them), or null when not read. */
  items: PayoutItems | null;
  /** True when the BT's source is already booked (its journal written or planned for writing). */
  isBooked(bt: StripeBalanceTransaction): boolean;
}

export function isItemisable(payout: StripePayout): boolean {
  return payout.automatic && payout.method !== 'instant';
}

export function proveTieOut({ payout, items, isBooked }: TieOutInput): TieOutResult {
  if (payout.status === 'pending' || payout.status === 'in_transit') {
    return block('not-paid-yet', `payout ${payout.id} is ${payout.status.replace('_', ' ')}; it is booked once Stripe marks it paid`, 'Nothing to do: it is retried on every sync.');
  }
  if (!isItemisable(payout)) {
    return {
      ok: true,
      summary: { itemCount: 0, grossByCategory: {}, feesByType: {}, net: payout.amount },
      note: `Stripe cannot itemise ${payout.method === 'instant' ? 'instant' : 'manual'} payouts: checked against the running clearing balance instead of a list of transactions`,
    };
  }
  if (payout.reconciliation_status !== 'completed') {
    return block('reconciliation-pending', `Stripe has not finished reconciling payout ${payout.id}, so its list of transactions may be incomplete`, 'Nothing to do: it is retried automatically when Stripe completes reconciliation.');
  }
  if (items === null) {
    return block('items-not-read', `the transactions of payout ${payout.id} have not been read from Stripe yet`, 'Nothing to do: they are read on the next sync.');
  }
  // One pass with running totals: the payout's transactions are streamed, never collected.
  const summary: TieOutSummary = { itemCount: 0, grossByCategory: {}, feesByType: {}, net: 0 };
  const foreign = new Set<string>();
  let missingCount = 0;
  const missingNames: string[] = [];
  for (const bt of items) {
    if (isOwnPayoutTransaction(bt, payout)) continue;
    addTo(summary, bt);
    if (bt.currency.toLowerCase() !== payout.currency.toLowerCase()) foreign.add(bt.currency.toUpperCase());
    if (!isBooked(bt)) {
      missingCount++;
      if (missingNames.length < 5) missingNames.push(sourceId(bt) ?? bt.id);
    }
  }
  if (summary.net !== payout.amount) {
    const variance = fromStripeMinor(payout.amount - summary.net, payout.currency);
    return {
      ok: false,
      block: 'sum-mismatch',
      explanation: `the ${summary.itemCount} transactions of payout ${payout.id} add up to ${formatSageAmount(fromStripeMinor(summary.net, payout.currency))} ${payout.currency.toUpperCase()}, not the payout amount ${formatSageAmount(fromStripeMinor(payout.amount, payout.currency))}${explainCategories(summary, foreign, payout)}`,
      action: 'Check the payout in the Stripe Dashboard (Balance → Payouts); a reserve or adjustment Stripe made shows there. The payout is retried automatically.',
      variance: formatSageAmount(variance),
    };
  }
  if (missingCount > 0) {
    return block(
      'sources-not-synced',
      `${missingCount} transaction(s) in payout ${payout.id} are not booked in Sage yet (${missingNames.join(', ')}${missingCount > 5 ? ', …' : ''})`,
      'Fix the errors on those records (Errors view); the payout journal is written as soon as they are booked.',
    );
  }
  return { ok: true, summary, note: null };
}

export function sourceId(bt: StripeBalanceTransaction): string | null {
  if (bt.source === null) return null;
  return typeof bt.source === 'string' ? bt.source : bt.source.id;
}

function isOwnPayoutTransaction(bt: StripeBalanceTransaction, payout: StripePayout): boolean {
  const own = typeof payout.balance_transaction === 'string' ? payout.balance_transaction : payout.balance_transaction?.id;
  return bt.id === own || (bt.type === 'payout' && sourceId(bt) === payout.id);
}

function addTo(summary: TieOutSummary, bt: StripeBalanceTransaction): void {
  summary.itemCount++;
  summary.grossByCategory[bt.reporting_category] = (summary.grossByCategory[bt.reporting_category] ?? 0) + bt.amount;
  for (const fee of bt.fee_details) summary.feesByType[fee.type] = (summary.feesByType[fee.type] ?? 0) + fee.amount;
  summary.net += bt.net;
}

const CATEGORY_HINTS: Record<string, string> = {
  risk_reserved_funds: 'a reserve hold or release',
  other_adjustment: 'an adjustment',
  payout_reversal: 'a failed earlier payout returning',
  connect_reserved_funds: 'a Connect reserve',
};

/** `foreign`: currencies of transactions not in the payout's currency, which cannot be added to it without Stripe's conversion. */
function explainCategories(summary: TieOutSummary, foreign: ReadonlySet<string>, payout: StripePayout): string {
  const hints = Object.keys(summary.grossByCategory).flatMap((category) => CATEGORY_HINTS[category] ?? []);
  if (foreign.size > 0) hints.push(`transactions in ${[...foreign].join(', ')} that Stripe converted (FX)`);
  if (payout.amount < 0) hints.push('a negative payout (Stripe debits the bank)');
  return hints.length ? `; it includes ${hints.join(' and ')}` : '';
}

function block(kind: TieOutBlock, explanation: string, action: string): TieOutResult {
  return { ok: false, block: kind, explanation, action, variance: null };
}
