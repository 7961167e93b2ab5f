import type {
  StripeCharge,
  StripeCreditNote,
  StripeCustomer,
  StripeDispute,
  StripeInvoice,
  StripeInvoicePayment,
  StripeRefund,
} from '../../core/stripe/objects.js';
import { ActionQueue } from './action-queue.js';
import { BalanceActivity } from './balance-activity.js';
import { PreDisputeActivity } from './pre-dispute-activity.js';
import { BalanceLedger, type PayoutOutcome } from './balance-ledger.js';
import { scheduleBillingShapes } from './billing-activity.js';
import { BillingShapes } from './billing-shapes.js';
import { SECONDS_PER_DAY, utcDayStart } from './clock.js';
import { EventRecorder } from './event-recorder.js';
import type { FaultController } from './faults.js';
import {
  ORDER_DESCRIPTIONS,
  SUBSCRIPTION_CATALOG,
  customerProfile,
  guestEmail,
  guestName,
} from './sample-data.js';
import { SeededRandom } from './seeded-random.js';
import { chargeObject, creditNoteObject, customerObject, invoiceLineObject, invoiceObject, invoicePaymentObject, refundObject } from './stripe-object-shapes.js';
import { cardForCharge } from './payment-method-shapes.js';
import { recordDisputeWithdrawal } from './dispute-withdrawal.js';
import { SETTLEMENT_CURRENCY, exchangeRate, processingFee, settleAmount } from './settlement.js';
import type { SimulatorStore } from './store.js';
import { disputeObject } from './dispute-shapes.js';

/**
 * Generates a small business's Stripe activity, day by day, deterministically from a seed.
 * Each day schedules its customers, card charges and subscription renewals at seeded times;
 * later lifecycle steps (refunds, refund failures, disputes, credit notes, voids, payouts
 * arriving) go on a time-ordered queue, so objects and events are created in time order and
 * whatever is still pending continues when the clock moves on.
 */

export interface ActivityOptions {
  seed: number;
  /** First UTC day to generate. */
  firstDay: number;
  /** Fixed number of card charges a day; by default 20-60. */
  chargesPerDay?: number;
  /** When the available balance is negative on a payout day, debit the bank with a negative payout instead of skipping the day. */
  negativePayouts?: boolean;
  /**
   * `manual`: the account has no automatic payouts; the business pays out by hand every few
   * days (Stripe cannot itemise those payouts).
   */
  payoutSchedule?: 'automatic' | 'manual';
  /**
   * Automatic payouts every N days instead of daily (Stripe's weekly and monthly schedules):
   * the benchmarks use a long interval for one payout holding most of the history.
   */
  payoutEveryDays?: number;
  /**
   * ACH payments and refunds, standalone fees, top-ups, adjustments and reserves
   * (balance-activity.ts), inquiries and prevented disputes (pre-dispute-activity.ts); on by default.
   */
  balanceActivity?: boolean;
}

interface PresentmentCurrency {
  currency: string;
  /** USD per unit, in millionths; jittered a little per charge. */
  rateMicros: number;
  minAmount: number;
  maxAmount: number;
  /** Three-decimal currencies must end in 0. */
  amountStep: number;
}

const USD: PresentmentCurrency = { currency: 'usd', rateMicros: 1_000_000, minAmount: 500, maxAmount: 25_000, amountStep: 1 };
const FOREIGN_CURRENCIES: readonly PresentmentCurrency[] = [
  { currency: 'eur', rateMicros: 1_082_300, minAmount: 500, maxAmount: 20_000, amountStep: 1 },
  { currency: 'eur', rateMicros: 1_082_300, minAmount: 500, maxAmount: 20_000, amountStep: 1 },
  { currency: 'jpy', rateMicros: 6_700, minAmount: 500, maxAmount: 30_000, amountStep: 1 },
  { currency: 'kwd', rateMicros: 3_251_000, minAmount: 1_000, maxAmount: 80_000, amountStep: 10 },
];

/** Sales-tax rate on taxed invoice lines, in basis points. */
const TAX_BASIS_POINTS = 825;

