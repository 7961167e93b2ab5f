import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateInvoiceLines, validateObject } from '../../main/adapters/stripe/response-validation.js';
import { storeSpineTransactions } from '../../main/core/engine/balance-transaction-spine.js';
import { splitExpandedBalanceTransactions } from '../../main/core/engine/normalise.js';
import { storeInvoicePayments } from '../../main/core/engine/object-store.js';
import type { Ledger } from '../../main/core/ports/ledger.js';
import type { StripeListPath } from '../../main/core/ports/stripe-api.js';
import { planCharge } from '../../main/core/posting/charge-plan.js';
import { planCreditNote } from '../../main/core/posting/credit-note-plan.js';
import { invoiceLineRevenue } from '../../main/core/posting/invoice-line-revenue.js';
import { planInvoice } from '../../main/core/posting/invoice-plan.js';
import { planMoneyObject } from '../../main/core/posting/plan-object.js';
import { planPayout } from '../../main/core/posting/payout-plan.js';
import { planRefund } from '../../main/core/posting/refund-plan.js';
import { planStandaloneTransaction } from '../../main/core/posting/standalone-transaction-plan.js';
import { proveTieOut } from '../../main/core/reconciliation/tie-out.js';
import { objectFacts } from '../../main/core/rules/rule-facts.js';
import type {
  StripeBalanceTransaction,
  StripeCharge,
  StripeCreditNote,
  StripeDispute,
  StripeInvoice,
  StripeInvoiceLine,
  StripeInvoicePayment,
  StripePayout,
  StripeRefund,
} from '../../main/core/stripe/objects.js';
import { asJournal, expectBalanced, triples } from './fixtures/journal-checks.js';
import { planningError } from './fixtures/planning-error.js';
import { context, mapping } from './fixtures/stripe.js';

/**
 * The example objects of Stripe's API reference (test/fixtures/stripe-reference, unedited) through
 * the engine: the adapter's validation accepts each, normalisation keeps it, and planning books
 * what Stripe's example describes, or parks it with the reason where the example's placeholder
 * values do not describe money that can be booked. Expected rows are worked out by hand.
 */

function reference<T>(name: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'stripe-reference', `${name}.json`), 'utf8')) as T;
}

const A = mapping().accounts;
const balanceTransaction = reference<StripeBalanceTransaction>('balance_transaction');
const charge = reference<StripeCharge>('charge');

