import type Stripe from 'stripe';
import type { Metadata } from '../../core/stripe/objects.js';

/**
 * The simulator's Stripe objects, whole, as the official `stripe` package types them at the
 * pinned API version: each builder's object literal `satisfies` the package's type, so a field
 * the real API does not have, a missing one, or a wrong nullability is a compile error. The
 * generators decide the money fields; the rest is what Stripe shows for a simple test-mode
 * account (no Connect, no Radar review, no automatic tax). The results still fit the engine's
 * narrower types in core/stripe/objects.ts, which is what the store holds.
 */

export interface ChargeFields {
  id: string;
  amount: number;
  amount_captured: number;
  currency: string;
  customer: string | null;
  payment_intent: string;
  balance_transaction: string | null;
  description: string | null;
  billing_details: { email: string | null; name: string | null };
  metadata: Metadata;
  created: number;
  /** The method and its details (payment-method-shapes.ts). */
  payment_method_details: Stripe.Charge.PaymentMethodDetails;
  /** A delayed-notification method (ACH) is `pending` until the debit clears; cards succeed at once. */
  status?: 'succeeded' | 'pending';
}

export function chargeObject(fields: ChargeFields) {
  const status = fields.status ?? 'succeeded';
  return {
    id: fields.id,
    object: 'charge' as const,
    amount: fields.amount,
    amount_captured: fields.amount_captured,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: fields.balance_transaction,
    billing_details: { address: null, email: fields.billing_details.email, name: fields.billing_details.name, phone: null, tax_id: null },
    calculated_statement_descriptor: 'NORTHWIND OUTFITTERS',
    captured: true,
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    description: fields.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: fields.metadata,
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: status === 'succeeded',
    payment_intent: fields.payment_intent,
    payment_method: null,
    payment_method_details: fields.payment_method_details,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: status as 'succeeded' | 'pending' | 'failed',
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.Charge;
}

export interface RefundFields {
  id: string;
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string | null;
  balance_transaction: string;
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  created: number;
}

/**
 * A succeeded refund. Stripe's type has no null for `failure_balance_transaction` and
 * `failure_reason`: they are absent until a refund fails.
 */
export function refundObject(fields: RefundFields) {
  return {
    id: fields.id,
    object: 'refund' as const,
    amount: fields.amount,
    balance_transaction: fields.balance_transaction,
    charge: fields.charge,
    created: fields.created,
    currency: fields.currency,
    customer: null,
    customer_account: null,
    metadata: {} as Metadata,
    payment_intent: fields.payment_intent,
    payment_method: null,
    reason: fields.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded' as 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled',
    transfer_reversal: null,
  } satisfies Stripe.Refund;
}

export interface InvoicePaymentFields {
  id: string;
  invoice: string;
  amount_requested: number;
  currency: string;
  payment: { type: 'charge' | 'payment_intent'; charge?: string; payment_intent?: string };
  created: number;
}

/** The default payment Stripe creates when an invoice is finalised, still open. */
export function invoicePaymentObject(fields: InvoicePaymentFields) {
  return {
    id: fields.id,
    object: 'invoice_payment' as const,
    amount_paid: null as number | null,
    amount_requested: fields.amount_requested,
    created: fields.created,
    currency: fields.currency,
    invoice: fields.invoice,
    is_default: true,
    livemode: false,
    payment: fields.payment,
    status: 'open' as 'open' | 'paid' | 'canceled',
    status_transitions: { canceled_at: null as number | null, paid_at: null as number | null },
  } satisfies Stripe.InvoicePayment;
}

export interface InvoiceLineFields {
  id: string;
  invoice: string;
  amount: number;
  currency: string;
  description: string;
  quantity: number;
  product: string | null;
  price: string | null;
  /** Exclusive tax on the line, or null when the line is untaxed. */
  tax: { amount: number; taxable_amount: number } | null;
  discount: number;
  creditGrant: number;
  period: { start: number; end: number };
}

export function invoiceLineObject(fields: InvoiceLineFields) {
  return {
    id: fields.id,
    object: 'line_item' as const,
    amount: fields.amount,
    currency: fields.currency,
    description: fields.description,
    discount_amounts: fields.discount > 0 ? [{ amount: fields.discount, discount: 'di_simulated_discount' }] : null,
    discountable: true,
    discounts: [],
    invoice: fields.invoice,
    livemode: false,
    metadata: {} as Metadata,
    parent: null,
    period: fields.period,
    pretax_credit_amounts: [
      ...(fields.discount > 0 ? [{ amount: fields.discount, type: 'discount' as const, discount: 'di_simulated_discount' }] : []),
      ...(fields.creditGrant > 0 ? [{ amount: fields.creditGrant, type: 'credit_balance_transaction' as const, credit_balance_transaction: 'cbtxn_simulated_grant' }] : []),
    ],
    pricing:
      fields.product && fields.price
        ? { price_details: { price: fields.price, product: fields.product }, type: 'price_details' as const, unit_amount_decimal: null }
        : null,
    quantity: fields.quantity,
    // The package types decimals as its Decimal class; on the wire they are strings or null.
    quantity_decimal: null,
    subscription: null,
    subtotal: fields.amount,
    taxes: fields.tax
      ? [
          {
            amount: fields.tax.amount,
            tax_behavior: 'exclusive' as const,
            tax_rate_details: null,
            taxability_reason: 'standard_rated' as const,
            taxable_amount: fields.tax.taxable_amount,
            type: 'tax_rate_details' as const,
          },
        ]
      : null,
  } satisfies Stripe.InvoiceLineItem;
}

export interface InvoiceFields {
  id: string;
  number: string;
  customer: StripeCustomerSummary;
  currency: string;
  subscription: string | null;
  lines: ReturnType<typeof invoiceLineObject>[];
  subtotal: number;
  total: number;
  tax: number;
  discounts: number;
  credits: number;
  amount_due: number;
  starting_balance: number;
  ending_balance: number;
  shipping: { amount_subtotal: number; amount_tax: number; amount_total: number } | null;
  /** What the merchant wrote on the invoice (a Sage invoice number, say); none unless given. */
  custom_fields?: Stripe.Invoice.CustomField[];
  description?: string;
  created: number;
}

export interface StripeCustomerSummary {
  id: string;
  email: string | null;
  name: string | null;
}

/** A finalised, open invoice (collection by charging the customer automatically). */
export function invoiceObject(fields: InvoiceFields) {
  const { id, customer, lines } = fields;
  return {
    id,
    object: 'invoice' as const,
    account_country: 'US',
    account_name: 'Northwind Outfitters',
    account_tax_ids: null,
    amount_due: fields.amount_due,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: fields.amount_due,
    amount_shipping: fields.shipping?.amount_total ?? 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: fields.subscription ? ('subscription_cycle' as const) : ('manual' as const),
    collection_method: 'charge_automatically' as const,
    created: fields.created,
    currency: fields.currency,
    custom_fields: fields.custom_fields ?? null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none' as const,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: fields.description ?? null,
    discounts: [],
    due_date: null,
    effective_at: fields.created,
    ending_balance: fields.ending_balance,
    footer: null,
    from_invoice: null,
    issuer: { type: 'self' as const },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list' as const, data: lines.slice(0, 10), has_more: lines.length > 10, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {} as Metadata,
    next_payment_attempt: null,
    number: fields.number,
    on_behalf_of: null,
    parent: fields.subscription
      ? {
          quote_details: null,
          subscription_details: { metadata: null, subscription: fields.subscription },
          type: 'subscription_details' as const,
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: fields.created,
    period_start: fields.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: fields.shipping ? { ...fields.shipping, shipping_rate: 'shr_simulated_standard' } : null,
    shipping_details: null,
    starting_balance: fields.starting_balance,
    statement_descriptor: null,
    status: 'open' as 'draft' | 'open' | 'paid' | 'uncollectible' | 'void',
    status_transitions: { finalized_at: fields.created, marked_uncollectible_at: null as number | null, paid_at: null as number | null, voided_at: null as number | null },
    subtotal: fields.subtotal,
    subtotal_excluding_tax: fields.subtotal,
    test_clock: null,
    total: fields.total,
    total_discount_amounts: fields.discounts > 0 ? [{ amount: fields.discounts, discount: 'di_simulated_discount' }] : [],
    total_excluding_tax: fields.total - fields.tax,
    total_pretax_credit_amounts:
      fields.discounts + fields.credits > 0
        ? [
            ...(fields.discounts > 0 ? [{ amount: fields.discounts, type: 'discount' as const, discount: 'di_simulated_discount' }] : []),
            ...(fields.credits > 0 ? [{ amount: fields.credits, type: 'credit_balance_transaction' as const, credit_balance_transaction: 'cbtxn_simulated_grant' }] : []),
          ]
        : null,
    total_taxes:
      fields.tax > 0
        ? [
            {
              amount: fields.tax,
              tax_behavior: 'exclusive' as const,
              tax_rate_details: null,
              taxability_reason: 'standard_rated' as const,
              taxable_amount: null,
              type: 'tax_rate_details' as const,
            },
          ]
        : [],
    webhooks_delivered_at: fields.created,
  } satisfies Stripe.Invoice;
}

export interface CreditNoteFields {
  id: string;
  number: string;
  invoice: string;
  customer: string;
  currency: string;
  total: number;
  tax: number;
  pre_payment_amount: number;
  post_payment_amount: number;
  refunds: { refund: string; amount_refunded: number }[];
  out_of_band_amount: number | null;
  reason: 'duplicate' | 'fraudulent' | 'order_change' | 'product_unsatisfactory';
  created: number;
  /** What the note credits line by line; none when only its amounts are modelled. */
  lines?: readonly CreditNoteLineFields[];
}

/** A credit note line: an invoice line credited (`invoiceLine`) or a custom line; `tax` exclusive. */
export interface CreditNoteLineFields {
  id: string;
  invoiceLine: string | null;
  description: string;
  amount: number;
  tax: number;
}

/** Stripe.CreditNoteLineItem. */
export function creditNoteLineObject(fields: CreditNoteLineFields) {
  return {
    id: fields.id,
    object: 'credit_note_line_item' as const,
    amount: fields.amount,
    description: fields.description,
    discount_amount: 0,
    discount_amounts: [],
    ...(fields.invoiceLine === null ? {} : { invoice_line_item: fields.invoiceLine }),
    livemode: false,
    metadata: {} as Metadata,
    pretax_credit_amounts: [],
    quantity: 1,
    tax_rates: [],
    taxes:
      fields.tax > 0
        ? [{ amount: fields.tax, tax_behavior: 'exclusive' as const, tax_rate_details: null, taxability_reason: 'standard_rated' as const, taxable_amount: fields.amount, type: 'tax_rate_details' as const }]
        : [],
    type: fields.invoiceLine === null ? ('custom_line_item' as const) : ('invoice_line_item' as const),
    unit_amount: fields.amount,
    // The pinned types model it as a Decimal object the JSON never holds; the engine does not read it.
    unit_amount_decimal: null,
  };
}

export function creditNoteObject(fields: CreditNoteFields) {
  return {
    id: fields.id,
    object: 'credit_note' as const,
    amount: fields.total,
    amount_shipping: 0,
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    customer_balance_transaction: null,
    discount_amount: 0,
    discount_amounts: [],
    effective_at: fields.created,
    invoice: fields.invoice,
    lines: { object: 'list' as const, data: (fields.lines ?? []).map(creditNoteLineObject), has_more: false, url: `/v1/credit_notes/${fields.id}/lines` },
    livemode: false,
    memo: null,
    metadata: {} as Metadata,
    number: fields.number,
    out_of_band_amount: fields.out_of_band_amount,
    pdf: `https://pay.stripe.com/credit_notes/${fields.id}/pdf`,
    post_payment_amount: fields.post_payment_amount,
    pre_payment_amount: fields.pre_payment_amount,
    pretax_credit_amounts: [],
    reason: fields.reason,
    refunds: fields.refunds.map((entry) => ({ ...entry, payment_record_refund: null, type: 'refund' as const })),
    shipping_cost: null,
    status: 'issued' as 'issued' | 'void',
    subtotal: fields.total - fields.tax,
    subtotal_excluding_tax: fields.total - fields.tax,
    total: fields.total,
    total_excluding_tax: fields.total - fields.tax,
    total_taxes:
      fields.tax > 0
        ? [
            {
              amount: fields.tax,
              tax_behavior: 'exclusive' as const,
              tax_rate_details: null,
              taxability_reason: 'standard_rated' as const,
              taxable_amount: null,
              type: 'tax_rate_details' as const,
            },
          ]
        : [],
    type: (fields.post_payment_amount === 0 ? 'pre_payment' : fields.pre_payment_amount === 0 ? 'post_payment' : 'mixed') as 'pre_payment' | 'post_payment' | 'mixed',
    voided_at: null as number | null,
  } satisfies Stripe.CreditNote;
}

export interface BalanceTransactionFields {
  id: string;
  amount: number;
  currency: string;
  fee_details: readonly { amount: number; currency: string; type: string; description: string | null }[];
  exchange_rate: number | null;
  type: Stripe.BalanceTransaction.Type;
  reporting_category: string;
  source: string | null;
  created: number;
  available_on: number;
  description: string | null;
}

/**
 * A balance transaction in the payments balance. Stripe's `fee_details[]` carries
 * `application` (the Connect application that took the fee: null without Connect), so each fee
 * is given one. `fee` and `net` are derived from the fees, as Stripe reports them.
 */
export function balanceTransactionObject(fields: BalanceTransactionFields) {
  const fee = fields.fee_details.reduce((sum, detail) => sum + detail.amount, 0);
  return {
    id: fields.id,
    object: 'balance_transaction' as const,
    amount: fields.amount,
    available_on: fields.available_on,
    balance_type: 'payments' as const,
    created: fields.created,
    currency: fields.currency,
    description: fields.description,
    exchange_rate: fields.exchange_rate,
    fee,
    fee_details: fields.fee_details.map((detail) => ({ amount: detail.amount, application: null, currency: detail.currency, description: detail.description, type: detail.type })),
    net: fields.amount - fee,
    reporting_category: fields.reporting_category,
    source: fields.source,
    status: (fields.available_on <= fields.created ? 'available' : 'pending') as 'available' | 'pending',
    type: fields.type,
  } satisfies Stripe.BalanceTransaction;
}

export interface PayoutFields {
  id: string;
  amount: number;
  currency: string;
  arrival_date: number;
  automatic: boolean;
  method: 'standard' | 'instant';
  balance_transaction: string;
  description: string | null;
  created: number;
}

/** The simulated account's one bank account and one debit card (for instant payouts). */
const PAYOUT_BANK_ACCOUNT = 'ba_1SimNorthwindBank0001';
const PAYOUT_DEBIT_CARD = 'card_1SimNorthwindCard001';

/**
 * A payout just created (status pending). The settlement later sets status, the failure
 * fields, and the reconciliation status, as Stripe does on the same object.
 */
export function payoutObject(fields: PayoutFields) {
  const instant = fields.method === 'instant';
  return {
    id: fields.id,
    object: 'payout' as const,
    amount: fields.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: fields.arrival_date,
    automatic: fields.automatic,
    balance_transaction: fields.balance_transaction as string | null,
    created: fields.created,
    currency: fields.currency,
    description: fields.description,
    destination: instant ? PAYOUT_DEBIT_CARD : PAYOUT_BANK_ACCOUNT,
    failure_balance_transaction: null as string | null,
    failure_code: null as string | null,
    failure_message: null as string | null,
    livemode: false,
    metadata: {} as Metadata,
    method: fields.method,
    original_payout: null,
    payout_method: null,
    reconciliation_status: (fields.automatic ? 'in_progress' : 'not_applicable') as 'completed' | 'in_progress' | 'not_applicable',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'pending' as 'paid' | 'pending' | 'in_transit' | 'canceled' | 'failed',
    trace_id: null,
    type: (instant ? 'card' : 'bank_account') as 'bank_account' | 'card',
  } satisfies Stripe.Payout;
}

export interface CustomerFields {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: { line1: string | null; line2: string | null; city: string | null; state: string | null; postal_code: string | null; country: string | null } | null;
  currency: string | null;
  metadata: Metadata;
  created: number;
}

/** A customer with no saved payment method, no shipping address and a zero customer balance. */
export function customerObject(fields: CustomerFields) {
  return {
    id: fields.id,
    object: 'customer' as const,
    address: fields.address,
    balance: 0,
    created: fields.created,
    currency: fields.currency,
    default_source: null,
    description: null,
    email: fields.email,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata,
    name: fields.name,
    phone: fields.phone,
    shipping: null,
  } satisfies Stripe.Customer;
}