export class ActivityGenerator {
  readonly ledger: BalanceLedger;
  /** Invoices, credit notes and partial captures as Stripe shapes them (billing-shapes.ts). */
  readonly billing: BillingShapes;
  private readonly balanceActivity: BalanceActivity | null;
  private readonly preDisputes: PreDisputeActivity | null;
  private readonly random: SeededRandom;
  /** A stream of its own for the billing shapes added later, so each seed's original activity is unchanged. */
  private readonly shapesRandom: SeededRandom;
  private readonly queue = new ActionQueue();
  private readonly events: EventRecorder;
  private readonly customers: StripeCustomer[] = [];
  private readonly subscriptions = new Map<string, string>();
  private readonly chargeRates = new Map<string, number>();
  private nextDay: number;
  private dayNumber = 0;
  /** Steps due before this second (the clock skipped ahead without generating) run now. */
  private floor = Number.NEGATIVE_INFINITY;
  private sequence = 0;
  private invoiceSequence = 0;
  private disputeCount = 0;

  constructor(
    private readonly store: SimulatorStore,
    private readonly faults: FaultController,
    private readonly options: ActivityOptions,
  ) {
    this.random = new SeededRandom(options.seed);
    this.shapesRandom = new SeededRandom(options.seed ^ 0x5a17_c0de);
    this.events = new EventRecorder(store, faults, this.random);
    this.ledger = new BalanceLedger(store, this.events, this.random, this.queue, { negativePayouts: options.negativePayouts ?? false });
    this.billing = new BillingShapes(store, new EventRecorder(store, faults, this.shapesRandom), this.ledger, this.shapesRandom);
    this.nextDay = utcDayStart(options.firstDay);
    const preDisputeRandom = new SeededRandom(options.seed ^ 0xd15b);
    this.preDisputes =
      options.balanceActivity === false
        ? null
        : new PreDisputeActivity(store, this.ledger, new EventRecorder(store, faults, preDisputeRandom), preDisputeRandom, (time, run) => this.at(time, run));
    const addedRandom = new SeededRandom(options.seed ^ 0xac4f);
    const addedBalanceActivity = { random: addedRandom, events: new EventRecorder(store, faults, addedRandom) };
    this.balanceActivity =
      options.balanceActivity === false
        ? null
        : new BalanceActivity(store, this.ledger, this.events, new SeededRandom(options.seed ^ 0xba1a), (time, run) => this.at(time, run), () =>
            this.customers.length > 0 ? this.customers[(this.sequence * 7) % this.customers.length]! : null,
          addedBalanceActivity,
          );
  }

  /** Generates everything that happens up to and including second `until`. */
  advanceTo(until: number): void {
    for (;;) {
      const nextAction = this.queue.peekTime();
      if (this.nextDay <= until && (nextAction === undefined || this.nextDay <= nextAction)) {
        this.scheduleDay(this.nextDay);
        this.nextDay += SECONDS_PER_DAY;
      } else if (nextAction !== undefined && nextAction <= until) {
        this.queue.pop()?.run();
      } else {
        return;
      }
    }
  }

  /** Moves on without generating new days; pending lifecycle steps happen when generation resumes. */
  skipTo(until: number): void {
    this.floor = until;
    while (this.nextDay <= until) this.nextDay += SECONDS_PER_DAY;
  }

  private at(time: number, run: (time: number) => void): void {
    this.queue.schedule(time, () => run(Math.max(time, this.floor)));
  }

  private scheduleDay(dayStart: number): void {
    this.dayNumber += 1;
    const day = this.dayNumber;
    const random = this.random;
    const charges = this.options.chargesPerDay ?? random.int(20, 60);
    const newCustomers = Math.max(1, Math.round(charges * 0.15));
    for (let i = 0; i < newCustomers; i++) this.at(dayStart + random.int(0, 86_399), (t) => this.createCustomer(t));
    const updates = Math.round(this.customers.length * 0.01);
    for (let i = 0; i < updates; i++) this.at(dayStart + random.int(0, 86_399), (t) => this.updateCustomer(t));
    for (let i = 0; i < charges; ) {
      const time = dayStart + random.int(0, 86_399);
      const burst = Math.min(this.faults.nextChargeBurstSize(), charges - i);
      for (let j = 0; j < burst; j++) this.at(time, (t) => this.createOrderCharge(t));
      i += burst;
    }
    const renewals = Math.max(1, Math.round(charges * 0.12));
    for (let i = 0; i < renewals; i++) this.at(dayStart + random.int(0, 86_399), (t) => this.createSubscriptionInvoice(t));
    const payoutOutcome: PayoutOutcome = day % 29 === 14 ? 'failed' : 'paid';
    if (this.options.payoutSchedule === 'manual') {
      if (day % 3 === 0) this.at(dayStart + 6 * 3600, (t) => this.ledger.runRequestedPayout(t, 'standard'));
    } else if (day % (this.options.payoutEveryDays ?? 1) === 0) {
      this.at(dayStart + 6 * 3600, (t) => this.ledger.runAutomaticPayout(t, payoutOutcome));
    }
    this.balanceActivity?.scheduleDay(dayStart, day);
    this.preDisputes?.scheduleDay(dayStart, day);
    if (day % 13 === 5) this.at(dayStart + 15 * 3600, (t) => this.ledger.runRequestedPayout(t, 'standard'));
    if (day % 17 === 8) this.at(dayStart + 18 * 3600, (t) => this.ledger.runRequestedPayout(t, 'instant'));
    if (day % 23 === 9) this.at(dayStart + 3600, (t) => this.createRefundedLargeOrder(t, charges));
    scheduleBillingShapes(this.billing, this.shapesRandom, this.customers, dayStart, (time, run) => this.at(time, run));
  }

