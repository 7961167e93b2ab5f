import type { Mapping } from '../mapping/mapping.js';
import { planWithRules } from '../rules/plan-with-rules.js';
import { arrivalJournalKey } from '../posting/payout-plan.js';
import type { PlanningContext } from '../posting/planning-context.js';
import type { Ledger, StoredObject } from '../ports/ledger.js';
import type { StripeCharge, StripePayout } from '../stripe/objects.js';
import { findDrift } from '../reconciliation/drift.js';
import type { RunContext } from './engine-context.js';
import { ledgerPlanningContext } from './ledger-planning-context.js';

/**
 * Runs the drift checks at the end of a sync run and stores what they find, replacing the
 * previous run's findings; returns how many. The facts come from the ledger's drift lists,
 * brought up to date first from what changed since the last check (so a check's cost follows
 * that, not the ledger's history), a page at a time; each finding is stored as it is found, so
 * memory does not grow with the ledger either. Deciding what is drift is the pure
 * reconciliation/drift.ts.
 */
export function checkDrift(context: RunContext): number {
  const mapping = context.ledger.mappings.currentMapping();
  if (!mapping) return 0;
  context.ledger.reconciliation.bringDriftListsUpToDate();
  const findings = findDrift({
    nowSeconds: context.nowSeconds(),
    timeZone: mapping.mapping.timeZone,
    unbookedTransactions: (before) => context.ledger.reconciliation.balanceTransactionsNotBooked(before),
    changedAfterWriting: () => changedJournals(context.ledger, mapping.mapping),
    payoutsNotBookedAfterArrival: (before) => context.ledger.reconciliation.paidPayoutsNotBookedAfterArrival(before).map((stored) => stored.object as StripePayout),
    chargesWithoutBookedFees: (before) => objectsOf<StripeCharge>(context.ledger.reconciliation.chargesWithoutBookedFees(before)),
    issueOf: (objectId) => context.ledger.objects.objectIssue(objectId)?.message ?? null,
  });
  return context.ledger.reconciliation.replaceDriftFindings(findings);
}

function* objectsOf<T>(stored: Iterable<StoredObject>): Generator<T> {
  for (const entry of stored) yield entry.object as T;
}

/**
 * Written journals whose Stripe object changed afterwards, and whose plan from the object as it
 * is now differs from what was written (a changed object that still plans the same journal, a
 * refunded charge for instance, is no drift: the refund books itself).
 */
/**
 * A payout the release before payouts in transit booked in one journal, clearing → bank: ledger
 * migration 6 recorded its arrival as written with no lines of its own
 * (adapters/ledger/migration-one-step-payout-journals.ts). Planned today it gives two other
 * journals than the one Sage holds, by design, not because Stripe changed it.
 */
function bookedInOneJournal(ledger: Ledger, payoutId: string): boolean {
  const arrival = ledger.documents.getDocument(arrivalJournalKey(payoutId));
  return arrival?.state === 'written' && arrival.document.type === 'journal' && arrival.document.lines.length === 0;
}

function* changedJournals(ledger: Ledger, mapping: Mapping): Generator<{ docKey: string; objectId: string; difference: string }> {
  const planning: PlanningContext = ledgerPlanningContext(ledger, mapping);
  for (const written of ledger.reconciliation.writtenJournalsOfChangedObjects()) {
    const stored = ledger.objects.getObject(written.stripeObjectId);
    if (!stored || written.document.type !== 'journal') continue;
    // A payment booked as an AR cash receipt was matched against Sage's open invoices when it was
    // planned (ar-payment-step.ts); planning again from the ledger alone cannot reproduce that form.
    if (ledger.documents.documentsForObject(stored.id).some((document) => document.document.type === 'journal' && document.document.arReceipt)) continue;
    if (stored.kind === 'payout' && bookedInOneJournal(ledger, stored.id)) continue;
    let replanned;
    try {
      replanned = planWithRules(stored.object, planning).find((document) => document.key === written.docKey);
    } catch (error) {
      yield { docKey: written.docKey, objectId: stored.id, difference: `it can no longer be planned: ${error instanceof Error ? error.message : String(error)}` };
      continue;
    }
    if (!replanned || replanned.type !== 'journal') {
      yield { docKey: written.docKey, objectId: stored.id, difference: 'the object as it is now would not produce this journal' };
    } else if (JSON.stringify(replanned.lines) !== JSON.stringify(written.document.lines)) {
      yield { docKey: written.docKey, objectId: stored.id, difference: 'its journal lines would now differ from the ones written' };
    }
  }
}
