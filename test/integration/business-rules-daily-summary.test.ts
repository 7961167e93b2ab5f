import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { getObjectDetail } from '../../main/app/activity-queries.js';
import { main } from '../../main/cli/s5sync.js';
import type { StripeBalanceTransaction, StripeCharge } from '../../main/core/stripe/objects.js';
import { nextSurrogateKey } from '../../main/simulators/sage-sandbox/procedures/surrogate-key.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Rules under granularity daily-summary: a summary journal adds a day's charges up per
 * account, so the rule that sent EUR sales to 4030-00 must still (1) land the EUR charges'
 * gross on 4030-00 in the summary Sage holds, and (2) be explained per charge in `s5sync
 * preview <charge>` and in the Activity detail of that charge. The expected credit on 4030-00
 * is added up here from the simulator's own charges and balance transactions.
 */

const RULES = [
  { name: 'EU web shop', when: [{ field: 'objectKind', in: ['charge'] }, { field: 'presentmentCurrency', in: ['eur'] }], then: [{ action: 'account', role: 'revenue', account: '4030-00' }] },
];

interface SummaryPartBody {
  key: string;
  stripeObjectId: string;
}

describe('business rules in daily-summary journals', () => {
  let books: SimulatedBooks;

  beforeAll(async () => {
    books = await openBooks({ seed: 11, days: 12, config: { mapping: { granularity: 'daily-summary', rules: RULES } } }, 's5sync-rules-daily-');
    const sage = new Database(books.sandboxPath);
    try {
      const like = sage.prepare('SELECT * FROM tglAccount WHERE GLAcctNo = ?').get('400000') as Record<string, unknown>;
      const row = { ...like, GLAcctKey: nextSurrogateKey(sage, 'tglAccount'), GLAcctNo: '403000', Description: 'EU sales 4030-00' };
      sage.prepare(`INSERT INTO tglAccount (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((key) => `@${key}`).join(', ')})`).run(row);
    } finally {
      sage.close();
    }
    const summary = await books.sync();
    expect(summary.outcome).not.toBe('failed');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  /** The written daily charge summaries and the Stripe objects each adds up (from the ledger's record of the summary). */
  function writtenChargeSummaries(): { docKey: string; objectIds: string[] }[] {
    return books
      .ledgerSql<{ doc_key: string; body: string }>(`SELECT doc_key, body FROM documents WHERE doc_key LIKE 'daily:charges:%' AND state = 'written'`)
      .map((row) => ({ docKey: row.doc_key, objectIds: (JSON.parse(row.body) as { summary: { parts: SummaryPartBody[] } }).summary.parts.map((part) => part.stripeObjectId) }));
  }

  it('credits each summary’s EUR sales to 4030-00 with the sum of their gross, and nothing else goes there', () => {
    const charges = new Map(books.simulator.objects('charge').map((charge: StripeCharge) => [charge.id, charge]));
    const transactions = new Map(books.simulator.objects('balance_transaction').map((bt: StripeBalanceTransaction) => [bt.id, bt]));
    // A charge that pays an invoice credits the receivable, not revenue: its PaymentIntent is named by an invoice payment.
    const invoicePaymentIntents = new Set(books.simulator.objects('invoice_payment').map((payment) => payment.payment.payment_intent));
    const summaries = writtenChargeSummaries();
    expect(summaries.length).toBeGreaterThan(0);
    let eurCharges = 0;
    for (const summary of summaries) {
      let expected = 0;
      for (const id of summary.objectIds) {
        const charge = charges.get(id)!;
        if (charge.currency !== 'eur' || invoicePaymentIntents.has(charge.payment_intent ?? '')) continue;
        expected += transactions.get(String(charge.balance_transaction))!.amount;
        eurCharges += 1;
      }
      const rows = books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
        `SELECT a.GLAcctNo, d.PostAmt FROM tciStripeXref_STRIPE x JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
          WHERE x.SageTable = 'tglJournalHdr' AND x.DocKey = ?`,
        summary.docKey,
      );
      const onEu = rows.filter((row) => row.GLAcctNo === '403000').reduce((sum, row) => sum + row.PostAmt, 0);
      // Sandbox money columns are integer thousandths; USD cents are tens of them.
      expect(-onEu + 0, summary.docKey).toBe(expected * 10);
      expect(rows.reduce((sum, row) => sum + row.PostAmt, 0), summary.docKey).toBe(0);
    }
    expect(eurCharges).toBeGreaterThan(0);
  });

  it('explains the rule per charge in s5sync preview and the Activity detail, naming only that charge’s part', async () => {
    const charges = new Map(books.simulator.objects('charge').map((charge: StripeCharge) => [charge.id, charge]));
    const summary = writtenChargeSummaries().find((entry) => entry.objectIds.some((id) => charges.get(id)?.currency === 'eur') && entry.objectIds.length > 1)!;
    const eur = charges.get(summary.objectIds.find((id) => charges.get(id)?.currency === 'eur')!)!;
    const other = summary.objectIds.find((id) => id !== eur.id)!;
    const explained = `${eur.id} (${eur.id}:${String(eur.balance_transaction)}): rule "EU web shop" set revenue to 4030-00`;

    const lines: string[] = [];
    expect(await main(['preview', eur.id, '--config', books.configPath], (line) => lines.push(line))).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain(summary.docKey);
    expect(text).toContain(explained);
    expect(text).not.toContain(`${other} (`);

    const ledger = new SqliteLedger(join(books.dir, 'data', 'ledger.sqlite'));
    try {
      const detail = getObjectDetail(ledger, eur.id, { timeZone: 'America/Chicago', dashboardLinks: false })!;
      const journal = detail.plan.find((document) => document.docKey === summary.docKey)!;
      expect(journal.rules).toEqual([explained]);
      const usd = summary.objectIds.find((id) => charges.get(id)?.currency === 'usd');
      if (usd) expect(getObjectDetail(ledger, usd, { timeZone: 'America/Chicago', dashboardLinks: false })!.plan.find((document) => document.docKey === summary.docKey)!.rules).toBeUndefined();
    } finally {
      ledger.close();
    }
  });
});
