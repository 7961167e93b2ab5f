import { get as httpGet } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import type { StripeBalanceTransaction, StripeCharge, StripeInvoice } from '../../main/core/stripe/objects.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import { paymentIntentMetadata } from '../../main/simulators/stripe/payment-intent-shapes.js';
import { PRODUCT_METADATA } from '../../main/simulators/stripe/product-catalogue.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Rules on PaymentIntent metadata and on Product metadata, end to end: the Stripe simulator
 * over HTTP (charges listed with their PaymentIntents expanded, the product catalogue listed
 * once), the engine with the rules from the config, the Sage 500 sandbox. Which account each
 * journal must use is worked out here from the simulator's own data (the PaymentIntent's
 * checkout channel, the products on each invoice's lines), and the amounts from its balance
 * transactions and invoice totals; then compared with the rows Sage holds.
 */

const RULES = [
  {
    name: 'Phone orders',
    when: [{ field: 'objectKind', in: ['charge'] }, { field: 'metadata', on: 'payment_intent', key: 'channel', op: 'equals', value: 'phone' }],
    then: [{ action: 'account', role: 'revenue', account: '4040-00' }],
  },
  {
    name: 'Rentals division',
    when: [{ field: 'objectKind', in: ['invoice'] }, { field: 'metadata', on: 'product', key: 'division', op: 'equals', value: 'rentals' }],
    then: [{ action: 'account', role: 'revenue', account: '4050-00' }],
  },
];

/** One GET on a fresh connection (a pooled keep-alive socket the simulator already closed would be reset). */
function getText(url: string, apiKey: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { headers: { Authorization: `Bearer ${apiKey}` }, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
  });
}

