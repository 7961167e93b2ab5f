import { afterEach, describe, expect, it } from 'vitest';
import { customer, openFixture, type SandboxFixture } from './sage-fixtures.js';
import { keyCashReceiptByHand, postInvoiceInSage } from './sage-hand-keyed-ar.js';

/** The sandbox's AR tables hold what Sage holds and refuse what Sage refuses (issue #21). */
describe('sandbox AR tables', () => {
  let fixture: SandboxFixture;
  afterEach(async () => fixture.close());

  async function withCustomer(): Promise<SandboxFixture> {
    fixture = openFixture();
    await fixture.writer.write(customer('ADA'), { runId: 1 });
    return fixture;
  }

  it('spGetNextBatch creates the tarBatch row of an AR batch with the default cash account (S6)', async () => {
    const { port, raw } = await withCustomer();
    const result = await port.procedure('spGetNextBatch', [
      { name: '_iCompanyID', param: { type: 'varchar', length: 3, value: 'SOA' } },
      { name: '_iModuleNo', param: { type: 'smallint', value: 5 } },
      { name: '_iBatchType', param: { type: 'int', value: 503 } },
      { name: '_iUserID', param: { type: 'varchar', length: 30, value: 'stripe' } },
      { name: '_iDefBatchCmnt', param: { type: 'varchar', length: 50, value: 'Stripe receipts' } },
      { name: '_iPostDate', param: { type: 'datetime', value: '2026-11-20' } },
      { name: '_oBatchKey', param: { type: 'int', value: null }, output: true },
      { name: '_oNextBatchNo', param: { type: 'int', value: null }, output: true },
      { name: '_oRetVal', param: { type: 'smallint', value: null }, output: true },
      { name: '_optHiddenBatch', param: { type: 'smallint', value: null } },
      { name: '_optInvcDate', param: { type: 'datetime', value: null } },
    ], 'name');
    expect(result['_oRetVal']).toBe(1);
    const bank = raw.prepare('SELECT DfltCashAcctKey FROM tarOptions').get() as { DfltCashAcctKey: number };
    expect(raw.prepare('SELECT CashAcctKey, Hold, Private, TranCtrl, SourceModule, BankDepAmt FROM tarBatch WHERE BatchKey = ?').get(result['_oBatchKey'])).toEqual({
      CashAcctKey: bank.DfltCashAcctKey, Hold: 0, Private: 0, TranCtrl: 0, SourceModule: 5, BankDepAmt: 0,
    });
    expect(raw.prepare('SELECT BatchType, Status, PostStatus FROM tciBatchLog WHERE BatchKey = ?').get(result['_oBatchKey'])).toEqual({ BatchType: 503, Status: 4, PostStatus: 0 });
  });

  it('holds a posted invoice and a hand-keyed receipt applied to it', async () => {
    const { raw } = await withCustomer();
    const invoice = postInvoiceInSage(raw, 'ADA', 1234, '125.00');
    const { batchKey } = keyCashReceiptByHand(raw, 'ADA', invoice, '125.00');
    expect(raw.prepare('SELECT TranID, Balance FROM tarInvoice').all()).toEqual([{ TranID: '0000001234-IN', Balance: 125_000 }]);
    expect(raw.prepare('SELECT PmtAmt, ApplyToInvcKey FROM tarPendCustPmtAppl WHERE BatchKey = ?').all(batchKey)).toEqual([{ PmtAmt: 125_000, ApplyToInvcKey: invoice.invcKey }]);
  });

  it('refuses an application to an invoice Sage does not have, and a receipt without its NOT NULL columns', async () => {
    const { raw } = await withCustomer();
    const invoice = postInvoiceInSage(raw, 'ADA', 1234, '125.00');
    const { batchKey } = keyCashReceiptByHand(raw, 'ADA', invoice, '125.00');
    expect(() =>
      raw.prepare(
        `INSERT INTO tarPendCustPmtAppl (BatchKey, SeqNo, ApplyToInvcKey, CurrExchRate, PmtAmt, PmtAmtIC, DiscTakenAmt, DiscTakenAmtIC, WriteOffAmt, WriteOffAmtIC, RealGainLossAmt, AppliedAtCreation)
         VALUES (?, 2, 424242, 1, 1000, 1000, 0, 0, 0, 0, 0, 1)`,
      ).run(batchKey),
    ).toThrow(/FOREIGN KEY/);
    expect(() => raw.prepare("INSERT INTO tarPendCustPmt (CustPmtKey, BatchKey, CompanyID, CustKey) VALUES (999, ?, 'SOA', 1)").run(batchKey)).toThrow(/NOT NULL/);
    // Two applications with the same sequence number in one batch: S8 numbers them from tciBatchLog.NextSeqNo.
    expect(() =>
      raw.prepare(
        `INSERT INTO tarPendCustPmtAppl (BatchKey, SeqNo, ApplyToInvcKey, CurrExchRate, PmtAmt, PmtAmtIC, DiscTakenAmt, DiscTakenAmtIC, WriteOffAmt, WriteOffAmtIC, RealGainLossAmt, AppliedAtCreation)
         VALUES (?, 1, ?, 1, 1000, 1000, 0, 0, 0, 0, 0, 1)`,
      ).run(batchKey, invoice.invcKey),
    ).toThrow(/UNIQUE/);
  });
});
