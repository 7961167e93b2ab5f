import { planCustomer } from '../customers/customer-plan.js';
import { assertNoUpdateInFlight, currentSageCustomer, planCustomerUpdate, type CustomerDocumentState } from '../customers/customer-update.js';
import type { Mapping } from '../mapping/mapping.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { BalanceTransactionClaimed } from '../posting/balance-transaction-claimed.js';
import { PlanningError, type PlanningErrorClass } from '../posting/planning-error.js';
import { wantsSalesOrder } from '../posting/sales-order-plan.js';
import { customerMappingWithRules, planWithRules, salesOrderWithRules } from '../rules/plan-with-rules.js';
import type { StoredObject } from '../ports/ledger.js';
import { SageUnavailableError, SageWriteError } from '../ports/sage-target.js';
import type { ObjectIssue } from '../ports/stripe-object-ledger.js';
import type { CustomerDocument, JournalDocument, SageDocument } from '../sage/documents.js';
import type { StripeCustomer, SyncedKind } from '../stripe/objects.js';
import { applyArPayments } from './ar-payment-step.js';
import { resolveCustomer } from './customer-resolution.js';
import type { RunContext } from './engine-context.js';
import { JournalPlacement } from './journal-placement.js';
import { salesOrderCustId } from './order-customer.js';
import { planPayoutAfterTieOut } from './payout-planning.js';
import type { IntendedWriteBack } from './metadata-write-back.js';
import { ledgerPlanningContext } from './ledger-planning-context.js';
import { savePlanFromGoLive } from './go-live.js';
import { recordRuleSkips } from './rule-skips.js';
import { orderCustomerSkip, skippedCustomerDocument } from '../rules/customer-skip.js';
import type { RuleEffect } from '../sage/documents.js';
import { recordArCollectionSkips } from './ar-collection-skips.js';
import { recordSaleInChargeSkips } from './sale-in-charge.js';
import { EventLoopTurns } from './event-loop-turns.js';
import { BatchedPlanSaves } from './batched-plan-saves.js';
import { PageLookups } from './page-lookups.js';
import { PageCustomerLookups } from './page-customer-lookups.js';

/**
 * Turns changed objects into planned documents with the current mapping. Objects that must
 * wait (a charge without its balance transaction, a payout whose tie-out has not passed, a
 * day whose summary is not due) stay unplanned and are looked at again next pass; objects that
 * cannot be booked get an issue recorded on them, and the rest keep flowing.
 *
 * When the mapping version changes, every object whose documents are not written yet is
 * planned again with the new mapping (written documents are facts and stay as they are).
 *
 * Planning touches nothing outside the ledger: the Stripe metadata it wants written (a CustID
 * found by e-mail) is returned for the engine's write-back step.
 */

const PAGE = 500;
const PLANNED_MAPPING_CURSOR = 'mapping:planned-version';

export interface PlanPassResult {
  planned: number;
  writeBacks: IntendedWriteBack[];
}

/**
 * Which objects a pass plans: payouts only after the money they carry is written; customers
 * alone early in a backfill, as soon as their list is read (sync-engine.ts), so their Sage
 * writes and CustID write-backs start while the money is still being read.
 */
export type PlanPassObjects = 'all-but-payouts' | 'payouts' | 'customers';

const PASS_KIND: Record<PlanPassObjects, SyncedKind | undefined> = { 'all-but-payouts': undefined, payouts: 'payout', customers: 'customer' };

