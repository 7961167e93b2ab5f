import type { StripeInvoice } from '../../core/stripe/objects.js';
import type { EventRecorder } from './event-recorder.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * A Dashboard user drafts an invoice and deletes it before finalising it: Stripe sends
 * `invoice.created` and `invoice.deleted`, and from then on `GET /v1/invoices/:id` answers 404
 * and no list shows it (Stripe API reference, "Delete a draft invoice": "Permanently deletes a
 * one-off invoice draft. This cannot be undone."). The invoice is never stored, only its events.
 */
export function draftAndDeleteInvoice(events: EventRecorder, random: SeededRandom, customerId: string, at: number): StripeInvoice {
  const id = random.id('in_');
  const invoice: StripeInvoice = {
    id,
    object: 'invoice',
    number: null,
    customer: customerId,
    currency: 'usd',
    status: 'draft',
    subtotal: 0,
    total: 0,
    total_excluding_tax: 0,
    total_taxes: [],
    total_discount_amounts: [],
    amount_due: 0,
    amount_paid: 0,
    amount_remaining: 0,
    starting_balance: 0,
    ending_balance: null,
    pre_payment_credit_notes_amount: 0,
    post_payment_credit_notes_amount: 0,
    amount_shipping: 0,
    shipping_cost: null,
    total_pretax_credit_amounts: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    parent: null,
    status_transitions: { finalized_at: null, paid_at: null, voided_at: null, marked_uncollectible_at: null },
    metadata: {},
    created: at,
  };
  events.emit('invoice.created', invoice, at);
  events.emit('invoice.deleted', invoice, at);
  return invoice;
}
