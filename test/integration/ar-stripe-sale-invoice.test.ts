import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { arPaymentsView } from '../../main/app/ar-payments-view.js';
import { applications, cli, glLines, openArSite, pay, proveArInvoice, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * AR invoices for Stripe sales (issue #21 item 4): a Stripe payment of a customer known in Sage
 * that names no Sage invoice, through the Stripe simulator over HTTP into the sandbox's pending
 * AR invoice batch, with its cash receipt applied to it; checked row by row against amounts
 * worked out by hand (42.00 gross, the simulator's fee), never against the planner's output.
 */

const INVOICES_ON = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'gl', invoicesForStripeSales: true } } };

const ourInvoices = (s: ArSite) =>
  s.books.sageSql<{ InvcKey: number; CustID: string; TranID: string; TranAmt: number; Balance: number; TranDate: string; TranCmnt: string; Printed: number; BatchType: number; Status: number; PostStatus: number }>(
    `SELECT i.InvcKey, c.CustID, i.TranID, i.TranAmt, i.Balance, i.TranDate, i.TranCmnt, i.Printed, b.BatchType, b.Status, b.PostStatus
     FROM tarPendInvoice i JOIN tarCustomer c ON c.CustKey = i.CustKey JOIN tciBatchLog b ON b.BatchKey = i.BatchKey WHERE i.CreateUserID = 'stripe' ORDER BY i.TranCmnt`,
  );

const ourLines = (s: ArSite) =>
  s.books.sageSql<{ InvcKey: number; SeqNo: number; ExtAmt: number; UnitPriceOvrd: number; GLAcctNo: string; DistAmt: number }>(
    `SELECT l.InvcKey, l.SeqNo, l.ExtAmt, l.UnitPriceOvrd, a.GLAcctNo, d.ExtAmt AS DistAmt FROM tarInvoiceDetl l JOIN tarPendInvoice i ON i.InvcKey = l.InvcKey
     JOIN tarInvoiceLineDist d ON d.InvoiceLineKey = l.InvoiceLineKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE i.CreateUserID = 'stripe' ORDER BY l.InvcKey`,
  );

