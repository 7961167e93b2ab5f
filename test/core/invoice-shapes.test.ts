import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { ledgerPlanningContext } from '../../main/core/engine/ledger-planning-context.js';
import { storeInvoicePayments, storeObjects } from '../../main/core/engine/object-store.js';
import { planCharge } from '../../main/core/posting/charge-plan.js';
import { planCreditNote } from '../../main/core/posting/credit-note-plan.js';
import { planInvoice } from '../../main/core/posting/invoice-plan.js';
import { planRefund } from '../../main/core/posting/refund-plan.js';
import { planSalesOrder } from '../../main/core/posting/sales-order-plan.js';
import type { SalesOrderDocument } from '../../main/core/sage/documents.js';
import type { StripeInvoice, StripeInvoicePayment } from '../../main/core/stripe/objects.js';
import { asJournal, expectBalanced, triples } from './fixtures/journal-checks.js';
import { planningError } from './fixtures/planning-error.js';
import { bt, charge, context, creditNote, fee, invoice, invoiceLine, mapping, refund, T0 } from './fixtures/stripe.js';

/**
 * Invoices, credit notes and partial captures as Stripe shapes them at the pinned API version.
 * Every expected row below is worked out by hand from the Stripe object (amounts in cents,
 * shown in Sage's three decimals); nothing is recomputed with the production helpers.
 */

const A = mapping().accounts;
const IN = 'in_1QxR2mL4kd8sXyZaShape01';
const PI = 'pi_3QxR2mL4kd8sXyZaShape01';
const CH = 'ch_3QxR2mL4kd8sXyZaShape01';

/**
 * One line of $100.00 with a $10.00 discount and a $5.00 credit grant applied before tax,
 * 8.25% exclusive tax on the $85.00 left ($7.01), shipping $10.00 + $0.82 tax: total $102.83.
 * The customer held a $20.00 credit balance and a $10.00 pre-payment credit note was issued,
 * so $72.83 was due.
 */
function shapedInvoice(overrides: Omit<Partial<StripeInvoice>, 'lines'> = {}): StripeInvoice {
  return invoice({
    id: IN,
    lines: [
      invoiceLine({
        id: 'il_shape_1',
        amount: 10_000,
        description: 'Pro plan',
        discount_amounts: [{ amount: 1_000 }],
        pretax_credit_amounts: [
          { amount: 1_000, type: 'discount' },
          { amount: 500, type: 'credit_balance_transaction' },
        ],
        taxes: [{ amount: 701, tax_behavior: 'exclusive', taxable_amount: 8_500 }],
      }),
    ],
    total: 10_283,
    amount_shipping: 1_082,
    shipping_cost: { amount_subtotal: 1_000, amount_tax: 82, amount_total: 1_082 },
    starting_balance: -2_000,
    ending_balance: 0,
    pre_payment_credit_notes_amount: 1_000,
    amount_due: 7_283,
    amount_paid: 7_283,
    ...overrides,
  });
}