  private createCustomer(at: number): void {
    this.sequence += 1;
    const profile = customerProfile(this.random, this.sequence);
    const metadata: Record<string, string> = {};
    if (this.random.chance(0.1)) metadata.sage_customer_id = `C${String(this.sequence).padStart(6, '0')}`;
    if (this.random.chance(0.15)) metadata.segment = 'wholesale';
    const customer: StripeCustomer = customerObject({
      id: this.random.id('cus_'),
      name: profile.name,
      email: profile.email,
      phone: profile.phone,
      address: profile.address,
      currency: this.random.chance(0.7) ? SETTLEMENT_CURRENCY : null,
      metadata,
      created: at,
    });
    this.store.add('customer', customer);
    this.customers.push(customer);
    this.events.emit('customer.created', customer, at);
    if (this.faults.nextCustomerGetsEarlierUpdate()) {
      this.events.emit('customer.updated', customer, at - 1, { previousAttributes: { phone: null } });
    }
  }

  private updateCustomer(at: number): void {
    if (this.customers.length === 0) return;
    const customer = this.random.pick(this.customers);
    const previousEmail = customer.email;
    customer.email = `updated.${this.random.int(1, 9999)}.${previousEmail ?? 'customer@example.com'}`;
    this.events.emit('customer.updated', customer, at, { previousAttributes: { email: previousEmail } });
  }

  private pickCurrency(): PresentmentCurrency {
    return this.random.chance(0.12) ? this.random.pick(FOREIGN_CURRENCIES) : USD;
  }

  private createOrderCharge(at: number): void {
    const presentment = this.pickCurrency();
    const steps = Math.floor(presentment.maxAmount / presentment.amountStep);
    const amount = this.random.int(Math.ceil(presentment.minAmount / presentment.amountStep), steps) * presentment.amountStep;
    const customer = this.customers.length > 0 && this.random.chance(0.7) ? this.random.pick(this.customers) : null;
    const charge = this.createCharge(at, presentment, amount, customer, this.random.pick(ORDER_DESCRIPTIONS));
    if (this.random.chance(0.06)) {
      const full = this.random.chance(0.5);
      const refundAmount = full ? amount : Math.max(1, Math.floor(amount / 3 / presentment.amountStep) * presentment.amountStep);
      this.at(at + this.random.int(3600, 3 * SECONDS_PER_DAY), (t) => this.createRefund(charge, refundAmount, t, 'requested_by_customer'));
    } else if (this.random.chance(0.006)) {
      this.at(at + this.random.int(3, 20) * SECONDS_PER_DAY, (t) => this.createDispute(charge, t));
    }
  }

  /** A large order refunded six days later, so the day its refund becomes available has a negative balance. */
  private createRefundedLargeOrder(at: number, chargesPerDay: number): void {
    const customer = this.customers.length > 0 ? this.random.pick(this.customers) : null;
    const amount = Math.max(300_000, chargesPerDay * 15_000);
    const charge = this.createCharge(at, USD, amount, customer, 'Wholesale order');
    this.at(at + 6 * SECONDS_PER_DAY, (t) => this.createRefund(charge, amount, t, 'requested_by_customer'));
  }

