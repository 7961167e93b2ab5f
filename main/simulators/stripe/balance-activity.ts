import type { StripeCharge, StripeCustomer, StripeDispute, StripeRefund } from '../../core/stripe/objects.js';
import type { BalanceLedger } from './balance-ledger.js';
import { SECONDS_PER_DAY, utcDayStart } from './clock.js';
import type { EventRecorder } from './event-recorder.js';
import type { SeededRandom } from './seeded-random.js';
import { SETTLEMENT_CURRENCY } from './settlement.js';
import type { SimulatorStore } from './store.js';
import { disputeObject } from './dispute-shapes.js';
import { recordDisputeWithdrawal } from './dispute-withdrawal.js';
import { usBankAccountForCharge } from './payment-method-shapes.js';
import { chargeObject, refundObject } from './stripe-object-shapes.js';
import { topupObject } from './topup-shapes.js';

/**
 * The money that moves without a card charge, modelled on Stripe's documentation:
 *
 * - ACH Direct Debit (https://docs.stripe.com/payments/ach-direct-debit): a delayed-notification
 *   method; the charge is a `py_` charge, `pending` for up to four business days with a
 *   balance transaction of type `payment` (pending in the balance), then `succeeded`
 *   (`charge.succeeded`) or `failed` (`charge.failed`), the money taken back by the charge's
 *   `failure_balance_transaction`, type `payment_failure_refund`, reporting category
 *   `charge_failure` (https://docs.stripe.com/reports/reporting-categories). The fee is 0.8%
 *   capped at $5 (https://stripe.com/pricing/local-payment-methods#ach-direct-debit).
 * - A disputed bank debit: Stripe "debits your balance for the payment amount and the dispute
 *   fee" (https://docs.stripe.com/payments/link/instant-bank-payments/disputed-payments; ACH:
 *   https://docs.stripe.com/payments/ach-direct-debit#disputed-payments), reason
 *   `debit_not_authorized`, a `pdp_` dispute whose withdrawal is an `adjustment` in reporting
 *   category `dispute`; here it is not won.
 * - Standalone Stripe fees (Billing, Stripe Tax): balance transactions of type `stripe_fee` /
 *   `tax_fee`, reporting category `fee`, no source object
 *   (https://docs.stripe.com/reports/balance-transaction-types).
 * - Top-ups (https://docs.stripe.com/connect/top-ups): type `topup`, source a `tu_` Topup,
 *   money from the bank, available a few days later; a reversal is type `topup_reversal`.
 * - Account adjustments: type `adjustment`, reporting category `other_adjustment`.
 * - Reserves: type `reserve_transaction`, reporting category `risk_reserved_funds`: funds held
 *   back from the balance, released later with the opposite sign.
 *
 * Uses its own random stream, so turning it on or off leaves the card activity unchanged.
 */

/** ACH Direct Debit fee: 0.8%, capped at $5.00 (USD cents). */
function achFee(amount: number): number {
  return Math.min(500, Math.round((amount * 8) / 1000));
}

export class BalanceActivity {
  constructor(
    private readonly store: SimulatorStore,
    private readonly ledger: BalanceLedger,
    private readonly events: EventRecorder,
    private readonly random: SeededRandom,
    private readonly at: (time: number, run: (time: number) => void) => void,
    private readonly pickCustomer: () => StripeCustomer | null,
    /**
     * ACH refunds and top-up objects were added later: they draw ids and choices from a stream
     * of their own, and their events from a recorder on it, so each seed's other activity stays
     * as it was.
     */
    private readonly added: { random: SeededRandom; events: EventRecorder },
  ) {}

  scheduleDay(dayStart: number, day: number): void {
    const random = this.random;
    const achPayments = random.int(1, 3);
    for (let i = 0; i < achPayments; i++) this.at(dayStart + random.int(0, 86_399), (t) => this.createAchPayment(t));
    if (day % 7 === 3) this.at(dayStart + 2 * 3600, (t) => this.standaloneFee(t, 'stripe_fee', random.int(500, 4_000), 'Billing - Usage Fee'));
    if (day % 10 === 4) this.at(dayStart + 2 * 3600 + 60, (t) => this.standaloneFee(t, 'tax_fee', random.int(50, 900), 'Automatic Taxes'));
    if (day % 15 === 6) this.at(dayStart + 9 * 3600, (t) => this.topUp(t, random.int(50, 200) * 1_000, day % 30 === 21));
    if (day % 12 === 7) this.at(dayStart + 11 * 3600, (t) => this.adjustment(t, random.int(-2_500, 2_500) || 100));
    if (day % 20 === 2) this.at(dayStart + 13 * 3600, (t) => this.reserve(t, random.int(100, 300) * 100));
  }

