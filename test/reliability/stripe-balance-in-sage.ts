import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { ledgerSnapshot, type Workspace } from './harness.js';

/**
 * Issue #14's acceptance after a run: the Sage clearing account equals the simulated Stripe
 * balance to the cent, and payouts in transit equals the payouts Stripe still has on their way.
 * Both sides are counted here, apart from the engine and its balance proof: Stripe's balance as
 * the simulator's own balance transactions add up (USD cents → Sage thousandths), Sage's as its
 * own rows on the accounts of the default chart (stored without the mask): pending journal
 * lines, and the pending AR cash receipts the sync wrote into batches that deposit to clearing
 * (a posted receipt debits its batch's cash account). The run's own balance proof, when it made
 * one at this moment, must say the same.
 */

const CLEARING = '105000';
const IN_TRANSIT = '102000';

const thousandths = (text: string): number => Math.round(Number(text) * 1000);

/** Stripe's balance (available + pending) at a moment, as the simulator's USD transactions add up. */
export function stripeBalanceAt(simulator: StripeSimulator, cutoff: number): number {
  return simulator
    .objects('balance_transaction')
    .filter((bt) => bt.created <= cutoff && bt.currency === 'usd')
    .reduce((sum, bt) => sum + bt.net * 10, 0);
}

/** What Stripe has on its way to the bank: payouts pending or in transit. */
export function stripeInTransit(simulator: StripeSimulator): number {
  return simulator
    .objects('payout')
    .filter((payout) => payout.status === 'pending' || payout.status === 'in_transit')
    .reduce((sum, payout) => sum + payout.amount * 10, 0);
}

/** Sage's own pending GL lines on an account (thousandths). */
export function sageJournalLinesOn(sandboxPath: string, acctNo: string): number {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    return (
      db
        .prepare('SELECT COALESCE(SUM(d.PostAmt), 0) AS total FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?')
        .get(acctNo) as { total: number }
    ).total;
  } finally {
    db.close();
  }
}

/** Sage's clearing account: its pending journal lines and the sync's pending cash receipts deposited to it. */
export function sageClearing(sandboxPath: string): number {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    const receipts = (
      db
        .prepare(
          `SELECT COALESCE(SUM(p.TranAmt), 0) AS total FROM tarPendCustPmt p
           JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tarPendCustPmt' AND x.SageKey = p.CustPmtKey
           JOIN tarBatch b ON b.BatchKey = p.BatchKey JOIN tglAccount a ON a.GLAcctKey = b.CashAcctKey
           WHERE a.GLAcctNo = ?`,
        )
        .get(CLEARING) as { total: number }
    ).total;
    return sageJournalLinesOn(sandboxPath, CLEARING) + receipts;
  } finally {
    db.close();
  }
}

/**
 * After a run that finished: the balance proof the ledger holds is of this moment (`now`), and
 * what it says is what the books say. Stripe's balance is the simulator's own sum; Sage's
 * clearing and in transit are Sage's own rows; Stripe minus Sage is exactly the sum of the
 * transactions (and payouts) the proof lists, each one Sage does not hold yet, with nothing
 * unexplained; with nothing listed, clearing equals Stripe's balance and in transit the payouts
 * on their way, to the cent. Returns how many transactions and payouts the proof listed.
 */
export function expectStripeBalanceInSage(simulator: StripeSimulator, workspace: Workspace, step: string): { listed: number } {
  const now = simulator.now();
  const clearing = sageClearing(workspace.sandboxPath);
  const inTransit = sageJournalLinesOn(workspace.sandboxPath, IN_TRANSIT);
  const { lastProof: proof } = ledgerSnapshot(workspace);
  expect(proof?.cutoff, `${step}: a balance proof of this moment`).toBe(now);
  const sum = (amounts: readonly string[]): number => amounts.reduce((total, amount) => total + thousandths(amount), 0);
  const explained = sum(proof!.items.map((item) => item.difference));
  const explainedInTransit = sum(proof!.inTransit!.items.map((item) => item.difference));
  expect(
    {
      holds: proof!.holds,
      unexplained: proof!.unexplained,
      opening: proof!.opening,
      stripeBalance: thousandths(proof!.stripeBalance),
      booked: thousandths(proof!.booked),
      stripeMinusSage: stripeBalanceAt(simulator, now) - clearing,
      inTransitBooked: thousandths(proof!.inTransit!.booked),
      inTransitStripeMinusSage: stripeInTransit(simulator) - inTransit,
    },
    `${step}: ${JSON.stringify({ ...proof, items: proof!.items.slice(0, 3) })}`,
  ).toEqual({
    holds: true,
    unexplained: '0.000',
    opening: '0.000',
    stripeBalance: stripeBalanceAt(simulator, now),
    booked: clearing,
    stripeMinusSage: explained,
    inTransitBooked: inTransit,
    inTransitStripeMinusSage: explainedInTransit,
  });
  const listed = proof!.items.length + proof!.inTransit!.items.length;
  expect(proof!.exact, step).toBe(listed === 0 && explained === 0 && explainedInTransit === 0);
  return { listed };
}