describe('Stripe API reference examples', () => {
  it.each([
    ['charges', 'charge'],
    ['refunds', 'refund'],
    ['disputes', 'dispute'],
    ['invoices', 'invoice'],
    ['invoice_payments', 'invoice_payment'],
    ['credit_notes', 'credit_note'],
    ['customers', 'customer'],
    ['payouts', 'payout'],
    ['balance_transactions', 'balance_transaction'],
    ['events', 'event'],
  ] as [StripeListPath, string][])('the adapter accepts the %s example', (path, name) => {
    expect(validateObject(path, reference(name))).toBeNull();
  });

  it('accepts the invoice line example, whose taxes and pre-tax credits are null', () => {
    const line = reference<StripeInvoiceLine>('line_item');
    expect(validateInvoiceLines({ object: 'list', data: [line], has_more: false, url: '/v1/invoices/in_x/lines' })).toBeNull();
    const invoice = { ...reference<StripeInvoice>('invoice'), lines: { object: 'list' as const, data: [line], has_more: false, url: '' } };
    expect(invoiceLineRevenue(invoice)).toEqual([{ id: line.id, description: line.description, product: null, quantity: 1, revenue: 1_000, tax: 0 }]);
  });

  it('charge and dispute: the rules read the payment method where Stripe puts it (payment_method_details.type and .card.brand)', () => {
    expect(objectFacts(charge, context(), balanceTransaction)).toMatchObject({ paymentMethodType: 'card', cardBrand: 'visa' });
    // The dispute example is an inquiry on the example charge: its facts are the charge's.
    const dispute = reference<StripeDispute>('dispute');
    expect(dispute.charge).toBe(charge.id);
    expect(objectFacts(dispute, context({ objects: [charge] }), null)).toMatchObject({ kind: 'dispute', paymentMethodType: 'card', cardBrand: 'visa' });
  });

  it('top-up: the example, as the expanded source of a topup transaction, is accepted, not stored as an object the sync books, and the money is booked against the bank', () => {
    const topup = reference<{ id: string; object: string; amount: number; currency: string }>('topup');
    expect(topup.object).toBe('topup');
    // Stripe lists the transaction with its source expanded; amounts and type are the top-up's (the example transaction is a charge's).
    const listed = { ...balanceTransaction, id: 'txn_reference_topup', type: 'topup', reporting_category: 'topup', amount: topup.amount, fee: 0, net: topup.amount, source: topup } as unknown as StripeBalanceTransaction;
    expect(validateObject('balance_transactions', listed)).toBeNull();
    const storedObjects: unknown[] = [];
    const storedTransactions: StripeBalanceTransaction[] = [];
    const ledger = {
      // A read page commits once: the store runs inside the ledger's transaction.
      inTransaction: <T>(work: () => T): T => work(),
      objects: {
        getObject: () => null,
        storedObjectIds: () => new Set<string>(),
        upsertObjects: (objects: unknown[]) => storedObjects.push(...objects),
        upsertBalanceTransactions: (bts: StripeBalanceTransaction[]) => storedTransactions.push(...bts),
      },
    } as unknown as Ledger;
    storeSpineTransactions(ledger, [listed]);
    expect(storedObjects).toEqual([]);
    expect(storedTransactions.map((bt) => bt.id)).toEqual(['txn_reference_topup']);
    const plan = planStandaloneTransaction(listed, mapping());
    const journal = asJournal(plan?.document);
    expectBalanced(journal);
    expect(triples(journal)).toEqual([
      [A.clearing, '10.000', 'txn_reference_topup'],
      [A.bank, '-10.000', 'txn_reference_topup'],
    ]);
  });

  it('charge: the example is authorised but not captured, so it books nothing; captured, it books its balance transaction', () => {
    expect(charge.captured).toBe(false);
    expect(planCharge(charge, context({ bts: [balanceTransaction] }))).toEqual([]);
    // The example's balance transaction names the example charge as its source: 1.00 USD, no fee.
    const captured = { ...charge, captured: true, amount_captured: 100 };
    const normalised = splitExpandedBalanceTransactions({ ...captured, balance_transaction: balanceTransaction });
    expect(normalised.balanceTransactions).toEqual([balanceTransaction]);
    const journal = asJournal(planCharge(normalised.object as StripeCharge, context({ bts: [balanceTransaction] }))[0]);
    expectBalanced(journal);
    expect(triples(journal)).toEqual([
      [A.clearing, '1.000', balanceTransaction.id],
      [A.revenue, '-1.000', balanceTransaction.id],
    ]);
    // 1234567890 is 13 February 2009 23:31 UTC, 17:31 in Chicago.
    expect(journal.postDate).toBe('2009-02-13');
  });

  it('refund: the example has no balance transaction yet, so it books nothing', () => {
    const refund = reference<StripeRefund>('refund');
    expect(refund.balance_transaction).toBeNull();
    expect(planRefund(refund, context())).toEqual([]);
  });

  it('dispute: the example (a dp_ inquiry) has moved no money, so it books nothing', () => {
    const dispute = reference<StripeDispute>('dispute');
    expect(dispute.balance_transactions).toEqual([]);
    expect(planMoneyObject(dispute, context())).toEqual([]);
  });

  it('invoice: the example is a draft, so it books nothing; its shipping placeholders would park it once paid', () => {
    const invoice = reference<StripeInvoice>('invoice');
    expect(planInvoice(invoice, context())).toEqual([]);
    const paid = { ...invoice, status: 'paid' as const, status_transitions: { ...invoice.status_transitions, paid_at: invoice.created } };
    const error = planningError(() => planInvoice(paid, context()));
    expect(error.errorClass).toBe('data');
    expect(error.message).toMatch(/add up to .* but its total is 10\.000 USD/);
  });

  it('invoice payment: the example names no PaymentIntent id, so nothing is linked and nothing fails', () => {
    const links: [string, string][] = [];
    const ledger = {
      inTransaction: <T>(work: () => T): T => work(),
      objects: { linkInvoicePayment: (payment: string, invoice: string) => links.push([payment, invoice]) },
    } as unknown as Ledger;
    const payment = reference<StripeInvoicePayment>('invoice_payment');
    expect(payment.payment.type).toBe('payment_intent');
    storeInvoicePayments(ledger, [payment]);
    expect(links).toEqual([]);
    storeInvoicePayments(ledger, [{ ...payment, payment: { type: 'payment_intent', payment_intent: 'pi_reference' } }]);
    expect(links).toEqual([['pi_reference', 'invoice']]);
  });

  it('credit note: the example’s parts do not add up to its total, so it is parked with that reason', () => {
    const note = reference<StripeCreditNote>('credit_note');
    const error = planningError(() => planCreditNote(note, context()));
    expect(error.errorClass).toBe('data');
    expect(error.message).toContain('do not add up to its total (1690)');
  });

  it('payout: the example is in transit (not booked yet) and names the example charge’s balance transaction, which is parked', () => {
    const payout = reference<StripePayout>('payout');
    const tieOut = proveTieOut({ payout, items: null, isBooked: () => false });
    expect(tieOut).toMatchObject({ ok: false, block: 'not-paid-yet' });
    const error = planningError(() => planPayout(payout, context({ bts: [balanceTransaction] })));
    expect(error.errorClass).toBe('data');
    expect(error.message).toContain(`Stripe records that transaction as ${charge.id}'s`);
  });
});
