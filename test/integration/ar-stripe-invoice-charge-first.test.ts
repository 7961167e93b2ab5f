import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import { applications, cli, openArSite, proveCashReceipt, receipts, syncAgain, type ArSite } from './ar-site.js';

/**
 * A Stripe invoice naming a Sage invoice whose charge reached GL before the invoice was paid
 * (issue #21). Stripe marks an invoice paid after its PaymentIntent succeeds, so a sync between
 * the two reads the charge with its Stripe invoice still open: the charge is booked in GL as the
 * payment of a Stripe invoice (clearing +net, Stripe invoices receivable −gross, fee +fee). When
 * the paid invoice is read later its custom field names open Sage invoice 5001; had it been
 * recorded as collecting that invoice (revenue journal skipped, charge turned into a receipt),
 * the receivable would keep the charge's credit with no debit, and a receipt would book the
 * money a second time. The invoice is booked in GL as without AR instead, and its record says
 * the Sage invoice is the user's to settle by hand.
 *
 * Expected rows worked by hand: 125.00 by card, fee 2.9 % + 0.30 = 3.93 (3.625 rounded to 3.63,
 * plus 0.30), net 121.07; Sage amounts have three decimals (125.000 is 125000).
 */

const TIME_ZONE = 'America/Chicago';

describe('a Stripe invoice naming a Sage invoice, whose charge was booked in GL before the invoice was paid', () => {
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

  it('books the invoice in GL as without AR, so the receivable clears, writes no receipt, and says on the record that the Sage invoice is to be settled by hand', async () => {
    const s = (site = await openArSite());
    await proveCashReceipt(s);
    const simulator = s.books.simulator;
    const billing = simulator.billing;

    // Run 1: the invoice is finalised (open): nothing is booked, its payment links the PaymentIntent.
    simulator.advanceSeconds(60, { generate: false });
    const issued = billing.finalise(simulator.now(), s.ada.stripe, { lines: [{ description: 'Services', amount: 12_500 }], customFields: [{ name: 'Sage invoice', value: '5001' }] });
    await syncAgain(s);
    // Run 2: the charge succeeded, the invoice is not marked paid yet.
    simulator.advanceSeconds(60, { generate: false });
    const charge = billing.chargeInvoice(simulator.now(), issued, s.ada.stripe)!;
    await syncAgain(s);
    const chargeDay = businessDay(charge.created);
    const chargeKey = `${charge.id}:${charge.balance_transaction as string}`;
    const chargeRows = [
      { account: '105000', amount: 121_070, date: chargeDay },
      { account: '120000', amount: -125_000, date: chargeDay },
      { account: '615000', amount: 3_930, date: chargeDay },
    ];
    expect(journalRows(s, chargeKey)).toEqual(chargeRows);
    // Run 3: Stripe marks the invoice paid; it names open Sage invoice 5001.
    simulator.advanceSeconds(60, { generate: false });
    billing.markInvoicePaid(simulator.now(), issued, true);
    const paidDay = businessDay(simulator.now());
    await syncAgain(s);

    // The charge's journal is as it was; the invoice's journal debits the receivable the charge credited.
    expect(journalRows(s, chargeKey)).toEqual(chargeRows);
    expect(journalRows(s, `${issued.invoice.id}:paid`)).toEqual([
      { account: '120000', amount: 125_000, date: paidDay },
      { account: '400000', amount: -125_000, date: paidDay },
    ]);
    // No receipt booking the money again; Sage invoice 5001 stays open for the user.
    expect(receipts(s)).toEqual([]);
    expect(applications(s)).toEqual([]);
    expect(s.books.sageSql('SELECT Balance FROM tarInvoice WHERE TranID = ?', '0000005001-IN')).toEqual([{ Balance: 125_000 }]);
    expect(new ArConfirmationFile(join(s.books.dir, 'data')).pending()).toEqual([]);
    const [record] = s.books.ledgerSql<{ state: string; body: string }>('SELECT state, body FROM documents WHERE doc_key = ?', `${issued.invoice.id}:paid`);
    expect(record?.state).toBe('written');
    expect((JSON.parse(record!.body) as { description: string }).description).toContain(
      `names Sage invoice 0000005001-IN, but it was paid in Stripe by ${charge.id}, already booked in GL on ${chargeDay}. This journal books the sale in GL as without AR payments; apply the payment to 0000005001-IN in Sage by hand with a credit memo`,
    );

    // Exact: Sage's clearing is Stripe's balance, nothing left unexplained.
    const proof = JSON.parse((await cli(['report', 'balance', '--json', '--config', s.books.configPath])).out) as BalanceProof;
    expect(proof, JSON.stringify(proof.items.slice(0, 3))).toMatchObject({ holds: true, exact: true, items: [] });

    // Nothing more however often the sync runs.
    await syncAgain(s);
    expect(journalRows(s, `${issued.invoice.id}:paid`)).toHaveLength(2);
    expect(receipts(s)).toEqual([]);
  }, 120_000);
});
