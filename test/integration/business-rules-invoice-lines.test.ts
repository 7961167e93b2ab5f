import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import type { StripeCharge, StripeCreditNote, StripeCustomer, StripeInvoice } from '../../main/core/stripe/objects.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * docs/posting-rules.md, "Example: two divisions on one invoice", end to end: the rules as
 * the page prints them, the invoice made in the Stripe simulator with the page's two lines,
 * shipping and tax, paid by card, synced over HTTP into the Sage 500 sandbox. The rows Sage
 * holds are compared with the page's table, worked out by hand (account, amount, date,
 * comment), and `s5sync preview` and `s5sync rules test --object` must name the lines.
 */

const DOC = readFileSync(new URL('../../docs/posting-rules.md', import.meta.url), 'utf8');
const SECTION = DOC.slice(DOC.indexOf('#### Example: two divisions on one invoice'));
const RULES: unknown = JSON.parse(/```json\n([\s\S]*?)```/.exec(SECTION)![1]!);
/** The page's rules and one on the rental gear's refunds, for the credit note on line 1 (docs: "Credit notes are read by line too"). */
const RENTAL_REFUNDS = { name: 'Rental refunds', when: [{ field: 'product', in: ['prod_RentalGear000001'] }], then: [{ action: 'account', role: 'refunds', account: '4950-00' }] };


/** 2026-03-10 10:00 in America/Chicago, as the docs' examples. */
const PAID_DAY = 1_773_154_800;
const KAYAK = 'prod_RentalGear000001';
const SERVICE = 'prod_Service00000001';

