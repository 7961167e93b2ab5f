import { describe, expect, it } from 'vitest';
import type { HeldPayment } from '../../main/core/engine/paying-charge-in-gl.js';
import { saleInChargePlan, type PaidBy } from '../../main/core/engine/sale-in-charge.js';
import { PlanningError } from '../../main/core/posting/planning-error.js';
import type { ArCashReceipt, JournalDocument } from '../../main/core/sage/documents.js';
import { invoice, invoiceLine, mapping } from './fixtures/stripe.js';

/**
 * The journal of a Stripe invoice whose charges booked its sale before the invoice payment was
 * known (issue #21), for the cases the end-to-end tests cannot stage: a second payment not read
 * yet, charges that add up to more than was due, a receipt that is the invoice's own collection
 * or not in Sage yet, and a customer's debit balance carried onto the invoice. Amounts worked by
 * hand.
 */

const journal: JournalDocument = {
  type: 'journal',
  key: 'in_1:paid',
  postDate: '2026-03-12',
  stripeObjectId: 'in_1',
  description: 'Stripe invoice A1B2C3D4-0001 paid',
  lines: [
    { acctNo: '1200-00', amount: '100.000', comment: 'due', traceId: 'in_1' },
    { acctNo: '4000-00', amount: '-100.000', comment: 'services', traceId: 'il_1' },
  ],
};
const paid = invoice({ id: 'in_1', lines: [invoiceLine({ id: 'il_1', amount: 10_000 })] });

function toRevenue(chargeId: string, gross: bigint, amount: string): PaidBy {
  const held: HeldPayment = {
    kind: 'gl',
    journal: { chargeId, postDate: '2026-03-10', inSage: true, creditsReceivable: false },
    gross,
    credits: [{ acctNo: '4000-00', amount: `-${amount}`, comment: 'sale', traceId: `txn_${chargeId}` }],
  };
  return { chargeId, gross, held };
}

function receipt(chargeId: string, inSage: boolean, fields: Partial<ArCashReceipt> = {}): PaidBy {
  const arReceipt: ArCashReceipt = {
    custId: 'ADA',
    amount: '100.000',
    cashAcctNo: '1050-00',
    comment: `Stripe ${chargeId}`,
    applyTo: { invcKey: 5, tranId: '0000005001-IN', amount: '100.000' },
    matchedBy: 'metadata',
    ...fields,
  };
  return { chargeId, gross: 100_000n, held: { kind: 'receipt', chargeId, postDate: '2026-03-10', inSage, receipt: arReceipt } };
}

const planningError = (run: () => unknown): PlanningError => {
  try {
    run();
  } catch (error) {
    if (error instanceof PlanningError) return error;
    throw error;
  }
  throw new Error('no PlanningError');
};

