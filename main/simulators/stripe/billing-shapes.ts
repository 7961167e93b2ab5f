import type Stripe from 'stripe';
import type {
  StripeCharge,
  StripeCreditNote,
  StripeCustomer,
  StripeInvoice,
  StripeInvoicePayment,
  StripeRefund,
} from '../../core/stripe/objects.js';
import type { BalanceLedger } from './balance-ledger.js';
import type { EventRecorder } from './event-recorder.js';
import type { SeededRandom } from './seeded-random.js';
import { SETTLEMENT_CURRENCY, processingFee } from './settlement.js';
import type { SimulatorStore } from './store.js';
import { chargeObject, creditNoteObject, invoiceLineObject, invoiceObject, invoicePaymentObject, refundObject } from './stripe-object-shapes.js';
import { cardForCharge } from './payment-method-shapes.js';

/**
 * Billing as Stripe shapes it at the pinned API version, for the simulator's activity and for
 * scripted test scenarios: invoices with shipping and pre-tax credit grants, the customer's
 * balance applied at finalisation (Stripe's `starting_balance` → `amount_due`), the default
 * invoice payment created at finalisation and naming its PaymentIntent, credit notes before
 * payment (pre-payment, or mixed when they exceed what is still due, the excess credited to the
 * customer balance) and after payment (refunded or credited), invoices paid out of band, and
 * card charges captured for less than was authorised (a `charge` balance transaction for the
 * whole authorisation and a refund-type one in category `partial_capture_reversal`).
 */

/** Sales tax on taxed lines and shipping, in basis points. */
const TAX_BASIS_POINTS = 825;

export interface InvoiceLineSpec {
  description: string;
  amount: number;
  product?: string;
  discount?: number;
  /** A billing credit grant applied before tax (`pretax_credit_amounts` type credit_balance_transaction). */
  creditGrant?: number;
  taxed?: boolean;
}

export interface InvoiceSpec {
  lines: InvoiceLineSpec[];
  shipping?: { amount: number; taxed: boolean };
  /** Shown on the invoice; a merchant collecting its own (Sage) invoice through Stripe writes that number here. */
  customFields?: Stripe.Invoice.CustomField[];
  /** The memo. */
  description?: string;
  /** Instead of the account's prefix and sequence, as a merchant may set it. */
  number?: string;
}

export interface IssuedInvoice {
  invoice: StripeInvoice;
  payment: StripeInvoicePayment;
}

export class BillingShapes {
  /** Customer balances: negative is credit the customer holds, positive is money owed. */
  private readonly balances = new Map<string, number>();
  private invoiceSequence = 0;

  constructor(
    private readonly store: SimulatorStore,
    private readonly events: EventRecorder,
    private readonly ledger: BalanceLedger,
    private readonly random: SeededRandom,
  ) {}

  balanceOf(customerId: string): number {
    return this.balances.get(customerId) ?? 0;
  }

  /** Adjusts a customer's balance as a Dashboard user can (negative: a credit). */
  adjustBalance(customerId: string, amount: number): void {
    this.balances.set(customerId, this.balanceOf(customerId) + amount);
  }

