import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import { createSandbox, openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';

/**
 * The scheduled `sync --once` opens Sage at its run's first statement (sage-when-needed.ts). A
 * process killed after Sage committed a document and before the ledger recorded it leaves the
 * document `writing`; the next run must settle it from Sage's cross-reference through that lazy
 * port, under the single-writer lock, and never write it twice, even when the first run after
 * the kill finds the lock held by another copy of the app.
 */

let simulator: StripeSimulator;
let dir: string;

beforeAll(async () => {
  simulator = await startStripeSimulator({ seed: 11, days: 4 });
  dir = mkdtempSync(join(tmpdir(), 's5sync-lazy-recovery-'));
});

afterAll(async () => {
  await simulator.close();
  rmSync(dir, { recursive: true, force: true });
});

interface SageRows {
  xrefKeys: string[];
  journalLines: { account: string; amount: string }[];
}

/** Sage's own rows, read with plain SQL: every cross-referenced key, and every journal line by account and amount. */
function sageRows(sandboxPath: string): SageRows {
  const sage = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    const xrefKeys = (sage.prepare('SELECT DocKey AS key FROM tciStripeXref_STRIPE ORDER BY DocKey').all() as { key: string }[]).map((row) => row.key);
    const journalLines = sage
      .prepare('SELECT a.GLAcctNo AS account, CAST(d.PostAmt AS TEXT) AS amount FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey ORDER BY d.JrnlHdrKey, d.EntryNo')
      .all() as { account: string; amount: string }[];
    return { xrefKeys, journalLines };
  } finally {
    sage.close();
  }
}

describe('a scheduled sync settling a killed write through the lazily opened Sage port', () => {
  it('leaves the documents writing while the lock is held elsewhere, then settles them from the cross-reference without writing them again', async () => {
    const sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    const config = parseConfig(
      { dataDir: './data', stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null }, sage: { kind: 'sandbox', path: './sage.sqlite' }, sync: { backfillDays: 10 } },
      dir,
    );
    const clock = { now: () => simulator.now() * 1000, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    let opens = 0;
    const sync = async (): Promise<{ summary: RunSummary; writing: number }> => {
      const runtime = await openRuntime(config, {}, { clock, sageWhenNeeded: true, openSage: () => ((opens += 1), Promise.resolve(openSandbox(sandboxPath))) });
      try {
        const summary = await runtime.engine.runOnce();
        return { summary, writing: runtime.ledger.documents.countDocuments().writing ?? 0 };
      } finally {
        await runtime.close();
      }
    };

    // The first sync of a data folder opens Sage at start; the second is the scheduled kind.
    expect((await sync()).summary.outcome).toBe('succeeded');
    await sync();
    const written = sageRows(sandboxPath);
    expect(written.journalLines.length).toBeGreaterThan(0);

    // As a kill after Sage's commit leaves them: committed in Sage, `writing` in the ledger (in flight: a row of documents_writing, their own row as before).
    const ledger = new Database(join(dir, 'data', 'ledger.sqlite'));
    const killed = (ledger.prepare("SELECT doc_key AS key FROM documents WHERE state = 'written' AND type = 'journal' ORDER BY doc_key LIMIT 5").all() as { key: string }[]).map((row) => row.key);
    const keys = killed.map(() => '?').join(',');
    ledger.prepare(`UPDATE documents SET state = 'planned' WHERE doc_key IN (${keys})`).run(...killed);
    ledger.prepare(`INSERT INTO documents_writing (doc_key, started_at) SELECT doc_key, updated_at FROM documents WHERE doc_key IN (${keys})`).run(...killed);
    ledger.close();
    expect(killed).toHaveLength(5);

    const otherCopy = openSandbox(sandboxPath);
    const held = await otherCopy.acquireAppLock(`StripeSync:${config.companyId}`);
    opens = 0;
    const blocked = await sync();
    await held.release();
    await otherCopy.close();
    expect(blocked.summary.outcome).toBe('failed');
    expect(blocked.summary.message).toMatch(/another/i);
    expect(blocked.writing).toBe(5);
    expect(opens).toBe(1);
    expect(sageRows(sandboxPath)).toEqual(written);

    opens = 0;
    const settled = await sync();
    expect(settled.summary.outcome).toBe('succeeded');
    expect(settled.writing).toBe(0);
    expect(settled.summary.documentsWritten).toBe(0);
    expect(opens).toBe(1);
    // Sage holds exactly what it held before the kill: each key once, the same lines by account and amount.
    expect(sageRows(sandboxPath)).toEqual(written);
    expect(new Set(written.xrefKeys).size).toBe(written.xrefKeys.length);

    opens = 0;
    expect((await sync()).summary.outcome).toBe('succeeded');
    expect(opens).toBe(0);
  }, 120_000);
});
