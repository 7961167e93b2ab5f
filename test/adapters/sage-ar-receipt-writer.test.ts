import { afterEach, describe, expect, it } from 'vitest';
import { captureCashReceipt } from '../../main/adapters/sage/ar-capture.js';
import { SageOpenInvoices } from '../../main/adapters/sage/ar-open-invoices.js';
import { receiptTemplateFrom, type ReceiptTemplate } from '../../main/adapters/sage/ar-receipt-template.js';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { LoopbackMssqlPool } from '../../main/simulators/sage-sandbox/mssql-loopback.js';
import type { ArCashReceipt, JournalDocument } from '../../main/core/sage/documents.js';
import { customer, openFixture, TODAY, type SandboxFixture } from './sage-fixtures.js';
import { HAND_KEYED_RECEIPT, keyCashReceiptByHand, postInvoiceInSage, type PostedInvoice } from './sage-hand-keyed-ar.js';

/** AR cash receipts in a pending AR batch, shaped by the site's captured receipt (issue #21). */
describe('AR cash receipt writer', () => {
  let fixture: SandboxFixture;
  afterEach(async () => fixture.close());

  /** A site with customers ADA and BOB, open invoices, and the cash receipt Mary keyed and we captured. */
  async function site(): Promise<{ template: ReceiptTemplate; writer: SageWriter; invoices: Record<'inv1234' | 'inv1235' | 'golden', PostedInvoice> }> {
    fixture = openFixture();
    await fixture.writer.write(customer('ADA'), { runId: 1 });
    await fixture.writer.write(customer('BOB', { key: 'customer:cus_BOB', stripeObjectId: 'cus_BOB', email: 'bob@example.com' }), { runId: 1 });
    const invoices = {
      inv1234: postInvoiceInSage(fixture.raw, 'ADA', 1234, '125.00'),
      inv1235: postInvoiceInSage(fixture.raw, 'ADA', 1235, '80.00'),
      golden: postInvoiceInSage(fixture.raw, 'BOB', 900, '40.00'),
    };
    const { batchNo } = keyCashReceiptByHand(fixture.raw, 'BOB', invoices.golden, '40.00');
    const template = receiptTemplateFrom(await captureCashReceipt(fixture.port, 'SOA', batchNo, new Date('2026-11-21T09:00:00Z')));
    const writer = new SageWriter(fixture.port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate: template });
    return { template, writer, invoices };
  }

  function receipt(key: string, arReceipt: Partial<ArCashReceipt> & Pick<ArCashReceipt, 'amount'>): JournalDocument {
    const full: ArCashReceipt = { custId: 'ADA', cashAcctNo: '1050-00', comment: `Stripe ${key}`, applyTo: null, matchedBy: 'metadata', ...arReceipt };
    return {
      type: 'journal',
      key,
      postDate: TODAY,
      stripeObjectId: key.split(':')[0]!,
      description: `Stripe charge ${key}`,
      lines: [
        { acctNo: '1050-00', amount: full.amount, comment: 'receipt', traceId: 'txn_1' },
        { acctNo: '1200-00', amount: `-${full.amount}`, comment: 'receipt', traceId: 'txn_1' },
      ],
      arReceipt: full,
    };
  }

  it('recognises the captured tables by their columns and reads the codes from them', async () => {
    const { template } = await site();
    expect(template).toMatchObject({
      batchType: 503,
      receipt: { table: 'tarPendCustPmt' },
      application: { table: 'tarPendCustPmtAppl' },
      tranType: HAND_KEYED_RECEIPT.tranType,
      tranIdAround: { before: '', after: '-CR' },
      depositFollowsReceipts: true,
    });
  });

  it('writes the receipt applied to the invoice into a pending batch on the clearing account, copying the site codes', async () => {
    const { writer, invoices } = await site();
    const ref = await writer.write(receipt('ch_1:ar-receipt', { amount: '125.000', applyTo: { invcKey: invoices.inv1234.invcKey, tranId: invoices.inv1234.tranId, amount: '125.000' } }), { runId: 7 });
    const { raw } = fixture;
    const clearing = raw.prepare("SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = '105000'").get() as { GLAcctKey: number };
    expect(raw.prepare('SELECT BatchType, Status, PostStatus FROM tciBatchLog WHERE BatchKey = ?').get(ref.batchKey)).toEqual({ BatchType: 503, Status: 4, PostStatus: 0 });
    expect(raw.prepare('SELECT CashAcctKey, BankDepAmt, SourceModule FROM tarBatch WHERE BatchKey = ?').get(ref.batchKey)).toEqual({ CashAcctKey: clearing.GLAcctKey, BankDepAmt: 125_000, SourceModule: 5 });
    const ada = raw.prepare("SELECT CustKey FROM tarCustomer WHERE CustID = 'ADA'").get() as { CustKey: number };
    expect(raw.prepare('SELECT CustKey, TranType, TranNo, TranID, TranDate, TranAmt, UnappliedAmt, CreateType, CreateUserID, TranCmnt FROM tarPendCustPmt WHERE CustPmtKey = ?').get(ref.sageKey)).toEqual({
      CustKey: ada.CustKey, TranType: 510, TranNo: '0000000002', TranID: '0000000002-CR', TranDate: `${TODAY} 00:00:00`, TranAmt: 125_000, UnappliedAmt: 0,
      CreateType: HAND_KEYED_RECEIPT.createType, CreateUserID: 'stripe', TranCmnt: 'Stripe ch_1:ar-receipt',
    });
    expect(raw.prepare('SELECT SeqNo, ApplyFromPmtKey, ApplyToInvcKey, ApplyToTranID, PmtAmt, AppliedAtCreation, DiscTakenAmt FROM tarPendCustPmtAppl WHERE BatchKey = ?').all(ref.batchKey)).toEqual([
      { SeqNo: 1, ApplyFromPmtKey: ref.sageKey, ApplyToInvcKey: invoices.inv1234.invcKey, ApplyToTranID: '0000001234-IN', PmtAmt: 125_000, AppliedAtCreation: 1, DiscTakenAmt: 0 },
    ]);
    // Nothing posted and nothing posted touched: the invoice's balance is Sage's to change when a user posts.
    expect(raw.prepare('SELECT Balance FROM tarInvoice WHERE InvcKey = ?').get(invoices.inv1234.invcKey)).toEqual({ Balance: 125_000 });
    expect(raw.prepare('SELECT SageTable, SageKey, SageNumber FROM tciStripeXref_STRIPE WHERE DocKey = ?').get('ch_1:ar-receipt')).toEqual({ SageTable: 'tarPendCustPmt', SageKey: ref.sageKey, SageNumber: '0000000002-CR' });
  });

  it('leaves the rest of a partly paid invoice open for the next payment, and puts an unmatched payment on account', async () => {
    const { writer, invoices } = await site();
    const open = new SageOpenInvoices(fixture.port, 'SOA', 'tarPendCustPmtAppl');
    await writer.write(receipt('ch_2:ar-receipt', { amount: '50.000', applyTo: { invcKey: invoices.inv1234.invcKey, tranId: invoices.inv1234.tranId, amount: '50.000' } }), { runId: 7 });
    expect((await open.byReference(['0000001234'])).map((invoice) => invoice.openBalance)).toEqual([75_000n]);
    // A second payment of more than what is left is refused with the reason, not over-applied.
    await expect(writer.write(receipt('ch_3:ar-receipt', { amount: '80.000', applyTo: { invcKey: invoices.inv1234.invcKey, tranId: invoices.inv1234.tranId, amount: '80.000' } }), { runId: 7 })).rejects.toThrow(/75\.000 open/);
    const onAccount = await writer.write(receipt('ch_4:ar-receipt', { amount: '19.990' }), { runId: 7 });
    expect(fixture.raw.prepare('SELECT TranAmt, UnappliedAmt FROM tarPendCustPmt WHERE CustPmtKey = ?').get(onAccount.sageKey)).toEqual({ TranAmt: 19_990, UnappliedAmt: 19_990 });
    expect(fixture.raw.prepare('SELECT COUNT(*) AS n FROM tarPendCustPmtAppl WHERE ApplyFromPmtKey = ?').get(onAccount.sageKey)).toEqual({ n: 0 });
    // Both receipts of the run and date share one pending batch.
    expect(fixture.raw.prepare('SELECT COUNT(DISTINCT BatchKey) AS n FROM tarPendCustPmt WHERE CreateUserID = ?').get('stripe')).toEqual({ n: 1 });
  });

  it('runs unchanged through the SQL Server executor (its T-SQL, parameter types and transactions)', async () => {
    const { template, invoices } = await site();
    const executor = new MssqlExecutor(new LoopbackMssqlPool(fixture.port), () => Promise.resolve(new LoopbackMssqlPool(fixture.port)));
    const writer = new SageWriter(executor, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate: template });
    const ref = await writer.write(receipt('ch_8:ar-receipt', { amount: '80.000', applyTo: { invcKey: invoices.inv1235.invcKey, tranId: invoices.inv1235.tranId, amount: '80.000' } }), { runId: 3 });
    expect(fixture.raw.prepare('SELECT TranAmt, TranType, TranID FROM tarPendCustPmt WHERE CustPmtKey = ?').get(ref.sageKey)).toEqual({ TranAmt: 80_000, TranType: 510, TranID: ref.sageNumber });
    expect(fixture.raw.prepare('SELECT PmtAmt, AppliedAtCreation FROM tarPendCustPmtAppl WHERE ApplyFromPmtKey = ?').all(ref.sageKey)).toEqual([{ PmtAmt: 80_000, AppliedAtCreation: 1 }]);
  });

  it('writes a receipt once, however often it is sent', async () => {
    const { writer, invoices } = await site();
    const doc = receipt('ch_5:ar-receipt', { amount: '80.000', applyTo: { invcKey: invoices.inv1235.invcKey, tranId: invoices.inv1235.tranId, amount: '80.000' } });
    const first = await writer.write(doc, { runId: 1 });
    const again = await writer.write(doc, { runId: 2 });
    expect(again).toEqual(first);
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendCustPmt WHERE CreateUserID = 'stripe'").get()).toEqual({ n: 1 });
  });

  it('refuses an AR receipt when no cash receipt was captured on the site', async () => {
    await site();
    await expect(fixture.writer.write(receipt('ch_6:ar-receipt', { amount: '1.000' }), { runId: 1 })).rejects.toThrow(/no cash receipt was captured/);
  });

  it('refuses to copy data of the captured receipt it cannot fill', async () => {
    const { template, invoices } = await site();
    fixture.raw.exec("ALTER TABLE tarPendCustPmt ADD COLUMN CheckNo TEXT");
    const withCheck = { ...template, receipt: { ...template.receipt, row: { ...template.receipt.row, CheckNo: '1001' } } };
    const writer = new SageWriter(fixture.port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate: withCheck });
    await expect(writer.write(receipt('ch_7:ar-receipt', { amount: '80.000', applyTo: { invcKey: invoices.inv1235.invcKey, tranId: invoices.inv1235.tranId, amount: '80.000' } }), { runId: 1 })).rejects.toThrow(
      /tarPendCustPmt\.CheckNo = "1001"/,
    );
  });
});