  private createAchPayment(at: number): void {
    const amount = this.random.int(20, 900) * 100;
    const customer = this.pickCustomer();
    const id = this.random.id('py_');
    // Funds from a bank debit are pending until the debit clears (about four business days).
    const availableOn = utcDayStart(at) + 5 * SECONDS_PER_DAY;
    const transaction = this.ledger.record({
      amount,
      fee: [{ amount: achFee(amount), currency: SETTLEMENT_CURRENCY, type: 'stripe_fee', description: 'Stripe processing fees' }],
      type: 'payment',
      reportingCategory: 'charge',
      source: id,
      created: at,
      availableOn,
      description: 'ACH Direct Debit payment',
    });
    const charge: StripeCharge = chargeObject({
      id,
      amount,
      amount_captured: amount,
      currency: SETTLEMENT_CURRENCY,
      customer: customer?.id ?? null,
      payment_intent: this.random.id('pi_'),
      balance_transaction: transaction.id,
      description: 'Invoice paid by bank debit',
      billing_details: { email: customer?.email ?? null, name: customer?.name ?? 'ACH customer' },
      metadata: {},
      created: at,
      payment_method_details: usBankAccountForCharge(id),
      status: 'pending',
    });
    this.store.add('charge', charge);
    this.events.emit('charge.pending', charge, at);
    const fails = this.random.chance(0.2);
    this.at(at + this.random.int(2, 4) * SECONDS_PER_DAY, (t) => (fails ? this.failAchPayment(charge, t) : this.settleAchPayment(charge, t)));
  }

  private settleAchPayment(charge: StripeCharge, at: number): void {
    charge.status = 'succeeded';
    charge.paid = true;
    this.events.emit('charge.succeeded', charge, at, { previousAttributes: { status: 'pending', paid: false } });
    if (this.random.chance(0.1)) this.at(at + this.random.int(3, 8) * SECONDS_PER_DAY, (t) => this.disputeAchPayment(charge, t));
    else if (this.added.random.chance(0.25)) this.at(at + this.added.random.int(1, 5) * SECONDS_PER_DAY, (t) => this.refundAchPayment(charge, t));
  }

