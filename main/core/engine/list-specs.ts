import type { StripeListPath } from '../ports/stripe-api.js';
import type { SyncedKind } from '../stripe/objects.js';

/**
 * How each kind is listed from Stripe: its endpoint and what to expand so no second request is
 * needed. Charges bring their PaymentIntent (for rule conditions on its metadata, see
 * payment-intent-split.ts). Invoices include their payments, so a charge's invoice is known whenever the invoice
 * was read, whatever window the payment was created in (Stripe creates it at finalisation).
 */
export const LIST_SPECS: Record<SyncedKind, { path: StripeListPath; expand: string[] }> = {
  customer: { path: 'customers', expand: [] },
  charge: { path: 'charges', expand: ['data.balance_transaction', 'data.failure_balance_transaction', 'data.payment_intent'] },
  refund: { path: 'refunds', expand: ['data.balance_transaction', 'data.failure_balance_transaction'] },
  dispute: { path: 'disputes', expand: [] },
  invoice: { path: 'invoices', expand: ['data.payments'] },
  credit_note: { path: 'credit_notes', expand: [] },
  payout: { path: 'payouts', expand: ['data.balance_transaction', 'data.failure_balance_transaction'] },
};

/** Kinds whose objects move money; a catch-up after a long outage re-lists them by `created`. */
export const MONEY_KINDS: readonly SyncedKind[] = ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'payout'];
