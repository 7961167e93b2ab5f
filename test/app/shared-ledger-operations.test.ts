import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { AppServiceError } from '../../main/app/app-service-error.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { renderReportCsv } from '../../main/adapters/reports/report-csv.js';
import { main } from '../../main/cli/s5sync.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { createMemoryCredentialStore } from '../ui/memory-credential-store.js';

/**
 * The per-object preview, the rules test and the period payout report are one implementation
 * (main/app/ledger-operations.ts) behind two doors: the window's service requests and `s5sync
 * preview`, `s5sync rules test`, `s5sync report payouts`. The demo syncs once; the service's
 * answers are checked against the ledger and Sage read with plain SQL, then the CLI, run on the
 * same data folder while the window's service stays open, must print the very same answers.
 */

const DEMO_BUSINESS_DATE = '2026-11-02';
const SANDBOX_FILE = 'demo-sage-sandbox.sqlite';
const testKey = ['sk', 'test', 'shared0000000000000000'].join('_');

let dataDir: string;
let service: ClosableAppService;
let configPath: string;

async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function cli(...args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main([...args, '--config', configPath], (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

function readLedger<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, LEDGER_FILE_NAME), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's5sync-shared-ops-'));
  createSandbox(join(dataDir, SANDBOX_FILE), { today: DEMO_BUSINESS_DATE });
  service = await createAppService({ dataDir, env: {}, credentials: createMemoryCredentialStore(), demo: true });
  await service.syncNow(undefined);
  await waitFor('the demo sync to finish', async () => {
    const status = await service.getStatus(undefined);
    return status.lastRun?.finishedAt != null && status.state !== 'syncing';
  }, 300_000);
  // The CLI's config names the same data folder, Sage sandbox and mapping as the window's settings.
  configPath = join(dataDir, 'config.json');
  const { mapping } = await service.getMapping(undefined);
  writeFileSync(configPath, JSON.stringify({ dataDir: '.', stripe: { apiKey: testKey }, sage: { kind: 'sandbox', path: SANDBOX_FILE }, mapping }));
}, 400_000);

afterAll(async () => {
  await service?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function aWrittenCharge(): Promise<string> {
  const { rows } = await service.listActivity({ kind: 'charge', state: 'written', limit: 1, offset: 0 });
  expect(rows).toHaveLength(1);
  return rows[0]!.stripeObjectId;
}

describe('one implementation behind the window and s5sync', () => {
  it('previews one object: its documents as the ledger holds them, and the CLI prints the same', async () => {
    const chargeId = await aWrittenCharge();
    const preview = await service.previewObject({ stripeObjectId: chargeId });
    const storedKeys = readLedger<{ doc_key: string }>('SELECT doc_key FROM documents WHERE stripe_object_id = ? ORDER BY doc_key', chargeId).map((row) => row.doc_key);
    expect(storedKeys.length).toBeGreaterThan(0);
    expect(preview.stored.map((document) => document.docKey).filter((key) => storedKeys.includes(key)).sort()).toEqual(storedKeys);
    for (const document of preview.stored.filter((stored) => stored.type === 'journal')) {
      const debit = document.lines.reduce((sum, line) => sum + Math.round(Number(line.debit || 0) * 100), 0);
      const credit = document.lines.reduce((sum, line) => sum + Math.round(Number(line.credit || 0) * 100), 0);
      expect(debit).toBe(credit);
    }

    const printed = await cli('preview', chargeId, '--json');
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.text)).toEqual(preview);
  });

  it('tests the rules on one object, the same for the window and `s5sync rules test`', async () => {
    const chargeId = await aWrittenCharge();
    const report = await service.testRules({ stripeObjectId: chargeId });
    expect(report.objectId).toBe(chargeId);
    expect(report.facts.kind).toBe('charge');

    const printed = await cli('rules', 'test', '--object', chargeId, '--json');
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.text)).toEqual(report);
  });

  it('reports the payouts of a period against Sage\u2019s own rows, and `s5sync report payouts --csv` is that report', async () => {
    const period = { from: '2026-01-01', to: '2026-12-31' };
    const report = await service.getPeriodPayoutReport(period);
    const payoutIds = readLedger<{ id: string }>("SELECT id FROM stripe_objects WHERE kind = 'payout' ORDER BY id").map((row) => row.id);
    expect(payoutIds.length).toBeGreaterThan(0);
    expect(report.payouts.map((payout) => payout.payoutId).sort()).toEqual(payoutIds);
    const reconciled = report.payouts.filter((payout) => payout.state === 'reconciled');
    expect(reconciled.length).toBeGreaterThan(0);
    // What reached the bank in Sage is what Stripe paid out, payout by payout.
    for (const payout of reconciled) expect(payout.sage.bank).toBe(payout.amount);

    const printed = await cli('report', 'payouts', '--from', period.from, '--to', period.to, '--csv');
    expect(printed.code).toBe(0);
    expect(printed.text).toBe(renderReportCsv(report));
  });

  it('answers not-found for an object the ledger has not read, as the CLI does', async () => {
    await expect(service.previewObject({ stripeObjectId: 'ch_never_read' })).rejects.toThrow(AppServiceError);
    await expect(service.testRules({ stripeObjectId: 'ch_never_read' })).rejects.toThrow(/not in the sync ledger/);
    expect((await cli('preview', 'ch_never_read')).code).toBe(1);
    expect((await cli('rules', 'test', '--object', 'ch_never_read')).code).toBe(1);
  });
});
