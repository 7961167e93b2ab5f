import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { LoopbackMssqlPool } from '../../main/simulators/sage-sandbox/mssql-loopback.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { WRITE_CHUNK } from '../../main/core/engine/write-pass.js';
import { customer, journal, openFixture, rowCount, salesOrder, type SandboxFixture } from './sage-fixtures.js';
import type { SagePort, SqlSession } from '../../main/adapters/sage/sql-port.js';
import { redeclareColumn } from './sage-altered-site.js';

/**
 * The writer's statement stream on the real mssql code path (MssqlExecutor), answered by the
 * sandbox behind the driver's pool interface: every request is one round trip. A backfill
 * chunk of journals must cost a handful of round trips, not several per journal, and still
 * write every row of every journal once.
 */
let fx: SandboxFixture;
let pool: LoopbackMssqlPool;
let writer: SageWriter;
beforeEach(async () => {
  fx = openFixture();
  pool = new LoopbackMssqlPool(fx.port);
  const executor = new MssqlExecutor(pool, () => Promise.resolve(new LoopbackMssqlPool(fx.port)));
  // The engine holds the single-writer lock: each transaction proves it first (one round trip).
  await executor.acquireAppLock('stripe-sync');
  writer = new SageWriter(executor, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
});
afterEach(async () => {
  await fx.close();
});

/** The engine's write chunk (core/engine/write-pass.ts). */
const CHUNK = WRITE_CHUNK;

function journals(count: number, prefix = 'je'): JournalDocument[] {
  return Array.from({ length: count }, (_, index) => {
    const base = journal(`${prefix}:${index}`);
    const cents = 1_000 + index;
    const fee = 30 + (index % 7);
    return {
      ...base,
      stripeObjectId: `ch_${index}`,
      lines: [
        { ...base.lines[0]!, amount: `${Math.floor((cents - fee) / 100)}.${String((cents - fee) % 100).padStart(2, '0')}0`, comment: `Charge ch_${index}` },
        { ...base.lines[1]!, amount: `0.${String(fee).padStart(2, '0')}0`, comment: `Stripe fee ch_${index}` },
        { ...base.lines[2]!, amount: `-${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}0`, comment: `Clearing ch_${index}` },
      ],
    };
  });
}

async function writeInChunks(docs: readonly JournalDocument[], runId = 1, warn?: (message: string) => void): Promise<number> {
  let written = 0;
  for (let start = 0; start < docs.length; start += CHUNK) {
    const outcomes = await writer.writeMany(docs.slice(start, start + CHUNK), { runId, warn });
    written += outcomes.filter((outcome) => 'ref' in outcome).length;
  }
  return written;
}

describe('Sage round trips of a backfill on the mssql code path', () => {
  it('writes a chunk of journals in at most 0.5 round trips per journal, every line once and balanced', async () => {
    const docs = journals(CHUNK + 1);
    await writeInChunks(docs.slice(0, 1)); // the run's batch, journal and company facts, read once per writer
    const before = pool.stats.roundTrips;
    expect(await writeInChunks(docs.slice(1))).toBe(CHUNK);
    const perJournal = (pool.stats.roundTrips - before) / CHUNK;
    expect(perJournal).toBeLessThanOrEqual(0.5);
    expect(rowCount(fx.raw, 'tglJournalHdr')).toBe(CHUNK + 1);
    expect(rowCount(fx.raw, 'tglJournalLog')).toBe(CHUNK + 1);
    expect(rowCount(fx.raw, 'tciStripeXref_STRIPE')).toBe(CHUNK + 1);
    // Every journal sums to zero and has its three lines in order; the clearing line is the charge, read independently.
    const sums = fx.raw.prepare('SELECT JrnlHdrKey, SUM(PostAmt) AS total, COUNT(*) AS lines FROM tglJournalDetl GROUP BY JrnlHdrKey').all() as { total: number; lines: number }[];
    expect(sums).toHaveLength(CHUNK + 1);
    expect(sums.every((row) => row.total === 0 && row.lines === 3)).toBe(true);
    const clearing = fx.raw.prepare("SELECT x.DocKey, d.PostAmt FROM tglJournalDetl d JOIN tciStripeXref_STRIPE x ON x.SageKey = d.JrnlHdrKey WHERE d.EntryNo = 3 AND x.DocKey = 'je:137'").get();
    expect(clearing).toEqual({ DocKey: 'je:137', PostAmt: -11_370 });
    const numbers = fx.raw.prepare('SELECT JrnlNo FROM tglJournalHdr ORDER BY JrnlNo').all().map((row) => (row as { JrnlNo: number }).JrnlNo);
    expect(numbers).toEqual(Array.from({ length: CHUNK + 1 }, (_, index) => index + 1));
  });

  it('re-running a chunk after a crash writes nothing twice', async () => {
    const docs = journals(CHUNK);
    await writeInChunks(docs.slice(0, 20));
    // The crash: Sage committed the first 20, the ledger never heard; the whole chunk comes again.
    expect(await writeInChunks(docs, 2)).toBe(CHUNK);
    expect(rowCount(fx.raw, 'tglJournalHdr')).toBe(CHUNK);
    expect(rowCount(fx.raw, 'tglJournalDetl')).toBe(CHUNK * 3);
  });

  it('one journal Sage rejects inside the chunk is parked with its Sage error; the others are written', async () => {
    // A site whose PostCmnt holds 30 characters: only the journal with a longer comment fails, at its INSERT.
    redeclareColumn(fx.raw, 'tglJournalDetl', 'PostCmnt', 'PostCmnt varchar(30)');
    const docs = journals(CHUNK);
    docs[17] = { ...docs[17]!, lines: docs[17]!.lines.map((line, index) => (index === 0 ? { ...line, comment: 'Charge ch_17 with a comment of 40 chars' } : line)) };
    const warnings: string[] = [];
    const outcomes = await writer.writeMany(docs, { runId: 1, warn: (message) => warnings.push(message) });
    expect(outcomes.filter((outcome) => 'ref' in outcome)).toHaveLength(CHUNK - 1);
    expect(outcomes[17]).toMatchObject({ error: { errorClass: 'data', message: expect.stringContaining('journal je:17: Sage rejected the write') } });
    expect(warnings).toEqual([expect.stringMatching(/^writing \d+ journal\(s\) in one Sage transaction failed .*; writing each on its own$/)]);
    expect(rowCount(fx.raw, 'tglJournalHdr')).toBe(CHUNK - 1);
    expect(fx.raw.prepare("SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE WHERE DocKey = 'je:17'").get()).toEqual({ n: 0 });
  });

  it("writes a backfill chunk's new customers through one staging session; the one Sage rejects gets its own message", async () => {
    await writeInChunks(journals(1, 'warm'));
    // A backfill's mix: about one new customer in ten documents (bench/results: 5,459 of 51,889).
    const customers = Array.from({ length: CHUNK / 10 }, (_, index) => customer(`C${String(index).padStart(6, '0')}`, index === 4 ? { custClassId: 'NOSUCH' } : {}));
    const chunk = [...customers.slice(0, 5), ...journals(CHUNK - customers.length), ...customers.slice(5)];
    const before = pool.stats.roundTrips;
    const outcomes = await writer.writeMany(chunk, { runId: 1 });
    const trips = pool.stats.roundTrips - before;
    expect(trips / chunk.length).toBeLessThanOrEqual(0.5);
    expect(outcomes.filter((outcome) => 'ref' in outcome)).toHaveLength(chunk.length - 1);
    expect(outcomes[4]).toMatchObject({ error: { errorClass: 'data', message: expect.stringMatching(/^Customer C000004: Sage rejected it: .*NOSUCH.*\(tdmMigrationLogWrk, session \d+\)$/) } });
    expect(fx.raw.prepare("SELECT COUNT(*) AS n FROM tarCustomer WHERE CustID LIKE 'C0000%'").get()).toEqual({ n: customers.length - 1 });
    expect(fx.raw.prepare("SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE WHERE SageTable = 'tarCustomer'").get()).toEqual({ n: customers.length - 1 });
    // Once in Sage's staging table, in one session: one batch, not a session per customer.
    expect(fx.raw.prepare("SELECT COUNT(DISTINCT SessionKey) AS sessions FROM StgCustomer WHERE CustID LIKE 'C0000%'").get()).toEqual({ sessions: 1 });
    // The re-run after a crash finds each created customer as ours and writes nothing twice.
    const again = await writer.writeMany(chunk, { runId: 2 });
    expect(again.map((outcome) => 'ref' in outcome)).toEqual(outcomes.map((outcome) => 'ref' in outcome));
    expect(fx.raw.prepare("SELECT COUNT(*) AS n FROM tarCustomer WHERE CustID LIKE 'C0000%'").get()).toEqual({ n: customers.length - 1 });
  });

  it('the sandbox runs exactly the statements the mssql executor sends, in the same order', async () => {
    // The statements the sandbox receives: its own executor directly, and through the loopback.
    const recorded = (port: SagePort, into: string[]): SagePort => {
      const session = (inner: SqlSession): SqlSession => ({
        query: (sql, params) => (into.push(sql), inner.query(sql, params)),
        execute: (sql, params) => (into.push(sql), inner.execute(sql, params)),
        procedure: (name, args, binding) => (into.push(`EXEC ${name}`), inner.procedure(name, args, binding)),
      });
      return { ...session(port), dialect: port.dialect, transaction: (work) => port.transaction((tx) => work(session(tx))), acquireAppLock: (r) => port.acquireAppLock(r), close: () => port.close() };
    };
    const chunk = [customer('C000100'), ...journals(30, 'same'), customer('C000101'), salesOrder('so:same', 'C000100')];
    const direct: string[] = [];
    const other = openFixture();
    try {
      await new SageWriter(recorded(other.port, direct), { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' }).writeMany(chunk, { runId: 1 });
    } finally {
      await other.close();
    }
    const viaMssql: string[] = [];
    const loopback = new LoopbackMssqlPool(recorded(fx.port, viaMssql));
    const executor = new MssqlExecutor(loopback, () => Promise.resolve(new LoopbackMssqlPool(fx.port)));
    await new SageWriter(executor, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' }).writeMany(chunk, { runId: 1 });
    // The executor renames each statement's parameters to its place in the batch (@s3_postAmt); the text is otherwise the same.
    expect(viaMssql.map((sql) => sql.replace(/@s\d+_/g, '@'))).toEqual(direct);
    expect(direct.length).toBeGreaterThan(20);
  });

  it("writes a chunk's sales orders through one staging session, numbered in one block; the one Sage rejects gets its own message", async () => {
    await writeInChunks(journals(1, 'warm'));
    await writer.writeMany([customer('C000200')], { runId: 1 });
    const orders = Array.from({ length: 20 }, (_, index) =>
      salesOrder(`so:chunk:${index}`, 'C000200', index === 7 ? { lines: [{ itemId: 'NOSUCH', description: 'Unknown', quantity: '1.00000000', unitPrice: '1.00000', extAmount: '1.000' }] } : {}),
    );
    const chunk = [...journals(CHUNK - orders.length, 'so-chunk'), ...orders];
    const before = pool.stats.roundTrips;
    const outcomes = await writer.writeMany(chunk, { runId: 1 });
    expect((pool.stats.roundTrips - before) / chunk.length).toBeLessThanOrEqual(0.5);
    expect(outcomes.filter((outcome) => 'ref' in outcome)).toHaveLength(chunk.length - 1);
    expect(outcomes[CHUNK - orders.length + 7]).toMatchObject({ error: { errorClass: 'data', message: expect.stringMatching(/^Sales order so:chunk:7: Sage rejected it: Item NOSUCH does not exist in company SOA \(timItem\) \(tdmMigrationLogWrk, session \d+\)$/) } });
    const written = fx.raw.prepare("SELECT so.TranNo, so.Status, so.TranAmt FROM tsoSalesOrder so WHERE so.TranCmnt LIKE 'Stripe so:chunk:%' ORDER BY so.TranNo").all() as { TranNo: string; Status: number; TranAmt: number }[];
    expect(written).toHaveLength(19);
    expect(new Set(written.map((row) => row.TranNo)).size).toBe(19);
    expect(written.every((row) => row.Status === 1 && row.TranAmt === 60_000)).toBe(true);
    expect(fx.raw.prepare("SELECT COUNT(DISTINCT SessionKey) AS sessions FROM StgSalesOrder WHERE TranCmnt LIKE 'Stripe so:chunk:%'").get()).toEqual({ sessions: 1 });
    // The re-run after a crash finds each order by its comment and writes nothing twice.
    const again = await writer.writeMany(chunk, { runId: 2 });
    expect(again.map((outcome) => 'ref' in outcome)).toEqual(outcomes.map((outcome) => 'ref' in outcome));
    expect(fx.raw.prepare("SELECT COUNT(*) AS n FROM tsoSalesOrder WHERE TranCmnt LIKE 'Stripe so:chunk:%'").get()).toEqual({ n: 19 });
  });
});
