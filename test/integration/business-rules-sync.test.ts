import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import type { StripeCharge, StripeCustomer } from '../../main/core/stripe/objects.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Business rules end to end: the Stripe simulator over HTTP, the engine with rules from the
 * config file, and the Sage 500 sandbox. The expected account of every charge's journal is
 * worked out here from the simulator's own objects (currency, description, customer
 * metadata), then compared with the rows Sage holds (tglJournalDetl ⋈ tglAccount).
 */

const RULES = [
  { name: 'EU web shop', when: [{ field: 'objectKind', in: ['charge'] }, { field: 'presentmentCurrency', in: ['eur'] }], then: [{ action: 'account', role: 'revenue', account: '4030-00' }] },
  { name: 'Rentals', when: [{ field: 'objectKind', in: ['charge'] }, { field: 'description', op: 'pattern', value: '*rental*' }], then: [{ action: 'account', role: 'revenue', account: '4020-00' }] },
  {
    name: 'Wholesale division',
    when: [{ field: 'objectKind', in: ['charge', 'refund'] }],
    then: [{ action: 'segment', roles: ['revenue', 'refunds', 'fees'], segment: 2, from: { on: 'customer', key: 'segment' }, values: { wholesale: '20' }, default: '00' }],
  },
  { name: 'Web orders', when: [{ field: 'metadata', on: 'charge', key: 'order_id', op: 'exists' }], then: [{ action: 'comment', text: 'WEB' }] },
];

/** Accounts the rules book on, added to the sandbox chart as a Sage user would (unmasked, like the seed). */
const NEW_ACCOUNTS: Record<string, string> = {
  '4000-20': '400000',
  '4020-00': '400000',
  '4020-20': '400000',
  '4030-00': '400000',
  '4030-20': '400000',
  '4900-20': '490000',
  '6150-20': '615000',
  '6155-20': '615500',
};

describe('business rules through the simulator into the Sage 500 sandbox', () => {
  let books: SimulatedBooks;

  beforeAll(async () => {
    books = await openBooks({ seed: 11, days: 12, config: { mapping: { rules: RULES } } }, 's5sync-rules-');
    const sage = new Database(books.sandboxPath);
    try {
      for (const [acctNo, likeAcctNo] of Object.entries(NEW_ACCOUNTS)) {
        const like = sage.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get(likeAcctNo) as Record<string, unknown>;
        const row = { ...like, GLAcctKey: nextSurrogateKey(sage, 'tglAccount'), GLAcctNo: acctNo.replace('-', ''), Description: `${String(like.Description)} ${acctNo}` };
        sage.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
      }
    } finally {
      sage.close();
    }
  }, 60_000);

  afterAll(async () => {
    await books.close();
  });

  it('books each charge on the account and segment its rules give, with the rule comment, and every journal balances', async () => {
    const summary = await books.sync();
    expect(summary.outcome).not.toBe('failed');
    const customers = new Map(books.simulator.objects('customer').map((customer: StripeCustomer) => [customer.id, customer]));
    const charges = books.simulator.objects('charge').filter((charge: StripeCharge) => charge.status === 'succeeded' && typeof charge.balance_transaction === 'string');
    const rows = books.sageSql<{ DocKey: string; StripeObjectID: string; GLAcctNo: string; PostAmt: number; PostCmnt: string }>(
      `SELECT x.DocKey, x.StripeObjectID, a.GLAcctNo, d.PostAmt, d.PostCmnt
         FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
        WHERE x.SageTable = 'tglJournalHdr'`,
    );
    const seen = { eur: 0, rental: 0, wholesale: 0, web: 0 };
    let checked = 0;
    for (const charge of charges) {
      const lines = rows.filter((row) => row.DocKey === `${charge.id}:${String(charge.balance_transaction)}`);
      expect(lines.length, charge.id).toBeGreaterThan(0);
      const credit = lines.filter((row) => row.PostAmt < 0 && row.GLAcctNo !== '105000');
      // A charge that paid an invoice credits the receivable, which no rule here changes.
      if (credit.some((row) => row.GLAcctNo === '120000')) continue;
      const wholesale = charge.customer !== null && customers.get(charge.customer)?.metadata.segment === 'wholesale';
      const natural = charge.currency === 'eur' ? '4030' : /rental/i.test(charge.description ?? '') ? '4020' : '4000';
      const segment = wholesale ? '20' : '00';
      expect(credit.map((row) => row.GLAcctNo), charge.id).toEqual([`${natural}${segment}`]);
      for (const fee of lines.filter((row) => row.GLAcctNo.startsWith('61'))) expect(fee.GLAcctNo.slice(4), charge.id).toBe(segment);
      const web = charge.metadata.order_id !== undefined;
      for (const line of lines) expect(line.PostCmnt.startsWith('WEB '), charge.id).toBe(web);
      seen.eur += Number(natural === '4030');
      seen.rental += Number(natural === '4020');
      seen.wholesale += Number(wholesale);
      seen.web += Number(web);
      checked += 1;
    }
    // The data exercises every rule.
    expect(checked).toBeGreaterThan(20);
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
    expect(books.sageSql('SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0')).toEqual([]);
  }, 120_000);

  it('explains the rules on a charge in s5sync rules test and s5sync preview', async () => {
    const eur = books.simulator.objects('charge').find((charge: StripeCharge) => charge.currency === 'eur' && charge.status === 'succeeded' && typeof charge.balance_transaction === 'string')!;
    const lines: string[] = [];
    expect(await main(['rules', 'test', '--object', eur.id, '--config', books.configPath], (line) => lines.push(line))).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('1. "EU web shop": FIRES');
    expect(text).toMatch(/yes {2}the customer paid in EUR/);
    expect(text).toMatch(/rule "EU web shop" set revenue to 4030-00/);

    const preview: string[] = [];
    expect(await main(['preview', eur.id, '--config', books.configPath], (line) => preview.push(line))).toBe(0);
    expect(preview.join('\n')).toMatch(/in the ledger:[\s\S]*\[written[\s\S]*rule "EU web shop" set revenue to 4030-00/);
  });
});
