import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from '../../main/simulators/stripe/stripe-simulator.js';
import { openRuntime, type Runtime } from '../../main/app/open-runtime.js';
import type { EngineEvent } from '../../main/core/engine/engine-events.js';
import type { Clock } from '../../main/core/ports/clock.js';
import { StripeTransientError, type StripeApi } from '../../main/core/ports/stripe-api.js';
import type { StripeEvent } from '../../main/core/stripe/objects.js';
import { StripeHttpApi } from '../../main/adapters/stripe/stripe-http-api.js';

/**
 * The Stripe side against the simulator over real HTTP: nothing missed, nothing applied
 * twice, through same-second and late events, rate-limit storms, dropped connections, a
 * long outage, an interrupted backfill and our own metadata writes.
 */

interface Harness {
  simulator: StripeSimulator;
  dir: string;
  sandboxPath: string;
  open(options?: { wrapStripe?: (api: StripeApi) => StripeApi }): Promise<Runtime>;
  run(options?: { wrapStripe?: (api: StripeApi) => StripeApi }): Promise<{ events: EngineEvent[]; outcome: string | null; requests: number }>;
}

const opened: StripeSimulator[] = [];

afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function harness(options: StripeSimulatorOptions): Promise<Harness> {
  const simulator = await startStripeSimulator(options);
  opened.push(simulator);
  const dir = mkdtempSync(join(tmpdir(), 's5sync-stripe-'));
  const sandboxPath = join(dir, 'sage.sqlite');
  createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
  // Backoff waits are real waits in production; here they pass instantly so storms stay fast.
  const clock: Clock = { now: () => simulator.now() * 1000, sleep: async () => {} };
  const config = parseConfig(
    {
      dataDir: dir,
      stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null },
      sage: { kind: 'sandbox', path: sandboxPath },
      sync: { backfillDays: (options.days ?? 30) + 2 },
    },
    dir,
  );
  const open = async (extra: { wrapStripe?: (api: StripeApi) => StripeApi } = {}) => {
    const runtime = await openRuntime(config, {}, { clock });
    if (extra.wrapStripe) {
      // The engine holds the port; swap it for the wrapped one before the first run.
      (runtime.engine as unknown as { deps: { stripe: StripeApi } }).deps.stripe = extra.wrapStripe(runtime.stripe);
    }
    return runtime;
  };
  return {
    simulator,
    dir,
    sandboxPath,
    open,
    async run(extra = {}) {
      const runtime = await open(extra);
      const events: EngineEvent[] = [];
      runtime.engine.subscribe((event) => events.push(event));
      try {
        const summary = await runtime.engine.runOnce();
        return { events, outcome: summary.outcome, requests: summary.stripeRequests };
      } finally {
        await runtime.close();
      }
    },
  };
}

function bookedObjectIds(sandboxPath: string): Set<string> {
  const db = new Database(sandboxPath, { readonly: true });
  try {
    return new Set((db.prepare('SELECT StripeObjectID FROM tciStripeXref_STRIPE').all() as { StripeObjectID: string }[]).map((row) => row.StripeObjectID));
  } finally {
    db.close();
  }
}

function duplicateDocKeys(sandboxPath: string): number {
  const db = new Database(sandboxPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) - COUNT(DISTINCT DocKey) AS n FROM tciStripeXref_STRIPE').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function ledgerEvents(dir: string): { id: string; skipped: number }[] {
  const db = new Database(join(dir, 'ledger.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, skipped FROM events').all() as { id: string; skipped: number }[];
  } finally {
    db.close();
  }
}

function expectEveryChargeBooked(h: Harness): void {
  const booked = bookedObjectIds(h.sandboxPath);
  const charges = h.simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && charge.balance_transaction);
  expect(charges.length).toBeGreaterThan(0);
  const missing = charges.filter((charge) => !booked.has(charge.id)).map((charge) => charge.id);
  expect(missing).toEqual([]);
  expect(duplicateDocKeys(h.sandboxPath)).toBe(0);
}

