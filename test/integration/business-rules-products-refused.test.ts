import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { StripeInvoice } from '../../main/core/stripe/objects.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * A restricted key without Read on Products (an older key, made before rules read product
 * metadata): the product catalogue list is refused with Stripe's 403, and that must cost only
 * the product rules. The run succeeds and books every invoice on the mapping's accounts, the
 * refusal is recorded, the list is not asked again on every poll, and is tried again a day later.
 */

const RULES = [
  {
    name: 'Rentals division',
    when: [{ field: 'objectKind', in: ['invoice'] }, { field: 'metadata', on: 'product', key: 'division', op: 'equals', value: 'rentals' }],
    then: [{ action: 'account', role: 'revenue', account: '4050-00' }],
  },
];

describe('a restricted key without Read on Products', () => {
  let books: SimulatedBooks;
  afterAll(async () => books?.close());

  it('books everything without the product rules, and asks for products again only a day later', async () => {
    books = await openBooks({ seed: 11, days: 6, config: { mapping: { rules: RULES } } }, 's5sync-rules-products-refused-');
    // Assembled here so no key-shaped text sits in the source.
    const restricted = ['rk', 'test', 'noProducts0001'].join('_');
    books.simulator.restrictKey(restricted, ['rak_product_read']);
    const config = JSON.parse(readFileSync(books.configPath, 'utf8')) as { stripe: Record<string, unknown> };
    writeFileSync(books.configPath, JSON.stringify({ ...config, stripe: { ...config.stripe, apiKey: restricted } }));

    const summary = await books.sync();
    expect(summary.outcome).toBe('succeeded');
    const paid = (books.simulator.objects('invoice') as readonly StripeInvoice[]).filter((invoice) => invoice.status === 'paid' && invoice.total > 0);
    expect(paid.length).toBeGreaterThan(0);
    const revenue = books.sageSql<{ GLAcctNo: string }>(
      `SELECT DISTINCT a.GLAcctNo FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
        WHERE x.StripeObjectID LIKE 'in_%' AND d.PostAmt < 0`,
    );
    expect(revenue.map((row) => row.GLAcctNo)).toContain('400000');
    expect(revenue.map((row) => row.GLAcctNo)).not.toContain('405000');
    expect(books.ledgerSql<{ value: string }>("SELECT value FROM cursors WHERE name = 'products:listed-at'")[0]!.value).toMatch(/^refused:\d+$/);
    expect(books.simulator.requestCounts.get('GET /v1/products')).toBe(1);

    books.simulator.advanceSeconds(3_600, { generate: false });
    expect((await books.sync()).outcome).toBe('succeeded');
    expect(books.simulator.requestCounts.get('GET /v1/products')).toBe(1);

    books.simulator.advanceSeconds(86_400, { generate: false });
    expect((await books.sync()).outcome).toBe('succeeded');
    expect(books.simulator.requestCounts.get('GET /v1/products')).toBe(2);
  }, 180_000);
});
