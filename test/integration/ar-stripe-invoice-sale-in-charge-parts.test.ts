import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import { cli, openArSite, pay, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * A Stripe invoice paid by a charge booked before its invoice payment was known (its
 * PaymentIntent attached to the invoice later, Stripe's attach_payment), when the charge paid
 * only part of the invoice's total (issue #21): a customer balance or a pre-payment credit note
 * paid the rest (Stripe's `amount_due` is the total less both), or a second charge that knew its
 * invoice. Skipping the invoice's journal whole lost those parts (the customer credit stayed, the
 * credit note's receivable credit had nothing to clear, the second charge's receivable credit
 * stayed open); now the invoice's journal books exactly what its charges did not.
 *
 * Expected rows worked by hand; Sage amounts have three decimals (10.000 is 10000). Card fee
 * 2.9 % + 0.30: 100.00 → 2.90 + 0.30 = 3.20; 60.00 → 1.74 + 0.30 = 2.04; 40.00 → 1.16 + 0.30 =
 * 1.46; 125.00 → 3.625 (rounded 3.63) + 0.30 = 3.93.
 */

const TIME_ZONE = 'America/Chicago';
const AR_ON_UNMATCHED_GL = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'gl' } } };

describe('a charge-first Stripe invoice that its charge paid only in part', () => {
  let site: ArSite | null = null;
  afterEach(async () => {
    await site?.books.close();
    site = null;
  });

  const businessDay = (unixSeconds: number): string => new Date(unixSeconds * 1000).toLocaleDateString('en-CA', { timeZone: TIME_ZONE });
  const journalRows = (s: ArSite, docKey: string) =>
    s.books.sageSql<{ account: string; amount: number; date: string }>(
      `SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ? ORDER BY a.GLAcctNo`,
      docKey,
    );
  /** The GL rows of several documents summed by account, zero sums left out. */
  const netByAccount = (s: ArSite, docKeys: string[]) => {
    const sums = new Map<string, number>();
    for (const key of docKeys) for (const row of journalRows(s, key)) sums.set(row.account, (sums.get(row.account) ?? 0) + row.amount);
    return Object.fromEntries([...sums].filter(([, amount]) => amount !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  const record = (s: ArSite, docKey: string) => s.books.ledgerSql<{ state: string; skip_reason: string | null; body: string }>('SELECT state, skip_reason, body FROM documents WHERE doc_key = ?', docKey)[0];
  const description = (s: ArSite, docKey: string) => (JSON.parse(record(s, docKey)!.body) as { description: string }).description;
  const proofHolds = async (s: ArSite) => {
    const proof = JSON.parse((await cli(['report', 'balance', '--json', '--config', s.books.configPath])).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });
  };
  const chargeKey = (charge: { id: string; balance_transaction: unknown }) => `${charge.id}:${charge.balance_transaction as string}`;

  it('books the customer balance and the pre-payment credit note the charge did not: 1200-00 and 2300-00 clear, revenue is the total once', async () => {
    const s = (site = await openArSite({}));
    const simulator = s.books.simulator;
    const ada = s.ada.stripe;
    // Ada holds a 20.00 credit on her Stripe balance.
    simulator.billing.adjustBalance(ada.id, -2_000 - simulator.billing.balanceOf(ada.id));

    // Run 1: a plain card payment of 100.00; no invoice names it yet.
    const charge = pay(s, ada, 10_000, null);
    await syncAgain(s);
    const chargeDay = businessDay(charge.created);
    expect(journalRows(s, chargeKey(charge))).toEqual([
      { account: '105000', amount: 96_800, date: chargeDay },
      { account: '400000', amount: -100_000, date: chargeDay },
      { account: '615000', amount: 3_200, date: chargeDay },
    ]);

    // Run 2: an invoice of 130.00; Ada's credit takes 20.00 off at finalisation, a pre-payment
    // credit note 10.00 more, so 100.00 is due, and the 100.00 payment is attached to it.
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), ada, { lines: [{ description: 'Services', amount: 13_000 }] });
    expect([issued.invoice.total, issued.invoice.starting_balance, issued.invoice.amount_due]).toEqual([13_000, -2_000, 11_000]);
    simulator.advanceSeconds(60, { generate: false });
    const note = simulator.billing.creditBeforePayment(simulator.now(), issued, 1_000, 0);
    expect(issued.invoice.amount_due).toBe(10_000);
    simulator.advanceSeconds(60, { generate: false });
    simulator.billing.attachPayment(simulator.now(), issued, charge);
    const paidDay = businessDay(simulator.now());
    await syncAgain(s);

    const invoiceKey = `${issued.invoice.id}:paid`;
    // The invoice's journal books what the charge did not: the credit note's receivable, the customer credit used, revenue for both.
    expect(journalRows(s, invoiceKey)).toEqual([
      { account: '120000', amount: 10_000, date: paidDay },
      { account: '230000', amount: 20_000, date: paidDay },
      { account: '400000', amount: -30_000, date: paidDay },
    ]);
    expect(journalRows(s, `${note.id}:pre-payment`)).toEqual([
      { account: '120000', amount: -10_000, date: paidDay },
      { account: '490000', amount: 10_000, date: paidDay },
    ]);
    // Together: clearing the net, fee, revenue the invoice's total 130.00, the credit note in returns, the customer credit used; 1200-00 at zero.
    expect(netByAccount(s, [chargeKey(charge), invoiceKey, `${note.id}:pre-payment`])).toEqual({
      '105000': 96_800,
      '230000': 20_000,
      '400000': -130_000,
      '490000': 10_000,
      '615000': 3_200,
    });
    expect(record(s, invoiceKey)?.state).toBe('written');
    expect(description(s, invoiceKey)).toContain(
      `Booked only in part: it was paid in Stripe by ${charge.id}, whose GL journal (booked in GL on ${chargeDay}) booked 100.000 of the sale to 4000-00 before the invoice payment was known; ` +
        `this journal books the rest of its total 130.000: the customer balance applied 20.000 (2300-00 Dr), pre-payment credit notes 10.000 (1200-00 Dr, which the credit notes clear), against 4000-00 Cr 30.000`,
    );
    await proofHolds(s);

    // Nothing more however often the sync runs.
    await syncAgain(s);
    expect(journalRows(s, invoiceKey)).toHaveLength(3);
    expect(journalRows(s, chargeKey(charge))).toHaveLength(3);
  }, 120_000);

  it('books the second charge’s part when the first was booked as a plain sale and the second knew its invoice', async () => {
    const s = (site = await openArSite({}));
    const simulator = s.books.simulator;
    const ada = s.ada.stripe;
    simulator.billing.adjustBalance(ada.id, -simulator.billing.balanceOf(ada.id));

    const first = pay(s, ada, 6_000, null);
    await syncAgain(s);
    const firstDay = businessDay(first.created);
    expect(journalRows(s, chargeKey(first))).toEqual([
      { account: '105000', amount: 57_960, date: firstDay },
      { account: '400000', amount: -60_000, date: firstDay },
      { account: '615000', amount: 2_040, date: firstDay },
    ]);

    // An invoice of 100.00: the 60.00 payment is attached, then a second payment of 40.00 pays the rest.
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), ada, { lines: [{ description: 'Services', amount: 10_000 }] });
    simulator.billing.attachPayment(simulator.now(), issued, first);
    expect(issued.invoice.status).toBe('open');
    const second = pay(s, ada, 4_000, null);
    simulator.billing.attachPayment(simulator.now(), issued, second);
    expect(issued.invoice.status).toBe('paid');
    const paidDay = businessDay(simulator.now());
    await syncAgain(s);

    const secondDay = businessDay(second.created);
    expect(journalRows(s, chargeKey(second))).toEqual([
      { account: '105000', amount: 38_540, date: secondDay },
      { account: '120000', amount: -40_000, date: secondDay },
      { account: '615000', amount: 1_460, date: secondDay },
    ]);
    const invoiceKey = `${issued.invoice.id}:paid`;
    expect(journalRows(s, invoiceKey)).toEqual([
      { account: '120000', amount: 40_000, date: paidDay },
      { account: '400000', amount: -40_000, date: paidDay },
    ]);
    // Revenue is the invoice's 100.00 once; 1200-00 clears.
    expect(netByAccount(s, [chargeKey(first), chargeKey(second), invoiceKey])).toEqual({ '105000': 96_500, '400000': -100_000, '615000': 3_500 });
    expect(description(s, invoiceKey)).toContain(`this journal books the rest of its total 100.000: ${second.id} 40.000 (1200-00 Dr, which its payment clears), against 4000-00 Cr 40.000`);
    await proofHolds(s);
  }, 120_000);

  it('does not book the revenue of a Stripe invoice a second time when its charge is an AR cash receipt applied to a Sage invoice, and says so on the record', async () => {
    const s = (site = await openArSite(AR_ON_UNMATCHED_GL));
    await proveCashReceipt(s);
    const simulator = s.books.simulator;
    const ada = s.ada.stripe;

    // Run 1: a payment naming Sage invoice 5001 (125.00): an AR cash receipt applied to it, and the fee journal.
    const charge = pay(s, ada, 12_500, null, { sage_invoice: '5001' });
    await syncAgain(s);
    const chargeDay = businessDay(charge.created);
    expect(receipts(s)).toEqual([{ CustID: s.ada.custId, TranAmt: 125_000, UnappliedAmt: 0, TranDate: `${chargeDay} 00:00:00`, TranCmnt: `Stripe ${charge.id}` }]);
    const feeRows = [
      { account: '105000', amount: -3_930, date: chargeDay },
      { account: '615000', amount: 3_930, date: chargeDay },
    ];
    expect(journalRows(s, chargeKey(charge))).toEqual(feeRows);
    const glRows = () => s.books.sageSql<{ rows: number; total: number }>('SELECT COUNT(*) AS rows, SUM(PostAmt) AS total FROM tglJournalDetl')[0];
    const before = glRows();

    // Run 2: the merchant bills the same sale through a Stripe invoice naming no Sage invoice and attaches the payment.
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), ada, { lines: [{ description: 'Services', amount: 12_500 }] });
    simulator.billing.attachPayment(simulator.now(), issued, charge);
    await syncAgain(s);

    // Nothing more in GL (no second revenue, no receivable left debited), the receipt as it was.
    const invoiceKey = `${issued.invoice.id}:paid`;
    expect(journalRows(s, invoiceKey)).toEqual([]);
    expect(journalRows(s, chargeKey(charge))).toEqual(feeRows);
    expect(glRows()).toEqual(before);
    expect(receipts(s)).toHaveLength(1);
    const stored = record(s, invoiceKey);
    expect(stored?.state).toBe('skipped');
    expect(stored?.skip_reason).toBe(
      `Not booked: Stripe invoice ${issued.invoice.number} is in Sage already, it was paid in Stripe by ${charge.id}, an AR cash receipt in Sage (written on ${chargeDay}) for the sale, ` +
        `applied to Sage invoice 0000005001-IN, which holds that sale; booking the invoice's revenue too would count the sale twice`,
    );
    await proofHolds(s);

    await syncAgain(s);
    expect(glRows()).toEqual(before);
    expect(record(s, invoiceKey)?.state).toBe('skipped');
  }, 120_000);

  it('books, under a key of its own, what an earlier version left out when it recorded the invoice as not booked at all', async () => {
    const s = (site = await openArSite({}));
    const simulator = s.books.simulator;
    const ada = s.ada.stripe;
    simulator.billing.adjustBalance(ada.id, -2_000 - simulator.billing.balanceOf(ada.id));
    const charge = pay(s, ada, 10_000, null);
    await syncAgain(s);

    // The invoice of the first example: 130.00, Ada's 20.00 credit and a 10.00 pre-payment credit note, the 100.00 payment attached.
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), ada, { lines: [{ description: 'Services', amount: 13_000 }] });
    simulator.advanceSeconds(60, { generate: false });
    const note = simulator.billing.creditBeforePayment(simulator.now(), issued, 1_000, 0);
    simulator.advanceSeconds(60, { generate: false });
    simulator.billing.attachPayment(simulator.now(), issued, charge);
    const paidDay = businessDay(simulator.now());

    // The ledger as an earlier version left it: the invoice's journal recorded as skipped whole, the sale in the charge.
    const invoiceKey = `${issued.invoice.id}:paid`;
    const oldNote = `Not booked: Stripe invoice ${issued.invoice.number} is in GL already, it was paid in Stripe by ${charge.id}`;
    const ledger = new SqliteLedger(join(s.books.dir, 'data', 'ledger.sqlite'));
    try {
      const version = ledger.mappings.currentMapping()?.version ?? ledger.mappings.saveMapping(DEFAULT_MAPPING);
      const oldRecord = {
        type: 'journal' as const,
        key: invoiceKey,
        postDate: paidDay,
        stripeObjectId: issued.invoice.id,
        description: `Stripe invoice ${issued.invoice.id} paid: ${oldNote}`,
        lines: [
          { acctNo: '1200-00', amount: '130.000', comment: 'due', traceId: issued.invoice.id },
          { acctNo: '4000-00', amount: '-130.000', comment: 'Services', traceId: issued.invoice.id },
        ],
        saleInCharge: { chargeId: charge.id, note: oldNote, chargeIds: [charge.id] },
      };
      ledger.documents.savePlan(issued.invoice.id, [oldRecord], version, 'planned');
      ledger.documents.skipDocuments([invoiceKey], oldNote);
    } finally {
      ledger.close();
    }
    await syncAgain(s);

    // The old record stays as it was; the rest it left out is booked beside it once.
    expect(record(s, invoiceKey)).toMatchObject({ state: 'skipped', skip_reason: oldNote });
    expect(journalRows(s, invoiceKey)).toEqual([]);
    expect(journalRows(s, `${invoiceKey}:rest`)).toEqual([
      { account: '120000', amount: 10_000, date: paidDay },
      { account: '230000', amount: 20_000, date: paidDay },
      { account: '400000', amount: -30_000, date: paidDay },
    ]);
    expect(netByAccount(s, [chargeKey(charge), `${invoiceKey}:rest`, `${note.id}:pre-payment`])).toEqual({
      '105000': 96_800,
      '230000': 20_000,
      '400000': -130_000,
      '490000': 10_000,
      '615000': 3_200,
    });
    expect(description(s, `${invoiceKey}:rest`)).toContain(`An earlier version recorded this invoice as not booked at all (${invoiceKey})`);
    await proofHolds(s);

    await syncAgain(s);
    expect(journalRows(s, `${invoiceKey}:rest`)).toHaveLength(3);
  }, 120_000);
});
