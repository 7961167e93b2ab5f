import type { AnySyncedObject, StripeBalanceTransaction } from '../stripe/objects.js';

/**
 * Objects are stored with their balance transactions as ids, and the transactions in a table
 * of their own, whether or not the request expanded them. That keeps an object's stored
 * body (and so its change hash) the same however it was read, and lets a payout's listing
 * and a charge's listing share one copy of each transaction.
 */
export function splitExpandedBalanceTransactions(object: AnySyncedObject): {
  object: AnySyncedObject;
  balanceTransactions: StripeBalanceTransaction[];
} {
  const balanceTransactions: StripeBalanceTransaction[] = [];
  const take = (field: unknown): unknown => {
    if (field !== null && typeof field === 'object' && (field as { object?: unknown }).object === 'balance_transaction') {
      balanceTransactions.push(field as StripeBalanceTransaction);
      return (field as StripeBalanceTransaction).id;
    }
    return field;
  };
  switch (object.object) {
    case 'charge': {
      const charge = { ...object, balance_transaction: take(object.balance_transaction) as string | null };
      if (object.failure_balance_transaction !== undefined) charge.failure_balance_transaction = take(object.failure_balance_transaction) as string | null;
      return { object: charge, balanceTransactions };
    }
    case 'refund':
    case 'payout':
      return {
        object: {
          ...object,
          balance_transaction: take(object.balance_transaction) as string | null,
          failure_balance_transaction: take(object.failure_balance_transaction ?? null) as string | null,
        },
        balanceTransactions,
      } as { object: AnySyncedObject; balanceTransactions: StripeBalanceTransaction[] };
    default:
      return { object, balanceTransactions };
  }
}