  /** Builds and finalises an invoice: the customer balance is applied and the default payment created. */
  finalise(at: number, customer: StripeCustomer, spec: InvoiceSpec): IssuedInvoice {
    const id = this.random.id('in_');
    const lines = spec.lines.map((line) => {
      const discount = line.discount ?? 0;
      const creditGrant = line.creditGrant ?? 0;
      const taxable = line.amount - discount - creditGrant;
      return invoiceLineObject({
        id: this.random.id('il_'),
        invoice: id,
        amount: line.amount,
        currency: SETTLEMENT_CURRENCY,
        description: line.description,
        quantity: 1,
        product: line.product ?? null,
        price: line.product ? `price_${line.product.slice(5)}` : null,
        tax: line.taxed ? { amount: taxOn(taxable), taxable_amount: taxable } : null,
        discount,
        creditGrant,
        period: { start: at, end: at },
      });
    });
    const lineTax = lines.reduce((sum, line) => sum + (line.taxes?.[0]?.amount ?? 0), 0);
    const discounts = lines.reduce((sum, line) => sum + (line.discount_amounts?.[0]?.amount ?? 0), 0);
    const credits = spec.lines.reduce((sum, line) => sum + (line.creditGrant ?? 0), 0);
    const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
    const shippingTax = spec.shipping?.taxed ? taxOn(spec.shipping.amount) : 0;
    const shippingTotal = (spec.shipping?.amount ?? 0) + shippingTax;
    const total = subtotal - discounts - credits + lineTax + shippingTotal;
    const starting = this.balanceOf(customer.id);
    // Stripe applies a credit balance up to the total and adds a debit balance to what is due.
    const applied = starting < 0 ? -Math.min(-starting, total) : starting;
    const amountDue = total + applied;
    const ending = starting - applied;
    this.balances.set(customer.id, ending);
    this.invoiceSequence += 1;
    const invoice: StripeInvoice = invoiceObject({
      id,
      number: spec.number ?? `NWB-${String(this.invoiceSequence).padStart(6, '0')}`,
      customer,
      currency: SETTLEMENT_CURRENCY,
      subscription: null,
      lines,
      subtotal,
      total,
      tax: lineTax + shippingTax,
      discounts,
      credits,
      amount_due: amountDue,
      starting_balance: starting,
      ending_balance: ending,
      shipping: spec.shipping ? { amount_subtotal: spec.shipping.amount, amount_tax: shippingTax, amount_total: shippingTotal } : null,
      custom_fields: spec.customFields,
      description: spec.description,
      created: at,
    });
    this.store.invoiceLines.set(id, lines);
    this.store.add('invoice', invoice);
    const payment: StripeInvoicePayment = invoicePaymentObject({
      id: this.random.id('inpay_'),
      invoice: id,
      amount_requested: amountDue,
      currency: SETTLEMENT_CURRENCY,
      payment: { type: 'payment_intent', payment_intent: this.random.id('pi_') },
      created: at,
    });
    this.store.add('invoice_payment', payment);
    this.events.emit('invoice.finalized', invoice, at);
    return { invoice, payment };
  }

  /**
   * A credit note on an open invoice: it first reduces what is still due (pre-payment part);
   * any excess is credited to the customer balance (post-payment part, making it mixed).
   */
  creditBeforePayment(at: number, issued: IssuedInvoice, amount: number, tax: number): StripeCreditNote {
    const { invoice, payment } = issued;
    const pre = Math.min(amount, invoice.amount_remaining);
    const post = amount - pre;
    invoice.amount_due -= pre;
    invoice.amount_remaining -= pre;
    invoice.pre_payment_credit_notes_amount += pre;
    invoice.post_payment_credit_notes_amount += post;
    payment.amount_requested = invoice.amount_remaining;
    if (post > 0) this.adjustBalance(invoice.customer!, -post);
    const note = this.creditNote(at, invoice, amount, tax, pre, []);
    this.events.emit('invoice.updated', invoice, at, { previousAttributes: { amount_due: invoice.amount_due + pre } });
    return note;
  }

  /** Pays what is due with a card charge on the invoice's PaymentIntent; nothing is charged when nothing is due. */
  pay(at: number, issued: IssuedInvoice, customer: StripeCustomer): StripeCharge | null {
    const charge = this.chargeInvoice(at, issued, customer);
    this.markInvoicePaid(at, issued, charge !== null);
    return charge;
  }

  /**
   * The first half of pay: the charge on the invoice's PaymentIntent succeeds while the invoice
   * is still open. Stripe marks the invoice paid after the payment succeeds, asynchronously, so a
   * reader may see the charge before the invoice is paid; markInvoicePaid is the second half.
   */
  chargeInvoice(at: number, issued: IssuedInvoice, customer: StripeCustomer): StripeCharge | null {
    const { invoice, payment } = issued;
    return invoice.amount_due > 0 ? this.charge(at, customer, invoice.amount_due, invoice.amount_due, payment.payment.payment_intent!, `Invoice ${invoice.number}`) : null;
  }

