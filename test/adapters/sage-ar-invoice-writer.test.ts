import { afterEach, describe, expect, it } from 'vitest';
import { captureCashReceipt } from '../../main/adapters/sage/ar-capture.js';
import { captureArInvoice } from '../../main/adapters/sage/ar-invoice-capture.js';
import { invoiceTemplateFrom, type InvoiceTemplate } from '../../main/adapters/sage/ar-invoice-template.js';
import { receiptTemplateFrom } from '../../main/adapters/sage/ar-receipt-template.js';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { SageWriter, type SageWriterOptions } from '../../main/adapters/sage/sage-writer.js';
import { LoopbackMssqlPool } from '../../main/simulators/sage-sandbox/mssql-loopback.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { customer, openFixture, TODAY, type SandboxFixture } from './sage-fixtures.js';
import { keyArInvoiceByHand } from './sage-hand-keyed-ar-invoice.js';
import { keyCashReceiptByHand, postInvoiceInSage } from './sage-hand-keyed-ar.js';

/** The AR invoice writer's guards (issue #21 items 4 and 5), on the sandbox with the invoice and receipt Mary keyed and we captured. */
describe('AR invoice writer', () => {
  let fixture: SandboxFixture;
  afterEach(async () => fixture.close());

  let options: (template?: InvoiceTemplate) => SageWriterOptions;

  async function site(): Promise<{ invoiceTemplate: InvoiceTemplate; writer: (template?: InvoiceTemplate) => SageWriter }> {
    fixture = openFixture();
    await fixture.writer.write(customer('ADA'), { runId: 1 });
    await fixture.writer.write(customer('BOB', { key: 'customer:cus_BOB', stripeObjectId: 'cus_BOB', email: 'bob@example.com' }), { runId: 1 });
    const golden = postInvoiceInSage(fixture.raw, 'BOB', 900, '40.00');
    const receiptTemplate = receiptTemplateFrom(await captureCashReceipt(fixture.port, 'SOA', keyCashReceiptByHand(fixture.raw, 'BOB', golden, '40.00').batchNo, new Date('2026-11-21T09:00:00Z')));
    const invoiceTemplate = invoiceTemplateFrom(await captureArInvoice(fixture.port, 'SOA', keyArInvoiceByHand(fixture.raw, 'BOB', '250.00').batchNo, new Date('2026-11-21T09:05:00Z')));
    options = (template = invoiceTemplate) => ({ companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate, invoiceTemplate: template });
    return { invoiceTemplate, writer: (template) => new SageWriter(fixture.port, options(template)) };
  }

  const invoiceDoc: JournalDocument = {
    type: 'journal',
    key: 'ch_1:txn_1:ar-invoice',
    postDate: TODAY,
    stripeObjectId: 'ch_1',
    description: 'AR invoice for Stripe sale ch_1',
    lines: [],
    arInvoice: { custId: 'ADA', amount: '42.000', lines: [{ acctNo: '4000-00', amount: '42.000', description: 'Stripe ch_1' }], comment: 'Stripe ch_1' },
  };
  const receiptDoc: JournalDocument = {
    type: 'journal',
    key: 'ch_1:txn_1:ar-receipt',
    postDate: TODAY,
    stripeObjectId: 'ch_1',
    description: 'AR cash receipt for ch_1',
    lines: [],
    arReceipt: { custId: 'ADA', amount: '42.000', cashAcctNo: '1050-00', comment: 'Stripe ch_1', applyTo: null, applyToOwnInvoice: { docKey: 'ch_1:txn_1:ar-invoice', amount: '42.000' }, matchedBy: 'stripe-sale' },
  };

  it('finds the line distribution table and its amount column in the capture', async () => {
    const { invoiceTemplate } = await site();
    expect(invoiceTemplate).toMatchObject({
      batchType: 501,
      invoice: { table: 'tarPendInvoice' },
      line: { table: 'tarInvoiceDetl' },
      distribution: { table: 'tarInvoiceLineDist', amountColumn: 'ExtAmt' },
      tranIdAround: { before: '', after: '-IN' },
    });
  });

  it("never applies a sale's receipt elsewhere while its invoice is not in Sage, and applies it once the invoice is", async () => {
    const { writer } = await site();
    const sage = writer();
    await expect(sage.write(receiptDoc, { runId: 1 })).rejects.toThrow(/the AR invoice it pays \(ch_1:txn_1:ar-invoice\) is not in Sage; retry the receipt once the invoice is written/);
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendCustPmt WHERE TranCmnt = 'Stripe ch_1'").get()).toEqual({ n: 0 });
    const invoice = await sage.write(invoiceDoc, { runId: 1 });
    await sage.write(receiptDoc, { runId: 1 });
    expect(fixture.raw.prepare("SELECT a.ApplyToInvcKey, a.ApplyToTranID, a.PmtAmt, p.UnappliedAmt FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey WHERE p.TranCmnt = 'Stripe ch_1'").all()).toEqual([
      { ApplyToInvcKey: invoice.sageKey, ApplyToTranID: invoice.sageNumber, PmtAmt: 42_000, UnappliedAmt: 0 },
    ]);
    // Written once: a retry finds the cross-reference rows.
    expect(await sage.write(invoiceDoc, { runId: 2 })).toEqual(invoice);
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendInvoice WHERE TranCmnt = 'Stripe ch_1'").get()).toEqual({ n: 1 });
  });

  it('runs unchanged through the SQL Server executor (its T-SQL, parameter types and transactions), invoice then receipt in one chunk', async () => {
    await site();
    const executor = new MssqlExecutor(new LoopbackMssqlPool(fixture.port), () => Promise.resolve(new LoopbackMssqlPool(fixture.port)));
    const sage = new SageWriter(executor, options());
    const outcomes = await sage.writeMany([invoiceDoc, receiptDoc], { runId: 3 });
    expect(outcomes.map((outcome) => ('error' in outcome ? String(outcome.error) : 'written'))).toEqual(['written', 'written']);
    expect(fixture.raw.prepare("SELECT i.TranAmt, l.ExtAmt, d.ExtAmt AS DistAmt FROM tarPendInvoice i JOIN tarInvoiceDetl l ON l.InvcKey = i.InvcKey JOIN tarInvoiceLineDist d ON d.InvoiceLineKey = l.InvoiceLineKey WHERE i.TranCmnt = 'Stripe ch_1'").all()).toEqual([
      { TranAmt: 42_000, ExtAmt: 42_000, DistAmt: 42_000 },
    ]);
    expect(fixture.raw.prepare("SELECT a.PmtAmt FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey WHERE p.TranCmnt = 'Stripe ch_1'").all()).toEqual([{ PmtAmt: 42_000 }]);
  });

  it('refuses to copy data of the captured invoice it cannot fill for a Stripe sale', async () => {
    const { invoiceTemplate, writer } = await site();
    const withSalesperson = { ...invoiceTemplate, invoice: { ...invoiceTemplate.invoice, row: { ...invoiceTemplate.invoice.row, PrimarySperKey: 12 } } };
    await expect(writer(withSalesperson).write(invoiceDoc, { runId: 1 })).rejects.toThrow(/tarPendInvoice\.PrimarySperKey = 12, data of that document the sync cannot fill/);
    // In a chunk, the sale's receipt fails with its invoice, with the invoice's error class: never applied elsewhere, retried with it.
    const [invoiceOutcome, receiptOutcome] = await writer(withSalesperson).writeMany([invoiceDoc, receiptDoc], { runId: 2 });
    expect(invoiceOutcome).toMatchObject({ error: { errorClass: 'configuration' } });
    expect(receiptOutcome).toMatchObject({ error: { errorClass: 'configuration', message: expect.stringMatching(/^Cash receipt ch_1:txn_1:ar-receipt: its AR invoice ch_1:txn_1:ar-invoice was not written \(.*PrimarySperKey/) } });
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendCustPmt WHERE TranCmnt = 'Stripe ch_1'").get()).toEqual({ n: 0 });
    expect(fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendInvoice WHERE TranCmnt = 'Stripe ch_1'").get()).toEqual({ n: 0 });
  });
});