  private createCharge(
    at: number,
    presentment: PresentmentCurrency,
    amount: number,
    customer: StripeCustomer | null,
    description: string,
    paymentIntent?: string,
  ): StripeCharge {
    const id = this.random.id('ch_');
    const foreign = presentment.currency !== SETTLEMENT_CURRENCY;
    // Rates drift by up to ±0.2% from charge to charge, as market rates do.
    const roundedRate = foreign
      ? presentment.rateMicros + Math.round((presentment.rateMicros * this.random.int(-20, 20)) / 10_000)
      : 1_000_000;
    const settled = settleAmount(amount, presentment.currency, roundedRate);
    const stripeFee = processingFee(settled, foreign);
    const fee = [{ amount: stripeFee, currency: SETTLEMENT_CURRENCY, type: 'stripe_fee', description: 'Stripe processing fees' }];
    if (this.random.chance(0.1)) {
      fee.push({ amount: Math.round((stripeFee * 20) / 100), currency: SETTLEMENT_CURRENCY, type: 'tax', description: 'VAT on Stripe fees' });
    }
    const transaction = this.ledger.record({
      amount: settled,
      fee,
      exchangeRate: foreign ? exchangeRate(roundedRate) : null,
      type: 'charge',
      reportingCategory: 'charge',
      source: id,
      created: at,
      description,
    });
    if (foreign) this.chargeRates.set(id, roundedRate);
    const settlementDelay = this.faults.nextChargeBalanceTransactionDelay();
    const guest = customer ? null : guestName(this.random);
    const charge: StripeCharge = chargeObject({
      id,
      amount,
      amount_captured: amount,
      currency: presentment.currency,
      payment_method_details: cardForCharge(id, amount, presentment.currency),
      customer: customer?.id ?? null,
      // Drawn even when the PaymentIntent is given, so a seed generates the same account as before.
      payment_intent: withDefault(paymentIntent, this.random.id('pi_')),
      balance_transaction: settlementDelay > 0 ? null : transaction.id,
      description,
      billing_details: {
        email: customer?.email ?? guestEmail(guest ?? 'guest', this.sequence),
        name: customer?.name ?? guest,
      },
      metadata: this.random.chance(0.2) ? { order_id: `WEB-${this.random.int(10_000, 99_999)}` } : {},
      created: at,
    });
    this.store.add('charge', charge);
    this.events.emit('charge.succeeded', charge, at);
    if (settlementDelay > 0) {
      this.at(at + settlementDelay, (t) => {
        charge.balance_transaction = transaction.id;
        this.events.emit('charge.updated', charge, t, { previousAttributes: { balance_transaction: null } });
      });
    }
    return charge;
  }

  private settled(charge: StripeCharge, amount: number): number {
    return settleAmount(amount, charge.currency, this.chargeRates.get(charge.id) ?? 1_000_000);
  }

  private createRefund(charge: StripeCharge, amount: number, at: number, reason: 'duplicate' | 'fraudulent' | 'requested_by_customer'): StripeRefund | null {
    if (charge.disputed || charge.amount_refunded + amount > charge.amount) return null;
    const id = this.random.id('re_');
    const transaction = this.ledger.record({
      amount: -this.settled(charge, amount),
      exchangeRate: charge.currency === SETTLEMENT_CURRENCY ? null : exchangeRate(this.chargeRates.get(charge.id) ?? 1_000_000),
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
      reason,
      created: at,
    });
    this.store.add('refund', refund);
    const previousRefunded = charge.amount_refunded;
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.events.emit('refund.created', refund, at);
    this.events.emit('charge.refunded', charge, at, { previousAttributes: { amount_refunded: previousRefunded } });
    if (this.random.chance(0.08)) this.at(at + this.random.int(1, 3) * SECONDS_PER_DAY, (t) => this.failRefund(refund, charge, t));
    return refund;
  }

  private failRefund(refund: StripeRefund, charge: StripeCharge, at: number): void {
    const reversal = this.ledger.record({
      amount: this.settled(charge, refund.amount),
      type: 'refund_failure',
      reportingCategory: 'refund_failure',
      source: refund.id,
      created: at,
      availableOn: at,
      description: 'REFUND FAILURE',
    });
    refund.status = 'failed';
    refund.failure_reason = 'expired_or_canceled_card';
    refund.failure_balance_transaction = reversal.id;
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
    this.events.emit('refund.failed', refund, at, { previousAttributes: { status: 'succeeded' } });
  }

