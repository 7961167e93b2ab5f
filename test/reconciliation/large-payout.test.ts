import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeBalanceTransaction, StripePayout } from '../../main/core/stripe/objects.js';
import { BANK, CLEARING, IN_TRANSIT, openSimulatedBooks, type PayoutBooks } from './simulated-books.js';

/**
 * A payout of more transactions than one page anywhere in the engine (Stripe's 100 per list
 * page, the ledger's and the proof's 500): the engine itemises it page by page and proves it
 * from running totals, never holding it whole (issue #19, item 1). The books must be exactly
 * those an independent reading of Stripe's own list of the payout expects.
 */

/** The business date of a Unix time where the default mapping keeps its books (America/Chicago). */
const chicagoDate = (seconds: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date(seconds * 1000));

describe('a payout of over 600 transactions (paid out every ten days)', () => {
  let books: PayoutBooks;
  let payout: StripePayout;
  let listed: StripeBalanceTransaction[];

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: 23, days: 12, objectsTarget: 3_000, payoutEveryDays: 10, balanceActivity: false });
    expect((await books.sync()).outcome).toBe('succeeded');
    const automatic = books.simulator.objects('payout').filter((candidate) => candidate.automatic && candidate.status === 'paid' && candidate.reconciliation_status === 'completed');
    payout = automatic.reduce((largest, candidate) => (candidate.amount > largest.amount ? candidate : largest));
    listed = await listPayoutFromSimulator(books, payout.id);
  }, 180_000);

  afterAll(async () => {
    await books.close();
  });

  it('books exactly the rows Stripe’s list of the payout implies, by account, amount and date', () => {
    expect(listed.length).toBeGreaterThan(600);
    // Independent expectation, in Sage thousandths of a dollar (Stripe cents × 10), per account and date:
    // each transaction's net into clearing on the day Stripe created it; a payout (this one, or one requested by
    // hand whose own transaction this one sweeps) from clearing into payouts in transit on the day Stripe created
    // it, and from there to the bank on its arrival date (the calendar date Stripe gives, midnight UTC).
    const expected = new Map<string, number>();
    const add = (account: string, date: string, cents: number): void => {
      const key = `${account} ${date}`;
      expected.set(key, (expected.get(key) ?? 0) + cents * 10);
    };
    const utcDate = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);
    const payouts = new Map(books.simulator.objects('payout').map((candidate) => [candidate.id, candidate]));
    const bookPayout = (paid: StripePayout, created: number): void => {
      add(CLEARING, chicagoDate(created), -paid.amount);
      add(IN_TRANSIT, chicagoDate(created), paid.amount);
      add(IN_TRANSIT, utcDate(paid.arrival_date), -paid.amount);
      add(BANK, utcDate(paid.arrival_date), paid.amount);
    };
    for (const bt of listed) {
      if (bt.id === payout.balance_transaction) continue;
      const requested = bt.type === 'payout' ? payouts.get(bt.source as string) : undefined;
      if (requested) bookPayout(requested, bt.created);
      else add(CLEARING, chicagoDate(bt.created), bt.net);
    }
    const own = books.simulator.objects('balance_transaction').find((bt) => bt.id === payout.balance_transaction)!;
    bookPayout(payout, own.created);

    const keys = books.payoutDocKeys(payout.id);
    const booked = books.sageSql<{ account: string; date: string; total: number }>(
      `SELECT a.GLAcctNo AS account, substr(d.TranDate, 1, 10) AS date, SUM(d.PostAmt) AS total FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
       WHERE a.GLAcctNo IN (?, ?, ?) AND x.DocKey IN (SELECT value FROM json_each(?))
       GROUP BY a.GLAcctNo, substr(d.TranDate, 1, 10)`,
      CLEARING,
      BANK,
      IN_TRANSIT,
      JSON.stringify(keys),
    );
    const actual = new Map(booked.filter((row) => row.total !== 0).map((row) => [`${row.account} ${row.date}`, row.total]));
    const nonZero = new Map([...expected].filter(([, total]) => total !== 0));
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...nonZero].sort()));
    expect(books.ledgerSql<{ n: number }>("SELECT COUNT(*) AS n FROM object_issues WHERE object_id = ?", payout.id)[0]!.n).toBe(0);
  });
});

/** The payout's transactions as Stripe lists them (`GET /v1/balance_transactions?payout=`), read straight from the simulator. */
async function listPayoutFromSimulator(books: PayoutBooks, payoutId: string): Promise<StripeBalanceTransaction[]> {
  const all: StripeBalanceTransaction[] = [];
  let after: string | null = null;
  for (;;) {
    const url = `${books.simulator.apiBase}/v1/balance_transactions?payout=${payoutId}&limit=100${after ? `&starting_after=${after}` : ''}`;
    const page = (await (await fetch(url, { headers: { Authorization: `Bearer ${books.simulator.apiKey}` } })).json()) as { data: StripeBalanceTransaction[]; has_more: boolean };
    all.push(...page.data);
    if (!page.has_more) return all;
    after = page.data[page.data.length - 1]!.id;
  }
}
