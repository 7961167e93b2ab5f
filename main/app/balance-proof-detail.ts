import type { BalanceProofDetail } from '../../preload/contract.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
import { formatSageAmount, parseSageAmount } from '../core/money/sage-amount.js';
import type { Ledger } from '../core/ports/ledger.js';

/**
 * The last balance proof (made by the engine after each run that read Stripe, the same one
 * `s5sync report balance` prints) for the window: the amounts as they are, and the listed
 * transactions grouped by kind and reason so the bookkeeper reads "2 payouts: its journal is
 * queued for Sage" before the ids.
 */

const LISTED_TRANSACTIONS = 50;

/** Stripe ids inside a reason ("its charge ch_1 has not booked it yet") would split every group. */
const STRIPE_ID = /\s*\b[a-z]{2,4}_[A-Za-z0-9]{6,}\b/g;
const LEADING_ID = /^[a-z]{2,4}_[A-Za-z0-9]{6,}: /;
/** The payout tie-out's refusal (main/core/reconciliation/tie-out.ts), which names counts and ids. */
const PAYOUT_WAITING = /transaction\(s\) in payout .* not booked in Sage yet/;

/**
 * A reason as one short clause that groups alike transactions: "Sage refused its journal",
 * "its journal is queued for Sage"; the error text itself is in Errors and `s5sync report balance`.
 */
export function reasonWords(reason: string): string {
  const message = reason.replace(LEADING_ID, '');
  if (PAYOUT_WAITING.test(message)) return 'waiting for transactions in it that Sage has not booked yet';
  return message.split(':')[0]!.replace(STRIPE_ID, '').trim();
}

const typeWords: Record<string, [string, string]> = {
  payout: ['payout', 'payouts'],
  charge: ['payment', 'payments'],
  payment: ['payment', 'payments'],
  refund: ['refund', 'refunds'],
  payment_refund: ['refund', 'refunds'],
  adjustment: ['adjustment', 'adjustments'],
  stripe_fee: ['Stripe fee', 'Stripe fees'],
  unknown: ['clearing line', 'clearing lines'],
};

function kindWords(type: string, count: number): string {
  const [one, many] = typeWords[type] ?? [`${type.replace(/_/g, ' ')} transaction`, `${type.replace(/_/g, ' ')} transactions`];
  return `${count} ${count === 1 ? one : many}`;
}

export function balanceProofDetail(ledger: Pick<Ledger, 'runs'>): BalanceProofDetail | null {
  const proof = lastBalanceProof(ledger.runs);
  if (!proof) return null;
  const groups = new Map<string, { type: string; reason: string; count: number; amount: bigint }>();
  for (const item of proof.items) {
    const reason = reasonWords(item.reason);
    const key = `${item.type}\u0000${reason}`;
    const group = groups.get(key) ?? { type: item.type, reason, count: 0, amount: 0n };
    group.count += 1;
    group.amount += parseSageAmount(item.difference);
    groups.set(key, group);
  }
  return {
    checkedAt: proof.checkedAt,
    currency: proof.currency,
    clearingAccount: proof.clearingAccount,
    stripeAvailable: proof.stripeAvailable,
    stripePending: proof.stripePending,
    stripeBalance: proof.stripeBalance,
    opening: proof.opening,
    booked: proof.booked,
    difference: proof.difference,
    unexplained: proof.unexplained,
    holds: proof.holds,
    exact: proof.exact,
    explanations: [...groups.values()].map((group) => ({ words: `${kindWords(group.type, group.count)}: ${group.reason}`, count: group.count, amount: formatSageAmount(group.amount) })),
    transactions: proof.items.slice(0, LISTED_TRANSACTIONS).map((item) => ({
      balanceTransactionId: item.balanceTransactionId,
      type: item.type,
      created: item.created === 0 ? null : new Date(item.created * 1000).toISOString(),
      stripeNet: item.stripeNet,
      booked: item.booked,
      reason: reasonWords(item.reason),
    })),
    listed: proof.items.length,
    otherCurrencies: proof.otherCurrencies,
  };
}
