import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import { main } from '../../main/cli/s5sync.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * The first flow end to end, with real parts: the Stripe simulator over loopback HTTP, the
 * SQLite ledger and the Sage 500 sandbox through the same writer the mssql executor uses.
 */
describe('sync from the Stripe simulator into the Sage 500 sandbox', () => {
  let books: SimulatedBooks;
  let simulator: StripeSimulator;
  let sandboxPath: string;
  let configPath: string;

  beforeAll(async () => {
    books = await openBooks({ seed: 7, days: 20, config: { sync: { backfillDays: 25 } } }, 's5sync-e2e-');
    ({ simulator, sandboxPath, configPath } = books);
  });

  afterAll(async () => {
    await books.close();
  });

  const runOnce = () => books.sync();

  it('books every charge and payout exactly once in balanced journals', async () => {
    const summary = await runOnce();
    expect(summary.outcome).not.toBe('failed');
    const sage = new Database(sandboxPath, { readonly: true });
    try {
      expect(sage.prepare('SELECT SUM(PostAmt) AS total FROM tglJournalDetl').get()).toEqual({ total: 0 });
      const unbalanced = sage
        .prepare('SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0')
        .all();
      expect(unbalanced).toEqual([]);
      const xref = sage.prepare('SELECT StripeObjectID, DocKey FROM tciStripeXref_STRIPE').all() as { StripeObjectID: string; DocKey: string }[];
      expect(new Set(xref.map((row) => row.DocKey)).size).toBe(xref.length);
      const booked = new Set(xref.map((row) => row.StripeObjectID));
      const succeededCharges = simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && charge.balance_transaction);
      for (const charge of succeededCharges) expect(booked, charge.id).toContain(charge.id);
      const paidPayouts = simulator.objects('payout').filter((payout) => payout.status === 'paid');
      expect(paidPayouts.length).toBeGreaterThan(0);
      for (const payout of paidPayouts) expect(booked, payout.id).toContain(payout.id);
      const chargeRows = xref.filter((row) => row.StripeObjectID.startsWith('ch_'));
      expect(chargeRows.length).toBe(new Set(chargeRows.map((row) => row.StripeObjectID)).size);
    } finally {
      sage.close();
    }
  });

  it('writes nothing new when run again', async () => {
    const before = countXref();
    const summary = await runOnce();
    expect(summary.documentsWritten).toBe(0);
    expect(countXref()).toBe(before);
  });

  it('reports ledger state through s5sync status --json', async () => {
    const lines: string[] = [];
    expect(await main(['status', '--json', '--config', configPath], (line) => lines.push(line))).toBe(0);
    const status = JSON.parse(lines.join('\n')) as {
      documents: { written: number };
      lastRun: { outcome: string };
      cursor: { eventsHighWater: string | null; backfillDone: boolean };
    };
    expect(status.documents.written).toBe(countXref());
    expect(status.lastRun.outcome).not.toBe('failed');
    // The reading position is the engine's own cursors: after a sync the backfill is done and events have been read.
    expect(status.cursor.backfillDone).toBe(true);
    expect(status.cursor.eventsHighWater).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('refuses a live key in the config file and says where to put it', async () => {
    const livePath = join(books.dir, 'live.json');
    writeFileSync(livePath, JSON.stringify({ dataDir: '.', stripe: { apiKey: 'sk_live_' + 'x'.repeat(24) }, sage: { kind: 'sandbox', path: 'x' } }));
    const lines: string[] = [];
    expect(await main(['sync', '--once', '--config', livePath], (line) => lines.push(line))).toBe(2);
    expect(lines.join('\n')).toMatch(/live Stripe key.*Credential Manager.*STRIPE_API_KEY/s);
    expect(lines.join('\n')).not.toContain('x'.repeat(24));
  });

  function countXref(): number {
    const sage = new Database(sandboxPath, { readonly: true });
    try {
      return (sage.prepare('SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE').get() as { n: number }).n;
    } finally {
      sage.close();
    }
  }
});

describe('one writer', () => {
  it('refuses a second engine on the same ledger or the same Sage company while the first is open', async () => {
    const simulator = await startStripeSimulator({ seed: 3, days: 2 });
    const dir = mkdtempSync(join(tmpdir(), 's5sync-one-writer-'));
    const sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath);
    const configFor = (dataDir: string) =>
      parseConfig(
        { dataDir, stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey }, sage: { kind: 'sandbox', path: sandboxPath } },
        dir,
      );
    try {
      const first = await openRuntime(configFor('./a'), {});
      await expect(openRuntime(configFor('./a'), {})).rejects.toThrow(/another Stripe Sync process .* is already using the ledger/);
      await expect(openRuntime(configFor('./b'), {})).rejects.toThrow(/another Stripe Sync is already writing to this Sage company/);
      await first.close();
      const again = await openRuntime(configFor('./b'), {});
      await again.close();
    } finally {
      await simulator.close();
    }
  });
});
