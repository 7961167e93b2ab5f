import { arrivalDate, planPayout } from '../posting/payout-plan.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { provePayout } from '../reconciliation/payout-proof.js';
import type { SageDocument } from '../sage/documents.js';
import type { StripePayout } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';
import { isBeforeGoLiveReason } from './go-live.js';
import { isBeforeGoLive } from '../reconciliation/cutover.js';
import { storedPayoutItems } from './stored-payout-items.js';

/**
 * A payout's journal of creation (clearing → payouts in transit) is planned as soon as Stripe
 * has created it, so clearing follows Stripe's balance; its arrival journal (in transit → bank)
 * only once Stripe reports it paid and its proof passes (reconciliation/payout-proof.ts):
 * Stripe's list adds up, every transaction is booked, and the clearing account nets to zero
 * for it (or, for manual and instant payouts, the booked clearing balance covers it). Until
 * then the payout carries a 'waiting' issue in plain words and stays unsettled, so it is
 * proved again on every run until the cause clears. Transactions in the payout that belong to
 * no object we sync (reserves, adjustments, standalone fees) are booked from the transaction
 * itself by the spine (balance-transaction-spine.ts) before payouts are planned. Manual
 * payouts cannot be itemised: they rely on the running clearing balance here and on the
 * balance proof (reconciliation/balance-proof.ts) after the run.
 */
export interface PayoutPlanning {
  documents: SageDocument[];
  /** Why the arrival journal is not planned yet, or null. */
  waiting: string | null;
}

export function planPayoutAfterTieOut(context: RunContext, payout: StripePayout, planning: PlanningContext): PayoutPlanning {
  if (payout.status === 'failed' || payout.status === 'canceled') return { documents: planPayout(payout, planning), waiting: null };
  if (payout.status !== 'paid') {
    return {
      documents: planPayout(payout, planning, { withArrival: false }),
      waiting: `payout ${payout.id} is ${payout.status.replace('_', ' ')}: it is booked to payouts in transit ${planning.mapping.accounts.payoutsInTransit}, and to the bank once Stripe marks it paid (expected ${arrivalDate(payout, planning.mapping.timeZone)}). Nothing to do: it is retried on every sync.`,
    };
  }
  const items = storedPayoutItems(context.ledger, payout.id);
  const goLiveDate = context.options.goLiveDate;
  const ownTransaction = typeof payout.balance_transaction === 'string' ? payout.balance_transaction : (payout.balance_transaction?.id ?? '');
  const proof = provePayout({
    payout,
    items,
    clearingAccount: planning.mapping.accounts.clearing,
    timeZone: planning.mapping.timeZone,
    isBooked: (bt) => (items ? items.isBooked(bt.id) : context.ledger.documents.isTraceBooked(bt.id)),
    sourceIssue: (objectId) => sourceProblem(context, objectId),
    clearingLinesTracing: (traceIds) => context.ledger.reconciliation.linesOnAccountTracing(planning.mapping.accounts.clearing, traceIds),
    clearingAmountsUpToPayout: () => context.ledger.reconciliation.writtenAmountsOnAccountUpTo(planning.mapping.accounts.clearing, payout.created, ownTransaction),
    // Paying out activity from before go-live: that part is on clearing through the opening-balance journal.
    heldByOpeningBalance: goLiveDate ? (bt) => isBeforeGoLive(bt, { goLiveDate, timeZone: planning.mapping.timeZone }) : undefined,
  });
  if (!proof.ok) return { documents: planPayout(payout, planning, { withArrival: false }), waiting: `${proof.explanation}. ${proof.action}` };
  return { documents: planPayout(payout, planning), waiting: null };
}

/** Why a source is not in Sage: its planning issue, a document Sage refused, or a document still queued. */
function sourceProblem(context: RunContext, objectId: string): string | null {
  const issue = context.ledger.objects.objectIssue(objectId);
  if (issue) return issue.message;
  const documents = context.ledger.documents.documentsForObject(objectId);
  const refused = documents.find((doc) => doc.state === 'failed' || doc.state === 'dead');
  if (refused) return `Sage refused its journal: ${refused.lastError ?? 'see the Errors view'}`;
  if (documents.some((doc) => doc.state === 'planned' || doc.state === 'writing')) return 'its journal is waiting to be written';
  const skipped = documents.find((doc) => doc.state === 'skipped');
  if (skipped && isBeforeGoLiveReason(skipped.skipReason)) return 'it is dated before go-live, so it is in Sage as keyed by hand, not written by the sync';
  if (skipped) return 'its journal was skipped by a user';
  return null;
}