describe("a Stripe invoice's journal when its charges booked the sale", () => {
  it('waits, naming the amounts, while the charges read add up to less than was due (the second payment not read yet), instead of being skipped for good', () => {
    const error = planningError(() => saleInChargePlan(journal, paid, [toRevenue('ch_A', 60_000n, '60.000')], null, mapping()));
    expect(error.errorClass).toBe('waiting');
    expect(error.message).toBe(
      'Stripe invoice A1B2C3D4-0001 was due 100.000 (amount_due), but the charges read that paid it add up to 60.000: ch_A 60.000 (booked the sale in GL); it is booked once the rest of its payments are read',
    );
  });

  it('is parked as a data issue, naming the amounts, when the charges add up to more than was due', () => {
    const error = planningError(() =>
      saleInChargePlan(journal, paid, [toRevenue('ch_A', 100_000n, '100.000'), { chargeId: 'ch_B', gross: 20_000n, held: null }], null, mapping()),
    );
    expect(error.errorClass).toBe('data');
    expect(error.message).toBe(
      'Stripe invoice A1B2C3D4-0001 was due 100.000 (amount_due), but the charges read that paid it add up to 120.000: ch_A 100.000 (booked the sale in GL), ch_B 20.000 (credits 1200-00 once planned); ' +
        'the part of the invoice they did not book cannot be worked out, so nothing is booked for it until they agree',
    );
  });

  it("books the customer's debit balance carried onto the invoice out of the revenue the charge booked", () => {
    // 20.00 invoice, the customer owed 3.00 (starting_balance +300), so 23.00 was due and charged.
    const owed = invoice({ id: 'in_1', lines: [invoiceLine({ id: 'il_1', amount: 2_000 })], starting_balance: 300, amount_due: 2_300, amount_paid: 2_300 });
    const planned = saleInChargePlan({ ...journal, lines: [] }, owed, [toRevenue('ch_A', 23_000n, '23.000')], null, mapping());
    expect(planned?.lines.map((line) => [line.acctNo, line.amount])).toEqual([
      ['2300-00', '-3.000'],
      ['4000-00', '3.000'],
    ]);
    expect(planned?.saleInCharge).toMatchObject({ chargeId: 'ch_A', chargeIds: ['ch_A'], restOfSale: true });
    expect(planned?.saleInCharge?.note).toContain("the customer's debit balance carried onto it 3.000 (2300-00 Cr), against 4000-00 Dr 3.000");
  });

  it("leaves a receipt that is this invoice's own collection to the invoice's AR decision, and waits for a receipt holding the sale until it is in Sage", () => {
    expect(saleInChargePlan(journal, paid, [receipt('ch_A', true, { stripeInvoice: 'in_1' })], null, mapping())).toBeNull();
    expect(saleInChargePlan(journal, paid, [receipt('ch_A', true)], null, mapping())?.saleInCharge).toEqual({
      chargeId: 'ch_A',
      chargeIds: [],
      note:
        'Not booked: Stripe invoice A1B2C3D4-0001 is in Sage already, it was paid in Stripe by ch_A, an AR cash receipt in Sage (written on 2026-03-10) for the sale, applied to Sage invoice 0000005001-IN, ' +
        "which holds that sale; booking the invoice's revenue too would count the sale twice",
    });
    // A receipt applied to the AR invoice written for its Stripe sale holds the sale too; one on account holds none (it counts as a payment of the invoice).
    expect(saleInChargePlan(journal, paid, [receipt('ch_A', true, { applyTo: null, applyToOwnInvoice: { docKey: 'ch_A:txn_A:ar-invoice', amount: '100.000' } })], null, mapping())?.saleInCharge?.note).toContain(
      'applied to the AR invoice written for its sale, which holds that sale',
    );
    expect(saleInChargePlan(journal, paid, [receipt('ch_A', true, { applyTo: null })], null, mapping())).toBeNull();
    const pending = planningError(() => saleInChargePlan(journal, paid, [receipt('ch_A', false)], null, mapping()));
    expect(pending.errorClass).toBe('waiting');
    expect(pending.message).toBe('Stripe invoice A1B2C3D4-0001 was paid by ch_A, whose AR cash receipt is not in Sage yet; the invoice is booked once it is');
  });

  it("counts another charge's receipt that collected the named Sage invoice as holding its part: no 1200-00 debit for it, nothing booked twice", () => {
    // 100.00 invoice naming Sage invoice 5001: ch_A 60.00 booked the sale in GL before the link was known, ch_B 40.00 became
    // the invoice's collection, an AR cash receipt applied to 5001, which holds that part of the sale in Sage AR.
    const collection = (inSage: boolean): PaidBy => ({
      ...receipt('ch_B', inSage, { amount: '40.000', stripeInvoice: 'in_1', applyTo: { invcKey: 5, tranId: '0000005001-IN', amount: '40.000' } }),
      gross: 40_000n,
    });
    const collected = collection(true);
    const planned = saleInChargePlan(journal, paid, [toRevenue('ch_A', 60_000n, '60.000'), collected], ['0000005001-IN'], mapping());
    expect(planned?.saleInCharge?.restOfSale).toBeUndefined();
    expect(planned?.saleInCharge?.chargeIds).toEqual(['ch_A']);
    expect(planned?.saleInCharge?.note).toContain(
      'ch_B, an AR cash receipt in Sage (written on 2026-03-10) for 40.000 of the sale, applied to Sage invoice 0000005001-IN, which holds that sale',
    );
    // A collection receipt not in Sage yet makes the invoice wait for it, as a receipt holding the sale does.
    const pending = planningError(() => saleInChargePlan(journal, paid, [toRevenue('ch_A', 60_000n, '60.000'), collection(false)], ['0000005001-IN'], mapping()));
    expect(pending.errorClass).toBe('waiting');
  });
});