export async function planChangedObjects(context: RunContext, mapping: { version: number; mapping: Mapping }, which: PlanPassObjects): Promise<PlanPassResult> {
  const version = mapping.version;
  if (context.ledger.runs.getCursor(PLANNED_MAPPING_CURSOR) !== String(version)) {
    context.ledger.inTransaction(() => {
      context.ledger.documents.replanForMappingVersion(version);
      context.ledger.runs.setCursor(PLANNED_MAPPING_CURSOR, String(version));
    });
  }
  const lookups = new PageLookups(context.ledger);
  const customers = new PageCustomerLookups(context.sage);
  const planning = ledgerPlanningContext(context.ledger, mapping.mapping, lookups);
  const placement = new JournalPlacement(context.ledger, mapping.mapping, context.nowSeconds());
  const initialState = context.options.shadowMode ? 'shadow' : 'planned';
  const saveFromGoLive = (saves: BatchedPlanSaves, objectId: string, documents: readonly SageDocument[]) =>
    savePlanFromGoLive(saves, { objectId, documents, mappingVersion: version, initialState }, context.options.goLiveDate);
  let planned = 0;
  const writeBacks: IntendedWriteBack[] = [];
  let after: { created: number; id: string } | null = null;
  const turns = new EventLoopTurns(context.clock);
  for (;;) {
    const page = context.ledger.objects.objectsToPlan(PAGE, after, PASS_KIND[which]);
    if (page.length === 0) return { planned, writeBacks };
    lookups.startPage(page.map((stored) => stored.object));
    customers.startPage(page.map((stored) => stored.object), mapping.mapping);
    const outcomes: PlanOutcome[] = [];
    for (const stored of page) {
      if (which === 'all-but-payouts' && stored.kind === 'payout') continue;
      outcomes.push(await planOne(context, stored, planning, placement, customers));
      await turns.maybe();
    }
    const summaries = placement.takeChanges();
    // The page's results land in one ledger transaction.
    context.ledger.inTransaction(() => {
      const saves = new BatchedPlanSaves(context.ledger.documents);
      const issues: (ObjectIssue | { objectId: string; errorClass: null })[] = [];
      for (const outcome of outcomes) {
        if (outcome.documents) {
          saves.withdrawDocuments(outcome.withdraw);
          saveFromGoLive(saves, outcome.objectId, outcome.documents);
          recordRuleSkips(saves, outcome.documents);
          recordArCollectionSkips(saves, outcome.documents);
          recordSaleInChargeSkips(saves, outcome.documents);
          issues.push(outcome.issue === null ? { objectId: outcome.objectId, errorClass: null } : { objectId: outcome.objectId, ...outcome.issue });
          planned += outcome.documents.length;
          writeBacks.push(...outcome.writeBacks);
        } else {
          saves.withdrawDocuments(outcome.withdraw ?? []);
          issues.push({ objectId: outcome.objectId, errorClass: outcome.errorClass, message: outcome.message });
        }
      }
      saves.withdrawDocuments(summaries.withdraw);
      for (const summary of summaries.save) saveFromGoLive(saves, summary.key, [summary]);
      saves.flush();
      context.ledger.objects.setObjectIssues(issues);
      planned += summaries.save.length;
      context.ledger.objects.markPlanned(outcomes.filter(isSettled).map((outcome) => outcome.objectId));
    });
    lookups.endPage();
    const last = page[page.length - 1]!;
    after = { created: last.created, id: last.id };
    context.emit({ type: 'progress', progress: { phase: 'planning', kind: null, done: planned, total: null } });
  }
}

interface Issue {
  errorClass: PlanningErrorClass;
  message: string;
}

/** Documents that could be planned, with an issue on the rest (a day not yet summarised, an order without customer). */
type PlanOutcome =
  | { objectId: string; documents: SageDocument[]; withdraw: string[]; issue: Issue | null; writeBacks: IntendedWriteBack[] }
  | ({ objectId: string; documents: null; withdraw?: string[] } & Issue);

/** Planned for good: not waiting for Stripe, for a tie-out, for a customer or for a day to end. */
function isSettled(outcome: PlanOutcome): boolean {
  return (outcome.documents ? outcome.issue?.errorClass : outcome.errorClass) !== 'waiting';
}