describe('invoice journal as Stripe shapes the invoice', () => {
  it('books the receivable at what was due, the customer balance applied, shipping and pre-tax credits', () => {
    const journal = asJournal(planInvoice(shapedInvoice(), context())[0]);
    expectBalanced(journal);
    expect(triples(journal)).toEqual([
      [A.receivable, '82.830', IN], // 72.83 due + 10.00 the pre-payment credit note clears
      [A.customerCredits, '20.000', IN], // the credit balance consumed
      [A.revenue, '-85.000', 'il_shape_1'], // 100.00 − 10.00 discount − 5.00 credit grant
      [A.revenue, '-10.000', IN], // shipping
      [A.salesTax, '-7.830', IN], // 7.01 + 0.82
    ]);
  });

  it('a debit balance carried onto the invoice is collected through the receivable', () => {
    const owed = invoice({ id: IN, lines: [invoiceLine({ id: 'il_1', amount: 2_000 })], starting_balance: 300, amount_due: 2_300 });
    expect(triples(asJournal(planInvoice(owed, context())[0]))).toEqual([
      [A.receivable, '23.000', IN],
      [A.customerCredits, '-3.000', IN],
      [A.revenue, '-20.000', 'il_1'],
    ]);
  });

  it('an invoice paid entirely from the customer balance has no receivable', () => {
    const covered = invoice({ id: IN, lines: [invoiceLine({ id: 'il_1', amount: 1_500 })], starting_balance: -4_000, ending_balance: -2_500, amount_due: 0, amount_paid: 0 });
    expect(triples(asJournal(planInvoice(covered, context())[0]))).toEqual([
      [A.customerCredits, '15.000', IN],
      [A.revenue, '-15.000', 'il_1'],
    ]);
  });

  it('accepts null taxes, discount_amounts and pretax_credit_amounts on lines', () => {
    const bare = invoice({ id: IN, lines: [invoiceLine({ id: 'il_1', amount: 4_200, taxes: null, discount_amounts: null, pretax_credit_amounts: null })] });
    expect(triples(asJournal(planInvoice(bare, context())[0]))).toEqual([
      [A.receivable, '42.000', IN],
      [A.revenue, '-42.000', 'il_1'],
    ]);
  });

  it('an invoice paid out of band keeps its receivable for the bookkeeper’s receipt (Stripe moved no money)', () => {
    const outOfBand = invoice({ id: IN, lines: [invoiceLine({ id: 'il_1', amount: 5_000 })], payments: { object: 'list', data: [], has_more: false, url: '' } });
    expect(triples(asJournal(planInvoice(outOfBand, context())[0]))).toEqual([
      [A.receivable, '50.000', IN],
      [A.revenue, '-50.000', 'il_1'],
    ]);
  });

  it('parks an invoice whose lines, shipping and tax do not add up to its total', () => {
    const error = planningError(() => planInvoice(shapedInvoice({ total: 10_300 }), context()));
    expect(error.errorClass).toBe('data');
    expect(error.message).toMatch(/add up to 102\.830 USD but its total is 103\.000 USD/);
  });
});

describe('credit notes before, after and across payment', () => {
  const CN = 'cn_1QxR2mL4kd8sXyZaShape01';
  const paid = shapedInvoice();

  it('pre-payment: clears its share of the receivable on the day the invoice was paid', () => {
    const note = creditNote({ id: CN, invoice: IN, total: 1_000, total_taxes: [{ amount: 77 }], type: 'pre_payment', pre_payment_amount: 1_000, post_payment_amount: 0, effective_at: T0 - 1_800 });
    const [journal, ...rest] = planCreditNote(note, context({ invoiceObjects: [paid] }));
    expect(rest).toEqual([]);
    expectBalanced(asJournal(journal));
    expect(journal!.key).toBe(`${CN}:pre-payment`);
    expect(journal!.postDate).toBe('2026-03-10');
    expect(triples(asJournal(journal))).toEqual([
      [A.refunds, '9.230', CN],
      [A.salesTax, '0.770', CN],
      [A.receivable, '-10.000', CN],
    ]);
  });

  it('pre-payment on an unpaid invoice waits; on a void or uncollectible one books nothing', () => {
    const note = creditNote({ id: CN, invoice: IN, total: 1_000, type: 'pre_payment', pre_payment_amount: 1_000, post_payment_amount: 0 });
    const open = shapedInvoice({ status: 'open', status_transitions: { finalized_at: T0, paid_at: null, voided_at: null, marked_uncollectible_at: null } });
    expect(planningError(() => planCreditNote(note, context({ invoiceObjects: [open] }))).errorClass).toBe('waiting');
    expect(planningError(() => planCreditNote(note, context())).errorClass).toBe('waiting');
    for (const status of ['void', 'uncollectible'] as const) {
      expect(planCreditNote(note, context({ invoiceObjects: [{ ...open, status }] }))).toEqual([]);
    }
  });

  it('mixed: the post-payment part credits the customer now, the pre-payment part clears the receivable', () => {
    // $30.00 with $3.00 tax: $18.00 reduced what was due, $12.00 went to the customer balance.
    const note = creditNote({ id: CN, invoice: IN, total: 3_000, total_taxes: [{ amount: 300 }], type: 'mixed', pre_payment_amount: 1_800, post_payment_amount: 1_200, effective_at: T0 + 600 });
    const documents = planCreditNote(note, context({ invoiceObjects: [paid] }));
    expect(documents.map((document) => document.key)).toEqual([`${CN}:issued`, `${CN}:pre-payment`]);
    expect(triples(asJournal(documents[0]))).toEqual([
      [A.refunds, '10.800', CN],
      [A.salesTax, '1.200', CN],
      [A.customerCredits, '-12.000', CN],
    ]);
    expect(triples(asJournal(documents[1]))).toEqual([
      [A.refunds, '16.200', CN],
      [A.salesTax, '1.800', CN],
      [A.receivable, '-18.000', CN],
    ]);
  });

  it('parks a credit note whose parts do not add up to its total', () => {
    const note = creditNote({ id: CN, total: 3_000, type: 'mixed', pre_payment_amount: 1_000, post_payment_amount: 1_000 });
    expect(planningError(() => planCreditNote(note, context({ invoiceObjects: [paid] }))).errorClass).toBe('data');
  });

  it('invoice, pre-payment credit note and paying charge leave the receivable at zero', () => {
    const saleBt = bt({ id: 'txn_shape_sale', amount: 7_283, fee_details: [fee(241)], source: CH });
    const documents = [
      ...planInvoice(paid, context()),
      ...planCreditNote(creditNote({ id: CN, invoice: IN, total: 1_000, type: 'pre_payment', pre_payment_amount: 1_000, post_payment_amount: 0 }), context({ invoiceObjects: [paid] })),
      ...planCharge(charge({ id: CH, amount: 7_283, payment_intent: PI, balance_transaction: saleBt }), context({ invoices: { [PI]: IN } })),
    ];
    const receivable = documents.flatMap((document) => document.lines).filter((line) => line.acctNo === A.receivable).map((line) => line.amount);
    expect(receivable).toEqual(['82.830', '-10.000', '-72.830']);
  });
});

