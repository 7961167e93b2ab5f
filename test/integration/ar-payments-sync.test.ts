import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { arReadiness } from '../../main/app/ar-readiness.js';
import { main } from '../../main/cli/s5sync.js';
import type { StripeCharge, StripeCustomer } from '../../main/core/stripe/objects.js';
import { keyCashReceiptByHand, postInvoiceInSage } from '../adapters/sage-hand-keyed-ar.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Stripe payments carrying Sage invoice numbers, through the Stripe simulator into the Sage
 * sandbox's pending AR batches (issue #21), checked row by row against expectations written
 * by hand: which customer, which invoice, how much, on which date.
 */

const AR_ON = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'on-account' } } };

interface Site {
  books: SimulatedBooks;
  ada: { custId: string; stripe: StripeCustomer };
  bob: { custId: string; stripe: StripeCustomer };
}

describe('AR payments end to end', () => {
  let books: SimulatedBooks | null = null;
  afterEach(async () => {
    await books?.close();
    books = null;
  });

  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await main(args, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  /** Two Stripe customers synced into Sage, each with open invoices a Sage user posted. */
  async function site(): Promise<Site> {
    books = await openBooks({ seed: 21, days: 2, balanceActivity: false, config: AR_ON }, 's5sync-ar-');
    expect((await books.sync()).outcome).not.toBe('failed');
    const customers = books.sageSql<{ StripeObjectID: string; SageNumber: string }>(
      "SELECT StripeObjectID, SageNumber FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:customer' ORDER BY DocKey LIMIT 2",
    );
    expect(customers).toHaveLength(2);
    const [a, b] = customers as [{ StripeObjectID: string; SageNumber: string }, { StripeObjectID: string; SageNumber: string }];
    const raw = new Database(books.sandboxPath);
    try {
      postInvoiceInSage(raw, a.SageNumber, 5001, '125.00');
      postInvoiceInSage(raw, a.SageNumber, 5002, '200.00');
      postInvoiceInSage(raw, b.SageNumber, 5003, '80.00');
      postInvoiceInSage(raw, b.SageNumber, 5004, '60.00');
      postInvoiceInSage(raw, b.SageNumber, 5005, '60.00');
    } finally {
      raw.close();
    }
    const stripe = (id: string): StripeCustomer => books!.simulator.object('customer', id)!;
    return { books, ada: { custId: a.SageNumber, stripe: stripe(a.StripeObjectID) }, bob: { custId: b.SageNumber, stripe: stripe(b.StripeObjectID) } };
  }

  /** The partner's part (docs/sage-setup.md): a receipt keyed by hand, captured, checked and rehearsed. */
  async function proveCashReceipt(s: Site): Promise<void> {
    const raw = new Database(s.books.sandboxPath);
    let batchNo: number;
    try {
      const golden = postInvoiceInSage(raw, s.bob.custId, 4999, '40.00');
      batchNo = keyCashReceiptByHand(raw, s.bob.custId, golden, '40.00').batchNo;
    } finally {
      raw.close();
    }
    expect((await cli(['capture', 'cash-receipt', String(batchNo), '--config', s.books.configPath])).code).toBe(0);
    const checked = await cli(['check', '--config', s.books.configPath]);
    expect(checked.out).toMatch(/PASS.*Cash receipt tables and columns/);
    const rehearsed = await cli(['check', '--rehearse', '--config', s.books.configPath]);
    expect(rehearsed.out).toMatch(/PASS.*AR cash receipt in a pending batch/);
  }

  function pay(s: Site, who: StripeCustomer, amount: number, description: string | null, metadata: Record<string, string> = {}): StripeCharge {
    s.books.simulator.advanceSeconds(60, { generate: false });
    return s.books.simulator.referencedPayments.pay(s.books.simulator.now(), { customer: who, amount, description, metadata });
  }

  async function syncAgain(s: Site): Promise<void> {
    s.books.simulator.advanceSeconds(120, { generate: false });
    expect((await s.books.sync()).outcome).not.toBe('failed');
  }

  const receipts = (s: Site) =>
    s.books.sageSql<{ CustID: string; TranAmt: number; UnappliedAmt: number; TranDate: string; TranCmnt: string }>(
      `SELECT c.CustID, p.TranAmt, p.UnappliedAmt, p.TranDate, p.TranCmnt FROM tarPendCustPmt p JOIN tarCustomer c ON c.CustKey = p.CustKey
       WHERE p.CreateUserID = 'stripe' ORDER BY p.TranCmnt`,
    );
  const applications = (s: Site) =>
    s.books.sageSql<{ TranCmnt: string; ApplyToTranID: string; PmtAmt: number }>(
      `SELECT p.TranCmnt, a.ApplyToTranID, a.PmtAmt FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey
       WHERE p.CreateUserID = 'stripe' ORDER BY p.TranCmnt`,
    );
  const glLines = (s: Site, stripeId: string) =>
    s.books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
      `SELECT a.GLAcctNo, d.PostAmt FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE d.PostCmnt LIKE ? ORDER BY d.JrnlHdrKey, d.EntryNo`,
      `${stripeId}%`,
    );

  it('applies payments to the Sage invoices they name, leaves a partial balance open, puts an unmatched one on account, and asks about an ambiguous one', async () => {
    const s = await site();
    await proveCashReceipt(s);
    const today = new Date(s.books.simulator.now() * 1000).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });

    const byMetadata = pay(s, s.ada.stripe, 12_500, 'Order 777', { sage_invoice: '5001' });
    const partial = pay(s, s.ada.stripe, 5_000, 'Part payment of invoice 0000005002');
    const byBalance = pay(s, s.bob.stripe, 8_000, 'Thank you');
    const onAccount = pay(s, s.ada.stripe, 3_333, 'Deposit');
    const ambiguous = pay(s, s.bob.stripe, 6_000, null);
    await syncAgain(s);

    const date = `${today} 00:00:00`;
    const byComment = <T extends { TranCmnt: string }>(rows: T[]): T[] => [...rows].sort((a, b) => (a.TranCmnt < b.TranCmnt ? -1 : 1));
    expect(receipts(s)).toEqual(byComment([
      { CustID: s.ada.custId, TranAmt: 125_000, UnappliedAmt: 0, TranDate: date, TranCmnt: `Stripe ${byMetadata.id}` },
      { CustID: s.ada.custId, TranAmt: 50_000, UnappliedAmt: 0, TranDate: date, TranCmnt: `Stripe ${partial.id}` },
      { CustID: s.bob.custId, TranAmt: 80_000, UnappliedAmt: 0, TranDate: date, TranCmnt: `Stripe ${byBalance.id}` },
      { CustID: s.ada.custId, TranAmt: 33_330, UnappliedAmt: 33_330, TranDate: date, TranCmnt: `Stripe ${onAccount.id}` },
    ]));
    expect(applications(s)).toEqual(byComment([
      { TranCmnt: `Stripe ${byMetadata.id}`, ApplyToTranID: '0000005001-IN', PmtAmt: 125_000 },
      { TranCmnt: `Stripe ${partial.id}`, ApplyToTranID: '0000005002-IN', PmtAmt: 50_000 },
      { TranCmnt: `Stripe ${byBalance.id}`, ApplyToTranID: '0000005003-IN', PmtAmt: 80_000 },
    ]));
    // Pending batches on the clearing account, never posted; the invoices' balances are Sage's to change.
    expect(s.books.sageSql("SELECT DISTINCT b.Status, b.PostStatus, a.GLAcctNo FROM tarPendCustPmt p JOIN tciBatchLog b ON b.BatchKey = p.BatchKey JOIN tarBatch t ON t.BatchKey = p.BatchKey JOIN tglAccount a ON a.GLAcctKey = t.CashAcctKey WHERE p.CreateUserID = 'stripe'")).toEqual([
      { Status: 4, PostStatus: 0, GLAcctNo: '105000' },
    ]);
    expect(s.books.sageSql('SELECT TranID, Balance FROM tarInvoice WHERE TranID = ?', '0000005002-IN')).toEqual([{ TranID: '0000005002-IN', Balance: 200_000 }]);
    // The fee stays in GL; the gross is not booked as revenue again (the Sage invoice booked it).
    const fee = s.books.simulator.object('balance_transaction', byMetadata.balance_transaction as string)!.fee * 10;
    expect(glLines(s, byMetadata.id)).toEqual([
      { GLAcctNo: '615000', PostAmt: fee },
      { GLAcctNo: '105000', PostAmt: -fee },
    ]);
    // Two of Bob's invoices are open for exactly 60.00: the user decides, nothing is guessed or booked meanwhile.
    expect(applications(s).some((row) => row.TranCmnt === `Stripe ${ambiguous.id}`)).toBe(false);
    const confirmations = new ArConfirmationFile(join(s.books.dir, 'data'));
    expect(confirmations.pending()).toEqual([
      expect.objectContaining({ paymentId: ambiguous.id, custId: s.bob.custId, amount: '60.000', candidates: [expect.objectContaining({ tranId: '0000005004-IN' }), expect.objectContaining({ tranId: '0000005005-IN' })] }),
    ]);
    confirmations.decide(ambiguous.id, { kind: 'apply', tranId: '0000005005-IN' });
    await syncAgain(s);
    expect(applications(s).find((row) => row.TranCmnt === `Stripe ${ambiguous.id}`)).toEqual({ TranCmnt: `Stripe ${ambiguous.id}`, ApplyToTranID: '0000005005-IN', PmtAmt: 60_000 });
    expect(confirmations.pending()).toEqual([]);

    // A refund of a receipted payment stays in GL, as without AR, with a note on the record.
    s.books.simulator.referencedPayments.refund(s.books.simulator.now(), byMetadata, 12_500);
    await syncAgain(s);
    const refundNotes = s.books.ledgerSql<{ body: string }>("SELECT body FROM documents WHERE stripe_object_id LIKE 're_%' AND type = 'journal'");
    expect(refundNotes.map((row) => (JSON.parse(row.body) as { description: string }).description).join('\n')).toMatch(new RegExp(`${byMetadata.id} is an AR cash receipt in Sage`));
    expect(receipts(s)).toHaveLength(5);
    // The refunded charge changed after its receipt was written; that is no drift.
    expect(s.books.ledgerSql('SELECT kind FROM drift_findings WHERE object_id = ?', byMetadata.id)).toEqual([]);

    // Nothing is written twice however often the sync runs.
    await syncAgain(s);
    expect(receipts(s)).toHaveLength(5);
    expect(applications(s)).toHaveLength(4);
  });

  it('keeps AR payments off, with the reason, on a site that captured no cash receipt', async () => {
    const s = await site();
    const charge = pay(s, s.ada.stripe, 12_500, 'Order 778', { sage_invoice: '5001' });
    await syncAgain(s);
    expect(receipts(s)).toEqual([]);
    // Booked in GL as without AR: the gross to revenue.
    expect(glLines(s, charge.id).find((line) => line.GLAcctNo === '400000')).toEqual({ GLAcctNo: '400000', PostAmt: -125_000 });
    const readiness = arReadiness(parseConfig(JSON.parse(readFileSync(s.books.configPath, 'utf8')), s.books.dir));
    expect(readiness.cashReceipt).toMatchObject({ proved: false, active: false });
    expect(readiness.cashReceipt.reason).toMatch(/no cash receipt was captured/);
    expect((await cli(['status', '--config', s.books.configPath])).out).toMatch(/AR payments: AR payments are unavailable: no cash receipt was captured/);
  });
});
