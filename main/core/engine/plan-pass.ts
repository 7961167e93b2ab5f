import { planCustomer } from '../customers/customer-plan.js';
import type { Mapping } from '../mapping/mapping.js';
import { planMoneyObject } from '../posting/plan-object.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { PlanningError, type PlanningErrorClass } from '../posting/planning-error.js';
import type { StoredObject } from '../ports/ledger.js';
import type { SageDocument } from '../sage/documents.js';
import { resolveCustomer } from './customer-resolution.js';
import type { RunContext } from './engine-context.js';
import { planPayoutAfterTieOut } from './payout-planning.js';

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
    const outcomes: PlanOutcome[] = [];
    for (const stored of page) {
      if ((stored.kind === 'payout') !== (which === 'payouts')) continue;
      outcomes.push(await planOne(context, stored, planning, version));
    }
    // The page's results land in one ledger transaction.
    context.ledger.inTransaction(() => {
      for (const outcome of outcomes) {
        if (outcome.documents) {
          context.ledger.savePlan(outcome.objectId, outcome.documents, version, context.options.shadowMode ? 'shadow' : 'planned');
          context.ledger.setObjectIssue({ objectId: outcome.objectId, errorClass: null });
          planned += outcome.documents.length;
        } else {
          context.ledger.setObjectIssue({ objectId: outcome.objectId, errorClass: outcome.errorClass, message: outcome.message });
        }
      }
      context.ledger.markPlanned(outcomes.filter((outcome) => outcome.documents || outcome.errorClass !== 'waiting').map((outcome) => outcome.objectId));
    });
    const last = page[page.length - 1]!;
    after = { created: last.created, id: last.id };
    context.emit({ type: 'progress', progress: { phase: 'planning', kind: null, done: planned, total: null } });
  }
}

type PlanOutcome =
  | { objectId: string; documents: SageDocument[] }
  | { objectId: string; documents: null; errorClass: PlanningErrorClass; message: string };

async function planOne(context: RunContext, stored: StoredObject, planning: PlanningContext, version: number): Promise<PlanOutcome> {
  try {
    return { objectId: stored.id, documents: await planStored(context, stored, planning, version) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const errorClass = error instanceof PlanningError ? error.errorClass : 'data';
    return { objectId: stored.id, documents: null, errorClass, message: error.message };
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
