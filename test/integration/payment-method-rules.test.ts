import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeBalanceTransaction, StripeCharge, StripeInvoicePayment } from '../../main/core/stripe/objects.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Business rules on the payment method, end to end: the simulator's charges carry
 * `payment_method_details` as Stripe shapes it (a card with its `brand`, or `us_bank_account`
 * for ACH debits), the rules in the config file route American Express sales and bank debits to
 * their own revenue accounts, and the Sage sandbox must hold each charge's revenue on the account
 * this test works out from the charge itself.
 */

const RULES = [
  { name: 'Amex sales', when: [{ field: 'objectKind', in: ['charge'] }, { field: 'cardBrand', in: ['amex'] }], then: [{ action: 'account', role: 'revenue', account: '4030-00' }] },
  { name: 'Bank debits', when: [{ field: 'objectKind', in: ['charge'] }, { field: 'paymentMethodType', in: ['us_bank_account'] }], then: [{ action: 'account', role: 'revenue', account: '4020-00' }] },
];

/** Accounts the rules book on, added to the sandbox chart as a Sage user would, like 4000-00. */
const NEW_ACCOUNTS = ['4020-00', '4030-00'];

type ChargeWithMethod = StripeCharge & { payment_method_details: { type: string; card?: { brand: string } } };

/** The test's own expectation: the revenue account (as Sage stores it) of a charge that pays no invoice. */
function expectedRevenue(charge: ChargeWithMethod): string {
  if (charge.payment_method_details.type === 'us_bank_account') return '402000';
  if (charge.payment_method_details.card?.brand === 'amex') return '403000';
  return '400000';
}

describe('rules on payment method type and card brand, through the simulator into the Sage sandbox', () => {
  let books: SimulatedBooks;

  beforeAll(async () => {
    books = await openBooks({ seed: 5, days: 12, config: { mapping: { rules: RULES } } }, 's5sync-method-rules-');
    const sage = new Database(books.sandboxPath);
    try {
      for (const acctNo of NEW_ACCOUNTS) {
        const like = sage.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get('400000') as Record<string, unknown>;
        const row = { ...like, GLAcctKey: nextSurrogateKey(sage, 'tglAccount'), GLAcctNo: acctNo.replace('-', ''), Description: `Sales ${acctNo}` };
        sage.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
      }
    } finally {
      sage.close();
    }
    expect((await books.sync()).outcome).toBe('succeeded');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  it('books each charge’s revenue on the account its payment method calls for', () => {
    const invoicePaymentIntents = new Set((books.simulator.objects('invoice_payment') as readonly StripeInvoicePayment[]).map((payment) => payment.payment.payment_intent));
    const transactions = new Map((books.simulator.objects('balance_transaction') as readonly StripeBalanceTransaction[]).map((bt) => [bt.id, bt]));
    const charges = (books.simulator.objects('charge') as readonly ChargeWithMethod[]).filter(
      (charge) => typeof charge.balance_transaction === 'string' && !invoicePaymentIntents.has(charge.payment_intent ?? ''),
    );
    const seen = new Set<string>();
    for (const charge of charges) {
      const bt = transactions.get(charge.balance_transaction as string)!;
      const rows = books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
        `SELECT a.GLAcctNo, d.PostAmt FROM tglJournalDetl d
         JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
         JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
         WHERE x.DocKey = ? AND a.GLAcctNo LIKE '40%'`,
        `${charge.id}:${bt.id}`,
      );
      const account = expectedRevenue(charge);
      seen.add(account);
      expect(rows, `${charge.id} (${charge.payment_method_details.type} ${charge.payment_method_details.card?.brand ?? ''})`).toEqual([{ GLAcctNo: account, PostAmt: -bt.amount * 10 }]);
    }
    expect(seen).toEqual(new Set(['400000', '402000', '403000']));
  });
});
