import type { DriftFinding } from '../ports/ledger.js';
import type { StripeBalanceTransaction, StripeCharge, StripePayout } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { sourceId } from './tie-out.js';

/**
 * What "drift" between Stripe, the ledger and Sage means, as pure decisions over facts the
 * engine already has. Each finding says what is wrong and what to do (or that it fixes
 * itself). Grace periods keep ordinary lag out: a transaction is only drift once it has had
 * a day to be booked, a payout once it has had a day past its arrival to be reconciled.
 */

/** Stripe usually settles a charge within minutes; a day without its transaction is not lag any more. */
export const CHARGE_FEES_GRACE_SECONDS = 24 * 3600;
/** A booked-in-time transaction is written in the run after it is seen. */
export const TRANSACTION_GRACE_SECONDS = 24 * 3600;
/** Stripe completes reconciliation of an automatic payout about a day after it is paid. */
export const PAYOUT_GRACE_SECONDS = 24 * 3600;

export interface DriftFacts {
  nowSeconds: number;
  timeZone: string;
  unbookedTransactions(createdBefore: number): Iterable<StripeBalanceTransaction>;
  changedAfterWriting(): Iterable<{ docKey: string; objectId: string; difference: string }>;
  payoutsNotBookedAfterArrival(arrivedBefore: number): Iterable<StripePayout>;
  chargesWithoutBookedFees(createdBefore: number): Iterable<StripeCharge>;
  /** The planning problem recorded on an object, if any. */
  issueOf(objectId: string): string | null;
}

/**
 * The findings one at a time, as the facts come: the facts may be long lists (every unbooked
 * transaction of a ledger that has not written yet), and neither they nor the findings are
 * held whole.
 */
export function* findDrift(facts: DriftFacts): Generator<DriftFinding> {
  const { nowSeconds } = facts;
  for (const bt of facts.unbookedTransactions(nowSeconds - TRANSACTION_GRACE_SECONDS)) {
    // A payout's own transaction is booked by the payout journal: the payout check covers it.
    if (bt.type === 'payout') continue;
    const owner = sourceId(bt);
    const issue = owner ? facts.issueOf(owner) : null;
    yield {
      kind: 'transaction-not-in-sage',
      objectId: bt.id,
      message: `balance transaction ${bt.id} (${bt.reporting_category.replace(/_/g, ' ')}${owner ? ` of ${owner}` : ''}, ${day(bt.created, facts)}) has no journal in Sage${issue ? `: ${issue}` : ''}`,
      hint: issue
        ? 'Fix the problem on that record (Errors view) and retry it; the transaction is booked with it.'
        : 'Nothing to do if it belongs to a payout Stripe has not reconciled yet: it is booked with the payout. Otherwise run a sync; if it stays, retry the record.',
    };
  }
  for (const change of facts.changedAfterWriting()) {
    yield {
      kind: 'object-changed-after-writing',
      objectId: change.objectId,
      message: `${change.objectId} changed in Stripe after journal ${change.docKey} was written to Sage: ${change.difference}`,
      hint: 'A written journal is never changed. Compare it with the object in the Stripe Dashboard and correct the difference with a journal in Sage if it is real.',
    };
  }
  for (const payout of facts.payoutsNotBookedAfterArrival(nowSeconds - PAYOUT_GRACE_SECONDS)) {
    const issue = facts.issueOf(payout.id);
    yield {
      kind: 'payout-unreconciled-after-arrival',
      objectId: payout.id,
      message: `payout ${payout.id} arrived on ${day(payout.arrival_date, facts)} and is still not reconciled in Sage${issue ? `: ${issue}` : ''}`,
      hint: issue ? 'The reason above says what to do; the payout is proved again on every sync.' : 'Run a sync: the payout is proved again on every sync.',
    };
  }
  for (const charge of facts.chargesWithoutBookedFees(nowSeconds - CHARGE_FEES_GRACE_SECONDS)) {
    const issue = facts.issueOf(charge.id);
    yield {
      kind: 'charge-without-fees',
      objectId: charge.id,
      message:
        charge.balance_transaction === null
          ? `charge ${charge.id} (${day(charge.created, facts)}) succeeded but Stripe has shown no balance transaction for it, so its fees are unknown`
          : `charge ${charge.id} (${day(charge.created, facts)}) succeeded but its sale and fees are not in Sage${issue ? `: ${issue}` : ''}`,
      hint:
        charge.balance_transaction === null
          ? 'Nothing to do: the straggler sweep re-reads it and books it with its exact fees when Stripe settles it. If it stays for days, check the charge in the Stripe Dashboard.'
          : 'Fix the problem on the charge (Errors view) and retry it.',
    };
  }
}

function day(unixSeconds: number, facts: DriftFacts): string {
  return businessDate(unixSeconds, facts.timeZone);
}
