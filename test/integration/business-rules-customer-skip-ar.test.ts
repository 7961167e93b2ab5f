import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { keyCashReceiptByHand, postInvoiceInSage } from '../adapters/sage-hand-keyed-ar.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * A skip rule on a customer with AR payments on (unmatched payments on account): the payer is
 * kept out of Sage by the rule, so a payment of theirs that names no invoice must not become an
 * on-account receipt of their Sage customer; it is booked in GL (clearing and revenue) instead.
 * The same payment from a customer no rule skips goes on account, as the mapping says.
 */

const AR_ON = { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'on-account' } };
const RULE = { name: 'Test customers', when: [{ field: 'objectKind', in: ['customer'] }, { field: 'metadata', on: 'object', key: 'test', op: 'equals', value: 'true' }], then: [{ action: 'skip' }] };

describe('a payment from a customer a rule skips, with AR payments on', () => {
  let books: SimulatedBooks;
  afterAll(async () => books?.close());

  const cli = async (args: string[]) => {
    const lines: string[] = [];
    const code = await main([...args, '--config', books.configPath], (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  };
  const sync = async () => {
    books.simulator.advanceSeconds(120, { generate: false });
    expect((await books.sync()).outcome).not.toBe('failed');
  };

  it('stays in GL instead of going on the customer’s Sage account', async () => {
    books = await openBooks({ seed: 21, days: 2, balanceActivity: false, config: { mapping: AR_ON } }, 's5sync-rules-skip-ar-');
    expect((await books.sync()).outcome).not.toBe('failed');
    const [tester, regular] = books.sageSql<{ StripeObjectID: string; SageNumber: string }>(
      "SELECT StripeObjectID, SageNumber FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:customer' ORDER BY DocKey LIMIT 2",
    ) as [{ StripeObjectID: string; SageNumber: string }, { StripeObjectID: string; SageNumber: string }];
    // The partner proved the site's cash receipt (docs/sage-setup.md).
    const raw = new Database(books.sandboxPath);
    let batchNo: number;
    try {
      batchNo = keyCashReceiptByHand(raw, regular.SageNumber, postInvoiceInSage(raw, regular.SageNumber, 4999, '40.00'), '40.00').batchNo;
    } finally {
      raw.close();
    }
    expect((await cli(['capture', 'cash-receipt', String(batchNo)])).code).toBe(0);
    expect((await cli(['check', '--rehearse'])).out).toMatch(/PASS.*AR cash receipt in a pending batch/);

    // The bookkeeper marks one customer as a test customer in Stripe and adds the rule.
    const marked = await fetch(`${books.simulator.apiBase}/v1/customers/${tester.StripeObjectID}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${books.simulator.apiKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'metadata[test]=true',
    });
    expect(marked.status).toBe(200);
    const config = JSON.parse(readFileSync(books.configPath, 'utf8')) as { mapping: Record<string, unknown> };
    writeFileSync(books.configPath, JSON.stringify({ ...config, mapping: { ...config.mapping, rules: [RULE] } }));
    await sync();

    const pay = (customer: string, amount: number) => {
      books.simulator.advanceSeconds(60, { generate: false });
      return books.simulator.referencedPayments.pay(books.simulator.now(), { customer: books.simulator.object('customer', customer)!, amount, description: 'Deposit', metadata: {} });
    };
    const fromTester = pay(tester.StripeObjectID, 3_333);
    const fromRegular = pay(regular.StripeObjectID, 4_444);
    await sync();

    const receipts = books.sageSql<{ CustID: string; TranAmt: number; TranCmnt: string }>(
      "SELECT c.CustID, p.TranAmt, p.TranCmnt FROM tarPendCustPmt p JOIN tarCustomer c ON c.CustKey = p.CustKey WHERE p.CreateUserID = 'stripe' ORDER BY p.TranCmnt",
    );
    expect(receipts).toEqual([{ CustID: regular.SageNumber, TranAmt: 44_440, TranCmnt: `Stripe ${fromRegular.id}` }]);
    const bt = books.simulator.object('balance_transaction', fromTester.balance_transaction as string)!;
    const lines = books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
      'SELECT a.GLAcctNo, d.PostAmt FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE d.PostCmnt LIKE ? ORDER BY d.EntryNo',
      `${fromTester.id}%`,
    );
    // Sandbox money columns are integer thousandths; USD cents are tens of them.
    expect(lines.filter((line) => line.GLAcctNo === '400000')).toEqual([{ GLAcctNo: '400000', PostAmt: -bt.amount * 10 }]);
    expect(lines.filter((line) => line.GLAcctNo === '105000').reduce((sum, line) => sum + line.PostAmt, 0)).toBe(bt.net * 10);
  }, 180_000);
});