async function planOne(context: RunContext, stored: StoredObject, planning: PlanningContext, placement: JournalPlacement, customers: PageCustomerLookups): Promise<PlanOutcome> {
  try {
    const plan = await planStored(context, stored, planning, customers);
    const { withdraw, writeBacks, waiting } = plan;
    const ar = await applyArPayments(context, stored.object, planning, plan.documents);
    const documents = ar.documents;
    // The money is booked whatever happens to the order; an order problem is an issue of its own.
    const order = await planOrder(context, stored, planning);
    // A journal a rule skipped, an AR invoice or cash receipt and a Stripe invoice that collected a Sage invoice or was sold by its charge are documents of their own, never folded into a daily summary.
    const placeable = (document: SageDocument): document is JournalDocument =>
      document.type === 'journal' && document.skippedByRule === undefined && !document.arReceipt && !document.arCollection && !document.arInvoice && !document.saleInCharge;
    const journals = documents.filter(placeable);
    const placed = placement.place(stored.object.object, stored.id, journals);
    const others = documents.filter((document) => !placeable(document));
    const waits = [waiting ?? null, placed.waiting, ar.waiting].filter((message): message is string => message !== null);
    const issues = [order.issue, ...waits.map((message) => ({ errorClass: 'waiting' as const, message }))].filter((issue): issue is Issue => issue !== null);
    const issue =
      issues.length === 0
        ? null
        : { errorClass: issues.some((entry) => entry.errorClass === 'waiting') ? ('waiting' as const) : issues[0]!.errorClass, message: issues.map((entry) => entry.message).join('; ') };
    return {
      objectId: stored.id,
      documents: [...placed.own, ...others, ...order.documents],
      withdraw: [...placed.withdraw, ...withdraw, ...(ar.withdraw ?? [])],
      issue,
      writeBacks,
    };
  } catch (error) {
    return { objectId: stored.id, documents: null, ...issueOf(context, error), withdraw: error instanceof BalanceTransactionClaimed ? unwrittenTracing(context, stored.id, error.balanceTransactionId) : [] };
  }
}

/** The object's documents not in Sage yet that book this balance transaction. */
function unwrittenTracing(context: RunContext, objectId: string, balanceTransactionId: string): string[] {
  return context.ledger.documents
    .documentsForObject(objectId)
    .filter((stored) => !['written', 'writing', 'skipped'].includes(stored.state) && stored.document.type === 'journal' && stored.document.lines.some((line) => line.traceId === balanceTransactionId))
    .map((stored) => stored.docKey);
}

function issueOf(context: RunContext, error: unknown): Issue {
  if (!(error instanceof Error)) throw error;
  if (error instanceof PlanningError) return { errorClass: error.errorClass, message: error.message };
  // Sage could not be opened or was lost: as in the write pass, the run stops writing and fails
  // saying so, instead of "succeeded" with the record silently waiting (sage-when-needed.ts).
  if (error instanceof SageUnavailableError) context.sageUnavailable ??= error.message;
  // Sage unreachable while looking a customer up: plan again next run, never park the record.
  if (error instanceof SageWriteError && error.errorClass === 'transient') return { errorClass: 'waiting', message: error.message };
  return { errorClass: 'data', message: error.message };
}

async function planOrder(context: RunContext, stored: StoredObject, planning: PlanningContext): Promise<{ documents: SageDocument[]; issue: Issue | null }> {
  const object = stored.object;
  if ((object.object !== 'charge' && object.object !== 'invoice') || !wantsSalesOrder(object, planning)) return { documents: [], issue: null };
  try {
    // A customer a rule skips is never in Sage: the order is recorded as skipped by that rule.
    const skipped = orderCustomerSkip(object, planning);
    if (skipped) return { documents: salesOrderWithRules(object, skipped.custId, planning, skipped.rule), issue: null };
    return { documents: salesOrderWithRules(object, await salesOrderCustId(context, object, planning.mapping), planning), issue: null };
  } catch (error) {
    return { documents: [], issue: issueOf(context, error) };
  }
}

/** An object's documents, the unwritten documents of earlier plans they replace, and the Stripe metadata to write. */
interface StoredPlan {
  documents: SageDocument[];
  withdraw: string[];
  writeBacks: IntendedWriteBack[];
  /** Why the object waits for more of its documents (a payout in transit or not proved yet). */
  waiting?: string | null;
}

async function planStored(context: RunContext, stored: StoredObject, planning: PlanningContext, customers: PageCustomerLookups): Promise<StoredPlan> {
  const object = stored.object;
  if (object.object !== 'customer' && (object as { deleted?: boolean }).deleted === true) return withdrawUnwritten(context, stored.id);
  switch (object.object) {
    case 'customer':
      return planStoredCustomer(context, object, planning, customers);
    case 'payout':
      return { ...planPayoutAfterTieOut(context, object, planning), withdraw: [], writeBacks: [] };
    default:
      return { documents: planWithRules(object, planning), withdraw: [], writeBacks: [] };
  }
}

