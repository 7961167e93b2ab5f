import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import { applications, cli, openArSite, pay, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * A Stripe invoice paid by a charge that was booked as a plain sale before any invoice payment
 * named it (issue #21): the charge succeeded on a PaymentIntent of its own and was synced
 * (clearing +net, revenue −gross, fee +fee); later the merchant attached that PaymentIntent to
 * a Stripe invoice (Stripe's attach_payment), which is paid at once. The invoice's journal
 * (receivable Dr, revenue and tax Cr) would book the sale a second time and leave the
 * receivable debited with nothing to clear it; with AR payments on, a Stripe invoice naming a
 * Sage invoice was recorded as collecting it (no receipt written, nothing said). Now nothing
 * more is booked and the invoice's record says what to do in Sage.
 *
 * Expected rows worked by hand; Sage amounts have three decimals (100.000 is 100000).
 *   AR on:  100.00 by card, fee 2.9 % + 0.30 = 2.90 + 0.30 = 3.20, net 96.80. Ada's open Sage
 *           invoices are 125.00 and 200.00, so the plain charge matches none by open balance.
 *   GL only: invoice line 100.00 taxed 8.25 % = 8.25, total 108.25; fee given as 3.44, net 104.81.
 */

const TIME_ZONE = 'America/Chicago';
const AR_ON_UNMATCHED_GL = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'gl' } } };

