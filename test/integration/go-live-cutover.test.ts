import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, addDays } from '../../main/core/time/business-date.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * The cutover: a shadow run previews 20 days of history, then the site goes live with a
 * go-live date 6 days before "today". Nothing dated before go-live reaches Sage (those
 * months were keyed by hand), it is recorded as skipped "before go-live" instead, and the
 * activity from go-live on is written. The expectation is computed from the simulator's own
 * objects and dates, not from the engine.
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
});