  /**
   * A refund of a bank debit: a `pyr_` refund (Stripe's id for refunds of `py_` payments, as
   * in the objects Stripe sends, e.g. zulip/zulip zerver/webhooks/stripe/fixtures
   * pseudo_refund_event.json), possible only once the debit has cleared. Its balance
   * transaction (type `payment_refund`, reporting category `refund`,
   * https://docs.stripe.com/reports/reporting-categories) takes the money at once; the refund
   * stays `pending` while the credit travels to the customer's bank ("typically 4-5 business
   * days", https://support.stripe.com/questions/refunds-with-ach-payments), then succeeds or
   * fails (a closed account): `refund.failed`, the money returned by its
   * `failure_balance_transaction`, type `refund_failure`.
   */
  private refundAchPayment(charge: StripeCharge, at: number): void {
    if (charge.disputed || charge.status !== 'succeeded') return;
    const amount = this.added.random.chance(0.5) ? charge.amount : Math.floor(charge.amount / 2);
    const id = this.added.random.id('pyr_');
    const transaction = this.ledger.record({
      id: this.added.random.id('txn_'),
      amount: -amount,
      type: 'payment_refund',
      reportingCategory: 'refund',
      source: id,
      created: at,
      availableOn: at,
      description: `REFUND FOR PAYMENT (${charge.description ?? charge.id})`,
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
    refund.status = 'pending';
    this.store.add('refund', refund);
    const previousRefunded = charge.amount_refunded;
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.added.events.emit('refund.created', refund, at);
    this.added.events.emit('charge.refunded', charge, at, { previousAttributes: { amount_refunded: previousRefunded } });
    const fails = this.added.random.chance(0.3);
    this.at(at + 4 * SECONDS_PER_DAY, (t) => (fails ? this.failAchRefund(refund, charge, t) : this.settleAchRefund(refund, t)));
  }

  private settleAchRefund(refund: StripeRefund, at: number): void {
    refund.status = 'succeeded';
    this.added.events.emit('refund.updated', refund, at, { previousAttributes: { status: 'pending' } });
  }

  private failAchRefund(refund: StripeRefund, charge: StripeCharge, at: number): void {
    const reversal = this.ledger.record({
      id: this.added.random.id('txn_'),
      amount: refund.amount,
      type: 'refund_failure',
      reportingCategory: 'refund_failure',
      source: refund.id,
      created: at,
      availableOn: at,
      description: 'REFUND FAILURE',
    });
    refund.status = 'failed';
    refund.failure_reason = 'declined';
    refund.failure_balance_transaction = reversal.id;
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
    this.added.events.emit('refund.failed', refund, at, { previousAttributes: { status: 'pending' } });
  }

  private disputeAchPayment(charge: StripeCharge, at: number): void {
    const id = this.random.id('pdp_');
    const withdrawal = recordDisputeWithdrawal(this.ledger, id, charge.id, charge.amount, at);
    const dispute: StripeDispute = disputeObject({
      id,
      amount: charge.amount,
      currency: SETTLEMENT_CURRENCY,
      charge: charge.id,
      status: 'needs_response',
      reason: 'debit_not_authorized',
      balance_transactions: [withdrawal],
      created: at,
    });
    this.store.add('dispute', dispute);
    charge.disputed = true;
    this.added.events.emit('charge.dispute.created', dispute, at);
    this.at(at + 14 * SECONDS_PER_DAY, (t) => {
      dispute.status = 'lost';
      this.added.events.emit('charge.dispute.closed', dispute, t, { previousAttributes: { status: 'needs_response' } });
    });
  }

  /** The bank returned the debit: Stripe takes the money back from the balance. */
  private failAchPayment(charge: StripeCharge, at: number): void {
    const reversal = this.ledger.record({
      amount: -charge.amount,
      type: 'payment_failure_refund',
      reportingCategory: 'charge_failure',
      source: charge.id,
      created: at,
      availableOn: at,
      description: 'Payment failure: R01 insufficient funds',
    });
    charge.status = 'failed';
    charge.failure_balance_transaction = reversal.id;
    this.added.events.emit('charge.failed', charge, at, { previousAttributes: { status: 'pending', failure_balance_transaction: null } });
  }

  private standaloneFee(at: number, type: 'stripe_fee' | 'tax_fee', amount: number, description: string): void {
    this.ledger.record({ amount: -amount, type, reportingCategory: 'fee', source: null, created: at, availableOn: at, description });
  }

  private topUp(at: number, amount: number, reversed: boolean): void {
    const id = this.random.id('tu_');
    const availableOn = utcDayStart(at) + 5 * SECONDS_PER_DAY;
    const transaction = this.ledger.record({
      amount,
      type: 'topup',
      reportingCategory: 'topup',
      source: id,
      created: at,
      availableOn,
      description: 'Top-up from bank account',
    });
    const topup = topupObject({ id, amount, currency: SETTLEMENT_CURRENCY, balance_transaction: transaction.id, description: 'Top-up from bank account', expected_availability_date: availableOn, created: at });
    this.store.topups.set(id, topup);
    this.added.events.emit('topup.created', topup, at);
    if (reversed) {
      this.at(at + SECONDS_PER_DAY, (t) => {
        this.ledger.record({ amount: -amount, type: 'topup_reversal', reportingCategory: 'topup_reversal', source: id, created: t, availableOn: t, description: 'Top-up reversed' });
        topup.status = 'reversed';
        this.added.events.emit('topup.reversed', topup, t, { previousAttributes: { status: 'pending' } });
      });
    } else {
      this.at(availableOn, (t) => {
        topup.status = 'succeeded';
        this.added.events.emit('topup.succeeded', topup, t, { previousAttributes: { status: 'pending' } });
      });
    }
  }

  private adjustment(at: number, amount: number): void {
    this.ledger.record({ amount, type: 'adjustment', reportingCategory: 'other_adjustment', source: null, created: at, availableOn: at, description: 'Account adjustment' });
  }

  /** Funds held in a risk reserve, released ten days later. */
  private reserve(at: number, amount: number): void {
    const hold = { type: 'reserve_transaction', reportingCategory: 'risk_reserved_funds', source: null, availableOn: undefined } as const;
    this.ledger.record({ ...hold, amount: -amount, created: at, availableOn: at, description: 'Reserve hold' });
    this.at(at + 10 * SECONDS_PER_DAY, (t) => this.ledger.record({ ...hold, amount, created: t, availableOn: t, description: 'Reserve release' }));
  }
}
