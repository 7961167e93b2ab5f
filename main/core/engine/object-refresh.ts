import { isStripeNotFound, StripeInvalidObjectError } from '../ports/stripe-api.js';
import type { AnySyncedObject, SyncedKind } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';
import { LIST_SPECS } from './list-specs.js';
import { withCompleteInvoiceLines } from './invoice-lines.js';
import { storeObjects } from './object-store.js';
import { parkInvalidObjects } from './invalid-objects.js';

/**
 * Re-reads objects named by events from their current state at the pinned API version (an
 * event's snapshot may be stale or rendered in an older version). Ids are grouped by kind
 * and by creation time, and each group is read with one list call over its time range with
 * everything expanded, so a busy day costs about one request per hundred objects instead of
 * one per object. Anything the list did not return (deleted, or outside the range) is
 * retrieved on its own.
 *
 * A 404 on that retrieval means the object is gone (Stripe deletes draft invoices and
 * customers): it is recorded as deleted, so its events count as processed and the run goes
 * on. Only objects that never moved money can be deleted in Stripe (a draft invoice has no
 * payment; a deleted customer's Sage customer stays, Sage rows are never deleted), so a
 * deletion withdraws what was planned but not written and books nothing (plan-pass.ts).
 */

/** Objects created within this many seconds of each other are read with one list call. */
const CLUSTER_SECONDS = 86_400;

export type WantedObjects = Map<SyncedKind, Map<string, number>>;

export function wantObject(wanted: WantedObjects, kind: SyncedKind, id: string, created: number): void {
  let ofKind = wanted.get(kind);
  if (!ofKind) wanted.set(kind, (ofKind = new Map()));
  ofKind.set(id, created);
}

export async function refreshObjects(context: RunContext, wanted: WantedObjects): Promise<number> {
  let changed = 0;
  for (const [kind, ids] of wanted) {
    const spec = LIST_SPECS[kind];
    for (const cluster of clusters(ids)) {
      const missing = new Set(cluster.ids);
      if (cluster.ids.length > 1) {
        await context.stripe.listEach<AnySyncedObject>(
          spec.path,
          { created: { gte: cluster.from, lte: cluster.to }, ...(spec.expand.length ? { expand: spec.expand } : {}) },
          async (page) => {
            const found = page.filter((object) => missing.delete(object.id));
            changed += storeObjects(context.ledger, await withCompleteInvoiceLines(context.stripe, found));
          },
        );
      }
      for (const id of missing) {
        const object = await rereadObject(context, kind, id, ids.get(id) ?? cluster.from);
        if (object) changed += storeObjects(context.ledger, await withCompleteInvoiceLines(context.stripe, [object]));
      }
      context.counters.objectsSeen += cluster.ids.length;
    }
  }
  return changed;
}

/**
 * One object read again by id: null when Stripe says it is gone (then stored as deleted) or
 * sent it unreadable (then parked as a data issue).
 */
export async function rereadObject(context: RunContext, kind: SyncedKind, id: string, created: number): Promise<AnySyncedObject | null> {
  const spec = LIST_SPECS[kind];
  try {
    return await context.stripe.retrieve<AnySyncedObject>(spec.path, id, spec.expand.map((field) => field.replace(/^data\./, '')));
  } catch (error) {
    if (error instanceof StripeInvalidObjectError) {
      parkInvalidObjects(context.ledger, context.emit, [{ key: id, path: spec.path, reason: error.reason }]);
      return null;
    }
    if (!isStripeNotFound(error)) throw error;
    recordDeleted(context, kind, id, created);
    return null;
  }
}

/** Keeps what we knew of the object, marked deleted; a tombstone when we never stored it. */
function recordDeleted(context: RunContext, kind: SyncedKind, id: string, created: number): void {
  const known = context.ledger.objects.getObject(id)?.object ?? ({ id, object: kind, created } as unknown as AnySyncedObject);
  if ((known as { deleted?: boolean }).deleted === true) return;
  storeObjects(context.ledger, [{ ...known, deleted: true } as AnySyncedObject]);
  context.emit({ type: 'warning', code: 'stripe-object-deleted', message: `${id} was deleted in Stripe (404 when read again); recorded as deleted, nothing is booked for it` });
}

function clusters(ids: Map<string, number>): { ids: string[]; from: number; to: number }[] {
  const sorted = [...ids].sort((a, b) => a[1] - b[1]);
  const result: { ids: string[]; from: number; to: number }[] = [];
  for (const [id, created] of sorted) {
    const last = result[result.length - 1];
    if (last && created - last.from <= CLUSTER_SECONDS) {
      last.ids.push(id);
      last.to = created;
    } else {
      result.push({ ids: [id], from: created, to: created });
    }
  }
  return result;
}
