import { describe, expect, it } from 'vitest';
import { referencesInText } from '../../main/core/ar/invoice-references.js';
import type { OpenInvoice, OpenInvoiceReader } from '../../main/core/ar/open-invoices.js';
import { matchPayment, type PaymentFacts } from '../../main/core/ar/payment-match.js';

/** Matching a Stripe payment to an open Sage invoice: applied only when certain, else confirmed by the user. */

function invoice(tranNo: number, custId: string, openBalance: bigint): OpenInvoice {
  const padded = String(tranNo).padStart(10, '0');
  return { invcKey: tranNo, tranId: `${padded}-IN`, tranNo: padded, custId, tranDate: '2026-11-01', openBalance };
}

/** Sage's open invoices as a list, looked up literally (TranID or the stored TranNo), as SQL would. */
function reader(invoices: OpenInvoice[]): OpenInvoiceReader & { reads: string[][] } {
  const reads: string[][] = [];
  return {
    reads,
    byReference: (references) => {
      reads.push([...references]);
      return Promise.resolve(invoices.filter((entry) => references.includes(entry.tranId) || references.includes(entry.tranNo)));
    },
    ofCustomer: (custId) => Promise.resolve(invoices.filter((entry) => entry.custId === custId)),
  };
}

const facts = (overrides: Partial<PaymentFacts>): PaymentFacts => ({
  paymentId: 'ch_1',
  custId: 'ADA',
  amount: 125_000n,
  metadataReference: null,
  descriptionReferences: [],
  ...overrides,
});

describe('matchPayment', () => {
  const books = [invoice(1234, 'ADA', 125_000n), invoice(1235, 'ADA', 80_000n), invoice(1236, 'ADA', 80_000n), invoice(2001, 'BOB', 125_000n)];

  it('applies the invoice the metadata names, with or without the zero padding', async () => {
    for (const reference of ['1234', '0000001234', '0000001234-in', '#1234']) {
      const match = await matchPayment(facts({ metadataReference: reference }), reader(books), null);
      expect(match).toMatchObject({ kind: 'apply', custId: 'ADA', amount: 125_000n, partial: false, by: 'metadata', invoice: { tranId: '0000001234-IN' } });
    }
  });

  it('applies a smaller payment as partial, leaving the rest open', async () => {
    const match = await matchPayment(facts({ metadataReference: '1234', amount: 50_000n }), reader(books), null);
    expect(match).toMatchObject({ kind: 'apply', amount: 50_000n, partial: true });
  });

  it('asks the user when the payment is more than the open balance', async () => {
    const match = await matchPayment(facts({ metadataReference: '1235', amount: 90_000n }), reader(books), null);
    expect(match).toMatchObject({ kind: 'confirm', candidates: [{ tranNo: '0000001235' }] });
    expect(match.kind === 'confirm' && match.reason).toContain('more than the open balance');
  });

  it("asks the user when the named invoice is another customer's", async () => {
    const match = await matchPayment(facts({ metadataReference: '2001' }), reader(books), null);
    expect(match).toMatchObject({ kind: 'confirm', candidates: [{ custId: 'BOB' }] });
  });

  it('asks the user, and does not fall back to the balance, when the metadata names no open invoice', async () => {
    const match = await matchPayment(facts({ metadataReference: '9999' }), reader(books), null);
    expect(match).toMatchObject({ kind: 'confirm', candidates: [] });
  });

  it('finds an invoice number in the description; two numbers are ambiguous', async () => {
    const one = await matchPayment(facts({ descriptionReferences: referencesInText('Payment for invoice 1234, 3 months') }), reader(books), null);
    expect(one).toMatchObject({ kind: 'apply', by: 'description', invoice: { tranNo: '0000001234' } });
    const two = await matchPayment(facts({ descriptionReferences: referencesInText('Invoices 1234 and 1235') }), reader(books), null);
    expect(two).toMatchObject({ kind: 'confirm', candidates: [{ tranNo: '0000001234' }, { tranNo: '0000001235' }] });
  });

  it('never applies a description match for a payment without a Sage customer', async () => {
    const match = await matchPayment(facts({ custId: null, descriptionReferences: referencesInText('inv 1234') }), reader(books), null);
    expect(match.kind).toBe('confirm');
  });

  it("matches the payer's one invoice with exactly that open balance; two are ambiguous; none is unmatched", async () => {
    expect(await matchPayment(facts({}), reader(books), null)).toMatchObject({ kind: 'apply', by: 'open-balance', invoice: { tranNo: '0000001234' } });
    expect(await matchPayment(facts({ amount: 80_000n }), reader(books), null)).toMatchObject({ kind: 'confirm', candidates: [{ invcKey: 1235 }, { invcKey: 1236 }] });
    expect(await matchPayment(facts({ amount: 80_001n }), reader(books), null)).toMatchObject({ kind: 'unmatched', custId: 'ADA' });
    expect(await matchPayment(facts({ custId: null }), reader(books), null)).toMatchObject({ kind: 'gl' });
  });

  it("follows the user's decision: an invoice (even another customer's), on account, or GL", async () => {
    expect(await matchPayment(facts({ amount: 80_000n }), reader(books), { kind: 'apply', tranId: '0000001236-IN' })).toMatchObject({
      kind: 'apply', by: 'confirmed', invoice: { invcKey: 1236 },
    });
    expect(await matchPayment(facts({}), reader(books), { kind: 'apply', tranId: '2001' })).toMatchObject({ kind: 'apply', custId: 'BOB' });
    expect(await matchPayment(facts({}), reader(books), { kind: 'on-account' })).toMatchObject({ kind: 'unmatched', custId: 'ADA' });
    expect(await matchPayment(facts({}), reader(books), { kind: 'gl' })).toMatchObject({ kind: 'gl' });
    // The chosen invoice was paid meanwhile: back to the user.
    expect(await matchPayment(facts({}), reader(books), { kind: 'apply', tranId: '7777' })).toMatchObject({ kind: 'confirm' });
  });
});

describe('referencesInText', () => {
  it('takes words with a digit, a bare number only from four digits, and pads numbers to a TranNo', () => {
    expect(referencesInText('Invoice #1234 for 3 seats, ref 0000001234-IN')).toEqual(['1234', '0000001234', '0000001234-IN']);
    expect(referencesInText('2 seats for 12 months')).toEqual([]);
    expect(referencesInText(null)).toEqual([]);
  });

  it('never matches by open balance alone when told not to (a Stripe invoice\'s payment)', async () => {
    const books = [invoice(1234, 'ADA', 125_000n), invoice(1235, 'ADA', 80_000n)];
    expect(await matchPayment(facts({ amount: 125_000n }), reader(books), null, { byOpenBalance: false })).toMatchObject({ kind: 'gl' });
    expect(await matchPayment(facts({ amount: 80_000n }), reader(books), null, { byOpenBalance: false })).toMatchObject({ kind: 'gl' });
    expect(await matchPayment(facts({ amount: 80_000n, descriptionReferences: referencesInText('Invoice 1235') }), reader(books), null, { byOpenBalance: false })).toMatchObject({
      kind: 'apply',
      invoice: { tranId: '0000001235-IN' },
    });
  });
});
