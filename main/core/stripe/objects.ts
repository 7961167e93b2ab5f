/**
 * The subset of Stripe API objects the engine reads, shaped as the pinned API version
 * (see PINNED_STRIPE_API_VERSION) renders them. Fields we do not use are left out; the full
 * JSON of every object is still kept in the ledger. Amounts are integers in the currency's
 * API minor unit (see money/currency.ts).
 */

export const PINNED_STRIPE_API_VERSION = '2026-10-28.endive';

export type Metadata = Record<string, string>;

export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface FeeDetail {
  amount: number;
  currency: string;
  type: 'stripe_fee' | 'application_fee' | 'payment_method_passthrough_fee' | 'tax' | 'withheld_tax' | string;
  description: string | null;
}

export interface StripeBalanceTransaction {
  id: string;
  object: 'balance_transaction';
  amount: number;
  currency: string;
  net: number;
  fee: number;
  fee_details: FeeDetail[];
  exchange_rate: number | null;
  type: string;
  reporting_category: string;
  source: string | { id: string; object: string } | null;
  created: number;
  available_on: number;
  status: 'pending' | 'available';
  description: string | null;
  /**
   * Which of the account's balances the transaction moves (`payments`, `issuing`,
   * `risk_reserved`, `refund_and_dispute_prefunding`); only `payments` is the balance
   * `GET /v1/balance` reports as available + pending. Absent from older renderings.
   */
  balance_type?: string;
}

/** `GET /v1/balance`: the account's payments balance per currency (Stripe's Balance object). */
export interface StripeBalance {
  object: 'balance';
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
  livemode: boolean;
}

export interface StripeAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface StripeCustomer {
  id: string;
  object: 'customer';
  name: string | null;
  email: string | null;
  phone: string | null;
  address: StripeAddress | null;
  currency: string | null;
  metadata: Metadata;
  created: number;
  deleted?: true;
}

export interface StripeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  customer: string | null;
  payment_intent: string | null;
  balance_transaction: string | StripeBalanceTransaction | null;
  /**
   * A delayed payment method (ACH debit, SEPA…) that failed after its `payment` balance
   * transaction: the `payment_failure_refund` transaction that took the money back.
   */
  failure_balance_transaction?: string | StripeBalanceTransaction | null;
  status: 'succeeded' | 'pending' | 'failed';
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  disputed: boolean;
  description: string | null;
  receipt_number: string | null;
  billing_details: { email: string | null; name: string | null } | null;
  metadata: Metadata;
  created: number;
}

export interface StripeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  charge: string | null;
  payment_intent: string | null;
  balance_transaction: string | StripeBalanceTransaction | null;
  /** Absent (Stripe's type has no null) until the refund fails; some servers send null. */
  failure_balance_transaction?: string | StripeBalanceTransaction | null;
  failure_reason?: string | null;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  reason: string | null;
  metadata: Metadata;
  created: number;
}

export interface StripeDispute {
  id: string;
  object: 'dispute';
  amount: number;
  currency: string;
  charge: string;
  /** `prevented` and the appeal states are in the pinned `stripe` types' Dispute.Status. */
  status:
    | 'warning_needs_response'
    | 'warning_under_review'
    | 'warning_closed'
    | 'needs_response'
    | 'under_review'
    | 'appeal_needs_response'
    | 'appeal_under_review'
    | 'prevented'
    | 'won'
    | 'lost';
  reason: string;
  /** Every balance transaction the dispute caused: withdrawal (with the dispute fee) and any reinstatement. */
  balance_transactions: StripeBalanceTransaction[];
  metadata: Metadata;
  created: number;
}

export interface StripePayout {
  id: string;
  object: 'payout';
  amount: number;
  currency: string;
  arrival_date: number;
  automatic: boolean;
  method: 'standard' | 'instant';
  status: 'paid' | 'pending' | 'in_transit' | 'canceled' | 'failed';
  type: 'bank_account' | 'card';
  balance_transaction: string | StripeBalanceTransaction | null;
  failure_balance_transaction: string | StripeBalanceTransaction | null;
  failure_code: string | null;
  failure_message: string | null;
  reconciliation_status: 'completed' | 'in_progress' | 'not_applicable';
  description: string | null;
  metadata: Metadata;
  created: number;
}

export interface StripeInvoiceLine {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string | null;
  quantity: number | null;
  pricing: { price_details: { price: string; product: string } | null } | null;
  /** Null when the line has no tax calculation (Stripe documents both arrays as nullable). */
  taxes: { amount: number; tax_behavior: 'inclusive' | 'exclusive'; taxable_amount: number }[] | null;
  discount_amounts: { amount: number }[] | null;
  /** Discounts and credit grants applied before tax; its `discount` entries repeat discount_amounts. */
  pretax_credit_amounts: { amount: number; type: 'discount' | 'credit_balance_transaction' | string }[] | null;
}

