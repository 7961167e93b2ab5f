import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { StripeBalanceTransaction, StripeCharge, StripeCustomer } from '../../main/core/stripe/objects.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * A skip rule on customers, end to end (simulator over HTTP → engine → Sage 500 sandbox):
 * the wholesale customers the rule matches are not created in Sage and are recorded as skipped
 * by the rule; their money is still booked (each charge's journal credits revenue with the
 * gross and debits clearing with the net, worked out here from the simulator's balance
 * transactions); their sales orders are recorded as skipped by the same rule, and the other
 * customers and orders are written as usual.
 */

const RULE = 'Wholesale kept out of Sage';
const RULES = [{ name: RULE, when: [{ field: 'objectKind', in: ['customer'] }, { field: 'metadata', on: 'object', key: 'segment', op: 'equals', value: 'wholesale' }], then: [{ action: 'skip' }] }];

describe('a skip rule for customers', () => {
  let books: SimulatedBooks;
  let skipped: Set<string>;

  beforeAll(async () => {
    books = await openBooks(
      { seed: 11, days: 12, config: { mapping: { rules: RULES, salesOrders: { ...DEFAULT_MAPPING.salesOrders, enabled: true } } } },
      's5sync-rules-customers-',
    );
    const summary = await books.sync();
    expect(summary.outcome).not.toBe('failed');
    skipped = new Set(books.simulator.objects('customer').filter((customer: StripeCustomer) => customer.metadata?.segment === 'wholesale').map((customer) => customer.id));
    expect(skipped.size).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  const ledgerDocuments = (objectId: string) => books.ledgerSql<{ doc_key: string; type: string; state: string; skip_reason: string | null }>('SELECT doc_key, type, state, skip_reason FROM documents WHERE stripe_object_id = ?', objectId);

  it('records the matched customers as skipped by the rule and creates only the others in Sage', () => {
    const inSage = new Set(books.sageSql<{ StripeObjectID: string }>(`SELECT StripeObjectID FROM tciStripeXref_STRIPE WHERE SageTable = 'tarCustomer'`).map((row) => row.StripeObjectID));
    for (const id of skipped) {
      expect(inSage.has(id), id).toBe(false);
      expect(ledgerDocuments(id).filter((row) => row.type === 'customer'), id).toEqual([{ doc_key: `${id}:customer`, type: 'customer', state: 'skipped', skip_reason: `skipped by rule "${RULE}"` }]);
    }
    expect([...inSage].filter((id) => id.startsWith('cus_')).length).toBeGreaterThan(0);
    // Nothing was written back to the skipped customers' Stripe metadata.
    for (const customer of books.simulator.objects('customer').filter((entry: StripeCustomer) => skipped.has(entry.id))) expect(customer.metadata?.sage_cust_id, customer.id).toBeUndefined();
  });

  it('still books their charges: clearing gets the net and revenue the gross, and their sales orders are skipped by the rule', () => {
    const transactions = new Map(books.simulator.objects('balance_transaction').map((bt: StripeBalanceTransaction) => [bt.id, bt]));
    const invoicePaymentIntents = new Set(books.simulator.objects('invoice_payment').map((payment) => payment.payment.payment_intent));
    const charges = books.simulator
      .objects('charge')
      .filter((charge: StripeCharge) => charge.customer !== null && skipped.has(charge.customer) && charge.status === 'succeeded' && typeof charge.balance_transaction === 'string');
    expect(charges.length).toBeGreaterThan(0);
    let orders = 0;
    for (const charge of charges) {
      const bt = transactions.get(String(charge.balance_transaction))!;
      const rows = books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
        `SELECT a.GLAcctNo, d.PostAmt FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.DocKey = ?`,
        `${charge.id}:${bt.id}`,
      );
      const sum = (acct: string) => rows.filter((row) => row.GLAcctNo === acct).reduce((total, row) => total + row.PostAmt, 0);
      // Sandbox money columns are integer thousandths; USD cents are tens of them.
      expect(sum('105000'), charge.id).toBe(bt.net * 10);
      if (!invoicePaymentIntents.has(charge.payment_intent ?? '')) expect(sum('400000'), charge.id).toBe(-bt.amount * 10);
      const order = ledgerDocuments(charge.id).find((row) => row.type === 'sales_order');
      if (order) {
        expect(order, charge.id).toMatchObject({ state: 'skipped', skip_reason: `skipped by rule "${RULE}"` });
        orders += 1;
      }
    }
    expect(orders).toBeGreaterThan(0);
    const inSage = new Set(books.sageSql<{ StripeObjectID: string }>(`SELECT StripeObjectID FROM tciStripeXref_STRIPE WHERE SageTable = 'tsoSalesOrder'`).map((row) => row.StripeObjectID));
    for (const charge of charges) expect(inSage.has(charge.id), charge.id).toBe(false);
    expect(inSage.size).toBeGreaterThan(0);
    expect(books.sageSql('SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0')).toEqual([]);
  });

  it('explains the skip in s5sync preview of the customer and of a charge’s order', async () => {
    const [customer] = skipped;
    const lines: string[] = [];
    expect(await main(['preview', customer!, '--config', books.configPath], (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toContain(`rule "${RULE}" skipped: the customer is not created, matched or updated in Sage`);
    const charge = books.simulator.objects('charge').find((entry: StripeCharge) => entry.customer !== null && skipped.has(entry.customer) && ledgerDocuments(entry.id).some((row) => row.type === 'sales_order'))!;
    const order: string[] = [];
    expect(await main(['preview', charge.id, '--config', books.configPath], (line) => order.push(line))).toBe(0);
    expect(order.join('\n')).toContain(`its customer is skipped by rule "${RULE}"`);
  });
});
