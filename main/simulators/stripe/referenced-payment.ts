import type { StripeCharge, StripeCustomer, StripeRefund } from '../../core/stripe/objects.js';
import type { BalanceLedger } from './balance-ledger.js';
import type { EventRecorder } from './event-recorder.js';
import type { SeededRandom } from './seeded-random.js';
import { SETTLEMENT_CURRENCY, processingFee } from './settlement.js';
import type { SimulatorStore } from './store.js';
import { chargeObject, refundObject } from './stripe-object-shapes.js';
import { cardForCharge } from './payment-method-shapes.js';

/**
 * A customer pays the merchant's own invoice through a Stripe payment link or web shop: a card
 * charge in the settlement currency carrying the merchant's reference in its description and
 * metadata (what the AR payment flow matches to a Sage invoice, docs/posting-rules.md
 * "AR payments"), and later, perhaps, its refund. Shaped like the generator's card charges:
 * `charge.succeeded`, a `charge` balance transaction with the processing fee; a refund gives
 * `refund.created`, `charge.refunded` and a `refund` balance transaction.
 */

export interface ReferencedPaymentSpec {
  customer: StripeCustomer;
  /** Minor units. */
  amount: number;
  description: string | null;
  metadata: Record<string, string>;
  /** Stripe's fee in minor units; the card processing fee unless given (0: a fee-free payment, which Stripe shows as `fee: 0` with no fee details). */
  fee?: number;
}

export class ReferencedPayments {
  constructor(
    private readonly store: SimulatorStore,
    private readonly events: EventRecorder,
    private readonly ledger: BalanceLedger,
    private readonly random: SeededRandom,
  ) {}

  pay(at: number, spec: ReferencedPaymentSpec): StripeCharge {
    const id = this.random.id('ch_');
    const transaction = this.ledger.record({
      id: this.random.id('txn_'),
      amount: spec.amount,
      fee: spec.fee === 0 ? [] : [{ amount: spec.fee ?? processingFee(spec.amount, false), currency: SETTLEMENT_CURRENCY, type: 'stripe_fee', description: 'Stripe processing fees' }],
      type: 'charge',
      reportingCategory: 'charge',
      source: id,
      created: at,
      description: spec.description,
    });
    const charge: StripeCharge = chargeObject({
      id,
      amount: spec.amount,
      amount_captured: spec.amount,
      currency: SETTLEMENT_CURRENCY,
      payment_method_details: cardForCharge(id, spec.amount, SETTLEMENT_CURRENCY),
      customer: spec.customer.id,
      payment_intent: this.random.id('pi_'),
      balance_transaction: transaction.id,
      description: spec.description,
      billing_details: { email: spec.customer.email, name: spec.customer.name },
      metadata: { ...spec.metadata },
      created: at,
    });
    this.store.add('charge', charge);
    this.events.emit('charge.succeeded', charge, at);
    return charge;
  }

  refund(at: number, charge: StripeCharge, amount: number): StripeRefund {
    const id = this.random.id('re_');
    const transaction = this.ledger.record({
      id: this.random.id('txn_'),
      amount: -amount,
      type: 'refund',
      reportingCategory: 'refund',
      source: id,
      created: at,
      description: `REFUND FOR CHARGE (${charge.description ?? charge.id})`,
    });
    const refund: StripeRefund = refundObject({
      id,
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      balance_transaction: transaction.id,
      reason: 'requested_by_customer',
      created: at,
    });
    this.store.add('refund', refund);
    const previousRefunded = charge.amount_refunded;
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
    this.events.emit('refund.created', refund, at);
    this.events.emit('charge.refunded', charge, at, { previousAttributes: { amount_refunded: previousRefunded } });
    return refund;
  }
}
