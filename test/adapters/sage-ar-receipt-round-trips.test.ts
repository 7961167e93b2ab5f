import { afterEach, describe, expect, it } from 'vitest';
import { captureCashReceipt } from '../../main/adapters/sage/ar-capture.js';
import { receiptTemplateFrom } from '../../main/adapters/sage/ar-receipt-template.js';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { WRITE_CHUNK } from '../../main/core/engine/write-pass.js';
import type { ArCashReceipt, JournalDocument } from '../../main/core/sage/documents.js';
import { LoopbackMssqlPool } from '../../main/simulators/sage-sandbox/mssql-loopback.js';
import { customer, openFixture, TODAY, type SandboxFixture } from './sage-fixtures.js';
import { keyCashReceiptByHand, postInvoiceInSage, type PostedInvoice } from './sage-hand-keyed-ar.js';

/**
 * AR cash receipts on the real mssql code path (MssqlExecutor over LoopbackMssqlPool, every
 * request one round trip), as the GL journals are measured in sage-round-trips.test.ts: a
 * backfill chunk of receipts must cost at most 0.5 round trips per receipt (issue #19 item 2),
 * and still land every receipt, application, deposit and xref row once, numbered in order.
 */

describe('Sage round trips of AR cash receipts on the mssql code path', () => {
  let fixture: SandboxFixture;
  afterEach(async () => fixture.close());

  async function site(invoiceCount: number): Promise<{ writer: SageWriter; pool: LoopbackMssqlPool; invoices: PostedInvoice[] }> {
    fixture = openFixture();
    await fixture.writer.write(customer('ADA'), { runId: 1 });
    await fixture.writer.write(customer('BOB', { key: 'customer:cus_BOB', stripeObjectId: 'cus_BOB', email: 'bob@example.com' }), { runId: 1 });
    const golden = postInvoiceInSage(fixture.raw, 'BOB', 900, '40.00');
    const { batchNo } = keyCashReceiptByHand(fixture.raw, 'BOB', golden, '40.00');
    const template = receiptTemplateFrom(await captureCashReceipt(fixture.port, 'SOA', batchNo, new Date('2026-11-21T09:00:00Z')));
    const invoices = Array.from({ length: invoiceCount }, (_, index) => postInvoiceInSage(fixture.raw, index % 2 === 0 ? 'ADA' : 'BOB', 2_000 + index, '100.00'));
    const pool = new LoopbackMssqlPool(fixture.port);
    const executor = new MssqlExecutor(pool, () => Promise.resolve(new LoopbackMssqlPool(fixture.port)));
    // The engine holds the single-writer lock: each transaction proves it first.
    await executor.acquireAppLock('stripe-sync');
    return { writer: new SageWriter(executor, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate: template }), pool, invoices };
  }

  function receipt(index: number, custId: string, amount: string, applyTo: PostedInvoice | null): JournalDocument {
    const key = `ch_${index}:txn_${index}:ar-receipt`;
    const arReceipt: ArCashReceipt = {
      custId,
      amount,
      cashAcctNo: '1050-00',
      comment: `Stripe ch_${index}`,
      applyTo: applyTo ? { invcKey: applyTo.invcKey, tranId: applyTo.tranId, amount } : null,
      matchedBy: applyTo ? 'metadata' : 'on-account',
    };
    return {
      type: 'journal',
      key,
      postDate: TODAY,
      stripeObjectId: `ch_${index}`,
      description: `AR cash receipt for ch_${index}`,
      lines: [
        { acctNo: '1050-00', amount, comment: 'receipt', traceId: `txn_${index}` },
        { acctNo: '1200-00', amount: `-${amount}`, comment: 'receipt', traceId: `txn_${index}` },
      ],
      arReceipt,
    };
  }

  /** Receipts of a backfill: most applied to their own invoice, every tenth on account. */
  function receipts(from: number, count: number, invoices: readonly PostedInvoice[]): JournalDocument[] {
    return Array.from({ length: count }, (_, offset) => {
      const index = from + offset;
      const invoice = index % 10 === 9 ? null : invoices[index]!;
      return receipt(index, invoice ? (index % 2 === 0 ? 'ADA' : 'BOB') : 'ADA', `${40 + (index % 50)}.000`, invoice);
    });
  }

  it('writes one receipt after the first in a few round trips', async () => {
    const { writer, pool, invoices } = await site(3);
    await writer.writeMany([receipt(0, 'ADA', '10.000', invoices[0]!)], { runId: 1 });
    const before = pool.stats.roundTrips;
    const [outcome] = await writer.writeMany([receipt(1, 'BOB', '20.000', invoices[1]!)], { runId: 1 });
    const trips = pool.stats.roundTrips - before;
    console.log(`AR receipt round trips, one receipt: ${trips}`);
    expect(outcome).toHaveProperty('ref');
    expect(trips).toBeLessThanOrEqual(13);
  });

  it('writes a chunk of receipts in at most 0.5 round trips per receipt, every row once and numbered in order', async () => {
    const { writer, pool, invoices } = await site(WRITE_CHUNK + 1);
    const docs = receipts(0, WRITE_CHUNK + 1, invoices);
    await writer.writeMany(docs.slice(0, 1), { runId: 1 }); // the run's batch, company facts and site columns, read once per writer
    const before = pool.stats.roundTrips;
    const outcomes = await writer.writeMany(docs.slice(1), { runId: 1 });
    const perReceipt = (pool.stats.roundTrips - before) / WRITE_CHUNK;
    console.log(`AR receipt round trips per receipt, chunk of ${WRITE_CHUNK}: ${perReceipt}`);
    expect(outcomes.filter((outcome) => 'ref' in outcome)).toHaveLength(WRITE_CHUNK);
    expect(perReceipt).toBeLessThanOrEqual(0.5);

    const { raw } = fixture;
    const rows = raw
      .prepare("SELECT p.TranCmnt, p.TranNo, p.TranAmt, p.UnappliedAmt, p.BatchKey FROM tarPendCustPmt p WHERE p.CreateUserID = 'stripe' ORDER BY p.TranNo")
      .all() as { TranCmnt: string; TranNo: string; TranAmt: number; UnappliedAmt: number; BatchKey: number }[];
    // In the order given, numbered from the golden receipt's next number, every one in the run's one batch.
    expect(rows.map((row) => row.TranCmnt)).toEqual(docs.map((doc) => doc.arReceipt!.comment));
    expect(rows.map((row) => row.TranNo)).toEqual(docs.map((_, index) => String(index + 2).padStart(10, '0')));
    expect(new Set(rows.map((row) => row.BatchKey)).size).toBe(1);
    // Amounts worked by hand: 40.000 + (index mod 50), applied whole unless on account (every tenth).
    expect(rows.map((row) => [row.TranAmt, row.UnappliedAmt])).toEqual(docs.map((_, index) => [(40 + (index % 50)) * 1_000, index % 10 === 9 ? (40 + (index % 50)) * 1_000 : 0]));
    const applications = raw
      .prepare('SELECT a.SeqNo, p.TranCmnt, a.ApplyToInvcKey, a.PmtAmt FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey WHERE p.CreateUserID = ? ORDER BY a.SeqNo')
      .all('stripe') as { SeqNo: number; TranCmnt: string; ApplyToInvcKey: number; PmtAmt: number }[];
    const applied = docs.filter((doc) => doc.arReceipt!.applyTo !== null);
    expect(applications).toEqual(applied.map((doc, index) => ({ SeqNo: index + 1, TranCmnt: doc.arReceipt!.comment, ApplyToInvcKey: doc.arReceipt!.applyTo!.invcKey, PmtAmt: Number(doc.arReceipt!.amount.replace('.', '')) })));
    // The batch's deposit is the sum of its receipts; one xref row per receipt.
    const total = docs.reduce((sum, _, index) => sum + (40 + (index % 50)) * 1_000, 0);
    expect(raw.prepare('SELECT BankDepAmt FROM tarBatch WHERE BatchKey = ?').get(rows[0]!.BatchKey)).toEqual({ BankDepAmt: total });
    expect(raw.prepare("SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:ar-receipt'").get()).toEqual({ n: WRITE_CHUNK + 1 });

    // The chunk again, as after a crash before the ledger heard: nothing twice.
    const again = await writer.writeMany(docs, { runId: 2 });
    expect(again.map((outcome) => ('ref' in outcome ? outcome.ref.sageKey : null))).toEqual([...(await writer.writeMany(docs.slice(0, 1), { runId: 2 })), ...outcomes].map((outcome) => ('ref' in outcome ? outcome.ref.sageKey : null)));
    expect(raw.prepare("SELECT COUNT(*) AS n FROM tarPendCustPmt WHERE CreateUserID = 'stripe'").get()).toEqual({ n: WRITE_CHUNK + 1 });
  });

  it('counts what earlier receipts of the same chunk apply: a second payment of an invoice is refused beyond its open balance', async () => {
    const { writer, invoices } = await site(1);
    // Invoice 2000 is ADA's, 100.00 open: 60.00 fits, a further 60.00 does not (40.00 left), 30.00 does.
    const outcomes = await writer.writeMany([receipt(1, 'ADA', '60.000', invoices[0]!), receipt(2, 'ADA', '60.000', invoices[0]!), receipt(3, 'ADA', '30.000', invoices[0]!)], { runId: 1 });
    expect(outcomes[0]).toHaveProperty('ref');
    expect(outcomes[1]).toMatchObject({ error: { message: expect.stringContaining('has 40.000 open after applications in unposted batches, less than the 60.000 this payment applies') } });
    expect(outcomes[2]).toHaveProperty('ref');
    expect(fixture.raw.prepare('SELECT SUM(PmtAmt) AS applied FROM tarPendCustPmtAppl WHERE ApplyToInvcKey = ?').get(invoices[0]!.invcKey)).toEqual({ applied: 90_000 });
  });

  it('one receipt Sage refuses inside the chunk is reported with its Sage error; the others are written', async () => {
    const { writer, invoices } = await site(20);
    // As a site's own trigger would refuse one row.
    fixture.raw.exec("CREATE TRIGGER refuse_ch_7 BEFORE INSERT ON tarPendCustPmt WHEN NEW.TranCmnt = 'Stripe ch_7' BEGIN SELECT RAISE(ABORT, 'refused by the site'); END");
    const docs = receipts(0, 20, invoices);
    const warnings: string[] = [];
    const outcomes = await writer.writeMany(docs, { runId: 1, warn: (message) => warnings.push(message) });
    expect(outcomes.filter((outcome) => 'ref' in outcome)).toHaveLength(19);
    expect(outcomes[7]).toMatchObject({ error: { message: expect.stringContaining('refused by the site') } });
    expect(warnings).toEqual([expect.stringMatching(/^writing 20 AR cash receipt\(s\) in one Sage transaction failed .*; writing each on its own$/)]);
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendCustPmt WHERE CreateUserID = 'stripe'").get()).toEqual({ n: 19 });
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE WHERE DocKey = 'ch_7:txn_7:ar-receipt'").get()).toEqual({ n: 0 });
  });
});
