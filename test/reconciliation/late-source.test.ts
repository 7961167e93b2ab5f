import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeBalanceTransaction, StripePayout } from '../../main/core/stripe/objects.js';
import { BANK, CLEARING, IN_TRANSIT, openSimulatedBooks, type PayoutBooks } from './simulated-books.js';

/**
 * A payout whose source charge is not in Sage yet: Stripe showed the charge without its
 * balance transaction (fees unknown), so the charge waits and the payout's proof fails. The
 * failed proof writes nothing and says why; when Stripe's update arrives a later run books the
 * charge and the payout passes, with no one retrying anything.
 */

const DAY = 86_400;

describe('a payout whose source charge arrives late', () => {
  let books: PayoutBooks;
  let blocked: StripePayout[];

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: 11, days: 14, faults: { lateChargeBalanceTransactions: { every: 15, delaySeconds: 6 * DAY } } });
    expect((await books.sync()).outcome).toBe('succeeded');
    const lateCharges = new Set(books.simulator.objects('charge').filter((charge) => charge.balance_transaction === null).map((charge) => charge.id));
    blocked = books.simulator.objects('payout').filter(
      (payout) =>
        payout.status === 'paid' &&
        payout.reconciliation_status === 'completed' &&
        itemsOf(payout.id).some((bt) => typeof bt.source === 'string' && lateCharges.has(bt.source)),
    );
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  const itemsOf = (payoutId: string) =>
    books.ledgerSql<{ body: string }>('SELECT b.body FROM payout_items p JOIN balance_transactions b ON b.id = p.id WHERE p.payout_id = ?', payoutId).map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
  const xrefRows = (payoutId: string) => books.sageSql('SELECT DocKey FROM tciStripeXref_STRIPE WHERE StripeObjectID = ?', payoutId);
  const issue = (objectId: string) => books.ledgerSql<{ error_class: string; message: string }>('SELECT error_class, message FROM object_issues WHERE object_id = ?', objectId)[0];

  it('blocks the payout, writes no bank journal for it and says which charge is missing and why', () => {
    expect(blocked.length).toBeGreaterThan(0);
    for (const payout of blocked) {
      // Only the journal of its creation (clearing to payouts in transit) is in Sage; nothing reached the bank.
      expect(xrefRows(payout.id)).toEqual([{ DocKey: `${payout.id}:${payout.balance_transaction as string}` }]);
      expect(books.sageSum(payout.id, BANK, true)).toBe(0);
      expect(books.sageSum(payout.id, IN_TRANSIT, true)).toBe(payout.amount * 10);
      const recorded = issue(payout.id);
      expect(recorded?.error_class).toBe('waiting');
      expect(recorded?.message).toMatch(new RegExp(`transaction\\(s\\) in payout ${payout.id} are not booked in Sage yet, so its bank journal would leave the clearing account out of balance`));
      expect(recorded?.message).toMatch(/ch_\w+: ch_\w+ has no balance transaction yet; its fees are booked once Stripe settles it/);
      expect(recorded?.message).toContain('the payout journal is written as soon as they are booked');
    }
  });

  it('reports the charge without fees and the unreconciled payout as drift, with what to do', () => {
    const findings = books.ledgerSql<{ kind: string; object_id: string; hint: string }>('SELECT kind, object_id, hint FROM drift_findings');
    const chargeFindings = findings.filter((finding) => finding.kind === 'charge-without-fees');
    expect(chargeFindings.length).toBeGreaterThan(0);
    for (const finding of chargeFindings) expect(finding.hint).toMatch(/books it with its exact fees/);
    const payoutFindings = findings.filter((finding) => finding.kind === 'payout-unreconciled-after-arrival').map((finding) => finding.object_id);
    for (const payout of blocked.filter((candidate) => candidate.arrival_date < books.simulator.now() - DAY)) expect(payoutFindings).toContain(payout.id);
  });

  it('passes on a later run once Stripe shows the charge settled, and ties out to the cent', async () => {
    books.simulator.advanceDays(7);
    expect((await books.sync()).outcome).toBe('succeeded');
    for (const payout of blocked) {
      expect(issue(payout.id)).toBeUndefined();
      expect(books.sageSum(payout.id, BANK, true)).toBe(payout.amount * 10);
      expect(books.sageSum(payout.id, IN_TRANSIT, true)).toBe(0);
      expect(books.sageSum(payout.id, CLEARING, false)).toBe(0);
    }
  });
});
