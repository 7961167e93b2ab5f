import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import { keyArInvoiceByHand } from '../adapters/sage-hand-keyed-ar-invoice.js';
import { cli, openArSite, pay, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * AR invoices for Stripe sales turned off after a permanent failure (issue #21): Sage refuses the
 * sale's AR invoice for good, its receipt fails with it, and the fee journal is written under the
 * sale's own key. The user turns the option off and retries: the gross, the revenue and the fee
 * must each reach GL exactly once, and no AR invoice or receipt is written later.
 *
 * Expected rows worked by hand: 42.00 by card, fee 2.9 % × 42.00 = 1.218 → 1.22, + 0.30 = 1.52,
 * net 40.48. Sage amounts have three decimals (42.000 is 42000).
 */

const INVOICES_ON = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'gl', invoicesForStripeSales: true } } };
const TIME_ZONE = 'America/Chicago';

describe('AR invoices for Stripe sales turned off after the invoice failed for good', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  const sandbox = (s: ArSite, sql: string): void => {
    const raw = new Database(s.books.sandboxPath);
    try {
      raw.exec(sql);
    } finally {
      raw.close();
    }
  };
  /** GL rows written for one ledger document, through our cross-reference row. */
  const journalRows = (s: ArSite, docKey: string) =>
    s.books.sageSql<{ account: string; amount: number; date: string }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ? ORDER BY a.GLAcctNo`,
      docKey,
    );
  /** Every GL row whose comment names the charge, summed by account. */
  const byAccount = (s: ArSite, chargeId: string) =>
    s.books.sageSql<{ account: string; amount: number; rows: number }>(
      `SELECT a.GLAcctNo AS account, SUM(d.PostAmt) AS amount, COUNT(*) AS rows FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
       WHERE d.PostCmnt LIKE ? GROUP BY a.GLAcctNo ORDER BY a.GLAcctNo`,
      `${chargeId}%`,
    );
  const ourInvoices = (s: ArSite) => s.books.sageSql<{ TranCmnt: string }>("SELECT TranCmnt FROM tarPendInvoice WHERE CreateUserID = 'stripe'");
  const state = (s: ArSite, docKey: string) => s.books.ledgerSql<{ state: string; error_class: string | null }>('SELECT state, error_class FROM documents WHERE doc_key = ?', docKey)[0];

  /** A 42.00 sale whose AR invoice Sage refuses for good (a site's constraint), its fee journal written. */
  const saleWithFailedInvoice = async (s: ArSite) => {
    await proveCashReceipt(s);
    const raw = new Database(s.books.sandboxPath);
    let batchNo: number;
    try {
      batchNo = keyArInvoiceByHand(raw, s.bob.custId, '250.00').batchNo;
    } finally {
      raw.close();
    }
    expect((await cli(['capture', 'ar-invoice', String(batchNo), '--config', s.books.configPath])).code).toBe(0);
    expect((await cli(['check', '--rehearse', '--config', s.books.configPath])).code).toBe(0);

    const sale = pay(s, s.ada.stripe, 4_200, 'Blue mug');
    sandbox(s, `CREATE TRIGGER refuse_invoice BEFORE INSERT ON tarPendInvoice WHEN NEW.TranCmnt = 'Stripe ${sale.id}' BEGIN SELECT RAISE(ABORT, 'refused by the site'); END;`);
    await syncAgain(s);
    const key = `${sale.id}:${sale.balance_transaction as string}`;
    const day = new Date(sale.created * 1000).toLocaleDateString('en-CA', { timeZone: TIME_ZONE });
    const feeRows = [
      { account: '105000', amount: -1_520, date: day },
      { account: '615000', amount: 1_520, date: day },
    ];
    expect(journalRows(s, key)).toEqual(feeRows);
    expect(state(s, `${key}:ar-invoice`)).toMatchObject({ state: expect.stringMatching(/^(failed|dead)$/), error_class: expect.not.stringMatching(/^transient$/) });
    expect(state(s, `${key}:ar-receipt`)?.state).toMatch(/^(failed|dead)$/);
    expect(ourInvoices(s)).toEqual([]);
    return { sale, key, day, feeRows };
  };

  it('books the gross and the revenue beside the written fee journal, the fee once, and withdraws the failed invoice and receipt', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    const { sale, key, day, feeRows } = await saleWithFailedInvoice(s);

    // The user turns AR invoices off and retries everything; the site still refuses the invoice.
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as { mapping: { arPayments: { invoicesForStripeSales: boolean } } };
    config.mapping.arPayments.invoicesForStripeSales = false;
    writeFileSync(s.books.configPath, JSON.stringify(config, null, 2));
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    // GL: the fee journal as it was, and the rest of the sale beside it on the charge's day.
    expect(journalRows(s, key)).toEqual(feeRows);
    expect(journalRows(s, `${key}:sale`)).toEqual([
      { account: '105000', amount: 42_000, date: day },
      { account: '400000', amount: -42_000, date: day },
    ]);
    // Together: the GL-only journal of the sale, each amount once: clearing +net, revenue −gross, fee +fee.
    expect(byAccount(s, sale.id)).toEqual([
      { account: '105000', amount: 40_480, rows: 2 },
      { account: '400000', amount: -42_000, rows: 1 },
      { account: '615000', amount: 1_520, rows: 1 },
    ]);
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s).filter((row) => row.TranCmnt === `Stripe ${sale.id}`)).toEqual([]);
    expect(state(s, `${key}:ar-invoice`)).toBeUndefined();
    expect(state(s, `${key}:ar-receipt`)).toBeUndefined();
    const proof = JSON.parse((await cli(['report', 'balance', '--json', '--config', s.books.configPath])).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });

    // Nothing more however often the sync runs, even with the site's refusal gone.
    sandbox(s, 'DROP TRIGGER refuse_invoice;');
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);
    expect(byAccount(s, sale.id)).toEqual([
      { account: '105000', amount: 40_480, rows: 2 },
      { account: '400000', amount: -42_000, rows: 1 },
      { account: '615000', amount: 1_520, rows: 1 },
    ]);
    expect(ourInvoices(s)).toEqual([]);
  }, 120_000);
  it('books the rest of the sale balanced when the fee account mapping changed too: the held fee stays on its account', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    const { sale, key, day, feeRows } = await saleWithFailedInvoice(s);

    // The user turns AR invoices off and maps Stripe fees to another account (6155-00), then retries.
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as {
      mapping: { accounts?: { fees: Record<string, string> }; arPayments: { invoicesForStripeSales: boolean } };
    };
    config.mapping.arPayments.invoicesForStripeSales = false;
    config.mapping.accounts = { fees: { default: '6155-00', stripe_fee: '6155-00' } };
    writeFileSync(s.books.configPath, JSON.stringify(config, null, 2));
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    // The fee journal keeps the fee on 6150-00; the rest books the gross and the revenue alone.
    expect(journalRows(s, key)).toEqual(feeRows);
    expect(state(s, `${key}:sale`)?.state).toBe('written');
    expect(journalRows(s, `${key}:sale`)).toEqual([
      { account: '105000', amount: 42_000, date: day },
      { account: '400000', amount: -42_000, date: day },
    ]);
    expect(byAccount(s, sale.id)).toEqual([
      { account: '105000', amount: 40_480, rows: 2 },
      { account: '400000', amount: -42_000, rows: 1 },
      { account: '615000', amount: 1_520, rows: 1 },
    ]);
    expect(ourInvoices(s)).toEqual([]);
  }, 120_000);
  it('counts the rest of the sale as the charge holding it when its PaymentIntent is attached to a Stripe invoice later: the invoice is not waited for, nothing booked twice', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    const { sale, key, day, feeRows } = await saleWithFailedInvoice(s);
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as { mapping: { arPayments: { invoicesForStripeSales: boolean } } };
    config.mapping.arPayments.invoicesForStripeSales = false;
    writeFileSync(s.books.configPath, JSON.stringify(config, null, 2));
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);
    const saleRows = [
      { account: '105000', amount: 42_000, date: day },
      { account: '400000', amount: -42_000, date: day },
    ];
    expect(journalRows(s, `${key}:sale`)).toEqual(saleRows);

    // The merchant bills the same 42.00 sale through a Stripe invoice and attaches the payment to it.
    const simulator = s.books.simulator;
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), s.ada.stripe, { lines: [{ description: 'Blue mug', amount: 4_200 }] });
    simulator.billing.attachPayment(simulator.now(), issued, sale);
    expect(issued.invoice.status).toBe('paid');
    await syncAgain(s);

    // The charge's two journals hold the whole sale: the invoice's journal is recorded as not booked, GL unchanged.
    const invoiceKey = `${issued.invoice.id}:paid`;
    const stored = s.books.ledgerSql<{ state: string; skip_reason: string | null }>('SELECT state, skip_reason FROM documents WHERE doc_key = ?', invoiceKey)[0];
    expect(stored?.state).toBe('skipped');
    expect(stored?.skip_reason).toContain(`it was paid in Stripe by ${sale.id}, whose GL journal (booked in GL on ${day}) booked the sale to 4000-00`);
    expect(journalRows(s, invoiceKey)).toEqual([]);
    expect(journalRows(s, key)).toEqual(feeRows);
    expect(journalRows(s, `${key}:sale`)).toEqual(saleRows);
    expect(byAccount(s, sale.id)).toEqual([
      { account: '105000', amount: 40_480, rows: 2 },
      { account: '400000', amount: -42_000, rows: 1 },
      { account: '615000', amount: 1_520, rows: 1 },
    ]);
    const proof = JSON.parse((await cli(['report', 'balance', '--json', '--config', s.books.configPath])).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });
  }, 120_000);
});
