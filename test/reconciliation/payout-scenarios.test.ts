import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeBalanceTransaction, StripeCharge, StripePayout } from '../../main/core/stripe/objects.js';
import { BANK, CLEARING, openSimulatedBooks, type PayoutBooks } from './simulated-books.js';

/**
 * Payout reconciliation end to end on the simulator over real HTTP into the Sage sandbox.
 * For every scenario: the bank-side journal equals the payout to the cent, and the clearing
 * account nets to zero over the journals of the payout (its transactions' and its own).
 */

const DAY = 86_400;

/** Stripe minor units (USD cents) to Sage thousandths, as the sandbox stores PostAmt. */
const thousandths = (cents: number) => cents * 10;

describe('payout reconciliation scenarios (40 days, negative payouts allowed, a manual payout)', () => {
  let books: PayoutBooks;
  let payouts: readonly StripePayout[];

  beforeAll(async () => {
    // Card activity only: the negative-payout and requested-payout days this scenario is built on depend
    // on it; test/reconciliation/balance-spine.test.ts covers fees, top-ups, reserves and ACH payments.
    books = await openSimulatedBooks({ seed: 42, days: 40, negativePayouts: true, balanceActivity: false });
    expect((await books.sync()).outcome).toBe('succeeded');
    // Next morning before the automatic payout sweeps the balance, the owner pays out by hand;
    // three days later it has arrived, and so has the negative payout that was in transit.
    const { simulator } = books;
    simulator.advanceSeconds(DAY - (simulator.now() % DAY) + 5 * 3600);
    expect(simulator.requestPayout('standard')).not.toBeNull();
    simulator.advanceDays(3);
    expect((await books.sync()).outcome).toBe('succeeded');
    payouts = simulator.objects('payout');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  const items = (payoutId: string) =>
    books.ledgerSql<{ body: string }>('SELECT b.body FROM payout_items p JOIN balance_transactions b ON b.id = p.id WHERE p.payout_id = ?', payoutId).map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
  const isWritten = (payoutId: string) => books.sageSql('SELECT 1 FROM tciStripeXref_STRIPE WHERE StripeObjectID = ?', payoutId).length > 0;
  const reconciledAutomatic = () => payouts.filter((payout) => payout.automatic && payout.method === 'standard' && payout.status === 'paid' && payout.reconciliation_status === 'completed');

  function expectTiedOut(payout: StripePayout): void {
    expect(isWritten(payout.id), `${payout.id} written`).toBe(true);
    expect(books.sageSum(payout.id, BANK, true), `${payout.id} bank`).toBe(thousandths(payout.amount));
    expect(books.sageSum(payout.id, CLEARING, true), `${payout.id} own clearing`).toBe(-thousandths(payout.amount));
    if (payout.automatic && payout.method === 'standard') expect(books.sageSum(payout.id, CLEARING, false), `${payout.id} clearing net`).toBe(0);
  }

  it('a normal payout with charges, refunds, a dispute and several fee types ties out to the cent', () => {
    const rich = reconciledAutomatic().filter((payout) => {
      const categories = new Set(items(payout.id).map((bt) => bt.reporting_category));
      return categories.has('charge') && categories.has('refund') && categories.has('dispute');
    });
    expect(rich.length).toBeGreaterThan(0);
    const payout = rich[0]!;
    const feeTypes = new Set(items(payout.id).flatMap((bt) => bt.fee_details.map((fee) => fee.type)));
    expect([...feeTypes].sort()).toEqual(['stripe_fee', 'tax']);
    expectTiedOut(payout);
    for (const other of reconciledAutomatic()) expectTiedOut(other);
  });

  it('a negative payout debits the bank and still returns the clearing account to zero', () => {
    const negative = payouts.filter((payout) => payout.amount < 0 && payout.status === 'paid' && payout.reconciliation_status === 'completed');
    expect(negative.length).toBeGreaterThan(0);
    for (const payout of negative) {
      expectTiedOut(payout);
      expect(books.sageSum(payout.id, BANK, true)).toBeLessThan(0);
    }
  });

  it('a failed payout is reversed: the bank nets to zero and the money comes back through a later payout', () => {
    const failed = payouts.filter((payout) => payout.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    const sweptLater: StripePayout[] = [];
    for (const payout of failed) {
      expect(isWritten(payout.id)).toBe(true);
      expect(books.sageSum(payout.id, BANK, true)).toBe(0);
      expect(books.sageSum(payout.id, CLEARING, true)).toBe(0);
      const [failure] = books.ledgerSql<{ payout_id: string | null }>('SELECT payout_id FROM payout_items WHERE id = ?', payout.failure_balance_transaction as string);
      const later = payouts.find((candidate) => candidate.id === failure?.payout_id);
      if (later?.reconciliation_status === 'completed') sweptLater.push(later);
    }
    // At least one failure has already been paid out again by a later, reconciled payout.
    expect(sweptLater.length).toBeGreaterThan(0);
    for (const later of sweptLater) expectTiedOut(later);
  });

  it('manual and instant payouts, which Stripe cannot itemise, are proved against the running clearing balance', () => {
    const requested = payouts.filter((payout) => (!payout.automatic || payout.method === 'instant') && payout.status === 'paid');
    expect(requested.some((payout) => !payout.automatic && payout.method === 'standard')).toBe(true);
    expect(requested.some((payout) => payout.method === 'instant')).toBe(true);
    for (const payout of requested) {
      expectTiedOut(payout);
      expect(items(payout.id)).toEqual([]);
    }
    // Their own (negative) transaction is swept by the next automatic payout, which still ties out.
    for (const payout of requested) {
      const [row] = books.ledgerSql<{ payout_id: string | null }>('SELECT payout_id FROM payout_items WHERE id = ?', payout.balance_transaction as string);
      const sweeping = payouts.find((candidate) => candidate.id === row?.payout_id);
      if (sweeping?.reconciliation_status === 'completed' && sweeping.status === 'paid') expectTiedOut(sweeping);
    }
  });

  it('a multi-currency settlement: foreign charges settle in USD and their payout ties out', () => {
    const charges = new Map(books.simulator.objects('charge').map((charge) => [charge.id, charge]));
    const withForeign = reconciledAutomatic().filter((payout) =>
      items(payout.id).some((bt) => typeof bt.source === 'string' && (charges.get(bt.source)?.currency ?? 'usd') !== 'usd'),
    );
    expect(withForeign.length).toBeGreaterThan(0);
    const payout = withForeign[0]!;
    expectTiedOut(payout);
    const foreign = items(payout.id).filter((bt) => bt.exchange_rate !== null && bt.reporting_category === 'charge');
    const currencies = new Set(foreign.map((bt) => (charges.get(bt.source as string) as StripeCharge).currency));
    expect(currencies.size).toBeGreaterThan(0);
    for (const bt of foreign) expect(bt.currency).toBe('usd');
  });

  it('no payout waits and no drift is found on a healthy account', () => {
    const waiting = books.ledgerSql<{ object_id: string; message: string }>("SELECT object_id, message FROM object_issues WHERE object_id LIKE 'po_%'");
    const unprovable = waiting.filter((issue) => {
      const payout = payouts.find((candidate) => candidate.id === issue.object_id);
      return payout?.status === 'paid' && (payout.reconciliation_status === 'completed' || !payout.automatic || payout.method === 'instant');
    });
    expect(unprovable).toEqual([]);
    expect(books.ledgerSql('SELECT kind, object_id, message FROM drift_findings')).toEqual([]);
  });
});