export interface StripeInvoice {
  id: string;
  object: 'invoice';
  number: string | null;
  /** The invoice's memo. Optional here only because fixtures written before it was read leave it out; the API always sends it. */
  description?: string | null;
  /** Up to 4 name/value pairs shown on the invoice (Stripe.Invoice.CustomField); the API always sends the field. */
  custom_fields?: { name: string; value: string }[] | null;
  customer: string | null;
  currency: string;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  subtotal: number;
  total: number;
  total_excluding_tax: number | null;
  total_taxes: { amount: number }[] | null;
  total_discount_amounts: { amount: number }[] | null;
  /** What the customer had to pay: total less customer credit balance and pre-payment credit notes, plus any debit balance. */
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  /** Customer balance before finalisation (negative: credit the customer holds). */
  starting_balance: number;
  ending_balance: number | null;
  pre_payment_credit_notes_amount: number;
  post_payment_credit_notes_amount: number;
  amount_shipping: number;
  shipping_cost: { amount_subtotal: number; amount_tax: number; amount_total: number } | null;
  total_pretax_credit_amounts: { amount: number; type: string }[] | null;
  lines: StripeList<StripeInvoiceLine>;
  /** Includable: present only when the request expanded `payments`. */
  payments?: StripeList<StripeInvoicePayment>;
  parent: { subscription_details: { subscription: string } | null } | null;
  status_transitions: {
    finalized_at: number | null;
    paid_at: number | null;
    voided_at: number | null;
    marked_uncollectible_at: number | null;
  };
  metadata: Metadata;
  created: number;
}

export interface StripeInvoicePayment {
  id: string;
  object: 'invoice_payment';
  invoice: string;
  amount_paid: number | null;
  amount_requested: number;
  currency: string;
  /** Stripe creates the default payment when the invoice is finalised, before anything is paid. */
  is_default: boolean;
  status: 'open' | 'paid' | 'canceled';
  /**
   * Since API 2025-03-31 a payment names its PaymentIntent; `charge` only for a charge without
   * one; `payment_record` for a payment recorded outside Stripe's payment flow.
   */
  payment: { type: 'charge' | 'payment_intent' | 'payment_record'; charge?: string; payment_intent?: string; payment_record?: string };
  created: number;
}

export interface StripeCreditNote {
  id: string;
  object: 'credit_note';
  number: string;
  invoice: string;
  customer: string;
  currency: string;
  amount: number;
  subtotal: number;
  total: number;
  total_taxes: { amount: number }[] | null;
  /** The part that reduced what was still due on the invoice; the rest is post_payment_amount. */
  pre_payment_amount: number;
  post_payment_amount: number;
  type: 'pre_payment' | 'post_payment' | 'mixed';
  status: 'issued' | 'void';
  reason: string | null;
  refunds: { refund: string; amount_refunded: number }[];
  out_of_band_amount: number | null;
  effective_at: number | null;
  voided_at: number | null;
  /** What each line credits (Stripe.CreditNoteLineItem). Optional here only because fixtures written before it was read leave it out; the API always sends it. */
  lines?: StripeList<StripeCreditNoteLine>;
  metadata: Metadata;
  created: number;
}

/** One line of a credit note (Stripe.CreditNoteLineItem): a line of its invoice credited, or a custom line. */
export interface StripeCreditNoteLine {
  id: string;
  object: 'credit_note_line_item';
  type: 'invoice_line_item' | 'custom_line_item' | string;
  /** The invoice line credited; only on a line of type invoice_line_item. */
  invoice_line_item?: string;
  /** Exclusive of tax and discounts. */
  amount: number;
  description: string | null;
  quantity: number | null;
  taxes: { amount: number; tax_behavior: 'inclusive' | 'exclusive' | string }[] | null;
  discount_amounts: { amount: number }[];
  /** Discounts and credit grants; its `discount` entries repeat discount_amounts. */
  pretax_credit_amounts: { amount: number; type: 'discount' | 'credit_balance_transaction' | string }[];
}

export interface StripeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string | null;
  livemode: boolean;
  data: { object: { id: string; object: string; created?: number } & Record<string, unknown> };
  request: { id: string | null; idempotency_key: string | null } | null;
}

/** The object kinds the engine syncs, in the order a backfill lists them (customers first). */
export const SYNCED_KINDS = [
  'customer',
  'charge',
  'refund',
  'dispute',
  'invoice',
  'credit_note',
  'payout',
] as const;

export type SyncedKind = (typeof SYNCED_KINDS)[number];

export type StripeObjectOf<K extends SyncedKind> = {
  customer: StripeCustomer;
  charge: StripeCharge;
  refund: StripeRefund;
  dispute: StripeDispute;
  invoice: StripeInvoice;
  credit_note: StripeCreditNote;
  payout: StripePayout;
}[K];

export type AnySyncedObject = StripeObjectOf<SyncedKind>;

export function isSyncedKind(value: string): value is SyncedKind {
  return (SYNCED_KINDS as readonly string[]).includes(value);
}