describe('business rules on PaymentIntent and Product metadata, through the simulator into the Sage 500 sandbox', () => {
  let books: SimulatedBooks;

  beforeAll(async () => {
    books = await openBooks({ seed: 11, days: 12, config: { mapping: { rules: RULES } } }, 's5sync-rules-related-');
    const sage = new Database(books.sandboxPath);
    try {
      const like = sage.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get('400000') as Record<string, unknown>;
      for (const acctNo of ['404000', '405000']) {
        const row = { ...like, GLAcctKey: nextSurrogateKey(sage, 'tglAccount'), GLAcctNo: acctNo, Description: `Sales ${acctNo}` };
        sage.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
      }
    } finally {
      sage.close();
    }
    const summary = await books.sync();
    expect(summary.outcome).not.toBe('failed');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  const journalRows = (where: string, value: string) =>
    books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
      `SELECT a.GLAcctNo, d.PostAmt FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
        WHERE x.SageTable = 'tglJournalHdr' AND ${where} = ?`,
      value,
    );
  const sum = (rows: { GLAcctNo: string; PostAmt: number }[], acctNo: string) => rows.filter((row) => row.GLAcctNo === acctNo).reduce((total, row) => total + row.PostAmt, 0);

  it('books a charge whose PaymentIntent says channel "phone" on 4040-00 with its gross, the others on 4000-00', () => {
    const transactions = new Map(books.simulator.objects('balance_transaction').map((bt: StripeBalanceTransaction) => [bt.id, bt]));
    const invoicePaymentIntents = new Set(books.simulator.objects('invoice_payment').map((payment) => payment.payment.payment_intent));
    const seen = { phone: 0, other: 0 };
    for (const charge of books.simulator.objects('charge') as readonly StripeCharge[]) {
      if (charge.status !== 'succeeded' || typeof charge.balance_transaction !== 'string' || invoicePaymentIntents.has(charge.payment_intent ?? '')) continue;
      const bt = transactions.get(charge.balance_transaction)!;
      const rows = journalRows('x.DocKey', `${charge.id}:${bt.id}`);
      const phone = paymentIntentMetadata(charge.payment_intent!).channel === 'phone';
      // Sandbox money columns are integer thousandths; USD cents are tens of them.
      expect(-sum(rows, phone ? '404000' : '400000'), charge.id).toBe(bt.amount * 10);
      expect(sum(rows, phone ? '400000' : '404000') + 0, charge.id).toBe(0);
      expect(sum(rows, '105000'), charge.id).toBe(bt.net * 10);
      seen[phone ? 'phone' : 'other'] += 1;
    }
    expect(seen.phone).toBeGreaterThan(0);
    expect(seen.other).toBeGreaterThan(0);
  });

  it('books the revenue of each rentals line of an invoice on 4050-00 and its other lines on 4000-00; shipping follows only an all-rentals invoice', async () => {
    const seen = { rentals: 0, mixed: 0, other: 0 };
    for (const invoice of books.simulator.objects('invoice') as readonly StripeInvoice[]) {
      const rows = journalRows('x.StripeObjectID', invoice.id);
      if (rows.length === 0) continue;
      // An invoice embeds its first 10 lines; the rest are read as the engine reads them.
      const lines = (JSON.parse(await getText(`${books.simulator.url}/v1/invoices/${invoice.id}/lines?limit=100`, books.simulator.apiKey)) as StripeInvoice['lines']).data;
      // What each line earned, from Stripe's fields: its amount less discounts, credit grants and tax included in its price.
      const earned = (line: StripeInvoice['lines']['data'][number]) =>
        line.amount -
        (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0) -
        (line.pretax_credit_amounts ?? []).filter((entry) => entry.type !== 'discount').reduce((sum, entry) => sum + entry.amount, 0) -
        (line.taxes ?? []).filter((entry) => entry.tax_behavior === 'inclusive').reduce((sum, entry) => sum + entry.amount, 0);
      const isRentals = (line: StripeInvoice['lines']['data'][number]) => PRODUCT_METADATA[line.pricing?.price_details?.product ?? '']?.division === 'rentals';
      const rentals = lines.filter(isRentals).reduce((sum, line) => sum + earned(line), 0);
      const others = lines.filter((line) => !isRentals(line)).reduce((sum, line) => sum + earned(line), 0);
      const shipping = invoice.shipping_cost ? invoice.shipping_cost.amount_total - invoice.shipping_cost.amount_tax : (invoice.amount_shipping ?? 0);
      const allRentals = lines.every(isRentals);
      const kind = allRentals ? 'rentals' : lines.some(isRentals) ? 'mixed' : 'other';
      expect(-sum(rows, '405000') + 0, invoice.id).toBe((rentals + (allRentals ? shipping : 0)) * 10);
      expect(-sum(rows, '400000') + 0, invoice.id).toBe((others + (allRentals ? 0 : shipping)) * 10);
      seen[kind] += 1;
    }
    expect(seen.rentals).toBeGreaterThan(0);
    expect(seen.mixed).toBeGreaterThan(0);
    expect(seen.other).toBeGreaterThan(0);
    expect(books.sageSql('SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0')).toEqual([]);
  });

  it('reads PaymentIntents inside the charge lists and the product catalogue once: no request per object', async () => {
    await books.sync();
    const routes = [...books.simulator.requestCounts.entries()];
    expect(routes.filter(([route]) => route.includes('payment_intents'))).toEqual([]);
    expect(books.simulator.requestCounts.get('GET /v1/products')).toBe(1);
  });

  it('names the PaymentIntent metadata in s5sync rules test', async () => {
    const charge = (books.simulator.objects('charge') as readonly StripeCharge[]).find(
      (entry) => entry.status === 'succeeded' && entry.payment_intent !== null && paymentIntentMetadata(entry.payment_intent).channel === 'phone',
    )!;
    const lines: string[] = [];
    expect(await main(['rules', 'test', '--object', charge.id, '--config', books.configPath], (line) => lines.push(line))).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('payment_intent metadata channel="phone"');
    expect(text).toContain('1. "Phone orders": FIRES');
    expect(text).toMatch(/yes {2}PaymentIntent metadata "channel" equals "phone"/);
  });
});
