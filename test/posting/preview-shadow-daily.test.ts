import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { main } from '../../main/cli/s5sync.js';
import type { DocumentChange, ObjectPreview } from '../../main/core/engine/preview.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { openBooks } from '../support/simulated-books.js';

/** The shared simulated books, with the CLI, a ledger handle and config rewrites for this suite. */
async function setUp(seed: number, extra: Record<string, unknown>) {
  const books = await openBooks({ seed, days: 20, config: { sync: { backfillDays: 25 }, ...extra } }, 's5sync-posting-');
  const writeConfig = (more: Record<string, unknown>) => {
    const current = JSON.parse(readFileSync(books.configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(books.configPath, JSON.stringify({ ...current, ...more }));
  };
  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await main([...args, '--config', books.configPath], (line) => lines.push(line));
    return { code, text: lines.join('\n') };
  };
  const sage = <T>(sql: string): T => books.sageSql(sql) as T;
  const ledger = () => new SqliteLedger(join(books.dir, 'data', LEDGER_FILE_NAME));
  return { simulator: books.simulator, runOnce: () => books.sync(), cli, sage, ledger, writeConfig };
}

describe('shadow mode, preview and re-planning after a mapping change', () => {
  let env: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    env = await setUp(11, { sync: { backfillDays: 25, shadowMode: true } });
  });
  afterAll(async () => env.simulator.close());

  it('plans everything as shadow and writes nothing to Sage', async () => {
    const summary = await env.runOnce();
    expect(summary.outcome).not.toBe('failed');
    expect(env.sage<{ n: number }[]>('SELECT COUNT(*) AS n FROM tglJournalDetl')[0]!.n).toBe(0);
    expect(env.sage<{ n: number }[]>('SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE')[0]!.n).toBe(0);
    const ledger = env.ledger();
    try {
      const counts = ledger.documents.countDocuments();
      expect(counts.shadow).toBeGreaterThan(0);
      expect({ ...counts, shadow: 0 }).toEqual({ planned: 0, writing: 0, written: 0, failed: 0, dead: 0, skipped: 0, shadow: 0 });
    } finally {
      ledger.close();
    }
  });

  it('preview shows a charge’s shadow journal with accounts, debit/credit columns and post date', async () => {
    const sale = env.simulator.objects('charge').find((charge) => charge.status === 'succeeded' && charge.balance_transaction)!;
    const json = await env.cli('preview', sale.id, '--json');
    expect(json.code).toBe(0);
    const preview = JSON.parse(json.text) as ObjectPreview;
    const journal = preview.stored.find((document) => document.type === 'journal')!;
    expect(journal.state).toBe('shadow');
    expect(journal.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(journal.lines.find((line) => line.acctNo === '1050-00')!.debit).not.toBe('');
    expect(journal.lines.find((line) => line.acctNo === '4000-00')!.credit).not.toBe('');
    expect(preview.current.map((document) => document.lines)).toContainEqual(journal.lines);
    const text = await env.cli('preview', sale.id);
    expect(text.text).toContain(`[shadow]`);
    expect(text.text).toMatch(/account\s+debit\s+credit/);
  });

  it('lists the documents a mapping change would alter, then re-plans them on the next run', async () => {
    env.writeConfig({ sync: { backfillDays: 25, shadowMode: true }, mapping: { accounts: { ...DEFAULT_MAPPING.accounts, revenue: '4010-00' } } });
    const before = JSON.parse((await env.cli('preview', '--changes', '--json')).text) as { changes: DocumentChange[] };
    const charge = before.changes.find((change) => change.stripeObjectId.startsWith('ch_'))!;
    expect(charge.before.some((line) => line.acctNo === '4000-00')).toBe(true);
    expect(charge.after!.some((line) => line.acctNo === '4010-00')).toBe(true);
    expect(charge.after!.some((line) => line.acctNo === '4000-00')).toBe(false);

    await env.runOnce();
    const after = JSON.parse((await env.cli('preview', '--changes', '--json')).text) as { changes: DocumentChange[] };
    expect(after.changes.filter((change) => change.stripeObjectId.startsWith('ch_'))).toEqual([]);
  });
});

describe('daily-summary granularity and sales orders, written to the sandbox', () => {
  let env: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    env = await setUp(7, { mapping: { granularity: 'daily-summary', salesOrders: { ...DEFAULT_MAPPING.salesOrders, enabled: true } } });
  });
  afterAll(async () => env.simulator.close());

  it('books charges in one balanced summary per complete day, and payouts still tie out', async () => {
    const summary = await env.runOnce();
    expect(summary.outcome).not.toBe('failed');
    const xref = env.sage<{ DocKey: string; StripeObjectID: string }[]>('SELECT DocKey, StripeObjectID FROM tciStripeXref_STRIPE');
    const journals = xref.filter((row) => !row.DocKey.endsWith(':customer') && !row.DocKey.endsWith(':sales-order'));
    expect(journals.some((row) => row.DocKey.startsWith('daily:charges:'))).toBe(true);
    expect(journals.filter((row) => row.StripeObjectID.startsWith('ch_'))).toEqual([]);
    expect(env.sage<unknown[]>('SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0')).toEqual([]);
    // A failed payout is booked without its tie-out (the money came back); paid ones must tie out.
    const paid = new Set(env.simulator.objects('payout').filter((payout) => payout.status === 'paid').map((payout) => payout.id));
    const payouts = journals.filter((row) => paid.has(row.StripeObjectID));
    const ledger = env.ledger();
    expect(payouts.length).toBeGreaterThan(0);
    try {
      for (const payout of payouts) {
        const items = ledger.objects.payoutItems(payout.StripeObjectID) ?? [];
        for (const item of items) expect(ledger.documents.isTraceBooked(item.id), `${payout.StripeObjectID} ${item.id}`).toBe(true);
      }
      const today = ledger.objects.objectIssues().filter((issue) => issue.message.includes('waits for the daily summary'));
      expect(today.length).toBeGreaterThan(0);
    } finally {
      ledger.close();
    }
  });

  it('creates Sage sales orders after their customers and writes the TranNo back to Stripe', () => {
    const orders = env.sage<{ TranNo: string; TranCmnt: string }[]>('SELECT TranNo, TranCmnt FROM tsoSalesOrder');
    expect(orders.length).toBeGreaterThan(0);
    const ordered = orders.map((order) => order.TranCmnt.replace('Stripe ', ''));
    const withTranNo = [...env.simulator.objects('charge'), ...env.simulator.objects('invoice')].filter((object) => object.metadata?.sage_so_tranno);
    expect(withTranNo.map((object) => object.id).sort()).toEqual([...ordered].sort());
  });
});
