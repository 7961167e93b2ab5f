import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import type { StripeCharge, StripeCustomer, StripeInvoice } from '../../main/core/stripe/objects.js';
import type { InvoiceSpec } from '../../main/simulators/stripe/billing-shapes.js';
import { applications, glLines, openArSite, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * A shop that bills its Sage invoices through Stripe Invoicing (issue #21): the Stripe invoice
 * names the Sage invoice in a custom field, its number or its memo, and the customer pays it on
 * Stripe's hosted page. The payment becomes an AR cash receipt applied to the Sage invoice and
 * the Stripe invoice books no revenue (the Sage invoice did); a Stripe invoice that names no open
 * Sage invoice is booked as before, whatever its amount; a doubtful one waits for the user.
 */

describe('Stripe invoices that collect Sage invoices', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  function bill(s: ArSite, who: StripeCustomer, amount: number, spec: Omit<InvoiceSpec, 'lines'>): { invoice: StripeInvoice; charge: StripeCharge } {
    const simulator = s.books.simulator;
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), who, { lines: [{ description: 'Services', amount }], ...spec });
    simulator.advanceSeconds(60, { generate: false });
    const charge = simulator.billing.pay(simulator.now(), issued, who)!;
    return { invoice: issued.invoice, charge };
  }

  const fee = (s: ArSite, charge: StripeCharge): number => s.books.simulator.object('balance_transaction', charge.balance_transaction as string)!.fee * 10;
  const invoiceJournal = (s: ArSite, invoice: StripeInvoice) =>
    s.books.ledgerSql<{ state: string; skip_reason: string | null }>('SELECT state, skip_reason FROM documents WHERE doc_key = ?', `${invoice.id}:paid`)[0];

  it('applies the payment to the Sage invoice a custom field, the number or the memo names, books no Stripe revenue for it, and leaves other invoices in GL', async () => {
    const s = (site = await openArSite());
    await proveCashReceipt(s);

    const byField = bill(s, s.ada.stripe, 12_500, { customFields: [{ name: 'Sage invoice', value: '5001' }, { name: 'PO number', value: '5002' }] });
    const byNumber = bill(s, s.bob.stripe, 5_000, { number: '0000005003' });
    const byMemo = bill(s, s.ada.stripe, 20_000, { description: 'Balance of Sage invoice 5002' });
    // Bob owes 60.00 twice in Sage; a Stripe invoice of 60.00 naming nothing is Stripe revenue, not a guess.
    const plain = bill(s, s.bob.stripe, 6_000, {});
    await syncAgain(s);

    const byComment = <T extends { TranCmnt: string }>(rows: T[]): T[] => [...rows].sort((a, b) => (a.TranCmnt < b.TranCmnt ? -1 : 1));
    expect(receipts(s).map(({ CustID, TranAmt, UnappliedAmt, TranCmnt }) => ({ CustID, TranAmt, UnappliedAmt, TranCmnt }))).toEqual(byComment([
      { CustID: s.ada.custId, TranAmt: 125_000, UnappliedAmt: 0, TranCmnt: `Stripe ${byField.charge.id}` },
      { CustID: s.bob.custId, TranAmt: 50_000, UnappliedAmt: 0, TranCmnt: `Stripe ${byNumber.charge.id}` },
      { CustID: s.ada.custId, TranAmt: 200_000, UnappliedAmt: 0, TranCmnt: `Stripe ${byMemo.charge.id}` },
    ]));
    expect(applications(s)).toEqual(byComment([
      { TranCmnt: `Stripe ${byField.charge.id}`, ApplyToTranID: '0000005001-IN', PmtAmt: 125_000 },
      // Partial: 30.00 of invoice 5003 stays open.
      { TranCmnt: `Stripe ${byNumber.charge.id}`, ApplyToTranID: '0000005003-IN', PmtAmt: 50_000 },
      { TranCmnt: `Stripe ${byMemo.charge.id}`, ApplyToTranID: '0000005002-IN', PmtAmt: 200_000 },
    ]));
    for (const collected of [byField, byNumber, byMemo]) {
      // No revenue, tax or receivable line for the Stripe invoice; the charge leaves only its fee in GL.
      expect(glLines(s, collected.invoice.number!)).toEqual([]);
      expect(glLines(s, collected.charge.id)).toEqual([
        { GLAcctNo: '615000', PostAmt: fee(s, collected.charge) },
        { GLAcctNo: '105000', PostAmt: -fee(s, collected.charge) },
      ]);
      expect(invoiceJournal(s, collected.invoice)).toMatchObject({ state: 'skipped', skip_reason: expect.stringMatching(/collected Sage invoice 00000050/) });
    }
    // The plain invoice: revenue booked from the Stripe invoice, its charge clears the Stripe receivable.
    expect(glLines(s, plain.invoice.number!)).toEqual([
      { GLAcctNo: '120000', PostAmt: 60_000 },
      { GLAcctNo: '400000', PostAmt: -60_000 },
    ]);
    expect(glLines(s, plain.charge.id).find((line) => line.GLAcctNo === '120000')).toEqual({ GLAcctNo: '120000', PostAmt: -60_000 });
    expect(new ArConfirmationFile(join(s.books.dir, 'data')).pending()).toEqual([]);

    // Nothing twice, however often the sync runs.
    await syncAgain(s);
    expect(receipts(s)).toHaveLength(3);
    expect(glLines(s, byField.invoice.number!)).toEqual([]);
  });

  it('waits for the user when the Stripe invoice names a Sage invoice that is not open, then books what they chose', async () => {
    const s = (site = await openArSite());
    await proveCashReceipt(s);
    const doubtful = bill(s, s.ada.stripe, 4_000, { customFields: [{ name: 'sage_invoice', value: '9999' }] });
    await syncAgain(s);
    const confirmations = new ArConfirmationFile(join(s.books.dir, 'data'));
    expect(confirmations.pending()).toEqual([expect.objectContaining({ paymentId: doubtful.invoice.id, amount: '40.000', candidates: [] })]);
    expect(glLines(s, doubtful.invoice.number!)).toEqual([]);
    expect(glLines(s, doubtful.charge.id)).toEqual([]);

    confirmations.decide(doubtful.invoice.id, { kind: 'gl' });
    await syncAgain(s);
    expect(glLines(s, doubtful.invoice.number!)).toEqual([
      { GLAcctNo: '120000', PostAmt: 40_000 },
      { GLAcctNo: '400000', PostAmt: -40_000 },
    ]);
    expect(glLines(s, doubtful.charge.id).find((line) => line.GLAcctNo === '120000')).toEqual({ GLAcctNo: '120000', PostAmt: -40_000 });
    expect(receipts(s)).toEqual([]);
  });
});
