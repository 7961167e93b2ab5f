import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import type { StripeCharge, StripeCustomer } from '../../main/core/stripe/objects.js';
import type { InvoiceSpec, IssuedInvoice } from '../../main/simulators/stripe/billing-shapes.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import { applications, cli, openArSite, pay, proveArInvoice, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * AR invoices for Stripe sales, Stripe invoices (issue #21 item 4): a paid Stripe invoice that
 * names no Sage invoice, of a customer known in Sage, through the Stripe simulator over HTTP into
 * the sandbox's pending AR invoice batch, one invoice line per revenue credit of the invoice's GL
 * journal (per Stripe invoice line, with the rules' accounts, and shipping), its charge an AR
 * cash receipt applied to it, the fee in GL; the parts a pending AR invoice cannot carry keep the
 * invoice in GL with the reason. Expected rows worked by hand from the invoices' specs (Sage
 * amounts are thousandths: 130.00 is 130000), never from the planner.
 *
 *   A (Ada): kayak rental 80.00 less a 5.00 discount (rule "Rental gear": 4050-00), service 45.00,
 *            shipping 10.00, no tax: total 130.00 = 75.00 + 45.00 + 10.00, paid by card.
 *   B (Bob): service 20.00 taxed 8.25 % = 1.65: total 21.65, GL (sales tax).
 *   C (Ada): 50.00 with 10.00 of Ada's Stripe credit applied: due 40.00, GL (customer balance).
 *   D (Bob): 30.00 less a 5.00 credit note before payment: due 25.00, GL (credit notes).
 *   E (Ada): 60.00 paid out of band: AR invoice, left open for the bookkeeper's own receipt.
 *   F (Bob): 80.00 naming Sage invoice 5003: collects it, as without the option.
 */

const INVOICES_ON = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'gl', invoicesForStripeSales: true }, rules: [] as unknown[] } };
const KAYAK = 'prod_RentalGear000001';
const RENTAL_GEAR = { name: 'Rental gear', when: [{ field: 'product', in: [KAYAK] }], then: [{ action: 'account', role: 'revenue', account: '4050-00' }] };
const WITH_RULE = { mapping: { ...INVOICES_ON.mapping, rules: [RENTAL_GEAR] } };

