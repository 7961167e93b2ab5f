import { isSyncedKind, SYNCED_KINDS, type StripeEvent, type StripeInvoicePayment, type SyncedKind } from '../stripe/objects.js';
import { OWN_IDEMPOTENCY_PREFIX, type RunContext } from './engine-context.js';
import { refreshObjects, wantObject, type WantedObjects } from './object-refresh.js';
import { storeInvoicePayments } from './object-store.js';
import { storeProductEvents } from './product-catalogue.js';

/**
 * One incremental read of Stripe's event list. Events are listed from `windowStart` (the
 * high-water mark minus an overlap, because many events share a second and the list is
 * eventually consistent), with no type filter (we need more types than the 20 Stripe allows
 * in a filter), all pages to the end. Events already processed are dropped, the rest are
 * applied in (created, id) order: the objects they name are re-read in bulk, stored, and
 * only then are the events recorded, so a crash re-applies them harmlessly.
 */
export async function pollEvents(context: RunContext, windowStart: number): Promise<{ applied: number; highWater: number | null }> {
  const listed: StripeEvent[] = [];
  await context.stripe.listEach<StripeEvent>('events', { created: { gte: windowStart } }, (page) => {
    listed.push(...page);
  });
  const unseen = context.ledger.objects.unseenEventIds(listed.map((event) => event.id));
  const fresh = [...new Map(listed.filter((event) => unseen.has(event.id)).map((event) => [event.id, event])).values()].sort(
    (a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  if (fresh.length === 0) return { applied: 0, highWater: null };

  const wanted: WantedObjects = new Map();
  const skipped = new Set<string>();
  const invoicePayments: StripeInvoicePayment[] = [];
  const products: unknown[] = [];
  for (const event of fresh) {
    if (event.request?.idempotency_key?.startsWith(OWN_IDEMPOTENCY_PREFIX)) {
      skipped.add(event.id);
      continue;
    }
    const object = event.data.object;
    if (object.object === 'invoice_payment') {
      invoicePayments.push(object as unknown as StripeInvoicePayment);
    } else if (object.object === 'product') {
      products.push(object);
    } else if (isSyncedKind(object.object)) {
      wantObject(wanted, object.object, object.id, typeof object.created === 'number' ? object.created : event.created);
    }
    // A dispute or refund event also changes its charge (disputed, amount_refunded). Its charge
    // may be a card charge (ch_) or a delayed payment method's (py_): the field says, not the prefix.
    const charge = object['charge'];
    if (typeof charge === 'string' && charge !== '' && (object.object === 'dispute' || object.object === 'refund')) {
      wantObject(wanted, 'charge', charge, typeof object.created === 'number' ? object.created : event.created);
    }
  }
  storeInvoicePayments(context.ledger, invoicePayments);
  storeProductEvents(context, products);
  context.emit({ type: 'progress', progress: { phase: 'refresh', kind: null, done: 0, total: countWanted(wanted) } });
  await refreshObjects(context, wanted);
  context.ledger.objects.recordEvents(fresh, skipped);
  context.counters.eventsApplied += fresh.length - skipped.size;
  return { applied: fresh.length - skipped.size, highWater: Math.max(...fresh.map((event) => event.created)) };
}

function countWanted(wanted: WantedObjects): number {
  let total = 0;
  for (const kind of SYNCED_KINDS as readonly SyncedKind[]) total += wanted.get(kind)?.size ?? 0;
  return total;
}