describe('Stripe source', () => {
  it('backfills N charges with about N/100 list requests, not N retrieves', async () => {
    const h = await harness({ seed: 11, days: 10 });
    const result = await h.run();
    expect(result.outcome).toBe('succeeded');
    const charges = h.simulator.objects('charge').length;
    const chargeLists = h.simulator.requestCounts.get('GET /v1/charges') ?? 0;
    expect(chargeLists).toBeLessThanOrEqual(Math.ceil(charges / 100) + 1);
    // Only objects named by events in the overlap window just before the backfill ended are read one by one.
    expect(h.simulator.requestCounts.get('GET /v1/charges/:id') ?? 0).toBeLessThanOrEqual(2);
    const objects = Object.values(h.simulator.counts()).reduce((sum, n) => sum + n, 0);
    expect(result.requests / objects).toBeLessThan(0.05);
    expectEveryChargeBooked(h);
  });

  it('applies same-second and late-visible events exactly once', async () => {
    const h = await harness({
      seed: 12,
      days: 5,
      faults: { sameSecondEvents: { every: 7, size: 12 }, lateVisibleEvents: { every: 5, delaySeconds: 1_800 } },
    });
    await h.run();
    for (let hour = 0; hour < 30; hour++) {
      h.simulator.advanceSeconds(3_600);
      await h.run();
    }
    h.simulator.advanceSeconds(7_200, { generate: false });
    await h.run();
    const recorded = ledgerEvents(h.dir);
    expect(new Set(recorded.map((event) => event.id)).size).toBe(recorded.length);
    const listed = await listedEventIdsSinceBackfill(h);
    expect(listed.length).toBeGreaterThan(20);
    const ids = new Set(recorded.map((event) => event.id));
    expect(listed.filter((id) => !ids.has(id))).toEqual([]);
    expectEveryChargeBooked(h);
  });

  it('ends a 429 storm and dropped connections with nothing missing', async () => {
    const h = await harness({
      seed: 13,
      days: 6,
      faults: { rateLimit: { count: 3, every: 10 }, dropConnection: { count: 1, every: 17 } },
    });
    const result = await h.run();
    expect(result.events.some((event) => event.type === 'warning' && event.code === 'stripe-retry')).toBe(true);
    h.simulator.advanceDays(1);
    await h.run();
    expectEveryChargeBooked(h);
  });

  it('catches up after a 31-day outage, warns clearly and books every money object', async () => {
    const h = await harness({ seed: 14, days: 5 });
    await h.run();
    h.simulator.advanceDays(31);
    const result = await h.run();
    const warning = result.events.find((event) => event.type === 'warning' && event.code === 'long-outage');
    expect(warning && warning.type === 'warning' ? warning.message : '').toMatch(/31 days ago.*30 days/);
    expect(result.outcome).not.toBe('failed');
    expectEveryChargeBooked(h);
    const booked = bookedObjectIds(h.sandboxPath);
    const refunds = h.simulator.objects('refund').filter((refund) => refund.balance_transaction);
    expect(refunds.filter((refund) => !booked.has(refund.id)).map((refund) => refund.id)).toEqual([]);
  });

  it('resumes a backfill stopped halfway without re-fetching what it has', async () => {
    const counting = (counter: { lists: number; stopAfter: number | null }) => (api: StripeApi): StripeApi => ({
      list: (path, params) => {
        counter.lists++;
        if (counter.stopAfter !== null && counter.lists > counter.stopAfter) return Promise.reject(new Error('the finance PC was switched off'));
        return api.list(path, params);
      },
      retrieve: (path, id, expand) => api.retrieve(path, id, expand),
      listInvoiceLines: (id, after) => api.listInvoiceLines(id, after),
      updateMetadata: (path, id, metadata, key) => api.updateMetadata(path, id, metadata, key),
      account: () => api.account(),
      balance: () => api.balance(),
    });
    const reference = await harness({ seed: 15, days: 20 });
    const referenceCount = { lists: 0, stopAfter: null };
    await reference.run({ wrapStripe: counting(referenceCount) });
    expect(referenceCount.lists).toBeGreaterThan(12);

    const h = await harness({ seed: 15, days: 20 });
    const firstCount = { lists: 0, stopAfter: Math.floor(referenceCount.lists / 2) };
    const first = await h.run({ wrapStripe: counting(firstCount) });
    expect(first.outcome).toBe('failed');
    const secondCount = { lists: 0, stopAfter: null };
    const second = await h.run({ wrapStripe: counting(secondCount) });
    expect(second.outcome).not.toBe('failed');
    // Only the page that was in flight when the run stopped is read twice.
    expect(firstCount.stopAfter + secondCount.lists).toBeLessThanOrEqual(referenceCount.lists + 1);
    expect([...bookedObjectIds(h.sandboxPath)].sort()).toEqual([...bookedObjectIds(reference.sandboxPath)].sort());
  });

  it('finishes Sage-number write-backs that Stripe refused, on the next run', async () => {
    const h = await harness({ seed: 17, days: 3 });
    const refusing = (api: StripeApi): StripeApi => ({
      list: (path, params) => api.list(path, params),
      retrieve: (path, id, expand) => api.retrieve(path, id, expand),
      listInvoiceLines: (id, after) => api.listInvoiceLines(id, after),
      // What the HTTP adapter throws once its retries give up on a network outage or 5xx.
      updateMetadata: () => Promise.reject(new StripeTransientError('Stripe is down')),
      account: () => api.account(),
      balance: () => api.balance(),
    });
    const first = await h.run({ wrapStripe: refusing });
    expect(first.events.some((event) => event.type === 'warning' && event.code === 'metadata-write-back')).toBe(true);
    const tagged = () => h.simulator.objects('customer').filter((customer) => customer.metadata['sage_cust_id']).length;
    expect(tagged()).toBe(0);
    await h.run();
    const created = new Set([...bookedObjectIds(h.sandboxPath)].filter((id) => id.startsWith('cus_')));
    expect(created.size).toBeGreaterThan(0);
    expect(tagged()).toBe(created.size);
  });

  it('recognises and skips the events its own metadata writes cause', async () => {
    const h = await harness({ seed: 16, days: 4 });
    await h.run();
    const writes = h.simulator.requestLog.filter((entry) => entry.method === 'POST' && entry.status === 200).length;
    expect(writes).toBeGreaterThan(0);
    h.simulator.advanceSeconds(60, { generate: false });
    await h.run();
    const skipped = ledgerEvents(h.dir).filter((event) => event.skipped === 1);
    expect(skipped.length).toBe(writes);
  });
});

/** Every event Stripe lists now that was created after the backfill (whose objects it listed directly). */
async function listedEventIdsSinceBackfill(h: Harness): Promise<string[]> {
  const db = new Database(join(h.dir, 'ledger.sqlite'), { readonly: true });
  const backfillEnd = Number((db.prepare("SELECT value FROM cursors WHERE name = 'backfill:done'").get() as { value: string }).value);
  db.close();
  const api = new StripeHttpApi({ apiKey: h.simulator.apiKey, apiBase: h.simulator.apiBase });
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await api.list<StripeEvent>('events', { limit: 100, created: { gte: backfillEnd }, ...(after ? { starting_after: after } : {}) });
    ids.push(...page.data.map((event) => event.id));
    if (!page.has_more) return ids;
    after = page.data[page.data.length - 1]!.id;
  }
}