  private createDispute(charge: StripeCharge, at: number): void {
    if (charge.amount_refunded > 0 || charge.disputed) return;
    // Stripe's dispute ids are mostly dp_ (du_ on older accounts); the engine must not care.
    this.disputeCount += 1;
    const id = this.random.id(this.disputeCount % 3 === 0 ? 'du_' : 'dp_');
    const settled = this.settled(charge, charge.amount);
    const withdrawal = recordDisputeWithdrawal(this.ledger, id, charge.id, settled, at);
    const dispute: StripeDispute = disputeObject({
      id,
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      status: 'needs_response',
      reason: this.random.pick(['fraudulent', 'product_not_received', 'duplicate', 'subscription_canceled']),
      balance_transactions: [withdrawal],
      created: at,
      card: { brand: cardForCharge(charge.id, charge.amount, charge.currency).card.brand, case_type: 'chargeback' },
    });
    this.store.add('dispute', dispute);
    charge.disputed = true;
    this.events.emit('charge.dispute.created', dispute, at);
    this.events.emit('charge.dispute.funds_withdrawn', dispute, at);
    const won = this.random.chance(0.4);
    this.at(at + this.random.int(10, 30) * SECONDS_PER_DAY, (t) => this.closeDispute(dispute, settled, won, t));
  }

  private closeDispute(dispute: StripeDispute, settled: number, won: boolean, at: number): void {
    if (won) {
      const reinstatement = this.ledger.record({
        amount: settled,
        type: 'adjustment',
        reportingCategory: 'dispute_reversal',
        source: dispute.id,
        created: at,
        availableOn: at,
        description: `Chargeback reversal for ${dispute.charge}`,
      });
      dispute.balance_transactions = [...dispute.balance_transactions, reinstatement];
      dispute.status = 'won';
      this.events.emit('charge.dispute.funds_reinstated', dispute, at);
    } else {
      dispute.status = 'lost';
    }
    this.events.emit('charge.dispute.closed', dispute, at, { previousAttributes: { status: 'needs_response' } });
  }

  private createSubscriptionInvoice(at: number): void {
    if (this.customers.length === 0) return;
    const customer = this.random.pick(this.customers);
    let subscription = this.subscriptions.get(customer.id);
    if (!subscription) {
      subscription = this.random.id('sub_');
      this.subscriptions.set(customer.id, subscription);
    }
    const invoice = this.buildInvoice(at, customer, subscription);
    this.store.add('invoice', invoice);
    const payment = this.createDefaultInvoicePayment(invoice, at);
    this.events.emit('invoice.finalized', invoice, at);
    const fate = this.random.next();
    if (fate < 0.03) {
      this.at(at + this.random.int(1, 3) * SECONDS_PER_DAY, (t) => {
        invoice.status = 'void';
        invoice.amount_remaining = 0;
        invoice.status_transitions.voided_at = t;
        this.events.emit('invoice.voided', invoice, t, { previousAttributes: { status: 'open' } });
      });
    } else if (fate < 0.06) {
      this.at(at + this.random.int(5, 15) * SECONDS_PER_DAY, (t) => {
        invoice.status = 'uncollectible';
        invoice.status_transitions.marked_uncollectible_at = t;
        this.events.emit('invoice.marked_uncollectible', invoice, t, { previousAttributes: { status: 'open' } });
      });
    } else {
      this.at(at + 60, (t) => this.payInvoice(invoice, payment, customer, t));
    }
  }

  /**
   * Stripe creates an invoice's default payment, with its PaymentIntent, when the invoice is
   * finalised; since API 2025-03-31 the payment names the PaymentIntent, not the charge.
   */
  private createDefaultInvoicePayment(invoice: StripeInvoice, at: number): StripeInvoicePayment {
    const payment: StripeInvoicePayment = invoicePaymentObject({
      id: this.shapesRandom.id('inpay_'),
      invoice: invoice.id,
      amount_requested: invoice.amount_due,
      currency: invoice.currency,
      payment: { type: 'payment_intent', payment_intent: this.shapesRandom.id('pi_') },
      created: at,
    });
    this.store.add('invoice_payment', payment);
    return payment;
  }

