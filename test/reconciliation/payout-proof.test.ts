import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { balanceTransactionLines } from '../../main/core/posting/balance-transaction-journal.js';
import { provePayout, type PayoutProof, type PayoutProofInput } from '../../main/core/reconciliation/payout-proof.js';
import type { JournalLine } from '../../main/core/sage/documents.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { bt, fee, payout } from '../core/fixtures/stripe.js';

const CLEARING = DEFAULT_MAPPING.accounts.clearing;
const PO = 'po_proof0001';

const sale = bt({ id: 'txn_sale', amount: 10_000, fee_details: [fee(320), fee(64, 'tax')], source: 'ch_sale' });
const refund = bt({ id: 'txn_refund', amount: -2_500, type: 'refund', reporting_category: 'refund', source: 're_1' });
const dispute = bt({ id: 'txn_dispute', amount: -1_000, fee_details: [fee(1_500)], type: 'adjustment', reporting_category: 'dispute', source: 'du_1' });
const items = [sale, refund, dispute];
const net = items.reduce((sum, item) => sum + item.net, 0);
const own = bt({ id: 'txn_own', amount: -net, type: 'payout', reporting_category: 'payout', source: PO });
const paid = payout({ id: PO, amount: net, balance_transaction: own.id });

/** The journal lines posting.ts makes for each transaction, as the ledger would hold them. */
function booked(transactions: readonly StripeBalanceTransaction[]): JournalLine[] {
  return transactions.flatMap((transaction) => balanceTransactionLines({ bt: transaction, counterAccount: '4000-00', mapping: DEFAULT_MAPPING, label: transaction.id }));
}

/** The ledger's answer over these lines: the clearing account's lines carrying the ids asked. */
function clearingLinesOf(lines: readonly JournalLine[]): PayoutProofInput['clearingLinesTracing'] {
  return (ids) => lines.filter((line) => line.acctNo === CLEARING && ids.includes(line.traceId)).map(({ traceId, amount }) => ({ traceId, amount }));
}

function input(overrides: Partial<PayoutProofInput> = {}): PayoutProofInput {
  const lines = booked(items);
  return {
    payout: paid,
    items: [...items, own],
    clearingAccount: CLEARING,
    timeZone: 'America/Chicago',
    isBooked: () => true,
    sourceIssue: () => null,
    clearingLinesTracing: clearingLinesOf(lines),
    clearingAmountsUpToPayout: () => [],
    ...overrides,
  };
}

function blocked(proof: PayoutProof) {
  if (proof.ok) throw new Error('expected the proof to fail');
  return proof;
}