/**
 * An object deleted in Stripe (object-refresh.ts) books nothing: whatever was planned for it
 * and not written is withdrawn. Written documents stay (only objects that never moved money
 * can be deleted in Stripe, so there is nothing to reverse).
 */
function withdrawUnwritten(context: RunContext, objectId: string): StoredPlan {
  const unwritten = context.ledger.documents.documentsForObject(objectId).filter((stored) => !['written', 'writing', 'skipped'].includes(stored.state));
  return { documents: [], withdraw: unwritten.map((stored) => stored.docKey), writeBacks: [] };
}

/**
 * A customer we created is kept in step with Stripe: a change in a field Sage holds becomes an
 * update document (see customer-update.ts), and updates planned earlier but not written are
 * withdrawn, so only the newest state is sent. Otherwise the customer is resolved in Sage. A
 * match by e-mail gets its CustID written to the Stripe customer's metadata, so the next
 * look-up is by ID and the link shows in Stripe.
 */
async function planStoredCustomer(context: RunContext, customer: StripeCustomer, planning: PlanningContext, customers: PageCustomerLookups): Promise<StoredPlan> {
  // Business rules may give new customers their own class and CustID prefix.
  const ruled = customerMappingWithRules(customer, planning);
  if (ruled.skippedBy !== null) return skippedCustomer(context, customer, ruled.skippedBy, ruled.mapping, ruled.rules);
  const mapping = ruled.mapping;
  const withRules = (documents: CustomerDocument[]): CustomerDocument[] => (ruled.rules.length === 0 ? documents : documents.map((document) => ({ ...document, rules: ruled.rules })));
  const customerDocuments = context.ledger.documents
    .documentsForObject(customer.id)
    .flatMap((stored): CustomerDocumentState[] => (stored.document.type === 'customer' ? [{ document: stored.document, state: stored.state }] : []));
  const current = currentSageCustomer(customerDocuments);
  if (current) {
    assertNoUpdateInFlight(customer.id, customerDocuments);
    const documents: CustomerDocument[] = withRules(planCustomerUpdate(customer, current, mapping, await context.sage.unicodeCustomerFields()));
    const planned = new Set(documents.map((document) => document.key));
    const stale = customerDocuments
      .filter((stored) => stored.document.action === 'update' && stored.state !== 'written' && !planned.has(stored.document.key))
      .map((stored) => stored.document.key);
    return { documents, withdraw: stale, writeBacks: [] };
  }
  const resolution = await resolveCustomer(context, customer, mapping, customers);
  const metadataKey = mapping.customers.metadataKey;
  const writeBacks: IntendedWriteBack[] =
    resolution.kind === 'existing' &&
    resolution.matchedBy === 'email' &&
    customer.metadata?.[metadataKey] !== resolution.custId &&
    context.options.writeBackMetadata &&
    !context.options.shadowMode
      ? [
          {
            target: { path: 'customers', id: customer.id, key: metadataKey, value: resolution.custId, what: `Sage customer ${resolution.custId} (matched by e-mail)` },
            reason: `${customer.id}:email-match:${resolution.custId}`,
          },
        ]
      : [];
  return { documents: withRules(planCustomer(customer, resolution, mapping, await context.sage.unicodeCustomerFields())), withdraw: [], writeBacks };
}

/**
 * A customer a skip rule matches (core/rules/customer-skip.ts): no Sage look-up, no insert, no
 * e-mail match written back; its record is kept as skipped by the rule. One we created before
 * the rule existed stays in Sage as it is: no further updates, and unwritten ones are withdrawn.
 */
function skippedCustomer(context: RunContext, customer: StripeCustomer, rule: string, mapping: Mapping, rules: RuleEffect[]): StoredPlan {
  const existing = context.ledger.documents.documentsForObject(customer.id).filter((stored) => stored.document.type === 'customer');
  const written = existing.some((stored) => stored.state === 'written' || stored.state === 'writing');
  const unwritten = existing.filter((stored) => !['written', 'writing', 'skipped'].includes(stored.state)).map((stored) => stored.docKey);
  if (written || customer.deleted) return { documents: [], withdraw: unwritten, writeBacks: [] };
  return { documents: [skippedCustomerDocument(customer, mapping, rule, rules)], withdraw: [], writeBacks: [] };
}
