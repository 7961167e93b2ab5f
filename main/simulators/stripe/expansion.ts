import type { SimulatedKind, SimulatorStore } from './store.js';
import type { StripeCharge } from '../../core/stripe/objects.js';
import { paymentIntentOf } from './payment-intent-shapes.js';
import { kindOfId } from './resources.js';

/** How many of an invoice's payments Stripe includes in the invoice ("the first handful"). */
const INCLUDED_PAYMENTS = 10;

/**
 * Stripe's `expand`: replaces an id field with the object it names, or fills an includable
 * list (an invoice's `payments`). A charge's PaymentIntent is built from the charge
 * (payment-intent-shapes.ts). Objects stay stored with ids; an expanded response is a
 * shallow copy, so expansion never changes the store.
 */
export function expandObject<T extends object>(store: SimulatorStore, object: T, fields: readonly string[]): T {
  if (fields.length === 0) return object;
  const copy: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  for (const field of fields) {
    if (field === 'payments' && copy.object === 'invoice') {
      const page = store.paymentsOfInvoice(copy.id as string).page({ limit: INCLUDED_PAYMENTS });
      copy.payments = { object: 'list', data: page.data, has_more: page.hasMore, url: `/v1/invoice_payments?invoice=${String(copy.id)}` };
      continue;
    }
    const value = copy[field];
    if (typeof value !== 'string') continue;
    if (field === 'payment_intent' && copy.object === 'charge') {
      copy.payment_intent = paymentIntentOf(object as unknown as StripeCharge);
      continue;
    }
    const topup = value.startsWith('tu_') ? store.topups.get(value) : undefined;
    if (topup !== undefined) {
      copy[field] = topup;
      continue;
    }
    const kind: SimulatedKind | null = kindOfId(value);
    const target = kind === null ? undefined : store.get(kind, value);
    if (target !== undefined) copy[field] = target;
  }
  return copy as T;
}
