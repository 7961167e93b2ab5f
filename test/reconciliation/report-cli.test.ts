import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { parseSageAmount } from '../../main/core/money/sage-amount.js';
import { REPORT_CSV_COLUMNS } from '../../main/adapters/reports/report-csv.js';
import { BANK, CLEARING, openSimulatedBooks, type PayoutBooks } from './simulated-books.js';

/**
 * `s5sync report payouts` over a synced simulator month: the CSV's amounts are Sage's own
 * tglJournalDetl lines, so its totals equal SQL sums over the same journals in the sandbox.
 */

/** RFC 4180 reader for the test: quoted fields with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  return rows;
}

describe('s5sync report payouts', () => {
  let books: PayoutBooks;
  const from = '2026-10-10';
  const to = '2026-10-25';

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: 42, days: 40, negativePayouts: true });
    expect((await books.sync()).outcome).toBe('succeeded');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  async function report(...extra: string[]): Promise<string> {
    const out: string[] = [];
    expect(await main(['report', 'payouts', '--from', from, '--to', to, ...extra, '--config', books.configPath], (text) => out.push(text))).toBe(0);
    return out.join('\n');
  }

  it('CSV totals by account equal the tglJournalDetl sums of the same journals in Sage', async () => {
    const [header, ...rows] = parseCsv(await report('--csv'));
    expect(header).toEqual([...REPORT_CSV_COLUMNS]);
    const column = (name: (typeof REPORT_CSV_COLUMNS)[number]) => REPORT_CSV_COLUMNS.indexOf(name);
    expect(rows.length).toBeGreaterThan(100);
    const csvTotals = new Map<string, bigint>();
    for (const row of rows) csvTotals.set(row[column('account')]!, (csvTotals.get(row[column('account')]!) ?? 0n) + parseSageAmount(row[column('amount')]!));
    const journals = [...new Set(rows.map((row) => Number(row[column('sage_journal')])))];
    const sql = books.sageSql<{ GLAcctNo: string; total: number; lines: number }>(
      `SELECT a.GLAcctNo, SUM(d.PostAmt) AS total, COUNT(*) AS lines FROM tglJournalDetl d
       JOIN tglJournalHdr h ON h.JrnlHdrKey = d.JrnlHdrKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
       WHERE h.JrnlNo IN (${journals.map(() => '?').join(', ')}) GROUP BY a.GLAcctNo ORDER BY a.GLAcctNo`,
      ...journals,
    );
    expect(Object.fromEntries([...csvTotals].map(([account, total]) => [account, total.toString()]))).toEqual(
      Object.fromEntries(sql.map((row) => [row.GLAcctNo, String(row.total)])),
    );
    expect(rows.length).toBe(sql.reduce((sum, row) => sum + row.lines, 0));
    // Every payout of the period is in the CSV, its bank lines equal the payouts, and clearing nets to zero
    // over the itemised payouts' journals.
    const payouts = books.simulator.objects('payout').filter((payout) => rows.some((row) => row[column('payout')] === payout.id));
    expect(payouts.length).toBeGreaterThan(10);
    for (const payout of payouts.filter((candidate) => candidate.automatic && candidate.status === 'paid')) {
      const clearing = rows.filter((row) => row[column('payout')] === payout.id && row[column('account')] === CLEARING);
      expect(clearing.reduce((sum, row) => sum + parseSageAmount(row[column('amount')]!), 0n), payout.id).toBe(0n);
      const bank = rows.filter((row) => row[column('payout')] === payout.id && row[column('account')] === BANK && row[column('stripe_object')] === payout.id);
      expect(bank.reduce((sum, row) => sum + parseSageAmount(row[column('amount')]!), 0n)).toBe(BigInt(payout.amount) * 10n);
    }
    // Lineage: a charge line names its events (none when it was read by the backfill's listing),
    // object, balance transaction and ledger document.
    const sale = rows.find((row) => row[column('category')] === 'charge')!;
    expect(sale[column('stripe_events')]).toMatch(/^(evt_\w+( evt_\w+)*)?$/);
    expect(sale[column('stripe_object')]).toMatch(/^(ch|py)_/);
    expect(sale[column('balance_transaction')]).toMatch(/^txn_/);
    expect(sale[column('ledger_document')]).toBe(`${sale[column('stripe_object')]}:${sale[column('balance_transaction')]}`);
  });

  it('prints a readable table with the Stripe side, the Sage side, the proof and the period totals', async () => {
    const text = await report();
    expect(text).toMatch(/^Payout reconciliation 2026-10-10 to 2026-10-25: \d+ payout\(s\), 0 waiting/);
    expect(text).toMatch(/po_\w+ {2}automatic paid {2}created 2026-10-\d\d {2}arrival 2026-10-\d\d {2}\d+\.\d{3} USD {2}\[reconciled\]/);
    expect(text).toContain('every transaction is booked and the clearing account nets to zero');
    expect(text).toMatch(/gross charge +\d+\.\d{3}/);
    expect(text).toMatch(/fee {3}stripe_fee +\d+\.\d{3}/);
    expect(text).toMatch(/Sage: batch\(es\) [\d, ]+, journal\(s\) [\d, ]+; bank -?\d+\.\d{3}, clearing net 0\.000/);
    expect(text).toContain('Period totals (Sage tglJournalDetl of the journals above, each journal once)');
  });

  it('refuses a missing or reversed period', async () => {
    const out: string[] = [];
    expect(await main(['report', 'payouts', '--from', '2026-10-10', '--config', books.configPath], (text) => out.push(text))).toBe(2);
    expect(out.join('\n')).toContain('--to YYYY-MM-DD is required');
    expect(await main(['report', 'payouts', '--from', to, '--to', from, '--config', books.configPath], (text) => out.push(text))).toBe(2);
  });
});
