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

export interface TieOutInput {
  payout: StripePayout;
  /** The payout's balance transactions (its own payout BT may be among them), or null when not read. */
  items: readonly StripeBalanceTransaction[] | null;
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
  const included = items.filter((bt) => !isOwnPayoutTransaction(bt, payout));
  const summary = summarise(included);
  if (summary.net !== payout.amount) {
    const variance = fromStripeMinor(payout.amount - summary.net, payout.currency);
    return {
      ok: false,
      block: 'sum-mismatch',
      explanation: `the ${summary.itemCount} transactions of payout ${payout.id} add up to ${formatSageAmount(fromStripeMinor(summary.net, payout.currency))} ${payout.currency.toUpperCase()}, not the payout amount ${formatSageAmount(fromStripeMinor(payout.amount, payout.currency))}${explainCategories(summary, included, payout)}`,
      action: 'Check the payout in the Stripe Dashboard (Balance → Payouts); a reserve or adjustment Stripe made shows there. The payout is retried automatically.',
      variance: formatSageAmount(variance),
    };
  }
  const missing = included.filter((bt) => !isBooked(bt));
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((bt) => sourceId(bt) ?? bt.id).join(', ');
    return block(
      'sources-not-synced',
      `${missing.length} transaction(s) in payout ${payout.id} are not booked in Sage yet (${names}${missing.length > 5 ? ', …' : ''})`,
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

function summarise(items: readonly StripeBalanceTransaction[]): TieOutSummary {
  const grossByCategory: Record<string, number> = {};
  const feesByType: Record<string, number> = {};
  let net = 0;
  for (const bt of items) {
    grossByCategory[bt.reporting_category] = (grossByCategory[bt.reporting_category] ?? 0) + bt.amount;
    for (const fee of bt.fee_details) feesByType[fee.type] = (feesByType[fee.type] ?? 0) + fee.amount;
    net += bt.net;
  }
  return { itemCount: items.length, grossByCategory, feesByType, net };
}

const CATEGORY_HINTS: Record<string, string> = {
  risk_reserved_funds: 'a reserve hold or release',
  other_adjustment: 'an adjustment',
  payout_reversal: 'a failed earlier payout returning',
  connect_reserved_funds: 'a Connect reserve',
};

function explainCategories(summary: TieOutSummary, items: readonly StripeBalanceTransaction[], payout: StripePayout): string {
  const hints = Object.keys(summary.grossByCategory).flatMap((category) => CATEGORY_HINTS[category] ?? []);
  // Amounts in another currency cannot be added to the payout without Stripe's conversion.
  const foreign = new Set(items.filter((bt) => bt.currency.toLowerCase() !== payout.currency.toLowerCase()).map((bt) => bt.currency.toUpperCase()));
  if (foreign.size > 0) hints.push(`transactions in ${[...foreign].join(', ')} that Stripe converted (FX)`);
  if (payout.amount < 0) hints.push('a negative payout (Stripe debits the bank)');
  return hints.length ? `; it includes ${hints.join(' and ')}` : '';
}

function block(kind: TieOutBlock, explanation: string, action: string): TieOutResult {
  return { ok: false, block: kind, explanation, action, variance: null };
}
