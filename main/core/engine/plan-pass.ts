import { sageCustIdFor } from '../customers/customer-id.js';
import { planCustomer, type CustomerResolution } from '../customers/customer-plan.js';
import type { Mapping } from '../mapping/mapping.js';
import { balanceTransactionLines } from '../posting/balance-transaction-journal.js';
import { journalDocument } from '../posting/journal-document.js';
import { planMoneyObject } from '../posting/plan-object.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { PlanningError } from '../posting/planning-error.js';
import type { StoredObject } from '../ports/ledger.js';
import { proveTieOut, sourceId } from '../reconciliation/tie-out.js';
import type { SageDocument } from '../sage/documents.js';
import { ID_PREFIX, type StripeBalanceTransaction, type StripeCustomer, type StripePayout } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import type { RunContext } from './engine-context.js';

/**
 * Turns changed objects into planned documents with the current mapping. Objects that must
 * wait (a charge without its balance transaction, a payout whose tie-out has not passed)
 * stay unplanned and are looked at again next pass; objects that cannot be booked get an
 * issue recorded on them, and the rest keep flowing.
 */

const PAGE = 500;

export async function planChangedObjects(
  context: RunContext,
  mapping: { version: number; mapping: Mapping },
  which: 'all-but-payouts' | 'payouts',
): Promise<number> {
  const planning = planningContext(context, mapping.mapping);
  const version = mapping.version;
  let planned = 0;
  let after: { created: number; id: string } | null = null;
  for (;;) {
    const page = context.ledger.objectsToPlan(PAGE, after);
    if (page.length === 0) return planned;
    const done: string[] = [];
    for (const stored of page) {
      if ((stored.kind === 'payout') !== (which === 'payouts')) continue;
      try {
        const documents = await planStored(context, stored, planning, version);
        context.ledger.savePlan(stored.id, documents, mapping.version, context.options.shadowMode ? 'shadow' : 'planned');
        context.ledger.setObjectIssue({ objectId: stored.id, errorClass: null });
        done.push(stored.id);
        planned += documents.length;
      } catch (error) {
        if (!(error instanceof PlanningError) && !(error instanceof Error)) throw error;
        const errorClass = error instanceof PlanningError ? error.errorClass : 'data';
        context.ledger.setObjectIssue({ objectId: stored.id, errorClass, message: error.message });
        if (errorClass !== 'waiting') done.push(stored.id);
      }
    }
    context.ledger.markPlanned(done);
    const last = page[page.length - 1]!;
    after = { created: last.created, id: last.id };
    context.emit({ type: 'progress', progress: { phase: 'planning', kind: null, done: planned, total: null } });
  }
}

function planningContext(context: RunContext, mapping: Mapping): PlanningContext {
  return {
    mapping,
    invoiceForCharge: (id) => context.ledger.invoiceForCharge(id),
    creditNoteForRefund: (id) => context.ledger.creditNoteForRefund(id),
    balanceTransaction: (id) => context.ledger.getBalanceTransaction(id),
  };
}

async function planStored(context: RunContext, stored: StoredObject, planning: PlanningContext, version: number): Promise<SageDocument[]> {
  const object = stored.object;
  if (object.object === 'customer') return planCustomer(object, await resolveCustomer(context, object, planning.mapping), planning.mapping);
  if (object.object === 'payout') return planPayoutAfterTieOut(context, object, planning, version);
  return planMoneyObject(object, planning);
}

/** Sage CustID from Stripe metadata, else a Sage customer with the same e-mail, else a new one. */
async function resolveCustomer(context: RunContext, customer: StripeCustomer, mapping: Mapping): Promise<CustomerResolution> {
  const fromMetadata = customer.metadata?.[mapping.customers.metadataKey]?.trim();
  if (fromMetadata) {
    const match = await context.sage.findCustomer({ custId: fromMetadata });
    if (match) return { kind: 'existing', custId: match.custId, matchedBy: 'metadata' };
  }
  if (mapping.customers.matchByEmail && customer.email) {
    const match = await context.sage.findCustomer({ email: customer.email });
    if (match) return { kind: 'existing', custId: match.custId, matchedBy: 'email' };
  }
  if (!mapping.customers.createMissing) {
    throw new PlanningError('data', `no Sage customer matches Stripe customer ${customer.id} and creating customers is turned off in the mapping`);
  }
  return { kind: 'create', custId: sageCustIdFor(customer.id, mapping.customers.idPrefix) };
}

/**
 * A payout is planned only once its tie-out proof passes. Transactions in the payout that
 * belong to no object we sync (reserves, adjustments, standalone fees) are booked from the
 * transaction itself first, so the proof can pass on the next pass.
 */
function planPayoutAfterTieOut(context: RunContext, payout: StripePayout, planning: PlanningContext, version: number): SageDocument[] {
  if (payout.status === 'failed' || payout.status === 'canceled') return planMoneyObject(payout, planning);
  const items = context.ledger.payoutItems(payout.id);
  if (items) {
    const standalone = items.filter((bt) => !isOwnTransaction(bt, payout) && !hasSyncedSource(bt));
    for (const bt of standalone) {
      context.ledger.savePlan(bt.id, [standaloneJournal(bt, planning.mapping)], version, context.options.shadowMode ? 'shadow' : 'planned');
    }
  }
  const proof = proveTieOut({
    payout,
    items,
    isBooked: (bt) => context.ledger.getDocument(`${sourceId(bt) ?? bt.id}:${bt.id}`)?.state === 'written',
  });
  if (!proof.ok) throw new PlanningError('waiting', `${proof.explanation}. ${proof.action}`);
  return planMoneyObject(payout, planning);
}

function isOwnTransaction(bt: StripeBalanceTransaction, payout: StripePayout): boolean {
  return bt.type === 'payout' && sourceId(bt) === payout.id;
}

/** Non-card payments (py_) and their refunds (pyr_) are listed by Stripe as charges and refunds. */
const SYNCED_SOURCE_PREFIXES = [...Object.values(ID_PREFIX), 'py_', 'pyr_'];

function hasSyncedSource(bt: StripeBalanceTransaction): boolean {
  const source = sourceId(bt);
  return source !== null && SYNCED_SOURCE_PREFIXES.some((prefix) => source.startsWith(prefix));
}

function standaloneJournal(bt: StripeBalanceTransaction, mapping: Mapping): SageDocument {
  const counter = bt.reporting_category === 'fee' ? mapping.accounts.fees.default! : mapping.accounts.adjustments;
  return journalDocument({
    key: `${sourceId(bt) ?? bt.id}:${bt.id}`,
    postDate: businessDate(bt.created, mapping.timeZone),
    stripeObjectId: bt.id,
    description: `Stripe ${bt.reporting_category.replace(/_/g, ' ')} ${bt.id}`,
    lines: balanceTransactionLines({ bt, counterAccount: counter, mapping, label: `${bt.id} ${bt.reporting_category}` }),
  });
}
