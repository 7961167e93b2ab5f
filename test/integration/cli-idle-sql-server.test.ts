import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { REPO_ROOT } from '../reliability/harness.js';

/**
 * A SQL Server site's `s5sync sync --once` under Task Scheduler: with nothing to write it must
 * not log in to SQL Server at all (main/app/sage-when-needed.ts), and with something to write it
 * must. The ledger is made by syncs against a sandbox; then the config names a SQL Server where
 * nothing listens (127.0.0.1, port 1), so any login attempt fails the run.
 */
describe('s5sync sync --once on a SQL Server site', () => {
  let simulator: StripeSimulator;
  let dir: string;
  let sandboxPath: string;

  beforeAll(async () => {
    // Stripe's time is the machine's, as the CLI's clock is, so a change made in the test is an event the next sync reads.
    simulator = await startStripeSimulator({ seed: 13, days: 3, now: Math.floor(Date.now() / 1000) });
    dir = mkdtempSync(join(tmpdir(), 's5sync-idle-mssql-'));
    sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    const common = { dataDir: join(dir, 'data'), stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey } };
    writeFileSync(join(dir, 'sandbox.json'), JSON.stringify({ ...common, sage: { kind: 'sandbox', path: sandboxPath } }));
    const sqlServer = { kind: 'mssql', server: '127.0.0.1', port: 1, database: 'sage500', user: 's5sync', encrypt: false };
    writeFileSync(join(dir, 'mssql.json'), JSON.stringify({ ...common, sage: sqlServer }));
    // The backfill, then the events of its own metadata write-backs.
    for (let run = 0; run < 2; run++) expect(await main(['sync', '--once', '--config', join(dir, 'sandbox.json')], () => undefined)).toBe(0);
  });

  afterAll(async () => {
    await simulator.close();
  });

  const syncOnce = async (): Promise<{ code: number; out: string }> => {
    expect(existsSync(join(REPO_ROOT, 'dist/cli/s5sync.cjs')), 'run `node scripts/build-node.mjs` first').toBe(true);
    const result = await promisify(execFile)(process.execPath, ['bin/s5sync.mjs', 'sync', '--once', '--config', join(dir, 'mssql.json')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, S5SYNC_SQL_PASSWORD: 'not-a-real-password' },
    }).then(
      (done) => ({ code: 0, out: done.stdout + done.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
    );
    return result;
  };

  it('does not log in when there is nothing to write', async () => {
    const idle = await syncOnce();
    expect(idle.out).toMatch(/run \d+ succeeded: .* 0 Sage documents written/);
    expect(idle.code).toBe(0);
  });

  it('logs in when there is something to write, and keeps the documents queued when SQL Server cannot be reached', async () => {
    const sage = new Database(sandboxPath, { readonly: true });
    const written = sage.prepare("SELECT StripeObjectID FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:customer' ORDER BY DocKey LIMIT 1").get() as { StripeObjectID: string };
    sage.close();
    // A Dashboard user changes a customer Sage holds: its update is a document to write.
    simulator.updateCustomer(written.StripeObjectID, { email: 'accounts@moved.example' });
    const busy = await syncOnce();
    expect(busy.code).toBe(1);
    expect(busy.out).toMatch(/run \d+ failed: .*Failed to connect to 127\.0\.0\.1:1.*The documents stay queued/);
    // The change was not lost: with Sage in reach again, the next sync writes it.
    const lines: string[] = [];
    expect(await main(['sync', '--once', '--config', join(dir, 'sandbox.json')], (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/run \d+ succeeded: .* 1 Sage documents written, 0 failed/);
  });
});
