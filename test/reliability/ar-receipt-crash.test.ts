import { afterEach, describe, expect, it } from 'vitest';
import { captureCashReceipt } from '../../main/adapters/sage/ar-capture.js';
import { receiptTemplateFrom, type ReceiptTemplate } from '../../main/adapters/sage/ar-receipt-template.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import type { SagePort, SqlSession } from '../../main/adapters/sage/sql-port.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { customer, openFixture, TODAY, type SandboxFixture } from '../adapters/sage-fixtures.js';
import { keyCashReceiptByHand, postInvoiceInSage, type PostedInvoice } from '../adapters/sage-hand-keyed-ar.js';

/**
 * Exactly once for AR cash receipts: the writer dies at every SQL statement of a receipt in
 * turn (the statement fails and the process is gone, so its transaction rolls back), or right
 * after Sage committed but before it heard so; a new writer (a new process) then writes the
 * same document. Sage must end with exactly one receipt, one application and one xref row.
 */

class Killed extends Error {}

/** A port that dies at its `at`-th statement, inside a transaction or not. */
function dyingAt(port: SagePort, at: number): SagePort {
  let count = 0;
  const tick = (): void => {
    count += 1;
    if (count === at) throw new Killed(`killed at statement ${at}`);
  };
  const session = (inner: SqlSession): SqlSession => ({
    query: async (sql, params) => (tick(), inner.query(sql, params)),
    execute: async (sql, params) => (tick(), inner.execute(sql, params)),
    procedure: async (name, args, binding) => (tick(), inner.procedure(name, args, binding)),
  });
  return { ...port, ...session(port), dialect: port.dialect, transaction: (work) => port.transaction((tx) => work(session(tx))), acquireAppLock: port.acquireAppLock.bind(port), close: port.close.bind(port) };
}

describe('AR cash receipt under a crash at any statement', () => {
  let fixture: SandboxFixture;
  afterEach(async () => fixture.close());

  async function site(): Promise<{ template: ReceiptTemplate; invoice: PostedInvoice }> {
    fixture = openFixture();
    await fixture.writer.write(customer('ADA'), { runId: 1 });
    const invoice = postInvoiceInSage(fixture.raw, 'ADA', 1234, '125.00');
    const golden = postInvoiceInSage(fixture.raw, 'ADA', 900, '40.00');
    const { batchNo } = keyCashReceiptByHand(fixture.raw, 'ADA', golden, '40.00');
    return { template: receiptTemplateFrom(await captureCashReceipt(fixture.port, 'SOA', batchNo, new Date())), invoice };
  }

  const receipt = (invoice: PostedInvoice): JournalDocument => ({
    type: 'journal',
    key: 'ch_9:txn_9:ar-receipt',
    postDate: TODAY,
    stripeObjectId: 'ch_9',
    description: 'AR cash receipt for ch_9',
    lines: [],
    arReceipt: { custId: 'ADA', amount: '50.000', cashAcctNo: '1050-00', comment: 'Stripe ch_9', applyTo: { invcKey: invoice.invcKey, tranId: invoice.tranId, amount: '50.000' }, matchedBy: 'metadata' },
  });

  const rows = () => ({
    receipts: fixture.raw.prepare("SELECT COUNT(*) AS n FROM tarPendCustPmt WHERE TranCmnt = 'Stripe ch_9'").get(),
    applications: fixture.raw.prepare("SELECT COUNT(*) AS n, SUM(a.PmtAmt) AS amount FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey WHERE p.TranCmnt = 'Stripe ch_9'").get(),
    xref: fixture.raw.prepare("SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE WHERE DocKey = 'ch_9:txn_9:ar-receipt'").get(),
  });
  const once = { receipts: { n: 1 }, applications: { n: 1, amount: 50_000 }, xref: { n: 1 } };

  it('writes the receipt exactly once whichever statement the writer died at', async () => {
    let statement = 1;
    for (;;) {
      const { template, invoice } = await site();
      const options = { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate: template };
      let died = false;
      try {
        await new SageWriter(dyingAt(fixture.port, statement), options).write(receipt(invoice), { runId: 1 });
      } catch (error) {
        died = true;
        expect(String(error)).toMatch(/killed at statement/);
      }
      await new SageWriter(fixture.port, options).write(receipt(invoice), { runId: 2 });
      expect(rows(), `died at statement ${statement}`).toEqual(once);
      if (!died) break; // the writer finished before the statement to die at: every statement was tried
      await fixture.close();
      statement += 1;
    }
    expect(statement).toBeGreaterThan(15);
  }, 120_000);

  it('finds a receipt Sage committed when the writer never heard back', async () => {
    const { template, invoice } = await site();
    const options = { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', receiptTemplate: template };
    const lostAnswer: SagePort = { ...fixture.port, dialect: fixture.port.dialect, query: fixture.port.query.bind(fixture.port), execute: fixture.port.execute.bind(fixture.port), procedure: fixture.port.procedure.bind(fixture.port), acquireAppLock: fixture.port.acquireAppLock.bind(fixture.port), close: fixture.port.close.bind(fixture.port), transaction: async (work) => {
      await fixture.port.transaction(work);
      throw new Killed('connection lost after COMMIT');
    } };
    await expect(new SageWriter(lostAnswer, options).write(receipt(invoice), { runId: 1 })).rejects.toThrow(/after COMMIT/);
    const again = await new SageWriter(fixture.port, options).write(receipt(invoice), { runId: 2 });
    expect(again.sageTable).toBe('tarPendCustPmt');
    expect(rows()).toEqual(once);
  });
});
