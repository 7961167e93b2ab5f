import { fromStripeMinor, type SageAmount } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import { arrivalDate } from '../posting/payout-plan.js';
import { ruleFor } from '../posting/balance-transaction-rules.js';
import type { StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';
import { businessDate, type BusinessDate } from '../time/business-date.js';

/**
 * What Stripe held at the go-live cutover (the start of the go-live date in the company's time
 * zone). Activity dated before go-live is in Sage as the bookkeeper keyed it and is never
 * written by the sync (engine/go-live.ts), so one opening-balance journal dated at the cutover
 * puts Stripe's state at that moment on the clearing and payouts-in-transit accounts, and from
 * then on the sync's journals keep them equal to Stripe's balance and payouts on their way:
 *
 *   clearing   = Stripe's balance before the first transaction read + Σ net of the transactions dated before go-live
 *   in transit = Σ payouts created before go-live that had neither arrived nor failed before it
 */

export interface Cutover {
  goLiveDate: BusinessDate;
  timeZone: string;
}

export interface OpeningAtCutover {
  clearing: SageAmount;
  inTransit: SageAmount;
  /** How many of Stripe's transactions and payouts the amounts are made of. */
  transactions: number;
  payoutsInTransit: number;
}

export function isBeforeGoLive(bt: Pick<StripeBalanceTransaction, 'created'>, cutover: Cutover): boolean {
  return businessDate(bt.created, cutover.timeZone) < cutover.goLiveDate;
}

/** The payout's amount still on its way at the cutover, given its own and failure transactions as Stripe holds them. */
export function inTransitAtCutover(payout: StripePayout, own: StripeBalanceTransaction | null, failure: StripeBalanceTransaction | null, cutover: Cutover, home: string): SageAmount {
  if (own === null || !isBeforeGoLive(own, cutover)) return 0n;
  const arrivedBefore = payout.status === 'paid' && arrivalDate(payout, cutover.timeZone) < cutover.goLiveDate;
  const failedBefore = failure !== null && isBeforeGoLive(failure, cutover);
  return arrivedBefore || failedBefore ? 0n : fromStripeMinor(payout.amount, home);
}

export function openingAtCutover(input: {
  /** Stripe's balance before the first transaction the backfill read (the balance proof's opening). */
  preWindow: SageAmount;
  transactions: readonly StripeBalanceTransaction[];
  payouts: readonly StripePayout[];
  homeCurrency: string;
  cutover: Cutover;
}): OpeningAtCutover {
  const home = normaliseCurrency(input.homeCurrency);
  const before = input.transactions.filter((bt) => countsBeforeGoLive(bt, home, input.cutover));
  return openingFromParts({
    preWindow: input.preWindow,
    beforeGoLive: { net: before.reduce((sum, bt) => sum + fromStripeMinor(bt.net, home), 0n), transactions: before.length },
    payouts: input.payouts,
    transactionById: new Map(input.transactions.map((bt) => [bt.id, bt])),
    homeCurrency: home,
    cutover: input.cutover,
  });
}

/** A transaction Stripe's balance counts (in the home currency, not outside it) dated before go-live. */
export function countsBeforeGoLive(bt: StripeBalanceTransaction, home: string, cutover: Cutover): boolean {
  return ruleFor(bt).kind !== 'outside' && normaliseCurrency(bt.currency) === home && isBeforeGoLive(bt, cutover);
}

/**
 * The opening at the cutover from what a single pass over the transactions gathered (the
 * balance proof streams them): the net of those dated before go-live, and the payouts' own
 * and failure transactions by id.
 */
export function openingFromParts(input: {
  preWindow: SageAmount;
  beforeGoLive: { net: SageAmount; transactions: number };
  payouts: readonly StripePayout[];
  transactionById: ReadonlyMap<string, StripeBalanceTransaction>;
  homeCurrency: string;
  cutover: Cutover;
}): OpeningAtCutover {
  const home = normaliseCurrency(input.homeCurrency);
  let inTransit = 0n;
  let payoutsInTransit = 0;
  for (const payout of input.payouts) {
    if (normaliseCurrency(payout.currency) !== home) continue;
    const amount = inTransitAtCutover(
      payout,
      transactionOf(payout.balance_transaction, input.transactionById),
      transactionOf(payout.failure_balance_transaction, input.transactionById),
      input.cutover,
      home,
    );
    if (amount === 0n) continue;
    inTransit += amount;
    payoutsInTransit++;
  }
  return { clearing: input.preWindow + input.beforeGoLive.net, inTransit, transactions: input.beforeGoLive.transactions, payoutsInTransit };
}

export function transactionOf(field: string | StripeBalanceTransaction | null | undefined, byId: ReadonlyMap<string, StripeBalanceTransaction>): StripeBalanceTransaction | null {
  if (field === null || field === undefined) return null;
  return typeof field === 'string' ? (byId.get(field) ?? null) : field;
}