describe('two divisions on one invoice, through the simulator into the Sage 500 sandbox', () => {
  let books: SimulatedBooks;
  let invoice: StripeInvoice;
  let payment: StripeCharge;
  let credit: StripeCreditNote;

  beforeAll(async () => {
    books = await openBooks({ seed: 31, days: 2, now: PAID_DAY - 120, config: { mapping: { rules: [...(RULES as unknown[]), RENTAL_REFUNDS] } } }, 's5sync-invoice-lines-');
    const sage = new Database(books.sandboxPath);
    try {
      const like = sage.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get('400000') as Record<string, unknown>;
      for (const acctNo of ['405030', '400040', '495000']) {
        const row = { ...like, GLAcctKey: nextSurrogateKey(sage, 'tglAccount'), GLAcctNo: acctNo, Description: `Sales ${acctNo}` };
        sage.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
      }
    } finally {
      sage.close();
    }
    const { simulator } = books;
    simulator.createProduct('Kayak rental', { division: 'rentals' }, KAYAK);
    simulator.createProduct('Tune-up & maintenance', { division: 'service' }, SERVICE);
    expect((await books.sync()).outcome).not.toBe('failed');

    // A customer without a Stripe balance, so the whole total is charged to the card.
    const customer = (simulator.objects('customer') as readonly StripeCustomer[]).find((entry) => simulator.billing.balanceOf(entry.id) === 0)!;
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), customer, {
      number: 'NWB-000123',
      lines: [
        { description: 'Kayak rental (2 days)', amount: 8_000, product: KAYAK },
        { description: 'Tune-up & maintenance', amount: 4_500, product: SERVICE, taxed: true },
      ],
      shipping: { amount: 1_000, taxed: false },
    });
    simulator.advanceSeconds(30, { generate: false });
    payment = simulator.billing.pay(simulator.now(), issued, customer)!;
    invoice = issued.invoice;
    simulator.advanceSeconds(30, { generate: false });
    expect((await books.sync()).outcome).not.toBe('failed');

    // A credit note after payment for the kayak line and a custom goodwill line, refunded to the card: 85.00.
    simulator.advanceSeconds(60, { generate: false });
    credit = simulator.billing.creditAfterPayment(simulator.now(), invoice, payment, 8_500, 0, [
      { invoiceLine: invoice.lines.data[0]!.id, description: 'Kayak rental (2 days)', amount: 8_000, tax: 0 },
      { invoiceLine: null, description: 'Goodwill', amount: 500, tax: 0 },
    ]);
    simulator.advanceSeconds(30, { generate: false });
    expect((await books.sync()).outcome).not.toBe('failed');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  const glRows = (stripeObjectId: string) =>
    books.sageSql<{ GLAcctNo: string; PostAmt: number; TranDate: string; PostCmnt: string }>(
      `SELECT a.GLAcctNo, d.PostAmt, substr(d.TranDate, 1, 10) AS TranDate, d.PostCmnt
         FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
        WHERE x.SageTable = 'tglJournalHdr' AND x.StripeObjectID = ? ORDER BY d.EntryNo`,
      stripeObjectId,
    );

  it('the invoice is the one the docs describe (total 138.71)', () => {
    expect(invoice.total).toBe(13_871);
    expect(payment.amount).toBe(13_871);
  });

  it('books each line on its division: rental gear on 4050-30 with its comment, the service line on 4000-40, shipping on 4000-00', () => {
    // Sandbox money columns are integer thousandths: 138.71 is 138710.
    const rows = glRows(invoice.id);
    expect(rows.map(({ GLAcctNo, PostAmt, TranDate }) => [GLAcctNo, PostAmt, TranDate])).toEqual([
      ['120000', 138_710, '2026-03-10'],
      ['405030', -80_000, '2026-03-10'],
      ['400040', -45_000, '2026-03-10'],
      ['400000', -10_000, '2026-03-10'],
      ['220000', -3_710, '2026-03-10'],
    ]);
    expect(rows[1]!.PostCmnt).toMatch(/^RENT /);
    expect(rows.filter((row) => row.PostCmnt.startsWith('RENT'))).toHaveLength(1);
  });

  it('books the card payment as without rules: clearing, receivable and the fee', () => {
    expect(glRows(payment.id).map(({ GLAcctNo, PostAmt, TranDate }) => [GLAcctNo, PostAmt, TranDate])).toEqual([
      ['105000', 134_390, '2026-03-10'],
      ['120000', -138_710, '2026-03-10'],
      ['615000', 4_320, '2026-03-10'],
    ]);
  });

  it('the credit note takes the kayak line back on the rental gear’s refunds account, its custom line on the mapped refunds account', () => {
    expect(credit.lines!.data.map((line) => [line.type, line.invoice_line_item ?? null])).toEqual([
      ['invoice_line_item', invoice.lines.data[0]!.id],
      ['custom_line_item', null],
    ]);
    expect(glRows(credit.id).map(({ GLAcctNo, PostAmt, TranDate }) => [GLAcctNo, PostAmt, TranDate])).toEqual([
      ['495000', 80_000, '2026-03-10'],
      ['490000', 5_000, '2026-03-10'],
      ['120000', -85_000, '2026-03-10'],
    ]);
  });

  it('s5sync preview and rules test --object name the lines each rule acted on', async () => {
    const preview: string[] = [];
    expect(await main(['preview', invoice.id, '--config', books.configPath], (line) => preview.push(line))).toBe(0);
    const shown = preview.join('\n');
    expect(shown).toContain('rule "Rental gear" set revenue to 4050-00 on line 1 "Kayak rental (2 days)"');
    expect(shown).toContain('set segment 2 of revenue to 40 (metadata "service"): 4000-40 on line 2 "Tune-up & maintenance"');

    const tested: string[] = [];
    expect(await main(['rules', 'test', '--object', invoice.id, '--config', books.configPath], (line) => tested.push(line))).toBe(0);
    const text = tested.join('\n');
    expect(text).toContain('1. "Rental gear": FIRES on line 1 "Kayak rental (2 days)" (1 of 2 lines)');
    expect(text).toContain('2. "Division segment": FIRES');
    expect(text).toContain(`line 1 "Kayak rental (2 days)": product ${KAYAK}, price price_RentalGear000001, product metadata division="rentals"`);
  });
});
