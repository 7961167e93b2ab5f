import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeCharge, StripeCustomer } from '../../main/core/stripe/objects.js';
import type { IssuedInvoice } from '../../main/simulators/stripe/billing-shapes.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Invoices, credit notes and partial captures as Stripe shapes them, end to end: scripted in
 * the Stripe simulator, read over HTTP by the engine, written to the Sage 500 sandbox. Each
 * Sage document is compared row by row (GL account as Sage stores it, amount in thousandths, date)
 * with rows worked out by hand from the Stripe amounts below (8.25 % tax, card fee 2.9 % + 30¢);
 * no production code computes the expectation.
 */

const DAY = 86_400;
/** The simulator's default now, 2026-11-02 12:00 UTC, is 06:00 on 2 November in Chicago. */
const DAY_1 = '2026-11-02';
const DAY_2 = '2026-11-03';

let books: SimulatedBooks;
let customer: StripeCustomer;
let shaped: IssuedInvoice;
let shapedCharge: StripeCharge;
let mixed: IssuedInvoice;
let consuming: IssuedInvoice;
let consumingCharge: StripeCharge;
let outOfBand: IssuedInvoice;
let refunded: IssuedInvoice;
let refundedCharge: StripeCharge;
const ids: Record<string, string> = {};

beforeAll(async () => {
  books = await openBooks({ seed: 1414, days: 2 }, 's5sync-shapes-');
  const sim = books.simulator;
  const { billing } = sim;
  customer = sim.objects('customer')[0]!;
  const second = sim.objects('customer')[1]!;
  const third = sim.objects('customer')[2]!;
  // Dashboard balance adjustments put the customers in a known state: the first holds 20.00 credit.
  billing.adjustBalance(customer.id, -2_000 - billing.balanceOf(customer.id));
  billing.adjustBalance(second.id, -billing.balanceOf(second.id));
  billing.adjustBalance(third.id, -billing.balanceOf(third.id));

  // 1. Line 100.00, discount 10.00, credit grant 5.00, tax 7.01 on 85.00; shipping 10.00 + 0.83
  //    tax: total 102.84; 20.00 credit applied → 82.84 due; a 10.00 (0.77 tax) credit note
  //    before payment → 72.84 due, paid the next day by a charge on the invoice's PaymentIntent.
  shaped = billing.finalise(sim.now(), customer, {
    lines: [{ description: 'Gear Club Pro', amount: 10_000, discount: 1_000, creditGrant: 500, taxed: true }],
    shipping: { amount: 1_000, taxed: true },
  });
  ids.prePaymentNote = billing.creditBeforePayment(sim.now(), shaped, 1_000, 77).id;

  // 2. 30.00 due, a 35.00 credit note before payment: 30.00 pre-payment, 5.00 to the balance (mixed).
  mixed = billing.finalise(sim.now(), second, { lines: [{ description: 'Rental insurance', amount: 3_000 }] });
  ids.mixedNote = billing.creditBeforePayment(sim.now(), mixed, 3_500, 0).id;

  // 3. Paid out of band (a cheque): 40.00.
  outOfBand = billing.finalise(sim.now(), third, { lines: [{ description: 'Maintenance plan', amount: 4_000 }] });

  // 4. Partial capture: 100.00 authorised, 60.00 captured, fee 2.04.
  const capture = billing.partialCapture(sim.now(), customer, 10_000, 6_000);
  ids.partialCharge = capture.charge.id;
  ids.partialChargeBt = capture.charge.balance_transaction as string;
  ids.reversal = capture.refund.id;
  ids.reversalBt = capture.refund.balance_transaction as string;

  sim.advanceSeconds(DAY, { generate: false });
  shapedCharge = billing.pay(sim.now(), shaped, customer)!;
  expect(billing.pay(sim.now(), mixed, second)).toBeNull();
  billing.payOutOfBand(sim.now(), outOfBand);
  // 5. The second customer's 5.00 credit is consumed by their next invoice of 20.00: 15.00 due.
  consuming = billing.finalise(sim.now(), second, { lines: [{ description: 'Additional seat', amount: 2_000 }] });
  consumingCharge = billing.pay(sim.now(), consuming, second)!;
  // 6. Paid 54.13 (50.00 + 4.13 tax), then a 10.00 (0.77 tax) credit note refunded to the card.
  refunded = billing.finalise(sim.now(), third, { lines: [{ description: 'Gear Club Basic', amount: 5_000, taxed: true }] });
  refundedCharge = billing.pay(sim.now(), refunded, third)!;
  const note = billing.creditAfterPayment(sim.now(), refunded.invoice, refundedCharge, 1_000, 77);
  ids.postPaymentNote = note.id;
  ids.noteRefund = note.refunds[0]!.refund;
  // 7. A second refund naming the partial-capture reversal's transaction.
  ids.claimant = billing.refundClaimingTransactionOf(sim.now(), capture.refund).id;

  await books.sync();
}, 120_000);

afterAll(async () => {
  await books.close();
});

type Row = [account: string, thousandths: number, date: string];

