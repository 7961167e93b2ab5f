import type { StripeCharge, StripeRefund } from '../../core/stripe/objects.js';
import type { BalanceLedger } from './balance-ledger.js';
import { SECONDS_PER_DAY } from './clock.js';
import { disputeObject } from './dispute-shapes.js';
import type { EventRecorder } from './event-recorder.js';
import { cardPaymentDetails, type CardBrand } from './payment-method-shapes.js';
import type { SeededRandom } from './seeded-random.js';
import { SETTLEMENT_CURRENCY, processingFee } from './settlement.js';
import type { SimulatorStore } from './store.js';
import { chargeObject, refundObject } from './stripe-object-shapes.js';

/**
 * Disputes that move no money, as Stripe documents them:
 *
 * - **Inquiries** (https://stripe.com/docs/disputes, "Inquiries and retrievals"): a card
 *   issuer asks about a payment before any chargeback, common for American Express. "Unlike a
 *   formal dispute, no funds have been withdrawn and the payment it relates to can still be
 *   refunded": a dispute with status `warning_needs_response`, no balance transactions
 *   (`balance_transactions: []`, "zero, one, or two balance transactions",
 *   https://docs.stripe.com/api/disputes/object) and `is_charge_refundable: true`. The business
 *   either refunds the payment in full, which "marks the inquiry … as resolved and no dispute
 *   fee is incurred" (the refund is an ordinary refund with its own balance transaction; the
 *   dispute goes to `warning_closed`), or answers with evidence (`warning_under_review`, then
 *   `warning_closed`).
 * - **Prevented disputes** (Stripe.Dispute.Status `prevented`): a chargeback stopped before it
 *   was filed, as Visa Rapid Dispute Resolution does by refunding the cardholder at once
 *   (https://shopify.dev/changelog/adds-support-for-dispute-preventions: "Stripe may send
 *   prevented for Visa transactions covered by RDR"; no dispute fee). Modelled as the refund
 *   with its balance transaction and a dispute with none.
 *
 * The card payments they concern are made here, on a random stream and event recorder of
 * their own, so each seed's other activity stays as it was.
 */
export class PreDisputeActivity {
  constructor(
    private readonly store: SimulatorStore,
    private readonly ledger: BalanceLedger,
    private readonly events: EventRecorder,
    private readonly random: SeededRandom,
    private readonly at: (time: number, run: (time: number) => void) => void,
  ) {}

  scheduleDay(dayStart: number, day: number): void {
    if (day % 9 === 4) this.at(dayStart + 10 * 3600, (t) => this.inquiredPayment(t, day % 18 === 4 ? 'refund' : 'evidence'));
    if (day % 11 === 6) this.at(dayStart + 12 * 3600, (t) => this.preventedPayment(t));
  }

  private inquiredPayment(at: number, resolution: 'refund' | 'evidence'): void {
    const charge = this.cardPayment(at, 'amex');
    this.at(at + 3 * SECONDS_PER_DAY, (t) => this.openInquiry(charge, resolution, t));
  }

  private openInquiry(charge: StripeCharge, resolution: 'refund' | 'evidence', at: number): void {
    const dispute = disputeObject({
      id: this.random.id('dp_'),
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      reason: 'product_not_received',
      status: 'warning_needs_response',
      balance_transactions: [],
      created: at,
      is_charge_refundable: true,
      card: { brand: 'amex', case_type: 'inquiry' },
    });
    this.store.add('dispute', dispute);
    charge.disputed = true;
    this.events.emit('charge.dispute.created', dispute, at);
    if (resolution === 'refund') {
      this.at(at + 2 * SECONDS_PER_DAY, (t) => {
        this.refundInFull(charge, t, 'requested_by_customer');
        dispute.status = 'warning_closed';
        dispute.is_charge_refundable = false;
        this.events.emit('charge.dispute.closed', dispute, t, { previousAttributes: { status: 'warning_needs_response', is_charge_refundable: true } });
      });
    } else {
      this.at(at + 2 * SECONDS_PER_DAY, (t) => {
        dispute.status = 'warning_under_review';
        dispute.evidence_details = { ...dispute.evidence_details, has_evidence: true, submission_count: 1, submission_method: 'manual' };
        this.events.emit('charge.dispute.updated', dispute, t, { previousAttributes: { status: 'warning_needs_response' } });
      });
      this.at(at + 12 * SECONDS_PER_DAY, (t) => {
        dispute.status = 'warning_closed';
        this.events.emit('charge.dispute.closed', dispute, t, { previousAttributes: { status: 'warning_under_review' } });
      });
    }
  }

  private preventedPayment(at: number): void {
    const charge = this.cardPayment(at, 'visa');
    this.at(at + 5 * SECONDS_PER_DAY, (t) => {
      this.refundInFull(charge, t, null);
      const dispute = disputeObject({
        id: this.random.id('dp_'),
        amount: charge.amount,
        currency: charge.currency,
        charge: charge.id,
        reason: 'fraudulent',
        status: 'prevented',
        balance_transactions: [],
        created: t,
      });
      this.store.add('dispute', dispute);
      charge.disputed = true;
      this.events.emit('charge.dispute.created', dispute, t);
      this.events.emit('charge.dispute.closed', dispute, t);
    });
  }

  /** A card payment in USD, settled like the generator's own (2.9% + 30¢). */
  private cardPayment(at: number, brand: CardBrand): StripeCharge {
    const amount = this.random.int(30, 400) * 100;
    const id = this.random.id('ch_');
    const transaction = this.ledger.record({
      id: this.random.id('txn_'),
      amount,
      fee: [{ amount: processingFee(amount, false), currency: SETTLEMENT_CURRENCY, type: 'stripe_fee', description: 'Stripe processing fees' }],
      type: 'charge',
      reportingCategory: 'charge',
      source: id,
      created: at,
      description: 'Online order',
    });
    const charge: StripeCharge = chargeObject({
      id,
      amount,
      amount_captured: amount,
      currency: SETTLEMENT_CURRENCY,
      customer: null,
      payment_intent: this.random.id('pi_'),
      balance_transaction: transaction.id,
      description: 'Online order',
      billing_details: { email: null, name: 'Card customer' },
      metadata: {},
      created: at,
      payment_method_details: cardPaymentDetails({
        brand,
        last4: String(this.random.int(0, 9_999)).padStart(4, '0'),
        expMonth: this.random.int(1, 12),
        expYear: this.random.int(2027, 2031),
        country: 'US',
        funding: 'credit',
        amountAuthorized: amount,
      }),
    });
    this.store.add('charge', charge);
    this.events.emit('charge.succeeded', charge, at);
    return charge;
  }

  private refundInFull(charge: StripeCharge, at: number, reason: 'requested_by_customer' | null): StripeRefund {
    const id = this.random.id('re_');
    const transaction = this.ledger.record({
      id: this.random.id('txn_'),
      amount: -charge.amount,
      type: 'refund',
      reportingCategory: 'refund',
      source: id,
      created: at,
      availableOn: at,
      description: `REFUND FOR CHARGE (${charge.description ?? charge.id})`,
    });
    const refund: StripeRefund = refundObject({
      id,
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      balance_transaction: transaction.id,
      reason,
      created: at,
    });
    this.store.add('refund', refund);
    charge.amount_refunded = charge.amount;
    charge.refunded = true;
    this.events.emit('refund.created', refund, at);
    this.events.emit('charge.refunded', charge, at, { previousAttributes: { amount_refunded: 0, refunded: false } });
    return refund;
  }
}
