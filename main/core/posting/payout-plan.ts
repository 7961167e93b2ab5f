import { formatSageAmount } from '../money/sage-amount.js';
import type { JournalDocument } from '../sage/documents.js';
import type { StripePayout } from '../stripe/objects.js';
import { businessDate, type BusinessDate } from '../time/business-date.js';
import { balanceTransactionLines, postComment, settlementAmount } from './balance-transaction-journal.js';
import { optionalBalanceTransaction } from './expand.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';

/**
 * A payout moves money in two steps, as Stripe does (https://docs.stripe.com/payouts): Stripe
 * takes it out of the balance when it creates the payout (its `payout` balance transaction),
 * and the bank receives it on `arrival_date`. So the sync books it in two journals:
 *
 *   created  (the payout's balance transaction, on its business day):
 *            payouts in transit +amount · clearing +net · fee lines (instant payouts)
 *   arrived  (once Stripe reports it paid and the tie-out passed, on the arrival date):
 *            bank +amount · payouts in transit −amount
 *
 * and a failed or canceled payout's `failure_balance_transaction` returns the money to
 * clearing on the day Stripe reports it, from in transit, or from the bank when the arrival
 * journal was already booked (Stripe can fail a payout after marking it paid). The clearing
 * account then equals Stripe's balance at every moment, and in transit equals the payouts on
 * their way (reconciliation/balance-proof.ts).
 */

export interface PayoutPlanOptions {
  /** Plan the arrival journal (the engine passes true only after the payout's tie-out passed). */
  withArrival?: boolean;
}

export function arrivalJournalKey(payoutId: string): string {
  return `${payoutId}:arrived`;
}

/** The key of the payout's journal of creation: the payout and its balance transaction, or null while Stripe has given it none. */
export function creationJournalKey(payout: Pick<StripePayout, 'id' | 'balance_transaction'>): string | null {
  const bt = payout.balance_transaction;
  if (bt === null) return null;
  return `${payout.id}:${typeof bt === 'string' ? bt : bt.id}`;
}

/**
 * The day the bank receives the payout. Stripe's `arrival_date` ("Date that you can expect the
 * payout to arrive in the bank", https://docs.stripe.com/api/payouts/object) is a date carried
 * as a Unix timestamp: midnight UTC of that day for standard payouts, so its UTC calendar date
 * is the bank's date (read in a company time zone west of UTC it would be the day before). An
 * instant payout's arrival is a moment, which is a business day in the company's time zone.
 */
export function arrivalDate(payout: Pick<StripePayout, 'arrival_date'>, timeZone: string): BusinessDate {
  return payout.arrival_date % SECONDS_PER_DAY === 0 ? new Date(payout.arrival_date * 1000).toISOString().slice(0, 10) : businessDate(payout.arrival_date, timeZone);
}

const SECONDS_PER_DAY = 86_400;

export function planPayout(payout: StripePayout, context: PlanningContext, options: PayoutPlanOptions = {}): JournalDocument[] {
  const bt = optionalBalanceTransaction(payout.balance_transaction, payout.id, context);
  if (!bt) return [];
  const { accounts, timeZone } = context.mapping;
  const documents = [
    journalDocument({
      key: creationJournalKey(payout)!,
      postDate: businessDate(bt.created, timeZone),
      stripeObjectId: payout.id,
      description: `Stripe payout ${payout.id} in transit`,
      lines: balanceTransactionLines({ bt, counterAccount: accounts.payoutsInTransit, mapping: context.mapping, label: `${payout.id} in transit` }),
    }),
  ];
  // A payout Stripe failed after marking it paid keeps the arrival journal that was booked for it.
  const arrived = payout.status === 'paid' ? (options.withArrival ?? true) : context.payoutArrivalBooked(payout.id);
  if (arrived) {
    // The bank receives what went into transit: the payout's gross, without the fee of an instant payout.
    const amount = -settlementAmount(bt, 'amount', context.mapping);
    documents.push(
      journalDocument({
        key: arrivalJournalKey(payout.id),
        postDate: arrivalDate(payout, timeZone),
        stripeObjectId: payout.id,
        description: `Stripe payout ${payout.id}`,
        lines: [
          { acctNo: accounts.bank, amount: formatSageAmount(amount), comment: postComment(`${payout.id} arrived`), traceId: bt.id },
          { acctNo: accounts.payoutsInTransit, amount: formatSageAmount(-amount), comment: postComment(`${payout.id} arrived`), traceId: bt.id },
        ],
      }),
    );
  }
  const failure = optionalBalanceTransaction(payout.failure_balance_transaction, payout.id, context);
  if (failure) {
    const from = arrived ? accounts.bank : accounts.payoutsInTransit;
    documents.push(
      journalDocument({
        key: `${payout.id}:${failure.id}`,
        postDate: businessDate(failure.created, timeZone),
        stripeObjectId: payout.id,
        description: `Stripe payout ${payout.id} ${payout.status}`,
        lines: balanceTransactionLines({ bt: failure, counterAccount: from, mapping: context.mapping, label: `${payout.id} ${payout.status}` }),
      }),
    );
  }
  return documents;
}