  private buildInvoice(at: number, customer: StripeCustomer, subscription: string): StripeInvoice {
    const id = this.random.id('in_');
    const taxed = this.random.chance(0.4);
    const discounted = this.random.chance(0.1);
    const lineCount = this.random.chance(0.01) ? 12 : this.random.int(1, 3);
    const lines: ReturnType<typeof invoiceLineObject>[] = [];
    for (let i = 0; i < lineCount; i++) {
      const item = i === 0 ? this.random.pick(SUBSCRIPTION_CATALOG.slice(0, 2)) : this.random.pick(SUBSCRIPTION_CATALOG);
      const quantity = item.product.includes('Seat') ? this.random.int(1, 5) : 1;
      const amount = item.unitAmount * quantity;
      const discount = discounted ? Math.round(amount / 10) : 0;
      const taxableAmount = amount - discount;
      lines.push(
        invoiceLineObject({
          id: this.random.id('il_'),
          invoice: id,
          amount,
          currency: SETTLEMENT_CURRENCY,
          description: `${quantity} × ${item.description} (monthly)`,
          quantity,
          product: item.product,
          price: item.price,
          tax: taxed ? { amount: Math.round((taxableAmount * TAX_BASIS_POINTS) / 10_000), taxable_amount: taxableAmount } : null,
          discount,
          creditGrant: 0,
          period: { start: at, end: at + 30 * SECONDS_PER_DAY },
        }),
      );
    }
    const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
    const discountTotal = lines.reduce((sum, line) => sum + (line.discount_amounts?.[0]?.amount ?? 0), 0);
    const taxTotal = lines.reduce((sum, line) => sum + (line.taxes?.[0]?.amount ?? 0), 0);
    const total = subtotal - discountTotal + taxTotal;
    this.invoiceSequence += 1;
    this.store.invoiceLines.set(id, lines);
    return invoiceObject({
      id,
      number: `NWO-${String(this.invoiceSequence).padStart(6, '0')}`,
      customer,
      currency: SETTLEMENT_CURRENCY,
      subscription,
      lines,
      subtotal,
      total,
      tax: taxTotal,
      discounts: discountTotal,
      credits: 0,
      amount_due: total,
      starting_balance: 0,
      ending_balance: 0,
      shipping: null,
      created: at,
    });
  }

  private payInvoice(invoice: StripeInvoice, payment: StripeInvoicePayment, customer: StripeCustomer, at: number): void {
    const charge = this.createCharge(at, USD, invoice.amount_due, customer, 'Subscription update', payment.payment.payment_intent);
    this.random.id('inpay_'); // the draw paying once made for its payment id: keeps each seed's account unchanged
    payment.status = 'paid';
    payment.amount_paid = invoice.amount_due;
    invoice.status = 'paid';
    invoice.amount_paid = invoice.total;
    invoice.amount_remaining = 0;
    invoice.status_transitions.paid_at = at;
    this.events.emit('invoice_payment.paid', payment, at);
    this.events.emit('invoice.paid', invoice, at, { previousAttributes: { status: 'open' } });
    if (this.random.chance(0.04)) this.at(at + this.random.int(1, 10) * SECONDS_PER_DAY, (t) => this.createCreditNote(invoice, charge, t));
  }

  /** Credits the invoice's first line, refunded to the card or (sometimes) settled out of band. */
  private createCreditNote(invoice: StripeInvoice, charge: StripeCharge, at: number): void {
    const line = invoice.lines.data[0];
    if (!line || invoice.customer === null) return;
    const subtotal = line.amount - (line.discount_amounts?.[0]?.amount ?? 0);
    const tax = line.taxes?.[0]?.amount ?? 0;
    const total = subtotal + tax;
    const outOfBand = this.random.chance(0.3);
    const refund = outOfBand ? null : this.createRefund(charge, total, at, 'requested_by_customer');
    const creditNote: StripeCreditNote = creditNoteObject({
      id: this.random.id('cn_'),
      number: `${invoice.number ?? invoice.id}-CN-01`,
      invoice: invoice.id,
      customer: invoice.customer,
      currency: invoice.currency,
      total,
      tax,
      pre_payment_amount: 0,
      post_payment_amount: total,
      refunds: refund ? [{ refund: refund.id, amount_refunded: total }] : [],
      out_of_band_amount: refund ? null : total,
      reason: 'product_unsatisfactory',
      created: at,
    });
    this.store.add('credit_note', creditNote);
    this.events.emit('credit_note.created', creditNote, at);
  }
}

function withDefault<T>(given: T | undefined, drawn: T): T {
  return given === undefined ? drawn : given;
}
