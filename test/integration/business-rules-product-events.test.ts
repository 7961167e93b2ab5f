import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeCustomer } from '../../main/core/stripe/objects.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * The product catalogue the rules read is kept current by Stripe's product events: after the
 * first run lists the products once, a Dashboard edit (`product.updated`) or a new product
 * (`product.created`) reaches the ledger through the event poll over HTTP, and the next
 * invoice is booked by the product's new metadata. Each invoice here is made by hand with one
 * line of 22.50 USD (no tax), so its revenue row is -22.500 on the account the test names.
 */

const RULES = [
  {
    name: 'Rentals division',
    when: [
      { field: 'objectKind', in: ['invoice'] },
      { field: 'metadata', on: 'product', key: 'division', op: 'equals', value: 'rentals' },
    ],
    then: [{ action: 'account', role: 'revenue', account: '4050-00' }],
  },
];

const MAINTENANCE = 'prod_SimMaintenance01';

describe('product events change the product metadata the rules see', () => {
  let books: SimulatedBooks;
  let customer: StripeCustomer;

  beforeAll(async () => {
    books = await openBooks({ seed: 23, days: 4, config: { mapping: { rules: RULES } } }, 's5sync-product-events-');
    const sage = new Database(books.sandboxPath);
    try {
      const like = sage.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get('400000') as Record<string, unknown>;
      const row = { ...like, GLAcctKey: nextSurrogateKey(sage, 'tglAccount'), GLAcctNo: '405000', Description: 'Sales, rentals' };
      sage.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
    } finally {
      sage.close();
    }
    customer = books.simulator.objects('customer')[0]!;
    expect((await books.sync()).outcome).not.toBe('failed');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  /** Invoices one line of `product` for 22.50 and pays it by card, a minute later on the simulated clock. */
  const invoiceFor = (product: string): string => {
    const { simulator } = books;
    simulator.advanceSeconds(60, { generate: false });
    const issued = simulator.billing.finalise(simulator.now(), customer, { lines: [{ description: 'Service line', amount: 2250, product }] });
    simulator.advanceSeconds(30, { generate: false });
    expect(simulator.billing.pay(simulator.now(), issued, customer)).not.toBeNull();
    simulator.advanceSeconds(30, { generate: false });
    return issued.invoice.id;
  };

  const revenueRows = (invoiceId: string) =>
    books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
      `SELECT a.GLAcctNo, d.PostAmt FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
        WHERE x.SageTable = 'tglJournalHdr' AND x.StripeObjectID = ? AND d.PostAmt < 0 ORDER BY a.GLAcctNo`,
      invoiceId,
    );

  it('books a maintenance invoice on sales before the edit, on the rentals account after product.updated adds division "rentals"', async () => {
    const before = invoiceFor(MAINTENANCE);
    expect((await books.sync()).outcome).not.toBe('failed');
    expect(revenueRows(before)).toEqual([{ GLAcctNo: '400000', PostAmt: -22500 }]);

    books.simulator.advanceSeconds(60, { generate: false });
    books.simulator.updateProduct(MAINTENANCE, { metadata: { division: 'rentals' } });
    const after = invoiceFor(MAINTENANCE);
    expect((await books.sync()).outcome).not.toBe('failed');
    expect(revenueRows(after)).toEqual([{ GLAcctNo: '405000', PostAmt: -22500 }]);
    // What is written stays: the earlier invoice is not booked again.
    expect(revenueRows(before)).toEqual([{ GLAcctNo: '400000', PostAmt: -22500 }]);
  });

  it('books an invoice for a product created after the first run by the metadata of its product.created event', async () => {
    const storage = books.simulator.createProduct('Kayak storage', { division: 'rentals' });
    const invoice = invoiceFor(storage.id);
    expect((await books.sync()).outcome).not.toBe('failed');
    expect(revenueRows(invoice)).toEqual([{ GLAcctNo: '405000', PostAmt: -22500 }]);
  });

  it('goes back to sales when an edit removes the key, leaving the invoices already written where they are', async () => {
    books.simulator.advanceSeconds(60, { generate: false });
    books.simulator.updateProduct(MAINTENANCE, { metadata: { division: '' } });
    const invoice = invoiceFor(MAINTENANCE);
    expect((await books.sync()).outcome).not.toBe('failed');
    expect(revenueRows(invoice)).toEqual([{ GLAcctNo: '400000', PostAmt: -22500 }]);
  });

  it('learnt every change from the events: the product list was read once, on the first run', () => {
    expect(books.simulator.requestCounts.get('GET /v1/products')).toBe(1);
    expect(books.ledgerSql<{ n: number }>("SELECT COUNT(*) AS n FROM related_objects WHERE kind = 'product'")[0]!.n).toBe(6);
  });
});
