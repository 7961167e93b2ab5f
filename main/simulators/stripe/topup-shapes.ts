import type Stripe from 'stripe';
import type { Metadata } from '../../core/stripe/objects.js';

/**
 * A top-up (`tu_…`, https://docs.stripe.com/api/topups/object): money added to the Stripe
 * balance from the business's bank account. It is the `source` of its `topup` balance
 * transaction, and of the `topup_reversal` one when it is reversed; the money spine lists
 * balance transactions with `expand[]=data.source`, so the listed transaction carries this
 * object whole (`satisfies Stripe.Topup`). Status goes `pending` → `succeeded`, or `reversed`
 * (Stripe.Topup.Status).
 */

export interface TopupFields {
  id: string;
  amount: number;
  currency: string;
  balance_transaction: string;
  description: string;
  /** When the funds are expected in the balance (the transaction's `available_on`). */
  expected_availability_date: number;
  created: number;
}

export function topupObject(fields: TopupFields) {
  return {
    id: fields.id,
    object: 'topup' as const,
    amount: fields.amount,
    balance_transaction: fields.balance_transaction,
    created: fields.created,
    currency: fields.currency,
    description: fields.description,
    expected_availability_date: fields.expected_availability_date,
    failure_code: null,
    failure_message: null,
    initiated_by: null,
    livemode: false,
    metadata: {} as Metadata,
    source: null,
    statement_descriptor: null,
    status: 'pending' as Stripe.Topup.Status,
    transfer_group: null,
  } satisfies Stripe.Topup;
}

export type SimulatedTopup = ReturnType<typeof topupObject>;
