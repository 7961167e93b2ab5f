import type { StripeBalanceTransaction } from '../stripe/objects.js';
import type { PlanningContext } from './planning-context.js';
import { BalanceTransactionClaimed } from './balance-transaction-claimed.js';
import { PlanningError } from './planning-error.js';

/**
 * Resolves an expandable balance transaction field to the object, or says we must wait. A
 * transaction is booked once, with the object Stripe names as its `source`; another object
 * that claims it (a second charge or refund pointing at the same transaction) is parked with
 * the reason instead of booking the money a second time. When Stripe leaves `source` null, the
 * object whose journal for it is already in Sage keeps it; before any is, the earliest stored
 * object (by created, then id) that names the transaction books it. Any other claimant is
 * parked the same way, so the money is never booked twice. (A new claimant has the others
 * planned again: engine/object-store.ts.)
 */
export function requireBalanceTransaction(
  field: string | StripeBalanceTransaction | null,
  owner: string,
  context: PlanningContext,
): StripeBalanceTransaction {
  if (field === null) {
    throw new PlanningError('waiting', `${owner} has no balance transaction yet; its fees are booked once Stripe settles it`);
  }
  const bt = typeof field === 'string' ? context.balanceTransaction(field) : field;
  if (!bt) throw new PlanningError('waiting', `balance transaction ${String(field)} of ${owner} has not been read yet`);
  const source = sourceId(bt);
  if (source !== null && source !== owner) {
    throw new BalanceTransactionClaimed(
      bt.id,
      `${owner} names balance transaction ${bt.id}, but Stripe records that transaction as ${source}'s; it is booked once, with ${source}, so ${owner} is not booked (check the object in Stripe)`,
    );
  }
  if (source === null) {
    const booker = context.balanceTransactionBookedBy(bt.id);
    if (booker !== null && booker !== owner) {
      throw new BalanceTransactionClaimed(
        bt.id,
        `${owner} names balance transaction ${bt.id}, which ${booker} already booked in Sage (Stripe gives the transaction no source; it is booked once, with the object whose journal is in Sage), so ${owner} is not booked (check the object in Stripe)`,
      );
    }
    const first = context.balanceTransactionClaimants(bt.id)[0];
    if (booker === null && first !== undefined && first !== owner) {
      throw new BalanceTransactionClaimed(
        bt.id,
        `${owner} names balance transaction ${bt.id}, which ${first} already claims (Stripe gives the transaction no source; the earliest object naming it books it), so ${owner} is not booked (check the object in Stripe)`,
      );
    }
  }
  return bt;
}

export function optionalBalanceTransaction(
  field: string | StripeBalanceTransaction | null,
  owner: string,
  context: PlanningContext,
): StripeBalanceTransaction | null {
  return field === null ? null : requireBalanceTransaction(field, owner, context);
}

function sourceId(bt: StripeBalanceTransaction): string | null {
  const source: unknown = bt.source;
  if (typeof source === 'string') return source;
  if (source !== null && typeof source === 'object' && typeof (source as { id?: unknown }).id === 'string') return (source as { id: string }).id;
  return null;
}