describe('a Stripe invoice paid by a charge booked as a plain sale before the invoice payment was known', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  const businessDay = (unixSeconds: number): string => new Date(unixSeconds * 1000).toLocaleDateString('en-CA', { timeZone: TIME_ZONE });

  /** The GL rows written for one ledger document, through our cross-reference row. */
  const journalRows = (s: ArSite, docKey: string) =>
    s.books.sageSql<{ account: string; amount: number; date: string }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ? ORDER BY a.GLAcctNo`,
      docKey,
    );
  const allGlRows = (s: ArSite) => s.books.sageSql<{ rows: number; total: number }>('SELECT COUNT(*) AS rows, SUM(PostAmt) AS total FROM tglJournalDetl')[0];
  const record = (s: ArSite, docKey: string) => s.books.ledgerSql<{ state: string; skip_reason: string | null; body: string }>('SELECT state, skip_reason, body FROM documents WHERE doc_key = ?', docKey)[0];
  const proofHolds = async (s: ArSite) => {
    const proof = JSON.parse((await cli(['report', 'balance', '--json', '--config', s.books.configPath])).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });
  };

  it('AR payments on: the Stripe invoice naming a Sage invoice is neither a receipt nor booked again; its record names the Sage invoice, the charge, the date and the credit memo to enter', async () => {
    const s = (site = await openArSite(AR_ON_UNMATCHED_GL));
    await proveCashReceipt(s);
    const simulator = s.books.simulator;

    // Run 1: a plain card payment of 100.00 on its own PaymentIntent; no invoice names it yet.
    const charge = pay(s, s.ada.stripe, 10_000, null);
    await syncAgain(s);
    const chargeDay = businessDay(charge.created);
    const chargeKey = `${charge.id}:${charge.balance_transaction as string}`;
    const chargeRows = [
      { account: '105000', amount: 96_800, date: chargeDay },
      { account: '400000', amount: -100_000, date: chargeDay },
      { account: '615000', amount: 3_200, date: chargeDay },
    ];
    expect(journalRows(s, chargeKey)).toEqual(chargeRows);
    const before = allGlRows(s);

    // Run 2: the merchant bills Sage invoice 5001 through a Stripe invoice and attaches the payment.
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), s.ada.stripe, { lines: [{ description: 'Services', amount: 10_000 }], customFields: [{ name: 'Sage invoice', value: '5001' }] });
    simulator.billing.attachPayment(simulator.now(), issued, charge);
    await syncAgain(s);

    // GL: the charge's journal as it was, nothing for the invoice (no second revenue, no receivable left debited).
    expect(journalRows(s, chargeKey)).toEqual(chargeRows);
    expect(journalRows(s, `${issued.invoice.id}:paid`)).toEqual([]);
    expect(allGlRows(s)).toEqual(before);
    // AR: no receipt, Sage invoice 5001 still open for its 125.00, nothing to confirm.
    expect(receipts(s)).toEqual([]);
    expect(applications(s)).toEqual([]);
    expect(s.books.sageSql('SELECT Balance FROM tarInvoice WHERE TranID = ?', '0000005001-IN')).toEqual([{ Balance: 125_000 }]);
    expect(new ArConfirmationFile(join(s.books.dir, 'data')).pending()).toEqual([]);
    // The record says it, as the skip reason the window shows and in its description.
    const note =
      `Not applied in AR and not booked: Stripe invoice ${issued.invoice.id} names Sage invoice 0000005001-IN, but it was paid in Stripe by ${charge.id}, ` +
      `whose GL journal (booked in GL on ${chargeDay}) booked the sale to 4000-00 before the invoice payment was known. ` +
      `The Sage invoice's revenue and the charge's revenue are the same sale: settle 0000005001-IN in Sage by hand with a credit memo, not a cash receipt`;
    const stored = record(s, `${issued.invoice.id}:paid`);
    expect(stored?.state).toBe('skipped');
    expect(stored?.skip_reason).toContain(note);
    expect((JSON.parse(stored!.body) as { description: string }).description).toContain(note);
    await proofHolds(s);

    // Nothing more however often the sync runs.
    await syncAgain(s);
    expect(allGlRows(s)).toEqual(before);
    expect(receipts(s)).toEqual([]);
    expect(record(s, `${issued.invoice.id}:paid`)?.state).toBe('skipped');
  }, 120_000);

  it('GL only: the invoice journal is not booked on top of the charge that booked the sale; its record says so and names the tax the charge put in revenue', async () => {
    const s = (site = await openArSite({}));
    const simulator = s.books.simulator;

    const charge = pay(s, s.ada.stripe, 10_825, null, {}, 344);
    await syncAgain(s);
    const chargeDay = businessDay(charge.created);
    const chargeKey = `${charge.id}:${charge.balance_transaction as string}`;
    const chargeRows = [
      { account: '105000', amount: 104_810, date: chargeDay },
      { account: '400000', amount: -108_250, date: chargeDay },
      { account: '615000', amount: 3_440, date: chargeDay },
    ];
    expect(journalRows(s, chargeKey)).toEqual(chargeRows);
    const before = allGlRows(s);

    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), s.ada.stripe, { lines: [{ description: 'Services', amount: 10_000, taxed: true }] });
    expect(issued.invoice.total).toBe(10_825);
    simulator.billing.attachPayment(simulator.now(), issued, charge);
    await syncAgain(s);

    expect(journalRows(s, chargeKey)).toEqual(chargeRows);
    expect(journalRows(s, `${issued.invoice.id}:paid`)).toEqual([]);
    expect(allGlRows(s)).toEqual(before);
    const stored = record(s, `${issued.invoice.id}:paid`);
    expect(stored?.state).toBe('skipped');
    expect(stored?.skip_reason).toBe(
      `Not booked: Stripe invoice ${issued.invoice.number} is in GL already, it was paid in Stripe by ${charge.id}, whose GL journal (booked in GL on ${chargeDay}) ` +
        `booked the sale to 4000-00 before the invoice payment was known; booking the invoice's revenue too would count the sale twice. ` +
        `That journal credited all of it to 4000-00; this invoice itemises 2200-00 8.250: move those amounts out of 4000-00 by hand in GL`,
    );
    await proofHolds(s);

    await syncAgain(s);
    expect(allGlRows(s)).toEqual(before);
  }, 120_000);

  it('keeps the charge on revenue when it is planned again after its invoice was recorded as sold by it (its journal not in Sage yet, a new mapping)', async () => {
    const s = (site = await openArSite({}));
    const simulator = s.books.simulator;
    const setPeriod = (status: number) => {
      const raw = new Database(s.books.sandboxPath);
      try {
        raw.prepare("UPDATE tglFiscalPeriod SET Status = ? WHERE FiscYear = '2026' AND FiscPer = 11").run(status);
      } finally {
        raw.close();
      }
    };

    // Run 1: November is closed in Sage, so the charge's journal (to revenue) is planned but refused.
    setPeriod(2);
    const charge = pay(s, s.ada.stripe, 12_500, null);
    await s.books.sync();
    const chargeKey = `${charge.id}:${charge.balance_transaction as string}`;
    expect(record(s, chargeKey)?.state).not.toBe('written');
    expect(journalRows(s, chargeKey)).toEqual([]);

    // Run 2: the PaymentIntent is attached to a Stripe invoice, paid at once: recorded as sold by the charge.
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), s.ada.stripe, { lines: [{ description: 'Services', amount: 12_500 }] });
    simulator.billing.attachPayment(simulator.now(), issued, charge);
    await s.books.sync();
    expect(record(s, `${issued.invoice.id}:paid`)?.skip_reason).toContain(`paid in Stripe by ${charge.id}, whose GL journal (planned in GL on ${businessDay(charge.created)})`);

    // Run 3: a new mapping plans every unwritten document again; November is open again.
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(s.books.configPath, JSON.stringify({ ...config, mapping: { arPayments: { enabled: false, metadataKey: 'sage_ref', unmatched: 'gl' } } }));
    setPeriod(1);
    simulator.advanceSeconds(120, { generate: false });
    await s.books.sync();

    // 125.00, fee 2.9 % + 0.30 = 3.63 + 0.30 = 3.93, net 121.07: the sale once, nothing on the receivable.
    const chargeDay = businessDay(charge.created);
    expect(journalRows(s, chargeKey)).toEqual([
      { account: '105000', amount: 121_070, date: chargeDay },
      { account: '400000', amount: -125_000, date: chargeDay },
      { account: '615000', amount: 3_930, date: chargeDay },
    ]);
    expect(journalRows(s, `${issued.invoice.id}:paid`)).toEqual([]);
    expect(record(s, `${issued.invoice.id}:paid`)?.state).toBe('skipped');
    // Run 3 read nothing new but wrote the charge's journal: it proves the balance again, so the
    // proof no longer lists the journal as refused.
    await proofHolds(s);
  }, 120_000);
});