  markInvoicePaid(at: number, issued: IssuedInvoice, charged: boolean): void {
    const { invoice, payment } = issued;
    payment.status = charged ? 'paid' : 'canceled';
    payment.amount_paid = charged ? invoice.amount_due : null;
    this.markPaid(at, invoice);
    if (charged) this.events.emit('invoice_payment.paid', payment, at);
  }

  /**
   * Stripe's attach_payment (`invoices.attachPayment` in the pinned `stripe` package): "If the
   * PaymentIntent's status is already succeeded when it's attached, it's credited to the invoice
   * immediately", increasing its amount_paid, and the invoice is paid when that covers what is
   * due. Here a charge that succeeded on a PaymentIntent of its own, perhaps before the invoice
   * existed, is credited for what it captured: a non-default invoice payment names that
   * PaymentIntent; once the invoice is covered the default one, never paid, is canceled. A charge
   * for less than is still due leaves the invoice open for another payment. A reader that saw the
   * charge earlier saw no invoice payment naming it.
   */
  attachPayment(at: number, issued: IssuedInvoice, charge: StripeCharge): StripeInvoicePayment {
    const { invoice, payment } = issued;
    const credited = charge.amount_captured;
    // Stripe credits an overpayment to the customer balance (`amount_overpaid`); not modelled here.
    if (credited > invoice.amount_remaining) throw new Error(`simulator: ${charge.id} captured ${credited}, more than the ${invoice.amount_remaining} still due on ${invoice.id}`);
    const attached: StripeInvoicePayment = {
      ...invoicePaymentObject({ id: this.random.id('inpay_'), invoice: invoice.id, amount_requested: credited, currency: invoice.currency, payment: { type: 'payment_intent', payment_intent: charge.payment_intent! }, created: at }),
      is_default: false,
      status: 'paid',
      amount_paid: credited,
    };
    this.store.add('invoice_payment', attached);
    if (credited === invoice.amount_remaining) {
      payment.status = 'canceled';
      this.markPaid(at, invoice);
    } else {
      invoice.amount_paid += credited;
      invoice.amount_remaining -= credited;
      this.events.emit('invoice.updated', invoice, at, { previousAttributes: { amount_paid: invoice.amount_paid - credited } });
    }
    this.events.emit('invoice_payment.paid', attached, at);
    return attached;
  }

  /** Marks the invoice paid outside Stripe (a cheque): no charge, the default payment is canceled. */
  payOutOfBand(at: number, issued: IssuedInvoice): void {
    issued.payment.status = 'canceled';
    this.markPaid(at, issued.invoice);
  }

  /**
   * A credit note on a paid invoice, refunded to the card that paid it or credited to the
   * customer balance; `lines` say what it credits line by line (an invoice line's id, or null
   * for a custom line), when the caller models them.
   */
  creditAfterPayment(
    at: number,
    invoice: StripeInvoice,
    charge: StripeCharge | null,
    amount: number,
    tax: number,
    lines: readonly { invoiceLine: string | null; description: string; amount: number; tax: number }[] = [],
  ): StripeCreditNote {
    invoice.post_payment_credit_notes_amount += amount;
    const refund = charge ? this.refund(at, charge, amount, 'refund', 'refund') : null;
    if (!refund) this.adjustBalance(invoice.customer!, -amount);
    return this.creditNote(at, invoice, amount, tax, 0, refund ? [{ refund: refund.id, amount_refunded: amount }] : [], lines);
  }

  /** A card payment authorised for `amount` and captured for `captured`. */
  partialCapture(at: number, customer: StripeCustomer | null, amount: number, captured: number): { charge: StripeCharge; refund: StripeRefund } {
    const charge = this.charge(at, customer, amount, captured, this.random.id('pi_'), 'Rental deposit (partly captured)');
    const refund = this.refund(at, charge, amount - captured, 'refund', 'partial_capture_reversal');
    return { charge, refund };
  }

