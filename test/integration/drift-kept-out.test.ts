import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { addDays, businessDate } from '../../main/core/time/business-date.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * A transaction kept out of Sage on purpose is no drift (docs/reconciliation.md, "Drift
 * checks"): here the history before go-live, which the opening-balance journal carries. The
 * same transactions are drift while they are only unwritten past their day of grace (a shadow
 * run). What is dated before go-live comes from the simulator's objects, not from the engine.
 * (A business rule's skip of a journal on the clearing account parks its clearing amount and is
 * written, so booked; the rule skips a transaction's document keeps out are in the random
 * sequences of test/reconciliation/drift-lists.test.ts.)
 */
describe('drift findings for transactions kept out of Sage', () => {
  let books: SimulatedBooks;
  let goLive: string;
  const tz = DEFAULT_MAPPING.timeZone;

  beforeAll(async () => {
    books = await openBooks({ seed: 7, days: 20, config: { sync: { backfillDays: 25, shadowMode: true } } }, 's5sync-drift-kept-out-');
    goLive = addDays(businessDate(books.simulator.now(), tz), -6);
  });
  afterAll(async () => books.close());

  const findings = (kind: string): Set<string> =>
    new Set(books.ledgerSql<{ id: string }>('SELECT object_id AS id FROM drift_findings WHERE kind = ?', kind).map((row) => row.id));
  const beforeGoLive = (seconds: number): boolean => businessDate(seconds, tz) < goLive;
  const transactionsBeforeGoLive = (): string[] =>
    books.simulator.objects('balance_transaction').filter((bt) => bt.type !== 'payout' && beforeGoLive(bt.created)).map((bt) => bt.id);
  const chargesBeforeGoLive = (): string[] =>
    books.simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && charge.balance_transaction && beforeGoLive(charge.created)).map((charge) => charge.id);

  it('names the unwritten history past its grace in shadow mode', async () => {
    expect((await books.sync()).outcome).not.toBe('failed');
    const unbooked = findings('transaction-not-in-sage');
    const before = transactionsBeforeGoLive();
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((id) => !unbooked.has(id))).toEqual([]);
    const withoutFees = findings('charge-without-fees');
    expect(chargesBeforeGoLive().filter((id) => !withoutFees.has(id))).toEqual([]);
  }, 120_000);

  it('names none of it once the site goes live and the history before go-live is skipped', async () => {
    const config = JSON.parse(readFileSync(books.configPath, 'utf8')) as { sync: object };
    writeFileSync(books.configPath, JSON.stringify({ ...config, sync: { ...config.sync, shadowMode: false, goLiveDate: goLive } }));
    expect((await books.sync()).outcome).not.toBe('failed');
    expect((await books.sync()).outcome).not.toBe('failed');

    // The history is skipped as before go-live, not written.
    const [skipped] = books.ledgerSql<{ n: number }>("SELECT COUNT(*) AS n FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE d.state = 'skipped' AND d.skip_reason LIKE 'before go-live (%'");
    expect(skipped!.n).toBeGreaterThan(0);
    const unbooked = findings('transaction-not-in-sage');
    expect(transactionsBeforeGoLive().filter((id) => unbooked.has(id))).toEqual([]);
    const withoutFees = findings('charge-without-fees');
    expect(chargesBeforeGoLive().filter((id) => withoutFees.has(id))).toEqual([]);
  }, 120_000);
});