describe('AR invoices for Stripe sales end to end', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  it('writes a Stripe-only sale as a pending AR invoice with its receipt applied, books the fee in GL and no revenue journal, and keeps a refund in GL with a note', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const today = new Date(s.books.simulator.now() * 1000).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
    const date = `${today} 00:00:00`;

    const sale = pay(s, s.ada.stripe, 4_200, 'Blue mug');
    const named = pay(s, s.bob.stripe, 8_000, 'Invoice 5003');
    await syncAgain(s);

    // One invoice, for the sale nothing named; the payment of Sage invoice 5003 is a plain receipt.
    const invoices = ourInvoices(s);
    expect(invoices).toEqual([
      {
        InvcKey: expect.any(Number), CustID: s.ada.custId, TranID: expect.stringMatching(/^\d{10}-IN$/), TranAmt: 42_000, Balance: 42_000, TranDate: date,
        TranCmnt: `Stripe ${sale.id}`, Printed: 0, BatchType: 501, Status: 4, PostStatus: 0,
      },
    ]);
    const invoice = invoices[0]!;
    expect(ourLines(s)).toEqual([{ InvcKey: invoice.InvcKey, SeqNo: 1, ExtAmt: 42_000, UnitPriceOvrd: 1, GLAcctNo: '400000', DistAmt: 42_000 }]);
    expect(receipts(s)).toEqual([
      { CustID: s.ada.custId, TranAmt: 42_000, UnappliedAmt: 0, TranDate: date, TranCmnt: `Stripe ${sale.id}` },
      { CustID: s.bob.custId, TranAmt: 80_000, UnappliedAmt: 0, TranDate: date, TranCmnt: `Stripe ${named.id}` },
    ].sort((a, b) => (a.TranCmnt < b.TranCmnt ? -1 : 1)));
    expect(applications(s).find((row) => row.TranCmnt === `Stripe ${sale.id}`)).toEqual({ TranCmnt: `Stripe ${sale.id}`, ApplyToTranID: invoice.TranID, PmtAmt: 42_000 });
    expect(s.books.sageSql('SELECT a.ApplyToInvcKey FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey WHERE p.TranCmnt = ?', `Stripe ${sale.id}`)).toEqual([
      { ApplyToInvcKey: invoice.InvcKey },
    ]);
    // The receipt's batch deposits to the clearing account, as every receipt's.
    expect(s.books.sageSql('SELECT g.GLAcctNo FROM tarPendCustPmt p JOIN tarBatch t ON t.BatchKey = p.BatchKey JOIN tglAccount g ON g.GLAcctKey = t.CashAcctKey WHERE p.TranCmnt = ?', `Stripe ${sale.id}`)).toEqual([
      { GLAcctNo: '105000' },
    ]);
    // GL holds the fee only: the revenue reaches GL through the invoice when a Sage user posts its batch.
    const fee = s.books.simulator.object('balance_transaction', sale.balance_transaction as string)!.fee * 10;
    expect(fee).toBeGreaterThan(0);
    expect(glLines(s, sale.id)).toEqual([
      { GLAcctNo: '615000', PostAmt: fee },
      { GLAcctNo: '105000', PostAmt: -fee },
    ]);
    // What Sage will book once both batches are posted equals the GL journal of the GL-only path: clearing +net, revenue −gross, fees +fee.
    const byAccount = new Map<string, number>();
    const add = (acct: string, amount: number): void => void byAccount.set(acct, (byAccount.get(acct) ?? 0) + amount);
    for (const line of glLines(s, sale.id)) add(line.GLAcctNo, line.PostAmt);
    for (const line of ourLines(s)) add(line.GLAcctNo, -line.DistAmt);
    add('120000', invoice.TranAmt); // the invoice debits receivable…
    add('105000', 42_000); // …the receipt debits its cash account, clearing…
    add('120000', -42_000); // …and credits receivable.
    expect(Object.fromEntries([...byAccount].filter(([, amount]) => amount !== 0))).toEqual({ '105000': 42_000 - fee, '400000': -42_000, '615000': fee });
    const status = (await cli(['status', '--config', s.books.configPath])).out;
    expect(status).toMatch(/AR invoices for Stripe sales: AR invoices for Stripe sales are on/);
    // The receipt moved the gross into clearing and the fee journal took the fee out, as the GL journal would have: the proof holds.
    expect(status).toMatch(/balance proof \(.*\): .*: holds/);

    // A refund of such a sale stays in GL, as without AR, with a note on the record.
    s.books.simulator.referencedPayments.refund(s.books.simulator.now(), sale, 4_200);
    await syncAgain(s);
    const notes = s.books
      .ledgerSql<{ body: string }>("SELECT body FROM documents WHERE stripe_object_id LIKE 're_%' AND type = 'journal'")
      .map((row) => (JSON.parse(row.body) as { description: string }).description)
      .join('\n');
    expect(notes).toMatch(new RegExp(`${sale.id} is an AR cash receipt in Sage; no AR document was written for this`));
    expect(glLines(s, 're_').filter((line) => Math.abs(line.PostAmt) === 42_000)).toEqual([
      { GLAcctNo: '105000', PostAmt: -42_000 },
      { GLAcctNo: '490000', PostAmt: 42_000 },
    ]);
    expect(s.books.ledgerSql('SELECT kind FROM drift_findings WHERE object_id = ?', sale.id)).toEqual([]);

    // Nothing is written twice however often the sync runs.
    await syncAgain(s);
    expect(ourInvoices(s)).toHaveLength(1);
    expect(ourLines(s)).toHaveLength(1);
    expect(receipts(s)).toHaveLength(2);
    expect(glLines(s, sale.id)).toHaveLength(2);
  });

  it('keeps a written AR invoice when the option is turned off before its receipt is written: the receipt is applied to it later and GL gets no revenue journal', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const today = new Date(s.books.simulator.now() * 1000).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
    const date = `${today} 00:00:00`;

    // Sage refuses the sale's receipt and its GL journal (as a failed insert would): the invoice is in, the rest is not.
    const sandbox = (sql: string): void => {
      const raw = new Database(s.books.sandboxPath);
      try {
        raw.exec(sql);
      } finally {
        raw.close();
      }
    };
    const sale = pay(s, s.ada.stripe, 4_200, 'Blue mug');
    sandbox(`CREATE TRIGGER refuse_receipt BEFORE INSERT ON tarPendCustPmt WHEN NEW.TranCmnt = 'Stripe ${sale.id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
      CREATE TRIGGER refuse_journal BEFORE INSERT ON tglJournalDetl WHEN NEW.PostCmnt LIKE '${sale.id}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);
    s.books.simulator.advanceSeconds(120, { generate: false });
    await s.books.sync();
    expect(ourInvoices(s)).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 42_000, TranCmnt: `Stripe ${sale.id}` })]);
    expect(receipts(s)).toEqual([]);
    expect(glLines(s, sale.id)).toEqual([]);

    // The option is turned off (the sale is replanned under the new mapping), Sage accepts the writes again, the failed documents are retried.
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as { mapping: { arPayments: { invoicesForStripeSales: boolean } } };
    config.mapping.arPayments.invoicesForStripeSales = false;
    writeFileSync(s.books.configPath, JSON.stringify(config, null, 2));
    sandbox('DROP TRIGGER refuse_receipt; DROP TRIGGER refuse_journal;');
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    // The invoice stays, once; the receipt pays it in full; GL holds the fee journal only (no revenue credit of 42.00 to 400000).
    const invoices = ourInvoices(s);
    expect(invoices).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 42_000, Balance: 42_000, TranDate: date, TranCmnt: `Stripe ${sale.id}` })]);
    expect(ourLines(s)).toEqual([{ InvcKey: invoices[0]!.InvcKey, SeqNo: 1, ExtAmt: 42_000, UnitPriceOvrd: 1, GLAcctNo: '400000', DistAmt: 42_000 }]);
    expect(receipts(s)).toEqual([{ CustID: s.ada.custId, TranAmt: 42_000, UnappliedAmt: 0, TranDate: date, TranCmnt: `Stripe ${sale.id}` }]);
    expect(applications(s)).toEqual([{ TranCmnt: `Stripe ${sale.id}`, ApplyToTranID: invoices[0]!.TranID, PmtAmt: 42_000 }]);
    const fee = s.books.simulator.object('balance_transaction', sale.balance_transaction as string)!.fee * 10;
    expect(glLines(s, sale.id)).toEqual([
      { GLAcctNo: '615000', PostAmt: fee },
      { GLAcctNo: '105000', PostAmt: -fee },
    ]);
  });

  it('capture diff writes a sample AR invoice (rolled back) and compares it column by column with the captured hand-keyed invoice', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const byHand = await cli(['capture', 'diff', '--config', s.books.configPath]);
    expect(byHand.code).toBe(1);
    // The code values were copied from the capture; what is left is what the writer does not take from it (a user's edit count).
    const arInvoiceSection = (out: string): string[] => {
      const lines = out.split('\n');
      const start = lines.findIndex((line) => line.includes('AR invoice for a Stripe sale in a pending batch'));
      const end = lines.findIndex((line, at) => at > start && !line.startsWith('      '));
      return lines.slice(start, end);
    };
    expect(arInvoiceSection(byHand.out)).toEqual([
      expect.stringMatching(/^DIFF {2}AR invoice for a Stripe sale in a pending batch against AR invoice batch \d+ \(BatchKey \d+\): 3 columns differ$/),
      '      tarBatch.UpdateCounter: golden 1, ours 0',
      '      tarPendInvoice.UpdateCounter: golden 1, ours 0',
      '      tarInvoiceLineDist.UpdateCounter: golden 1, ours 0',
    ]);
    expect(byHand.out).toMatch(/PASS {2}Rolled back: nothing the rehearsal wrote is left in Sage/);
    expect(ourInvoices(s)).toEqual([]);

    // An invoice the sync wrote, captured as the golden one, differs in no column from the rehearsal's.
    pay(s, s.ada.stripe, 4_200, 'Blue mug');
    await syncAgain(s);
    const [{ BatchNo }] = s.books.sageSql<{ BatchNo: number }>(
      "SELECT b.BatchNo FROM tciBatchLog b JOIN tarPendInvoice i ON i.BatchKey = b.BatchKey WHERE i.CreateUserID = 'stripe'",
    ) as [{ BatchNo: number }];
    expect((await cli(['capture', 'ar-invoice', String(BatchNo), '--config', s.books.configPath])).code).toBe(0);
    const ours = await cli(['capture', 'diff', '--config', s.books.configPath]);
    expect(arInvoiceSection(ours.out)).toEqual([
      expect.stringMatching(new RegExp(`^SAME {2}AR invoice for a Stripe sale in a pending batch against AR invoice batch ${BatchNo} \\(BatchKey \\d+\\): 0 columns differ$`)),
    ]);
  });

  it('keeps AR invoices off, with the reason in the window, check and status, until the site captured, checked and rehearsed an invoice', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    const config = () => parseConfig(JSON.parse(readFileSync(s.books.configPath, 'utf8')), s.books.dir);
    const option = () => arPaymentsView(config()).documents.find((document) => document.kind === 'stripe-sale-invoice');

    expect(option()).toEqual({ kind: 'stripe-sale-invoice', available: false, active: false, reason: expect.stringMatching(/^AR invoices for Stripe sales are unavailable: no AR invoice was captured on this Sage site/) });
    expect((await cli(['check', '--config', s.books.configPath])).out).toMatch(/WARN {2}AR invoices for Stripe sales: AR invoices for Stripe sales are unavailable: no AR invoice was captured/);
    const sale = pay(s, s.ada.stripe, 4_200, 'Blue mug');
    await syncAgain(s);
    // Booked in GL as without AR invoices: the gross to revenue, no invoice, no receipt.
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(glLines(s, sale.id).find((line) => line.GLAcctNo === '400000')).toEqual({ GLAcctNo: '400000', PostAmt: -42_000 });

    await proveArInvoice(s, { check: true, rehearse: false });
    expect(option()).toMatchObject({ available: false, active: false, reason: expect.stringMatching(/`s5sync check --rehearse` has not written and read back an AR invoice/) });
    const later = pay(s, s.ada.stripe, 1_500, 'Green mug');
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([]);
    expect(glLines(s, later.id).find((line) => line.GLAcctNo === '400000')).toEqual({ GLAcctNo: '400000', PostAmt: -15_000 });

    expect((await cli(['check', '--rehearse', '--config', s.books.configPath])).code).toBe(0);
    expect(option()).toMatchObject({ available: true, active: true, reason: expect.stringMatching(/^AR invoices for Stripe sales are on \(proved on this site: AR invoice batch 41/) });
  });
});
