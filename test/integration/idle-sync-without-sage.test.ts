import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type SyncConfig } from '../../main/adapters/config/config-file.js';
import type { SagePort } from '../../main/adapters/sage/sql-port.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import type { DocumentState, RunSummary } from '../../main/core/engine/engine-events.js';
import type { Clock } from '../../main/core/ports/clock.js';
import { createSandbox, openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';

/**
 * `s5sync sync --once` opens Sage only when its run needs it (main/app/sage-when-needed.ts):
 * an idle poll under Task Scheduler never logs in to SQL Server nor takes the single-writer
 * lock, while a run with documents to write opens Sage, checks the company and takes the lock
 * before its first statement. The runtime is opened as the CLI's sync opens it, on the Sage
 * sandbox, with every opening of the port and every call on it recorded.
 */

interface Sync {
  summary: RunSummary;
  /** What happened on the Sage port, in order: `open`, `lock`, then each statement's kind. */
  sage: string[];
  documents: Record<DocumentState, number>;
}

describe('a scheduled sync --once and its Sage connection', () => {
  let simulator: StripeSimulator;
  let config: SyncConfig;
  let sandboxPath: string;
  let clock: Clock;

  beforeAll(async () => {
    simulator = await startStripeSimulator({ seed: 11, days: 4 });
    const dir = mkdtempSync(join(tmpdir(), 's5sync-idle-sage-'));
    sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    config = parseConfig(
      {
        dataDir: './data',
        stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null },
        sage: { kind: 'sandbox', path: './sage.sqlite' },
        sync: { backfillDays: 10 },
      },
      dir,
    );
    clock = { now: () => simulator.now() * 1000, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };
  });

  afterAll(async () => {
    await simulator.close();
  });

  /** The sandbox port with each call recorded in `log`. */
  function recorded(port: SagePort, log: string[]): SagePort {
    return {
      dialect: port.dialect,
      query: (sql, params) => (log.push('query'), port.query(sql, params)),
      execute: (sql, params) => (log.push('execute'), port.execute(sql, params)),
      procedure: (name, args, binding) => (log.push('procedure'), port.procedure(name, args, binding)),
      transaction: (work) => (log.push('transaction'), port.transaction(work)),
      acquireAppLock: (resource) => (log.push('lock'), port.acquireAppLock(resource)),
      close: () => port.close(),
    };
  }

  async function syncOnce(): Promise<Sync> {
    const sage: string[] = [];
    const runtime = await openRuntime(config, {}, {
      clock,
      sageWhenNeeded: true,
      openSage: () => {
        sage.push('open');
        return Promise.resolve(openSandbox(sandboxPath));
      },
      wrapSage: (port) => recorded(port, sage),
    });
    try {
      const summary = await runtime.engine.runOnce();
      return { summary, sage, documents: runtime.ledger.documents.countDocuments() };
    } finally {
      await runtime.close();
    }
  }

  it('opens Sage at start for the first sync of a data folder, which checks the company before anything runs', async () => {
    const first = await syncOnce();
    expect(first.summary.outcome).toBe('succeeded');
    expect(first.summary.documentsWritten).toBeGreaterThan(0);
    expect(first.sage.slice(0, 3)).toEqual(['open', 'query', 'lock']);
  });

  it('does not open Sage at all for an idle poll', async () => {
    // The second run reads the events of the first one's metadata write-backs.
    await syncOnce();
    const idle = await syncOnce();
    expect(idle.summary.outcome).toBe('succeeded');
    expect(idle.summary.documentsWritten).toBe(0);
    expect(idle.sage).toEqual([]);
  });

  it('opens Sage, checks the company and takes the lock before the first write when there are documents to write', async () => {
    simulator.advanceDays(1);
    const busy = await syncOnce();
    expect(busy.summary.outcome).toBe('succeeded');
    expect(busy.summary.documentsWritten).toBeGreaterThan(0);
    expect(busy.sage.filter((call) => call === 'open')).toHaveLength(1);
    expect(busy.sage.filter((call) => call === 'lock')).toHaveLength(1);
    // Opening reads tsmCompany (the company check), then takes the lock: nothing else runs before it.
    expect(busy.sage.slice(0, 3)).toEqual(['open', 'query', 'lock']);
  });

  it('keeps the documents queued and fails the run, saying why, when another Stripe Sync holds the lock', async () => {
    const other = openSandbox(sandboxPath);
    const held = await other.acquireAppLock(`StripeSync:${config.companyId}`);
    simulator.advanceDays(1);
    let blocked: Sync;
    try {
      blocked = await syncOnce();
    } finally {
      await held.release();
      await other.close();
    }
    expect(blocked.summary.outcome).toBe('failed');
    expect(blocked.summary.message).toMatch(/another Stripe Sync is already writing to this Sage company/);
    expect(blocked.summary.documentsWritten).toBe(0);
    // Not the documents' fault: none parked as failed or dead, all written by the next run.
    expect(blocked.documents.failed + blocked.documents.dead).toBe(0);
    expect(blocked.documents.planned).toBeGreaterThan(0);
    const after = await syncOnce();
    expect(after.summary.outcome).toBe('succeeded');
    expect(after.documents.planned).toBe(0);
    expect(after.documents.failed + after.documents.dead).toBe(0);
  });
});
