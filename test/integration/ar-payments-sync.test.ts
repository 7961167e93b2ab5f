import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { arReadiness } from '../../main/app/ar-readiness.js';
import { applications, cli, glLines, openArSite, pay, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * Stripe payments carrying Sage invoice numbers, through the Stripe simulator into the Sage
 * sandbox's pending AR batches (issue #21), checked row by row against expectations written
 * by hand: which customer, which invoice, how much, on which date.
 */

describe('AR payments end to end', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  async function openSite(): Promise<ArSite> {
    site = await openArSite();
    return site;
  }

  it('applies payments to the Sage invoices they name, leaves a partial balance open, puts an unmatched one on account, and asks about an ambiguous one', async () => {
    const s = await openSite();
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
    const notes = refundNotes.map((row) => (JSON.parse(row.body) as { description: string }).description).join('\n');
    expect(notes).toMatch(new RegExp(`${byMetadata.id} is an AR cash receipt in Sage; no AR document was written for this \\(AR credit memos and refunds are unavailable: a refund of a receipted payment sends money back`));
    // Booked as without AR: sales returns against clearing.
    expect(glLines(s, 're_').filter((line) => line.PostAmt === 125_000 || line.PostAmt === -125_000)).toEqual([
      { GLAcctNo: '105000', PostAmt: -125_000 },
      { GLAcctNo: '490000', PostAmt: 125_000 },
    ]);
    expect(receipts(s)).toHaveLength(5);
    // The refunded charge changed after its receipt was written; that is no drift.
    expect(s.books.ledgerSql('SELECT kind FROM drift_findings WHERE object_id = ?', byMetadata.id)).toEqual([]);

    // Nothing is written twice however often the sync runs.
    await syncAgain(s);
    expect(receipts(s)).toHaveLength(5);
    expect(applications(s)).toHaveLength(4);
  });

  it('keeps AR payments off, with the reason, on a site that captured no cash receipt', async () => {
    const s = await openSite();
    const charge = pay(s, s.ada.stripe, 12_500, 'Order 778', { sage_invoice: '5001' });
    await syncAgain(s);
    expect(receipts(s)).toEqual([]);
    // Booked in GL as without AR: the gross to revenue.
    expect(glLines(s, charge.id).find((line) => line.GLAcctNo === '400000')).toEqual({ GLAcctNo: '400000', PostAmt: -125_000 });
    const readiness = arReadiness(parseConfig(JSON.parse(readFileSync(s.books.configPath, 'utf8')), s.books.dir));
    expect(readiness.cashReceipt).toMatchObject({ proved: false, active: false });
    expect(readiness.cashReceipt.reason).toMatch(/no cash receipt was captured/);
    expect(readiness.creditMemo).toMatchObject({ proved: false, active: false, reason: expect.stringMatching(/^AR credit memos and refunds are unavailable: .*no public source shows the refund batch's pending tables/) });
    expect((await cli(['status', '--config', s.books.configPath])).out).toMatch(/AR payments: AR payments are unavailable: no cash receipt was captured/);
  });

  it('keeps a written receipt when AR payments are turned off later: the payment is not booked again in GL', async () => {
    const s = await openSite();
    await proveCashReceipt(s);
    // Fee-free: with a fee the fee journal holds the GL journal's key, which alone would keep it out.
    const charge = pay(s, s.ada.stripe, 12_500, 'Order 779', { sage_invoice: '5001' }, 0);
    await syncAgain(s);
    expect(receipts(s).map((row) => row.TranCmnt)).toEqual([`Stripe ${charge.id}`]);
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as { mapping: { arPayments: { enabled: boolean } } };
    config.mapping.arPayments.enabled = false;
    writeFileSync(s.books.configPath, JSON.stringify(config));
    // The refund changes the charge, so it is planned again with AR payments off.
    s.books.simulator.referencedPayments.refund(s.books.simulator.now(), charge, 2_500);
    await syncAgain(s);
    expect(glLines(s, charge.id)).toEqual([]);
    expect(receipts(s)).toHaveLength(1);
  });
});
