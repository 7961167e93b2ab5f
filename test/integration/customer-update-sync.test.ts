import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { createSandbox } from '../../main/adapters/sage/sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/adapters/stripe-simulator/stripe-simulator.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import type { Clock } from '../../main/core/ports/clock.js';

/**
 * A customer this sync created is edited in Stripe after the first sync (a Dashboard edit:
 * new e-mail and address, one customer.updated event); the next sync changes the Sage
 * customer through StgCustomer Action 2, exactly once.
 */
describe('a Stripe customer edited after it was created in Sage', () => {
  let simulator: StripeSimulator;
  let dir: string;
  let sandboxPath: string;
  let configPath: string;

  beforeAll(async () => {
    simulator = await startStripeSimulator({ seed: 11, days: 6 });
    dir = mkdtempSync(join(tmpdir(), 's5sync-customer-update-'));
    sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: './data',
        stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null },
        sage: { kind: 'sandbox', path: './sage.sqlite' },
        sync: { backfillDays: 10 },
      }),
    );
  });

  afterAll(async () => {
    await simulator.close();
  });

  const clock = (): Clock => ({ now: () => simulator.now() * 1000, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) });

  async function runOnce() {
    const config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), dir);
    const runtime = await openRuntime(config, {}, { clock: clock() });
    try {
      return await runtime.engine.runOnce();
    } finally {
      await runtime.close();
    }
  }

  function readSage<T>(read: (sage: Database.Database) => T): T {
    const sage = new Database(sandboxPath, { readonly: true });
    try {
      return read(sage);
    } finally {
      sage.close();
    }
  }

  const sageCustomer = (custId: string) =>
    readSage((sage) =>
      sage
        .prepare(
          `SELECT c.CustName, a.AddrLine1, a.City, a.PostalCode, t.EMailAddr, c.UpdateCounter
           FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey JOIN tciContact t ON t.CntctKey = c.PrimaryCntctKey
           WHERE c.CustID = ?`,
        )
        .get(custId),
    );
  const updatesStaged = (custId: string) =>
    readSage((sage) => (sage.prepare('SELECT COUNT(*) AS n FROM StgCustomer WHERE Action = 2 AND CustID = ?').get(custId) as { n: number }).n);

  it('updates the Sage customer once on the next sync, and not again after that', async () => {
    expect((await runOnce()).outcome).not.toBe('failed');
    const created = readSage(
      (sage) =>
        sage
          .prepare("SELECT StripeObjectID, SageNumber FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:customer' ORDER BY DocKey LIMIT 1")
          .get() as { StripeObjectID: string; SageNumber: string } | undefined,
    );
    expect(created).toBeDefined();
    const { StripeObjectID: customerId, SageNumber: custId } = created!;
    const before = sageCustomer(custId) as { EMailAddr: string; UpdateCounter: number };
    expect(before.UpdateCounter).toBe(0);

    simulator.advanceSeconds(120, { generate: false });
    simulator.updateCustomer(customerId, {
      email: 'accounts@moved.example',
      address: { line1: '500 W Madison St', line2: null, city: 'Chicago', state: 'IL', postal_code: '60661', country: 'US' },
    });
    simulator.advanceSeconds(5, { generate: false });
    expect((await runOnce()).outcome).not.toBe('failed');

    expect(sageCustomer(custId)).toMatchObject({ AddrLine1: '500 W Madison St', City: 'Chicago', PostalCode: '60661', EMailAddr: 'accounts@moved.example', UpdateCounter: 1 });
    expect(updatesStaged(custId)).toBe(1);
    const updateRows = readSage((sage) => sage.prepare("SELECT DocKey FROM tciStripeXref_STRIPE WHERE StripeObjectID = ? AND DocKey LIKE '%:customer-update:%'").all(customerId));
    expect(updateRows).toHaveLength(1);

    simulator.advanceSeconds(60, { generate: false });
    const again = await runOnce();
    expect(again.documentsWritten).toBe(0);
    expect(updatesStaged(custId)).toBe(1);
    expect(sageCustomer(custId)).toMatchObject({ UpdateCounter: 1 });
  });
});
