import type { StripeBalance } from '../../core/stripe/objects.js';
import type { SimulatorStore } from './store.js';

/**
 * `GET /v1/balance` as Stripe documents the Balance object
 * (https://docs.stripe.com/api/balance/balance_object): `available` are funds Stripe can pay
 * out, `pending` funds not available yet, one entry per currency. Both are the net of the
 * account's balance transactions on the payments balance (`balance_type: payments`), split
 * by whether each transaction's `available_on` has passed at `now`.
 */
export function summariseBalance(store: SimulatorStore, now: number): StripeBalance {
  const available = new Map<string, number>();
  const pending = new Map<string, number>();
  for (const bt of store.collections.balance_transaction.all()) {
    if (bt.created > now || (bt.balance_type !== undefined && bt.balance_type !== 'payments')) continue;
    const bucket = bt.available_on <= now ? available : pending;
    bucket.set(bt.currency, (bucket.get(bt.currency) ?? 0) + bt.net);
  }
  const currencies = [...new Set([...available.keys(), ...pending.keys()])].sort();
  return {
    object: 'balance',
    available: currencies.map((currency) => ({ amount: available.get(currency) ?? 0, currency })),
    pending: currencies.map((currency) => ({ amount: pending.get(currency) ?? 0, currency })),
    livemode: false,
  };
}
