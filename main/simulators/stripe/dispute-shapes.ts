import type Stripe from 'stripe';
import type { Metadata, StripeBalanceTransaction, StripeDispute } from '../../core/stripe/objects.js';

/**
 * A simulated dispute, whole, as the official `stripe` package types it at the pinned API
 * version (`satisfies Stripe.Dispute`, https://docs.stripe.com/api/disputes/object): a field the
 * real API does not have, a missing one or a wrong nullability does not compile. The
 * generators decide the money (its balance transactions) and the status; the rest is what
 * Stripe shows for a dispute no one has answered yet. A card dispute carries
 * `payment_method_details.card` with the brand and `case_type` (`chargeback`, or `inquiry` for
 * a `warning_…` one, as in Stripe's own dispute example); for an ACH debit it is left out, as
 * the type allows (its types are amazon_pay, card, klarna and paypal). The result still fits the engine's
 * narrower type in core/stripe/objects.ts, which is what the store holds.
 */

export interface DisputeFields {
  id: string;
  amount: number;
  currency: string;
  charge: string;
  reason: string;
  status: StripeDispute['status'];
  balance_transactions: StripeBalanceTransaction[];
  created: number;
  /**
   * Whether the payment can still be refunded: true for an inquiry (a `warning_…` status),
   * where "no funds have been withdrawn and the payment it relates to can still be refunded"
   * (https://stripe.com/docs/disputes, "Inquiries and retrievals"); false once a chargeback
   * has taken the money.
   */
  is_charge_refundable?: boolean;
  /** The card disputed, for a card payment. */
  card?: { brand: string; case_type: 'chargeback' | 'inquiry' };
}

const EVIDENCE_DAYS = 7 * 86_400;

export function disputeObject(fields: DisputeFields) {
  return {
    id: fields.id,
    object: 'dispute' as const,
    amount: fields.amount,
    // Built by balanceTransactionObject (stripe-object-shapes.ts), which satisfies Stripe.BalanceTransaction.
    balance_transactions: fields.balance_transactions as StripeBalanceTransaction[] & Stripe.BalanceTransaction[],
    charge: fields.charge,
    created: fields.created,
    currency: fields.currency,
    enhanced_eligibility_types: [],
    evidence: {
      access_activity_log: null,
      billing_address: null,
      cancellation_policy: null,
      cancellation_policy_disclosure: null,
      cancellation_rebuttal: null,
      customer_communication: null,
      customer_email_address: null,
      customer_name: null,
      customer_purchase_ip: null,
      customer_signature: null,
      duplicate_charge_documentation: null,
      duplicate_charge_explanation: null,
      duplicate_charge_id: null,
      enhanced_evidence: {},
      product_description: null,
      receipt: null,
      refund_policy: null,
      refund_policy_disclosure: null,
      refund_refusal_explanation: null,
      service_date: null,
      service_documentation: null,
      shipping_address: null,
      shipping_carrier: null,
      shipping_date: null,
      shipping_documentation: null,
      shipping_tracking_number: null,
      uncategorized_file: null,
      uncategorized_text: null,
    },
    evidence_details: {
      due_by: fields.created + EVIDENCE_DAYS,
      enhanced_eligibility: {},
      has_evidence: false as boolean,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted' as Stripe.Dispute.EvidenceDetails.SubmissionMethod,
    },
    intended_submission_method: null,
    is_charge_refundable: fields.is_charge_refundable ?? false,
    livemode: false,
    metadata: {} as Metadata,
    network_reason_code: null,
    payment_intent: null,
    ...(fields.card ? { payment_method_details: { type: 'card', card: { brand: fields.card.brand, case_type: fields.card.case_type, network: fields.card.brand, network_reason_code: null } } } : {}),
    reason: fields.reason,
    status: fields.status,
  } satisfies Stripe.Dispute;
}