describe('provePayout', () => {
  it('passes when Stripe’s list adds up, everything is booked and the clearing lines add up to the payout', () => {
    const proof = provePayout(input());
    expect(proof.ok).toBe(true);
    if (!proof.ok) return;
    expect(proof.summary.net).toBe(net);
    expect(proof.summary.feesByType).toEqual({ stripe_fee: 1_820, tax: 64 });
    expect(proof.notes).toEqual([`clearing account ${CLEARING}: the journals of the 3 transactions add 46.16 USD; the payout journal takes it out again, so the payout nets to zero`]);
  });

  it('blocks when a journal books a transaction to clearing with another amount, naming it', () => {
    const tampered = booked(items).map((line) => (line.traceId === 'txn_refund' && line.acctNo === CLEARING ? { ...line, acctNo: '1010-00' } : line));
    const proof = blocked(provePayout(input({ clearingLinesTracing: clearingLinesOf(tampered) })));
    expect(proof.block).toBe('clearing-mismatch');
    expect(proof.variance).toBe('-25.00 USD');
    expect(proof.explanation).toBe(
      `the journals planned for payout ${PO} move clearing account ${CLEARING} by 71.16 USD, not by the payout amount 46.16 USD; 1 transaction(s) are booked to clearing with a different amount than their net: re_1 (txn_refund)`,
    );
    expect(proof.action).toContain(`uses ${CLEARING} as the Stripe clearing account`);
  });

  it('explains each unbooked source: the problem recorded on it, or that it is not synced yet', () => {
    const proof = blocked(
      provePayout(
        input({
          isBooked: (transaction) => transaction.id === 'txn_dispute',
          sourceIssue: (objectId) => (objectId === 'ch_sale' ? 'ch_sale has no balance transaction yet; its fees are booked once Stripe settles it' : null),
        }),
      ),
    );
    expect(proof.block).toBe('sources-not-synced');
    expect(proof.explanation).toBe(
      `2 transaction(s) in payout ${PO} are not booked in Sage yet, so its bank journal would leave the clearing account out of balance (ch_sale: ch_sale has no balance transaction yet; its fees are booked once Stripe settles it; re_1: not synced yet)`,
    );
    expect(proof.action).toContain('Errors view');
  });

  it('a negative payout (Stripe debits the bank) ties out the same way, with a note', () => {
    const chargeback = bt({ id: 'txn_cb', amount: -8_000, fee_details: [fee(1_500)], type: 'adjustment', reporting_category: 'dispute', source: 'du_2' });
    const debit = payout({ id: 'po_debit', amount: -9_500, balance_transaction: 'txn_debit' });
    const lines = booked([chargeback]);
    const proof = provePayout(input({ payout: debit, items: [chargeback], clearingLinesTracing: clearingLinesOf(lines) }));
    expect(proof.ok).toBe(true);
    if (proof.ok) expect(proof.notes[0]).toBe('negative payout: Stripe debits the bank 95.00 USD; the journal moves it from the bank back into the clearing account');
  });

  describe('manual and instant payouts (Stripe cannot itemise them)', () => {
    const manual = payout({ id: 'po_manual', amount: 5_000, automatic: false, reconciliation_status: 'not_applicable', balance_transaction: 'txn_manual' });

    it('pass when the clearing balance booked up to their creation covers them', () => {
      const proof = provePayout(input({ payout: manual, items: null, clearingAmountsUpToPayout: () => ['40.000', '25.500', '-10.000'] }));
      expect(proof.ok).toBe(true);
      if (proof.ok) {
        expect(proof.notes).toEqual([
          'Stripe cannot itemise manual payouts: checked against the running clearing balance instead of a list of transactions',
          `manual payout: Stripe cannot say which transactions it paid out, so it was checked against clearing account ${CLEARING}, which held 55.50 USD from everything booked up to its creation on 2026-03-10`,
        ]);
      }
    });

    it('block with the shortfall when it does not, and say what to do', () => {
      const instant = { ...manual, id: 'po_instant', method: 'instant' as const };
      const proof = blocked(provePayout(input({ payout: instant, items: null, clearingAmountsUpToPayout: () => ['30.000'] })));
      expect(proof.block).toBe('balance-short');
      expect(proof.variance).toBe('20.00 USD');
      expect(proof.explanation).toBe(
        `payout po_instant is an instant payout of 50.00 USD; Stripe cannot itemise instant payouts, so it is checked against clearing account ${CLEARING}, but everything booked there up to its creation on 2026-03-10 adds up to only 30.00 USD (20.00 USD short): some earlier charges are not in Sage yet`,
      );
      expect(proof.action).toMatch(/retried automatically/);
    });
  });

  it('passes the Stripe-side blocks through unchanged (nothing is written while they hold)', () => {
    expect(blocked(provePayout(input({ payout: { ...paid, status: 'in_transit' } }))).block).toBe('not-paid-yet');
    expect(blocked(provePayout(input({ items: null }))).block).toBe('items-not-read');
    const reserve = bt({ id: 'txn_reserve', amount: -1_000, type: 'reserve_transaction', reporting_category: 'risk_reserved_funds' });
    const mismatch = blocked(provePayout(input({ items: [...items, reserve] })));
    expect(mismatch.block).toBe('sum-mismatch');
    expect(mismatch.explanation).toContain('a reserve hold or release');
    const euro = bt({ id: 'txn_eur', amount: 1_000, currency: 'eur', source: 'ch_eur' });
    expect(blocked(provePayout(input({ items: [...items, euro] }))).explanation).toContain('transactions in EUR that Stripe converted (FX)');
  });
});
