import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, addDays } from '../../main/core/time/business-date.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';
import { main } from '../../main/cli/s5sync.js';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import type { StripePayout } from '../../main/core/stripe/objects.js';

/**
 * The cutover: a shadow run previews 20 days of history, then the site goes live with a
 * go-live date 6 days before "today". Nothing dated before go-live reaches Sage (those
 * months were keyed by hand), it is recorded as skipped "before go-live" instead, and the
 * activity from go-live on is written. One opening-balance journal, confirmed by the user, puts
 * what Stripe held at the cutover on the clearing and payouts-in-transit accounts, and the
 * balance proof is then exact. The expectation is computed from the simulator's own objects
 * and dates, not from the engine.
 */
describe('going live with a go-live date', () => {
  let books: SimulatedBooks;
  let goLive: string;
  const tz = DEFAULT_MAPPING.timeZone;

  beforeAll(async () => {
    books = await openBooks({ seed: 5, days: 20, config: { sync: { backfillDays: 25, shadowMode: true } } }, 's5sync-golive-');
    goLive = addDays(businessDate(books.simulator.now(), tz), -6);
  });
  afterAll(async () => books.close());

  const setSync = (sync: Record<string, unknown>) => {
    const config = JSON.parse(readFileSync(books.configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(books.configPath, JSON.stringify({ ...config, sync: { ...(config.sync as object), ...sync } }));
  };

  it('writes nothing dated before go-live, records it as before go-live, and writes the rest', async () => {
    expect((await books.sync()).outcome).not.toBe('failed');
    expect(books.sageSql<{ n: number }>('SELECT COUNT(*) AS n FROM tglJournalDetl')[0]!.n).toBe(0);

    setSync({ shadowMode: false, goLiveDate: goLive });
    expect((await books.sync()).outcome).not.toBe('failed');
    expect((await books.sync()).outcome).not.toBe('failed');

    // Sage: no journal line dated before go-live.
    const dates = books.sageSql<{ d: string }>('SELECT DISTINCT substr(TranDate, 1, 10) AS d FROM tglJournalDetl ORDER BY d');
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.filter((row) => row.d < goLive)).toEqual([]);

    // Every succeeded charge: in Sage exactly when its balance transaction is dated on or after go-live.
    const inSage = new Set(books.sageSql<{ id: string }>('SELECT StripeObjectID AS id FROM tciStripeXref_STRIPE').map((row) => row.id.split(':')[0]));
    const charges = books.simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && charge.balance_transaction && charge.paid);
    const before = charges.filter((charge) => businessDate(charge.created, tz) < goLive);
    const after = charges.filter((charge) => businessDate(charge.created, tz) >= goLive);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(before.filter((charge) => inSage.has(charge.id)).map((charge) => charge.id)).toEqual([]);
    expect(after.filter((charge) => !inSage.has(charge.id)).map((charge) => charge.id)).toEqual([]);

    // The ledger accounts for the backlog: each charge before go-live has its journal recorded as before go-live.
    const skipped = new Set(
      books.ledgerSql<{ id: string }>("SELECT stripe_object_id AS id FROM documents WHERE state = 'skipped' AND skip_reason LIKE 'before go-live (%'").map((row) => row.id),
    );
    expect(before.filter((charge) => !skipped.has(charge.id)).map((charge) => charge.id)).toEqual([]);
    // Nothing previewed stays in limbo.
    expect(books.ledgerSql<{ n: number }>("SELECT COUNT(*) AS n FROM documents WHERE state = 'shadow'")[0]!.n).toBe(0);
    // Every journal in Sage balances.
    expect(books.sageSql<{ n: number }>('SELECT COUNT(*) AS n FROM (SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0)')[0]!.n).toBe(0);
  }, 120_000);

  /**
   * The test's own reading of Stripe at the cutover, from the simulator's objects (USD cents × 10 =
   * Sage thousandths): clearing holds every transaction dated before go-live; in transit, the
   * payouts Stripe created before it that had neither arrived (the bank's date, midnight UTC)
   * nor failed before it.
   */
  function stripeAtCutover(): { clearing: number; inTransit: number; crossing: StripePayout[] } {
    const transactions = books.simulator.objects('balance_transaction');
    const byId = new Map(transactions.map((bt) => [bt.id, bt]));
    const before = (seconds: number) => businessDate(seconds, tz) < goLive;
    const clearing = transactions.filter((bt) => before(bt.created)).reduce((sum, bt) => sum + bt.net * 10, 0);
    const crossing = books.simulator.objects('payout').filter((payout) => {
      const own = byId.get(payout.balance_transaction as string);
      const failure = payout.failure_balance_transaction ? byId.get(payout.failure_balance_transaction as string) : undefined;
      const arrivedBefore = payout.status === 'paid' && utcDate(payout.arrival_date) < goLive;
      return own !== undefined && before(own.created) && !arrivedBefore && !(failure && before(failure.created));
    });
    return { clearing, inTransit: crossing.reduce((sum, payout) => sum + payout.amount * 10, 0), crossing };
  }
  const utcDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const code = await main([...args, '--config', books.configPath], (line) => out.push(line));
    return { code, out: out.join('\n') };
  };
  const onAccount = (acctNo: string) =>
    books.sageSql<{ total: number }>('SELECT COALESCE(SUM(d.PostAmt), 0) AS total FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?', acctNo)[0]!.total;

  it('proposes the opening balance at go-live, writes it only as confirmed, and the balance proof is then exact', async () => {
    // The proposal needs a balance proof out of shadow mode (Stripe's balance read beside the history): the hourly read makes one.
    books.simulator.advanceSeconds(3_600, { generate: false });
    expect((await books.sync()).outcome).not.toBe('failed');
    const expected = stripeAtCutover();
    expect(expected.crossing.length, 'payouts on their way across the cutover').toBeGreaterThan(0);
    const thousandths = (text: string) => Math.round(Number(text) * 1000);

    const shown = await cli('go-live', '--json');
    expect(shown.code).toBe(0);
    const proposal = JSON.parse(shown.out) as { state: string; clearing: string; inTransit: string; offsetAccount: string };
    expect(proposal.state).toBe('to-confirm');
    expect(thousandths(proposal.clearing)).toBe(expected.clearing);
    expect(thousandths(proposal.inTransit)).toBe(expected.inTransit);
    // Nothing is written before the user confirms; the proof lists the journal as waiting.
    expect(books.sageSql('SELECT DocKey FROM tciStripeXref_STRIPE WHERE DocKey = ?', `opening-balance:${goLive}`)).toEqual([]);

    // Other amounts than the proposal are refused, and nothing is recorded.
    const wrong = await cli('go-live', 'confirm', '--clearing', '1.000', '--in-transit', proposal.inTransit);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/the opening balance at go-live is now clearing/);
    expect((await cli('go-live', 'confirm', '--clearing', proposal.clearing, '--in-transit', proposal.inTransit)).code).toBe(0);
    books.simulator.advanceSeconds(3_600, { generate: false });
    expect((await books.sync()).outcome).toBe('succeeded');

    // The journal, row by row against the test's own expectation, dated on the go-live date.
    const rows = books.sageSql<{ account: string; amount: number; date: string }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ? ORDER BY a.GLAcctNo`,
      `opening-balance:${goLive}`,
    );
    expect(rows).toEqual([
      { account: '102000', amount: expected.inTransit, date: goLive },
      { account: '105000', amount: expected.clearing, date: goLive },
      { account: '199000', amount: -(expected.clearing + expected.inTransit), date: goLive },
    ]);

    // Each payout on its way across the cutover reaches the bank through the sync, on its arrival date; its creation stays before go-live.
    for (const payout of expected.crossing.filter((candidate) => candidate.status === 'paid')) {
      const arrived = books.sageSql<{ account: string; amount: number; date: string }>(
        `SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d
         JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
         JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ? ORDER BY a.GLAcctNo`,
        `${payout.id}:arrived`,
      );
      expect(arrived, payout.id).toEqual([
        { account: '101000', amount: payout.amount * 10, date: utcDate(payout.arrival_date) },
        { account: '102000', amount: -payout.amount * 10, date: utcDate(payout.arrival_date) },
      ]);
      expect(books.sageSql('SELECT DocKey FROM tciStripeXref_STRIPE WHERE DocKey = ?', `${payout.id}:${payout.balance_transaction as string}`)).toEqual([]);
    }

    // Exact: Sage's clearing is Stripe's balance, Sage's in transit the payouts Stripe has on their way.
    const balance = books.simulator.objects('balance_transaction').reduce((sum, bt) => sum + bt.net * 10, 0);
    const onTheirWay = books.simulator
      .objects('payout')
      .filter((payout) => payout.status === 'pending' || payout.status === 'in_transit')
      .reduce((sum, payout) => sum + payout.amount * 10, 0);
    expect(onAccount('105000')).toBe(balance);
    expect(onAccount('102000')).toBe(onTheirWay);
    const proof = JSON.parse((await cli('report', 'balance', '--json')).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });
    expect(proof.inTransit).toMatchObject({ holds: true, difference: '0.000', items: [] });
    expect((await cli('go-live', '--json')).out).toContain('"state": "written"');
  }, 120_000);
});
