import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';

/**
 * `s5sync demo` as a new user runs it: no options, default seed. Its simulated customers
 * include names over 40 characters and state names that are not Sage StateIDs; with the
 * default mapping (long text fitted) every one of them reaches Sage and nothing is an error.
 */
describe('s5sync demo out of the box', () => {
  it('ends with zero errors and every Stripe customer in Sage, each column within its Sage length', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-demo-zero-'));
    const lines: string[] = [];
    const code = await main(['demo', '--dir', dir], (line) => lines.push(line));
    const out = lines.join('\n');
    expect(code).toBe(0);
    expect(out).toMatch(/Errors: +0 /);
    // The summary's balance proof: exact, and the clearing account it names is what the sandbox's rows add up to.
    const proof = /balance proof \(.*\): Stripe balance ([\d,.-]+) USD, clearing 1050-00 ([\d,.-]+) USD; in transit ([\d,.-]+) USD, 1020-00 ([\d,.-]+) USD: holds exactly/.exec(out);
    expect(proof, out).not.toBeNull();
    const thousandths = (text: string) => Math.round(Number(text.replaceAll(',', '')) * 1000);
    expect(thousandths(proof![2]!)).toBe(thousandths(proof![1]!));
    expect(thousandths(proof![4]!)).toBe(thousandths(proof![3]!));
    const customersSeen = Number(/Stripe objects seen: +(\d+) customer/.exec(out)?.[1]);
    const db = new Database(join(dir, 'sage500-sandbox.sqlite'), { readonly: true });
    try {
      const customers = db.prepare('SELECT COUNT(*) AS n FROM tarCustomer').get() as { n: number };
      expect(customers.n).toBe(customersSeen);
      const onAccount = (acctNo: string) =>
        (db.prepare('SELECT COALESCE(SUM(d.PostAmt), 0) AS total FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?').get(acctNo) as { total: number }).total;
      expect(onAccount('105000')).toBe(thousandths(proof![1]!));
      expect(onAccount('102000')).toBe(thousandths(proof![3]!));
      const tooLong = db
        .prepare(
          `SELECT COUNT(*) AS n FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey
           WHERE length(c.CustName) > 40 OR length(a.City) > 20 OR length(a.StateID) > 3 OR length(a.AddrLine1) > 40`,
        )
        .get() as { n: number };
      expect(tooLong.n).toBe(0);
      const longNamed = db.prepare("SELECT a.AddrLine1 FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey WHERE c.CustName = 'Great Lakes Paddle & Portage Wholesale'").all() as { AddrLine1: string }[];
      expect(longNamed.length).toBeGreaterThan(0);
      for (const row of longNamed) expect(row.AddrLine1).toBe('Distribution Company');
    } finally {
      db.close();
    }
  }, 120_000);
});