describe('charges that pay invoices through their PaymentIntent', () => {
  it('a charge whose PaymentIntent an invoice payment names clears the receivable, not Sales', () => {
    const saleBt = bt({ id: 'txn_shape_pi', amount: 7_283, fee_details: [fee(241)], source: CH });
    const journal = asJournal(planCharge(charge({ id: CH, amount: 7_283, payment_intent: PI, balance_transaction: saleBt }), context({ invoices: { [PI]: IN } }))[0]);
    expect(triples(journal)).toEqual([
      [A.clearing, '70.420', 'txn_shape_pi'],
      [A.receivable, '-72.830', 'txn_shape_pi'],
      [A.fees.stripe_fee!, '2.410', 'txn_shape_pi'],
    ]);
  });

  it('invoice payments link by PaymentIntent (open ones too, from finalisation), by charge when there is no PaymentIntent, never when canceled', () => {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-shapes-'));
    const ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
    try {
      const payment = (id: string, status: StripeInvoicePayment['status'], named: StripeInvoicePayment['payment'], invoiceId: string): StripeInvoicePayment => ({
        id,
        object: 'invoice_payment',
        invoice: invoiceId,
        amount_paid: null,
        amount_requested: 1_000,
        currency: 'usd',
        is_default: true,
        status,
        payment: named,
        created: T0,
      });
      storeInvoicePayments(ledger, [
        payment('inpay_open', 'open', { type: 'payment_intent', payment_intent: 'pi_open' }, 'in_open'),
        payment('inpay_charge', 'paid', { type: 'charge', charge: 'ch_nopi' }, 'in_charge'),
        payment('inpay_canceled', 'canceled', { type: 'payment_intent', payment_intent: 'pi_canceled' }, 'in_canceled'),
      ]);
      // An invoice read with its payments included is linked and stored without them.
      storeObjects(ledger, [
        invoice({
          id: 'in_included',
          lines: [invoiceLine({ id: 'il_1', amount: 1_000 })],
          payments: { object: 'list', data: [payment('inpay_inc', 'paid', { type: 'payment_intent', payment_intent: 'pi_included' }, 'in_included')], has_more: false, url: '' },
        }),
      ]);
      const planning = ledgerPlanningContext(ledger, mapping());
      expect(planning.invoiceForCharge({ id: 'ch_a', payment_intent: 'pi_open' })).toBe('in_open');
      expect(planning.invoiceForCharge({ id: 'ch_nopi', payment_intent: null })).toBe('in_charge');
      expect(planning.invoiceForCharge({ id: 'ch_b', payment_intent: 'pi_canceled' })).toBeNull();
      expect(planning.invoiceForCharge({ id: 'ch_c', payment_intent: 'pi_included' })).toBe('in_included');
      expect(ledger.objects.getObject('in_included')?.object).not.toHaveProperty('payments');
    } finally {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('partial capture', () => {
  const RE = 're_3QxR2mL4kd8sXyZaUncapt1';
  // $100.00 authorised, $60.00 captured: Stripe's charge BT is for $100.00 (fee $3.20), and a
  // refund-type BT in category partial_capture_reversal returns the uncaptured $40.00.
  const authorisation = bt({ id: 'txn_auth', amount: 10_000, fee_details: [fee(320)], source: CH });
  const reversal = bt({ id: 'txn_release', amount: -4_000, type: 'refund', reporting_category: 'partial_capture_reversal', source: RE });
  const captured = charge({ id: CH, amount: 10_000, amount_captured: 6_000, amount_refunded: 4_000, balance_transaction: authorisation });

  it('revenue nets to the captured amount and the refunds account is untouched', () => {
    const rows = [
      ...planCharge(captured, context()),
      ...planRefund(refund({ id: RE, charge: CH, amount: 4_000, balance_transaction: reversal }), context()),
    ].flatMap((document) => triples(asJournal(document)));
    expect(rows).toEqual([
      [A.clearing, '96.800', 'txn_auth'],
      [A.revenue, '-100.000', 'txn_auth'],
      [A.fees.stripe_fee!, '3.200', 'txn_auth'],
      [A.clearing, '-40.000', 'txn_release'],
      [A.revenue, '40.000', 'txn_release'],
    ]);
    expect(rows.some(([account]) => account === A.refunds)).toBe(false);
  });

  it('the sales order is for the captured amount', () => {
    const planning = context({ mapping: mapping({ salesOrders: { enabled: true, defaultItemId: 'STRIPE-SALE', warehouseId: 'MAIN' } }) });
    const [order] = planSalesOrder(captured, 'C000001', planning) as SalesOrderDocument[];
    expect(order!.lines.map((line) => line.extAmount)).toEqual(['60.000']);
  });
});

describe('one balance transaction claimed by two objects', () => {
  const RE1 = 're_3QxR2mL4kd8sXyZaOwner01';
  const RE2 = 're_3QxR2mL4kd8sXyZaClaim02';
  const shared = bt({ id: 'txn_shared', amount: -2_500, type: 'refund', reporting_category: 'refund', source: RE1 });

  it('books it with the object Stripe names as its source and parks the other with the reason', () => {
    const planning = context({ bts: [shared] });
    expect(planRefund(refund({ id: RE1, balance_transaction: 'txn_shared' }), planning)).toHaveLength(1);
    const error = planningError(() => planRefund(refund({ id: RE2, balance_transaction: 'txn_shared' }), planning));
    expect(error.errorClass).toBe('data');
    expect(error.message).toContain(`Stripe records that transaction as ${RE1}'s`);
    expect(planningError(() => planCharge(charge({ id: 'ch_other', balance_transaction: 'txn_shared' }), planning)).errorClass).toBe('data');
  });

  describe('when Stripe gives the transaction no source', () => {
    const sourceless = bt({ id: 'txn_nosource', amount: -2_500, type: 'refund', reporting_category: 'refund', source: null });
    const planning = context({ bts: [sourceless], claimants: { txn_nosource: [RE1, RE2] } });

    it('the earliest object naming it books it once and the later claimant is parked with both names', () => {
      const [journal] = planRefund(refund({ id: RE1, amount: 2_500, balance_transaction: 'txn_nosource' }), planning);
      expect(triples(asJournal(journal!))).toEqual([
        [A.clearing, '-25.000', 'txn_nosource'],
        [A.refunds, '25.000', 'txn_nosource'],
      ]);
      const error = planningError(() => planRefund(refund({ id: RE2, amount: 2_500, balance_transaction: 'txn_nosource' }), planning));
      expect(error.errorClass).toBe('data');
      expect(error.message).toContain(`${RE2} names balance transaction txn_nosource, which ${RE1} already claims`);
    });

    it('a sole claimant books it', () => {
      expect(planRefund(refund({ id: RE2, amount: 2_500, balance_transaction: 'txn_nosource' }), context({ bts: [sourceless], claimants: { txn_nosource: [RE2] } }))).toHaveLength(1);
    });

    it('the object whose journal is already in Sage keeps it, even when an earlier claimant turns up later', () => {
      const booked = context({ bts: [sourceless], claimants: { txn_nosource: [RE1, RE2] }, bookedBy: { txn_nosource: RE2 } });
      expect(planRefund(refund({ id: RE2, amount: 2_500, balance_transaction: 'txn_nosource' }), booked)).toHaveLength(1);
      const error = planningError(() => planRefund(refund({ id: RE1, amount: 2_500, balance_transaction: 'txn_nosource' }), booked));
      expect(error.errorClass).toBe('data');
      expect(error.message).toContain(`${RE1} names balance transaction txn_nosource, which ${RE2} already booked in Sage`);
    });
  });
});
