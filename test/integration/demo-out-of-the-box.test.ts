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
    const customersSeen = Number(/Stripe objects seen: +(\d+) customer/.exec(out)?.[1]);
    const db = new Database(join(dir, 'sage500-sandbox.sqlite'), { readonly: true });
    try {
      const customers = db.prepare('SELECT COUNT(*) AS n FROM tarCustomer').get() as { n: number };
      expect(customers.n).toBe(customersSeen);
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