function rowsOf(docKey: string): Row[] {
  return books
    .sageSql<{ account: string; amount: number; tranDate: string }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS tranDate
       FROM tciStripeXref_STRIPE x
       JOIN tglJournalDetl d ON x.SageTable = 'tglJournalHdr' AND d.JrnlHdrKey = x.SageKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
       WHERE x.DocKey = ?
       ORDER BY a.GLAcctNo, d.PostAmt`,
      docKey,
    )
    .map((row): Row => [row.account, row.amount, row.tranDate]);
}

function sorted(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1));
}

function docKeysOf(objectId: string): string[] {
  return books.sageSql<{ DocKey: string }>(`SELECT DocKey FROM tciStripeXref_STRIPE WHERE DocKey LIKE ? || ':%' ORDER BY DocKey`, objectId).map((row) => row.DocKey);
}

describe('invoices as Stripe shapes them, through HTTP into the Sage sandbox', () => {
  it('books the receivable at what was due, the balance applied, shipping and credits; the paying charge clears the receivable, not Sales', () => {
    expect(rowsOf(`${shaped.invoice.id}:paid`)).toEqual(
      sorted([
        ['120000', 82_840, DAY_2], // 72.84 due + 10.00 the pre-payment credit note clears
        ['230000', 20_000, DAY_2], // the 20.00 credit consumed
        ['400000', -85_000, DAY_2], // 100.00 − 10.00 − 5.00
        ['400000', -10_000, DAY_2], // shipping
        ['220000', -7_840, DAY_2], // 7.01 + 0.83
      ]),
    );
    expect(rowsOf(`${ids.prePaymentNote}:pre-payment`)).toEqual(
      sorted([
        ['490000', 9_230, DAY_2],
        ['220000', 770, DAY_2],
        ['120000', -10_000, DAY_2],
      ]),
    );
    // 72.84 charged, fee 2.11 + 0.30 = 2.41.
    expect(rowsOf(`${shapedCharge.id}:${shapedCharge.balance_transaction as string}`)).toEqual(
      sorted([
        ['105000', 70_430, DAY_2],
        ['120000', -72_840, DAY_2],
        ['615000', 2_410, DAY_2],
      ]),
    );
  });

  it('a mixed credit note: the excess credits the customer, the rest clears the receivable; the next invoice consumes the credit', () => {
    expect(rowsOf(`${mixed.invoice.id}:paid`)).toEqual(sorted([['120000', 30_000, DAY_2], ['400000', -30_000, DAY_2]]));
    expect(rowsOf(`${ids.mixedNote}:issued`)).toEqual(sorted([['490000', 5_000, DAY_1], ['230000', -5_000, DAY_1]]));
    expect(rowsOf(`${ids.mixedNote}:pre-payment`)).toEqual(sorted([['490000', 30_000, DAY_2], ['120000', -30_000, DAY_2]]));
    expect(rowsOf(`${consuming.invoice.id}:paid`)).toEqual(sorted([['120000', 15_000, DAY_2], ['230000', 5_000, DAY_2], ['400000', -20_000, DAY_2]]));
    // 15.00 charged, fee 0.44 + 0.30 = 0.74.
    expect(rowsOf(`${consumingCharge.id}:${consumingCharge.balance_transaction as string}`)).toEqual(
      sorted([['105000', 14_260, DAY_2], ['120000', -15_000, DAY_2], ['615000', 740, DAY_2]]),
    );
  });

  it('an invoice paid out of band books its receivable and nothing moves through clearing', () => {
    expect(rowsOf(`${outOfBand.invoice.id}:paid`)).toEqual(sorted([['120000', 40_000, DAY_2], ['400000', -40_000, DAY_2]]));
    expect(docKeysOf(outOfBand.invoice.id)).toEqual([`${outOfBand.invoice.id}:paid`]);
  });

  it('a post-payment credit note refunded to the card goes through the receivable', () => {
    expect(rowsOf(`${refunded.invoice.id}:paid`)).toEqual(sorted([['120000', 54_130, DAY_2], ['400000', -50_000, DAY_2], ['220000', -4_130, DAY_2]]));
    expect(rowsOf(`${ids.postPaymentNote}:issued`)).toEqual(sorted([['490000', 9_230, DAY_2], ['220000', 770, DAY_2], ['120000', -10_000, DAY_2]]));
    const refundKey = docKeysOf(ids.noteRefund!);
    expect(refundKey).toHaveLength(1);
    expect(rowsOf(refundKey[0]!)).toEqual(sorted([['120000', 10_000, DAY_2], ['105000', -10_000, DAY_2]]));
  });

  it('partial capture: Sales nets to the captured amount, no refund is booked, the reversal goes against Sales', () => {
    expect(rowsOf(`${ids.partialCharge}:${ids.partialChargeBt}`)).toEqual(
      sorted([['105000', 97_960, DAY_1], ['400000', -100_000, DAY_1], ['615000', 2_040, DAY_1]]),
    );
    expect(rowsOf(`${ids.reversal}:${ids.reversalBt}`)).toEqual(sorted([['105000', -40_000, DAY_1], ['400000', 40_000, DAY_1]]));
  });

  it('a second object claiming a balance transaction is parked with the reason and books nothing', () => {
    expect(docKeysOf(ids.claimant!)).toEqual([]);
    const issues = books.ledgerSql<{ error_class: string; message: string }>('SELECT error_class, message FROM object_issues WHERE object_id = ?', ids.claimant);
    expect(issues).toEqual([{ error_class: 'data', message: expect.stringContaining(`Stripe records that transaction as ${ids.reversal}'s`) }]);
  });

  it('leaves the receivable at zero across the scripted invoices', () => {
    const objectIds = [shaped.invoice.id, ids.prePaymentNote, shapedCharge.id, mixed.invoice.id, ids.mixedNote, consuming.invoice.id, consumingCharge.id, refunded.invoice.id, refundedCharge.id, ids.postPaymentNote, ids.noteRefund];
    const receivable = objectIds.flatMap((id) => docKeysOf(id!)).flatMap(rowsOf).filter(([account]) => account === '120000');
    expect(receivable.reduce((sum, [, amount]) => sum + amount, 0)).toBe(0);
  });
});
