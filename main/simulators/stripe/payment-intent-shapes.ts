import type Stripe from 'stripe';
import type { Metadata, StripeCharge } from '../../core/stripe/objects.js';

/**
 * The PaymentIntent behind a simulated charge, as `expand[]=payment_intent` (or
 * `data.payment_intent` on a list) returns it. The simulator stores charges only; a charge's
 * PaymentIntent is built from it when asked, so a 100k-object account holds no second copy.
 * Its metadata is what a shop's checkout put there (Stripe Checkout's
 * `payment_intent_data.metadata` lands on the PaymentIntent, not the charge): the sales channel,
 * decided by the PaymentIntent's id so the same account always shows the same metadata and the
 * generator's random stream is untouched. Typed against the `stripe` package's PaymentIntent.
 */

/** The checkout's sales channel, or none (an invoice's or a dashboard payment's PaymentIntent). */
export function paymentIntentMetadata(paymentIntentId: string): Metadata {
  const bucket = idHash(paymentIntentId) % 10;
  if (bucket < 4) return { channel: 'web' };
  if (bucket < 7) return { channel: 'phone' };
  return {};
}

export function paymentIntentOf(charge: StripeCharge) {
  const id = charge.payment_intent!;
  const succeeded = charge.status === 'succeeded';
  return {
    id,
    object: 'payment_intent' as const,
    allowed_payment_method_types: null,
    amount: charge.amount,
    amount_capturable: 0,
    amount_received: succeeded ? charge.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { allow_redirects: 'always' as const, enabled: true },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async' as const,
    client_secret: null,
    confirmation_method: 'automatic' as const,
    created: charge.created,
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    description: charge.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: charge.id,
    livemode: false,
    managed_payments: null,
    metadata: paymentIntentMetadata(id),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: (succeeded ? 'succeeded' : charge.status === 'pending' ? 'processing' : 'requires_payment_method') as Stripe.PaymentIntent.Status,
    transfer_group: null,
  } satisfies Stripe.PaymentIntent;
}

/** FNV-1a over the id: a fixed, evenly spread number per id. */
function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}