  /**
   * A second refund naming a balance transaction Stripe records for another object: not
   * something Stripe itself produces, but a Stripe-compatible server can, and the engine must
   * book the money once and park the second claimant.
   */
  refundClaimingTransactionOf(at: number, owner: StripeRefund): StripeRefund {
    const claimant: StripeRefund = { ...owner, id: this.random.id('re_'), created: at, metadata: {} };
    this.store.add('refund', claimant);
    this.events.emit('refund.created', claimant, at);
    return claimant;
  }

  private markPaid(at: number, invoice: StripeInvoice): void {
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.status_transitions.paid_at = at;
    this.events.emit('invoice.paid', invoice, at, { previousAttributes: { status: 'open' } });
  }

  private charge(at: number, customer: StripeCustomer | null, amount: number, captured: number, paymentIntent: string, description: string): StripeCharge {
    const id = this.random.id('ch_');
    const fee = processingFee(captured, false);
    const transaction = this.ledger.record({
      id: this.random.id('txn_'),
      amount,
      fee: [{ amount: fee, currency: SETTLEMENT_CURRENCY, type: 'stripe_fee', description: 'Stripe processing fees' }],
      type: 'charge',
      reportingCategory: 'charge',
      source: id,
      created: at,
      description,
    });
    const charge: StripeCharge = chargeObject({
      id,
      amount,
      amount_captured: captured,
      currency: SETTLEMENT_CURRENCY,
      payment_method_details: cardForCharge(id, amount, SETTLEMENT_CURRENCY),
      customer: customer?.id ?? null,
      payment_intent: paymentIntent,
      balance_transaction: transaction.id,
      description,
      billing_details: { email: customer?.email ?? null, name: customer?.name ?? null },
      metadata: {},
      created: at,
    });
    this.store.add('charge', charge);
    this.events.emit('charge.succeeded', charge, at);
    if (captured < amount) this.events.emit('charge.captured', charge, at);
    return charge;
  }

  private refund(at: number, charge: StripeCharge, amount: number, type: string, reportingCategory: string): StripeRefund {
    const id = this.random.id('re_');
    const transaction = this.ledger.record({
      id: this.random.id('txn_'),
      amount: -amount,
      type,
      reportingCategory,
      source: id,
      created: at,
      description: reportingCategory === 'partial_capture_reversal' ? 'Uncaptured amount released' : `REFUND FOR CHARGE (${charge.description ?? charge.id})`,
    });
    const refund: StripeRefund = refundObject({
      id,
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      balance_transaction: transaction.id,
      reason: reportingCategory === 'partial_capture_reversal' ? null : 'requested_by_customer',
      created: at,
    });
    this.store.add('refund', refund);
    const previousRefunded = charge.amount_refunded;
    charge.amount_refunded += amount;
    this.events.emit('refund.created', refund, at);
    this.events.emit('charge.refunded', charge, at, { previousAttributes: { amount_refunded: previousRefunded } });
    return refund;
  }

  private creditNote(
    at: number,
    invoice: StripeInvoice,
    amount: number,
    tax: number,
    pre: number,
    refunds: StripeCreditNote['refunds'],
    lines: readonly { invoiceLine: string | null; description: string; amount: number; tax: number }[] = [],
  ): StripeCreditNote {
    const note: StripeCreditNote = creditNoteObject({
      id: this.random.id('cn_'),
      number: `${invoice.number ?? invoice.id}-CN-${String(this.store.count('credit_note') + 1).padStart(2, '0')}`,
      invoice: invoice.id,
      customer: invoice.customer!,
      currency: invoice.currency,
      total: amount,
      tax,
      pre_payment_amount: pre,
      post_payment_amount: amount - pre,
      refunds,
      out_of_band_amount: null,
      reason: 'order_change',
      created: at,
      lines: lines.map((line) => ({ ...line, id: this.random.id('cnli_') })),
    });
    this.store.add('credit_note', note);
    this.events.emit('credit_note.created', note, at);
    return note;
  }
}

function taxOn(amount: number): number {
  return Math.round((amount * TAX_BASIS_POINTS) / 10_000);
}
