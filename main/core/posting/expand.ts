import type { StripeBalanceTransaction } from '../stripe/objects.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';

/** Resolves an expandable balance transaction field to the object, or says we must wait. */
export function requireBalanceTransaction(
  field: string | StripeBalanceTransaction | null,
  owner: string,
  context: PlanningContext,
): StripeBalanceTransaction {
  if (field === null) {
    throw new PlanningError('waiting', `${owner} has no balance transaction yet; its fees are booked once Stripe settles it`);
  }
  if (typeof field !== 'string') return field;
  const bt = context.balanceTransaction(field);
  if (!bt) throw new PlanningError('waiting', `balance transaction ${field} of ${owner} has not been read yet`);
  return bt;
}

export function optionalBalanceTransaction(
  field: string | StripeBalanceTransaction | null,
  owner: string,
  context: PlanningContext,
): StripeBalanceTransaction | null {
  return field === null ? null : requireBalanceTransaction(field, owner, context);
}