describe('AR invoices for Stripe invoices that name no Sage invoice', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  const sandbox = (s: ArSite, run: (raw: Database.Database) => void): void => {
    const raw = new Database(s.books.sandboxPath);
    try {
      run(raw);
    } finally {
      raw.close();
    }
  };
  const addRentalAccount = (s: ArSite): void =>
    sandbox(s, (raw) => {
      const like = raw.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get('400000') as Record<string, unknown>;
      const row = { ...like, GLAcctKey: nextSurrogateKey(raw, 'tglAccount'), GLAcctNo: '405000', Description: 'Rental sales' };
      raw.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
    });
  const setOption = (s: ArSite, on: boolean): void => {
    const config = JSON.parse(readFileSync(s.books.configPath, 'utf8')) as { mapping: { arPayments: { invoicesForStripeSales: boolean } } };
    config.mapping.arPayments.invoicesForStripeSales = on;
    writeFileSync(s.books.configPath, JSON.stringify(config, null, 2));
  };

  function issue(s: ArSite, who: StripeCustomer, spec: InvoiceSpec): IssuedInvoice {
    s.books.simulator.advanceSeconds(60, { generate: false });
    return s.books.simulator.billing.finalise(s.books.simulator.now(), who, spec);
  }
  function payCard(s: ArSite, issued: IssuedInvoice, who: StripeCustomer): StripeCharge {
    s.books.simulator.advanceSeconds(30, { generate: false });
    return s.books.simulator.billing.pay(s.books.simulator.now(), issued, who)!;
  }

  const ourInvoices = (s: ArSite) =>
    s.books.sageSql<{ InvcKey: number; CustID: string; TranID: string; TranAmt: number; Balance: number; TranDate: string; TranCmnt: string }>(
      `SELECT i.InvcKey, c.CustID, i.TranID, i.TranAmt, i.Balance, i.TranDate, i.TranCmnt FROM tarPendInvoice i JOIN tarCustomer c ON c.CustKey = i.CustKey
       WHERE i.CreateUserID = 'stripe' ORDER BY i.TranCmnt`,
    );
  const linesOf = (s: ArSite, invcKey: number) =>
    s.books.sageSql<{ SeqNo: number; Description: string; ExtAmt: number; GLAcctNo: string; DistAmt: number }>(
      `SELECT l.SeqNo, l.Description, l.ExtAmt, a.GLAcctNo, d.ExtAmt AS DistAmt FROM tarInvoiceDetl l JOIN tarInvoiceLineDist d ON d.InvoiceLineKey = l.InvoiceLineKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE l.InvcKey = ? ORDER BY l.SeqNo`,
      invcKey,
    );
  /** The GL rows written for one ledger document, through our cross-reference row. */
  const journalRows = (s: ArSite, docKey: string) =>
    s.books.sageSql<{ account: string; amount: number }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ? ORDER BY d.EntryNo`,
      docKey,
    );
  const chargeKey = (charge: StripeCharge): string => `${charge.id}:${charge.balance_transaction as string}`;
  const feeOf = (s: ArSite, charge: StripeCharge): number => s.books.simulator.object('balance_transaction', charge.balance_transaction as string)!.fee * 10;
  const description = (s: ArSite, docKey: string): string =>
    (JSON.parse(s.books.ledgerSql<{ body: string }>('SELECT body FROM documents WHERE doc_key = ?', docKey)[0]!.body) as { description: string }).description;
  const proofHolds = async (s: ArSite) => {
    const proof = JSON.parse((await cli(['report', 'balance', '--json', '--config', s.books.configPath])).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });
  };
  const today = (s: ArSite): string => `${new Date(s.books.simulator.now() * 1000).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' })} 00:00:00`;

  it('writes a paid Stripe invoice as a pending AR invoice line by line with its charge applied, keeps tax, customer balance and pre-payment credit notes in GL with the reason, and books nothing twice', async () => {
    const s = (site = await openArSite(WITH_RULE));
    addRentalAccount(s);
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const { ada, bob } = s;
    const billing = s.books.simulator.billing;
    expect([billing.balanceOf(ada.stripe.id), billing.balanceOf(bob.stripe.id)]).toEqual([0, 0]);

    const a = issue(s, ada.stripe, {
      lines: [
        { description: 'Kayak rental (2 days)', amount: 8_000, product: KAYAK, discount: 500 },
        { description: 'Tune-up & maintenance', amount: 4_500 },
      ],
      shipping: { amount: 1_000, taxed: false },
    });
    const aCharge = payCard(s, a, ada.stripe);
    const b = issue(s, bob.stripe, { lines: [{ description: 'Service', amount: 2_000, taxed: true }] });
    const bCharge = payCard(s, b, bob.stripe);
    billing.adjustBalance(ada.stripe.id, -1_000);
    const c = issue(s, ada.stripe, { lines: [{ description: 'Paddles', amount: 5_000 }] });
    const cCharge = payCard(s, c, ada.stripe);
    const d = issue(s, bob.stripe, { lines: [{ description: 'Life vest', amount: 3_000 }] });
    s.books.simulator.advanceSeconds(10, { generate: false });
    const dNote = billing.creditBeforePayment(s.books.simulator.now(), d, 500, 0);
    const dCharge = payCard(s, d, bob.stripe);
    const e = issue(s, ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    s.books.simulator.advanceSeconds(30, { generate: false });
    billing.payOutOfBand(s.books.simulator.now(), e);
    const f = issue(s, bob.stripe, { lines: [{ description: 'Services', amount: 8_000 }], customFields: [{ name: 'Sage invoice', value: '5003' }] });
    const fCharge = payCard(s, f, bob.stripe);
    expect([a.invoice.total, b.invoice.total, c.invoice.amount_due, d.invoice.amount_due]).toEqual([13_000, 2_165, 4_000, 2_500]);
    await syncAgain(s);
    const date = today(s);

    // A and E are AR invoices; nothing else is.
    const invoices = ourInvoices(s);
    expect(invoices).toEqual(
      [
        { InvcKey: expect.any(Number), CustID: ada.custId, TranID: expect.stringMatching(/^\d{10}-IN$/), TranAmt: 130_000, Balance: 130_000, TranDate: date, TranCmnt: `Stripe ${a.invoice.id}` },
        { InvcKey: expect.any(Number), CustID: ada.custId, TranID: expect.stringMatching(/^\d{10}-IN$/), TranAmt: 60_000, Balance: 60_000, TranDate: date, TranCmnt: `Stripe ${e.invoice.id}` },
      ].sort((x, y) => (x.TranCmnt < y.TranCmnt ? -1 : 1)),
    );
    const arInvoice = invoices.find((row) => row.TranCmnt === `Stripe ${a.invoice.id}`)!;
    const outOfBand = invoices.find((row) => row.TranCmnt === `Stripe ${e.invoice.id}`)!;
    // One line per revenue credit: the kayak net of its discount on the rule's account, the service line, shipping.
    expect(linesOf(s, arInvoice.InvcKey)).toEqual([
      { SeqNo: 1, Description: 'Kayak rental (2 days)', ExtAmt: 75_000, GLAcctNo: '405000', DistAmt: 75_000 },
      { SeqNo: 2, Description: 'Tune-up & maintenance', ExtAmt: 45_000, GLAcctNo: '400000', DistAmt: 45_000 },
      { SeqNo: 3, Description: 'Shipping', ExtAmt: 10_000, GLAcctNo: '400000', DistAmt: 10_000 },
    ]);
    expect(linesOf(s, outOfBand.InvcKey)).toEqual([{ SeqNo: 1, Description: 'Dry bag', ExtAmt: 60_000, GLAcctNo: '400000', DistAmt: 60_000 }]);

    // A's charge pays its AR invoice; F's pays Sage invoice 5003; no receipt for E (no Stripe payment) or the GL invoices.
    expect(receipts(s).map(({ CustID, TranAmt, UnappliedAmt, TranCmnt }) => ({ CustID, TranAmt, UnappliedAmt, TranCmnt }))).toEqual(
      [
        { CustID: ada.custId, TranAmt: 130_000, UnappliedAmt: 0, TranCmnt: `Stripe ${aCharge.id}` },
        { CustID: bob.custId, TranAmt: 80_000, UnappliedAmt: 0, TranCmnt: `Stripe ${fCharge.id}` },
      ].sort((x, y) => (x.TranCmnt < y.TranCmnt ? -1 : 1)),
    );
    expect(applications(s)).toEqual(
      [
        { TranCmnt: `Stripe ${aCharge.id}`, ApplyToTranID: arInvoice.TranID, PmtAmt: 130_000 },
        { TranCmnt: `Stripe ${fCharge.id}`, ApplyToTranID: '0000005003-IN', PmtAmt: 80_000 },
      ].sort((x, y) => (x.TranCmnt < y.TranCmnt ? -1 : 1)),
    );

    // GL: A's and E's invoice journals are not written, A's charge leaves its fee only.
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([]);
    expect(journalRows(s, `${e.invoice.id}:paid`)).toEqual([]);
    expect(journalRows(s, `${f.invoice.id}:paid`)).toEqual([]);
    expect(journalRows(s, chargeKey(aCharge))).toEqual([
      { account: '615000', amount: feeOf(s, aCharge) },
      { account: '105000', amount: -feeOf(s, aCharge) },
    ]);
    // B, C and D in GL as without the option, each with the reason on its record.
    expect(journalRows(s, `${b.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 21_650 },
      { account: '400000', amount: -20_000 },
      { account: '220000', amount: -1_650 },
    ]);
    expect(description(s, `${b.invoice.id}:paid`)).toMatch(/No AR invoice: Stripe invoice NWB-\d+ credits sales tax \(2200-00\)/);
    expect(journalRows(s, `${c.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 40_000 },
      { account: '230000', amount: 10_000 },
      { account: '400000', amount: -50_000 },
    ]);
    expect(description(s, `${c.invoice.id}:paid`)).toMatch(/No AR invoice: the customer's Stripe balance settled part of Stripe invoice/);
    expect(journalRows(s, `${d.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 30_000 },
      { account: '400000', amount: -30_000 },
    ]);
    expect(description(s, `${d.invoice.id}:paid`)).toMatch(/No AR invoice: credit notes reduced Stripe invoice NWB-\d+ before it was paid/);
    expect(journalRows(s, `${dNote.id}:pre-payment`)).toEqual([
      { account: '490000', amount: 5_000 },
      { account: '120000', amount: -5_000 },
    ]);
    for (const [charge, gross] of [[bCharge, 21_650], [cCharge, 40_000], [dCharge, 25_000]] as const) {
      expect(journalRows(s, chargeKey(charge))).toEqual([
        { account: '105000', amount: gross - feeOf(s, charge) },
        { account: '120000', amount: -gross },
        { account: '615000', amount: feeOf(s, charge) },
      ]);
    }
    await proofHolds(s);

    // A credit note after payment, refunded: GL as without AR (refunds Dr / receivable Cr, then receivable Dr / clearing Cr), a note on its record; the AR invoice stays as it is.
    s.books.simulator.advanceSeconds(60, { generate: false });
    const note = billing.creditAfterPayment(s.books.simulator.now(), a.invoice, aCharge, 4_500, 0, [
      { invoiceLine: a.invoice.lines.data[1]!.id, description: 'Tune-up & maintenance', amount: 4_500, tax: 0 },
    ]);
    await syncAgain(s);
    expect(journalRows(s, `${note.id}:issued`)).toEqual([
      { account: '490000', amount: 45_000 },
      { account: '120000', amount: -45_000 },
    ]);
    expect(description(s, `${note.id}:issued`)).toMatch(new RegExp(`Stripe invoice ${a.invoice.id} is an AR invoice in Sage; no AR credit memo was written for this`));
    const refund = s.books.sageSql<{ account: string; amount: number }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE d.PostCmnt LIKE 're_%' AND ABS(d.PostAmt) = 45000 ORDER BY a.GLAcctNo`,
    );
    expect(refund).toEqual([
      { account: '105000', amount: -45_000 },
      { account: '120000', amount: 45_000 },
    ]);

    // Nothing twice, however often the sync runs (the refund updated A's charge, which was planned again).
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual(invoices);
    expect(linesOf(s, arInvoice.InvcKey)).toHaveLength(3);
    expect(receipts(s)).toHaveLength(2);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([]);
    expect(journalRows(s, chargeKey(aCharge))).toHaveLength(2);
    await proofHolds(s);
  });

  it('books a Stripe invoice in GL as before while the site has not rehearsed an AR invoice', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: false });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 60_000 },
      { account: '400000', amount: -60_000 },
    ]);
    expect(journalRows(s, chargeKey(charge))).toEqual([
      { account: '105000', amount: 60_000 - feeOf(s, charge) },
      { account: '120000', amount: -60_000 },
      { account: '615000', amount: feeOf(s, charge) },
    ]);
  });

  it('keeps a written AR invoice when the option is turned off before the charge is written: the receipt is applied to it later and GL gets no invoice journal', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    // Sage refuses the charge's receipt and fee journal (as a failed insert would): the invoice is in, the rest is not.
    sandbox(s, (raw) =>
      raw.exec(`CREATE TRIGGER refuse_receipt BEFORE INSERT ON tarPendCustPmt WHEN NEW.TranCmnt = 'Stripe ${charge.id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
        CREATE TRIGGER refuse_journal BEFORE INSERT ON tglJournalDetl WHEN NEW.PostCmnt LIKE '${charge.id}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`),
    );
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 60_000, TranCmnt: `Stripe ${a.invoice.id}` })]);
    expect(receipts(s)).toEqual([]);

    setOption(s, false);
    sandbox(s, (raw) => raw.exec('DROP TRIGGER refuse_receipt; DROP TRIGGER refuse_journal;'));
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    const invoices = ourInvoices(s);
    expect(invoices).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 60_000, Balance: 60_000, TranCmnt: `Stripe ${a.invoice.id}` })]);
    expect(applications(s)).toEqual([{ TranCmnt: `Stripe ${charge.id}`, ApplyToTranID: invoices[0]!.TranID, PmtAmt: 60_000 }]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([]);
    expect(journalRows(s, chargeKey(charge))).toEqual([
      { account: '615000', amount: feeOf(s, charge) },
      { account: '105000', amount: -feeOf(s, charge) },
    ]);
  });

  it('withdraws an AR invoice and receipt not yet written when the option is turned off: the Stripe invoice and its charge go to GL once', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    // Sage refuses the AR invoice and the charge's fee journal; the receipt waits for its invoice.
    sandbox(s, (raw) =>
      raw.exec(`CREATE TRIGGER refuse_invoice BEFORE INSERT ON tarPendInvoice WHEN NEW.TranCmnt = 'Stripe ${a.invoice.id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
        CREATE TRIGGER refuse_journal BEFORE INSERT ON tglJournalDetl WHEN NEW.PostCmnt LIKE '${charge.id}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`),
    );
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(journalRows(s, chargeKey(charge))).toEqual([]);

    setOption(s, false);
    sandbox(s, (raw) => raw.exec('DROP TRIGGER refuse_invoice; DROP TRIGGER refuse_journal;'));
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 60_000 },
      { account: '400000', amount: -60_000 },
    ]);
    expect(journalRows(s, chargeKey(charge))).toEqual([
      { account: '105000', amount: 60_000 - feeOf(s, charge) },
      { account: '120000', amount: -60_000 },
      { account: '615000', amount: feeOf(s, charge) },
    ]);
  });

  it('books a Stripe invoice whose AR invoice never reached Sage in GL when the option is turned off after its charge’s fee journal was written: the rest of the charge under :sale, nothing withdrawn written', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    // Sage refuses the AR invoice for good: the fee journal is written, the receipt waits for its invoice.
    sandbox(s, (raw) => raw.exec(`CREATE TRIGGER refuse_invoice BEFORE INSERT ON tarPendInvoice WHEN NEW.TranCmnt = 'Stripe ${a.invoice.id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`));
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    const feeJournal = [
      { account: '615000', amount: feeOf(s, charge) },
      { account: '105000', amount: -feeOf(s, charge) },
    ];
    expect(journalRows(s, chargeKey(charge))).toEqual(feeJournal);

    setOption(s, false);
    await syncAgain(s);
    sandbox(s, (raw) => raw.exec('DROP TRIGGER refuse_invoice;'));
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    // GL as without the option: the invoice's journal, the charge's fee journal and the rest of its journal; no AR invoice or receipt written beside them.
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 60_000 },
      { account: '400000', amount: -60_000 },
    ]);
    expect(journalRows(s, chargeKey(charge))).toEqual(feeJournal);
    expect(journalRows(s, `${chargeKey(charge)}:sale`)).toEqual([
      { account: '105000', amount: 60_000 },
      { account: '120000', amount: -60_000 },
    ]);
    await proofHolds(s);
  });

  it('keeps a Stripe invoice in GL, with the reason, when its charge was booked in GL before the invoice was paid', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    // Stripe marks the invoice paid after its payment succeeds: a sync in between reads the charge with its invoice still open.
    s.books.simulator.advanceSeconds(30, { generate: false });
    const charge = s.books.simulator.billing.chargeInvoice(s.books.simulator.now(), a, s.ada.stripe)!;
    await syncAgain(s);
    const chargeRows = [
      { account: '105000', amount: 60_000 - feeOf(s, charge) },
      { account: '120000', amount: -60_000 },
      { account: '615000', amount: feeOf(s, charge) },
    ];
    expect(journalRows(s, chargeKey(charge))).toEqual(chargeRows);
    s.books.simulator.billing.markInvoicePaid(s.books.simulator.now(), a, true);
    await syncAgain(s);

    // The invoice's GL journal debits the receivable the charge credited; no AR invoice, no receipt.
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 60_000 },
      { account: '400000', amount: -60_000 },
    ]);
    expect(description(s, `${a.invoice.id}:paid`)).toMatch(new RegExp(`No AR invoice: it was paid in Stripe by ${charge.id}, already booked in GL on \\d{4}-\\d{2}-\\d{2}`));
    expect(journalRows(s, chargeKey(charge))).toEqual(chargeRows);
    await proofHolds(s);
  });

  it('keeps a charge a receipt when it is planned again while its Stripe invoice’s AR invoice waits to be written', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    sandbox(s, (raw) =>
      raw.exec(`CREATE TRIGGER refuse_invoice BEFORE INSERT ON tarPendInvoice WHEN NEW.TranCmnt = 'Stripe ${a.invoice.id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
        CREATE TRIGGER refuse_journal BEFORE INSERT ON tglJournalDetl WHEN NEW.PostCmnt LIKE '${charge.id}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`),
    );
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([]);

    // A refund updates the charge, which is planned again before its invoice's AR invoice is in Sage.
    s.books.simulator.advanceSeconds(60, { generate: false });
    s.books.simulator.referencedPayments.refund(s.books.simulator.now(), charge, 1_000);
    sandbox(s, (raw) => raw.exec('DROP TRIGGER refuse_invoice; DROP TRIGGER refuse_journal;'));
    await syncAgain(s);
    expect((await cli(['retry', '--all', '--config', s.books.configPath])).code).toBe(0);
    await syncAgain(s);

    const invoices = ourInvoices(s);
    expect(invoices).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 60_000, TranCmnt: `Stripe ${a.invoice.id}` })]);
    expect(applications(s)).toEqual([{ TranCmnt: `Stripe ${charge.id}`, ApplyToTranID: invoices[0]!.TranID, PmtAmt: 60_000 }]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([]);
    expect(journalRows(s, chargeKey(charge))).toEqual([
      { account: '615000', amount: feeOf(s, charge) },
      { account: '105000', amount: -feeOf(s, charge) },
    ]);
  });

  it('keeps a Stripe invoice with a line crediting the customer (a negative line) in GL with the reason: 50.00 less a 10.00 credit line, 40.00 charged', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Paddles', amount: 5_000 }, { description: 'Unused time on the old plan', amount: -1_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    expect(a.invoice.total).toBe(4_000);
    await syncAgain(s);
    expect(ourInvoices(s)).toEqual([]);
    expect(receipts(s)).toEqual([]);
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 40_000 },
      { account: '400000', amount: -50_000 },
      { account: '400000', amount: 10_000 },
    ]);
    expect(description(s, `${a.invoice.id}:paid`)).toMatch(/No AR invoice: Stripe invoice NWB-\d+ debits 4000-00 \(a line crediting the customer\), and no captured invoice proves a negative AR invoice line/);
    expect(journalRows(s, chargeKey(charge))).toEqual([
      { account: '105000', amount: 40_000 - feeOf(s, charge) },
      { account: '120000', amount: -40_000 },
      { account: '615000', amount: feeOf(s, charge) },
    ]);
  });

  it('applies each charge that paid a Stripe invoice to its AR invoice: 100.00 paid by two card payments of 60.00 and 40.00 attached to it', async () => {
    const s = (site = await openArSite(INVOICES_ON));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const first = pay(s, s.ada.stripe, 6_000, null);
    const second = pay(s, s.ada.stripe, 4_000, null);
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Kayak, season hire', amount: 10_000 }] });
    s.books.simulator.billing.attachPayment(s.books.simulator.now(), a, first);
    s.books.simulator.billing.attachPayment(s.books.simulator.now(), a, second);
    expect(a.invoice.status).toBe('paid');
    await syncAgain(s);

    const invoices = ourInvoices(s);
    expect(invoices).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 100_000, Balance: 100_000, TranCmnt: `Stripe ${a.invoice.id}` })]);
    expect(linesOf(s, invoices[0]!.InvcKey)).toEqual([{ SeqNo: 1, Description: 'Kayak, season hire', ExtAmt: 100_000, GLAcctNo: '400000', DistAmt: 100_000 }]);
    expect(applications(s)).toEqual(
      [
        { TranCmnt: `Stripe ${first.id}`, ApplyToTranID: invoices[0]!.TranID, PmtAmt: 60_000 },
        { TranCmnt: `Stripe ${second.id}`, ApplyToTranID: invoices[0]!.TranID, PmtAmt: 40_000 },
      ].sort((x, y) => (x.TranCmnt < y.TranCmnt ? -1 : 1)),
    );
    expect(journalRows(s, `${a.invoice.id}:paid`)).toEqual([]);
    for (const charge of [first, second]) {
      expect(journalRows(s, chargeKey(charge))).toEqual([
        { account: '615000', amount: feeOf(s, charge) },
        { account: '105000', amount: -feeOf(s, charge) },
      ]);
    }
    await proofHolds(s);
  });

  it('under granularity daily-summary: the AR invoice and receipt are documents of their own, the day’s summary carries the fee and no revenue or receivable of the invoice', async () => {
    const s = (site = await openArSite({ mapping: { ...INVOICES_ON.mapping, granularity: 'daily-summary' } }));
    await proveCashReceipt(s);
    await proveArInvoice(s, { check: true, rehearse: true });
    const a = issue(s, s.ada.stripe, { lines: [{ description: 'Dry bag', amount: 6_000 }] });
    const charge = payCard(s, a, s.ada.stripe);
    const day = today(s);
    // The day ends, so its summary is written.
    s.books.simulator.advanceSeconds(2 * 86_400, { generate: false });
    await syncAgain(s);

    // The campaign's earlier card sales of known customers became AR invoices too once the summaries' days ended; ours is the invoice's.
    const invoices = ourInvoices(s).filter((row) => row.TranCmnt === `Stripe ${a.invoice.id}`);
    expect(invoices).toEqual([expect.objectContaining({ CustID: s.ada.custId, TranAmt: 60_000, TranDate: day })]);
    expect(applications(s).filter((row) => row.TranCmnt === `Stripe ${charge.id}`)).toEqual([{ TranCmnt: `Stripe ${charge.id}`, ApplyToTranID: invoices[0]!.TranID, PmtAmt: 60_000 }]);
    // The written summaries: the charge's part is its fee journal; no part books the invoice.
    const parts = s.books
      .ledgerSql<{ body: string }>("SELECT body FROM documents WHERE doc_key LIKE 'daily:%' AND state = 'written'")
      .flatMap((row) => (JSON.parse(row.body) as { summary: { parts: { key: string; lines: { acctNo: string; amount: string }[] }[] } }).summary.parts);
    expect(parts.filter((part) => part.key.startsWith(a.invoice.id))).toEqual([]);
    // Canonical decimal(15,3) text to thousandths, as the sandbox holds money: "-1.520" is -1520.
    const thousandths = (text: string): number => Number(text.replace('.', ''));
    expect(parts.filter((part) => part.key === chargeKey(charge)).map((part) => part.lines.map((line) => [line.acctNo, thousandths(line.amount)]))).toEqual([
      [
        ['6150-00', feeOf(s, charge)],
        ['1050-00', -feeOf(s, charge)],
      ],
    ]);
    await proofHolds(s);
  });
});
