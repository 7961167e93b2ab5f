import { describe, expect, it } from 'vitest';
import { isItemisable, proveTieOut, sourceId, type TieOutResult } from '../../main/core/reconciliation/tie-out.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { bt, fee, payout } from './fixtures/stripe.js';

const PO = 'po_1QxR2mL4kd8sXyZa0pay0001';

const sale = (n: number, amount = 10_000, feeAmount = 320): StripeBalanceTransaction =>
  bt({ id: `txn_sale${n}`, amount, fee_details: [fee(feeAmount)], source: `ch_sale${n}` });
const refundBt = bt({ id: 'txn_refund1', amount: -2_500, type: 'refund', reporting_category: 'refund', source: { id: 're_1', object: 'refund' } });
const ownPayoutBt = bt({ id: 'txn_payout', amount: -16_860, type: 'payout', reporting_category: 'payout', source: PO });

/** Two sales of 100.00 (fee 3.20) and a 25.00 refund: net 168.60. */
const items = [sale(1), sale(2), refundBt];
const paidPayout = payout({ id: PO, amount: 16_860, balance_transaction: ownPayoutBt.id });

function blocked(result: TieOutResult) {
  if (result.ok) throw new Error('expected the tie-out to block');
  return result;
}

describe('proveTieOut', () => {
  it('passes when the items add up to the payout and are all booked; the payout’s own BT is left out', () => {
    const result = proveTieOut({ payout: paidPayout, items: [...items, ownPayoutBt], isBooked: () => true });
    expect(result).toEqual({
      ok: true,
      note: null,
      summary: {
        itemCount: 3,
        grossByCategory: { charge: 20_000, refund: -2_500 },
        feesByType: { stripe_fee: 640 },
        net: 16_860,
      },
    });
  });

  it.each(['pending', 'in_transit'] as const)('a %s payout is not paid yet', (status) => {
    const result = blocked(proveTieOut({ payout: { ...paidPayout, status }, items, isBooked: () => true }));
    expect(result.block).toBe('not-paid-yet');
    expect(result.explanation).toBe(`payout ${PO} is ${status.replace('_', ' ')}; it is booked once Stripe marks it paid`);
    expect(result.variance).toBeNull();
    expect(result.action).toMatch(/retried/);
  });

  it('waits while Stripe is still reconciling the payout', () => {
    const result = blocked(proveTieOut({ payout: { ...paidPayout, reconciliation_status: 'in_progress' }, items, isBooked: () => true }));
    expect(result.block).toBe('reconciliation-pending');
    expect(result.explanation).toContain('has not finished reconciling');
  });

  it('waits until the payout’s items have been read', () => {
    const result = blocked(proveTieOut({ payout: paidPayout, items: null, isBooked: () => true }));
    expect(result.block).toBe('items-not-read');
    expect(result.explanation).toContain(PO);
  });

  it('reports a sum mismatch with the exact variance and a reserve hint', () => {
    const reserve = bt({ id: 'txn_reserve', amount: -1_000, type: 'reserve_transaction', reporting_category: 'risk_reserved_funds' });
    const result = blocked(proveTieOut({ payout: paidPayout, items: [...items, reserve], isBooked: () => true }));
    expect(result.block).toBe('sum-mismatch');
    expect(result.variance).toBe('10.000');
    expect(result.explanation).toBe(
      `the 4 transactions of payout ${PO} add up to 158.600 USD, not the payout amount 168.600; it includes a reserve hold or release`,
    );
    expect(result.action).toContain('Balance → Payouts');
  });

  it('a negative variance and several hints are shown; no hint for ordinary categories', () => {
    const adjustment = bt({ id: 'txn_adj', amount: 500, type: 'adjustment', reporting_category: 'other_adjustment' });
    const reversal = bt({ id: 'txn_rev', amount: 700, type: 'payout_failure', reporting_category: 'payout_reversal' });
    const result = blocked(proveTieOut({ payout: paidPayout, items: [...items, adjustment, reversal], isBooked: () => true }));
    expect(result.variance).toBe('-12.000');
    expect(result.explanation).toMatch(/; it includes an adjustment and a failed earlier payout returning$/);
    const plain = blocked(proveTieOut({ payout: { ...paidPayout, amount: 16_861 }, items, isBooked: () => true }));
    expect(plain.variance).toBe('0.010');
    expect(plain.explanation).not.toContain('it includes');
  });

  it('the variance uses the payout currency’s exponent', () => {
    const yen = payout({ id: PO, currency: 'jpy', amount: 10_000 });
    const result = blocked(proveTieOut({ payout: yen, items: [bt({ id: 'txn_jpy', amount: 9_000, currency: 'jpy' })], isBooked: () => true }));
    expect(result.variance).toBe('1000.000');
    expect(result.explanation).toContain('add up to 9000.000 JPY');
  });

  it('blocks until every source is booked, naming up to five of them', () => {
    const many = Array.from({ length: 7 }, (_, n) => sale(n, 1_000, 0));
    const po = payout({ id: PO, amount: 7_000 });
    const result = blocked(proveTieOut({ payout: po, items: many, isBooked: (entry) => entry.id === 'txn_sale0' }));
    expect(result.block).toBe('sources-not-synced');
    expect(result.explanation).toBe(`6 transaction(s) in payout ${PO} are not booked in Sage yet (ch_sale1, ch_sale2, ch_sale3, ch_sale4, ch_sale5, …)`);
    expect(result.action).toContain('Errors view');
    const one = blocked(proveTieOut({ payout: paidPayout, items, isBooked: (entry) => entry.id !== 'txn_refund1' }));
    expect(one.explanation).toContain('(re_1)');
    const noSource = bt({ id: 'txn_nosrc', amount: 16_860 });
    expect(blocked(proveTieOut({ payout: paidPayout, items: [noSource], isBooked: () => false })).explanation).toContain('(txn_nosrc)');
  });

  it.each([
    ['manual', { automatic: false }],
    ['instant', { method: 'instant' as const, automatic: true }],
  ] as const)('a %s payout cannot be itemised: passes with a note instead of a list', (word, overrides) => {
    const po = { ...paidPayout, ...overrides, reconciliation_status: 'not_applicable' as const };
    expect(isItemisable(po)).toBe(false);
    const result = proveTieOut({ payout: po, items: null, isBooked: () => false });
    expect(result).toEqual({
      ok: true,
      summary: { itemCount: 0, grossByCategory: {}, feesByType: {}, net: 16_860 },
      note: `Stripe cannot itemise ${word} payouts: checked against the running clearing balance instead of a list of transactions`,
    });
  });

  it('sourceId reads string and expanded sources', () => {
    expect(sourceId(sale(1))).toBe('ch_sale1');
    expect(sourceId(refundBt)).toBe('re_1');
    expect(sourceId(bt({ id: 'txn_x', amount: 1 }))).toBeNull();
  });
});
