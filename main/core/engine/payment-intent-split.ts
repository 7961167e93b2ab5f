import type { AnySyncedObject } from '../stripe/objects.js';
import { ruleRelatedObject, type RuleRelatedObject } from '../stripe/rule-related-objects.js';

/**
 * Charges are listed with `expand[]=data.payment_intent` (list-specs.ts): Stripe returns each
 * charge's PaymentIntent inside the same list page, so its metadata costs no request of its
 * own (https://docs.stripe.com/api/expanding_objects: expansion works on list endpoints,
 * prefixed `data.`, up to four levels deep). The charge is stored with the PaymentIntent's id,
 * as Stripe sends it unexpanded, so its stored body (and change hash) is the same however it
 * was read; the PaymentIntent's metadata goes to the ledger's related objects for the rules.
 */
export function splitExpandedPaymentIntents(objects: readonly AnySyncedObject[]): { objects: AnySyncedObject[]; paymentIntents: RuleRelatedObject[] } {
  const paymentIntents: RuleRelatedObject[] = [];
  const reduced = objects.map((object) => {
    if (object.object !== 'charge') return object;
    const field: unknown = object.payment_intent;
    if (field === null || typeof field !== 'object') return object;
    const related = ruleRelatedObject(field);
    if (!related) return object;
    paymentIntents.push(related);
    return { ...object, payment_intent: related.id };
  });
  return { objects: reduced, paymentIntents };
}
