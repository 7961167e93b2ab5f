import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';
import type { Clock } from '../../main/core/ports/clock.js';
import { ledgerSnapshot, newWorkspace, openWorkspaceRuntime, openWorkspaceRuntimeWithSagePort, runInProcess, sageSnapshot, type SageSnapshot, type Workspace } from './harness.js';
import { booksDifference, sageBooks, type SageBooks } from './sage-books.js';
import { injectSageFaults, SAGE_DOWN, TRANSIENT_MESSAGES, type SageFaultPlan } from './sage-faults.js';

/**
 * Faults on both sides end in the same Sage state as a fault-free run: Stripe 429 / 500
 * bursts, dropped connections and slow responses (simulator faults), and transient Sage
 * executor failures injected at the SQL port. A run with failures is never recorded as
 * succeeded; documents Sage could not take are retried later while Stripe keeps being read.
 */

const SEED = 23;
const DAYS = 8;
const BACKFILL_DAYS = DAYS + 5;
const HOUR = 3600;

let reference: SageSnapshot;
let referenceBooks: SageBooks;
let referenceStates: Record<string, number>;

beforeAll(async () => {
  const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
  try {
    const workspace = newWorkspace('faults-ref', simulator);
    expect((await runInProcess(simulator, workspace, { backfillDays: BACKFILL_DAYS })).outcome).toBe('succeeded');
    reference = sageSnapshot(workspace.sandboxPath);
    referenceBooks = sageBooks(workspace.sandboxPath);
    referenceStates = ledgerSnapshot(workspace).states;
  } finally {
    await simulator.close();
  }
});

/** Backoff sleeps return at once: the fault schedule, not the wall clock, is under test. */
function instantClock(simulator: StripeSimulator): Clock {
  return { now: () => simulator.now() * 1000, sleep: () => Promise.resolve() };
}

async function run(simulator: StripeSimulator, workspace: Workspace, sageFaults?: SageFaultPlan): Promise<RunSummary> {
  const { runtime, sage } = await openWorkspaceRuntimeWithSagePort(simulator, workspace, { backfillDays: BACKFILL_DAYS, clock: instantClock(simulator) });
  try {
    if (sageFaults) injectSageFaults(sage, sageFaults);
    return await runtime.engine.runOnce();
  } finally {
    await runtime.close();
  }
}

/** Runs until nothing is left to write, moving simulated time (no new activity) past Sage's retry backoff. */
async function runUntilSettled(simulator: StripeSimulator, workspace: Workspace, plan?: (attempt: number) => SageFaultPlan | undefined): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (let attempt = 1; attempt <= 25; attempt++) {
    const summary = await run(simulator, workspace, plan?.(attempt));
    summaries.push(summary);
    const states = ledgerSnapshot(workspace).states;
    if (summary.outcome === 'succeeded' && (states.planned ?? 0) === 0 && (states.failed ?? 0) === 0) return summaries;
    simulator.advanceSeconds(2 * HOUR, { generate: false });
  }
  throw new Error(`still not settled after 25 runs: ${JSON.stringify(summaries.at(-1))}`);
}

function expectSameAsReference(workspace: Workspace): void {
  const got = sageSnapshot(workspace.sandboxPath);
  expect(got.duplicateDocKeys).toEqual([]);
  expect(got.docKeys).toEqual(reference.docKeys);
  expect(got.postAmtTotal).toBe(0);
  expect(got.unbalancedJournals).toBe(0);
  expect(got.journalsWithoutXref).toBe(0);
  // Row by row: every journal's lines (account, amount, date, comment), customers and sales orders by content.
  expect(booksDifference(referenceBooks, sageBooks(workspace.sandboxPath))).toEqual([]);
  expect(got.journalHeaders).toBe(reference.journalHeaders);
  expect(got.journalLines).toBe(reference.journalLines);
  expect(got.customers).toBe(reference.customers);
  expect(got.salesOrders).toBe(reference.salesOrders);
  const ledger = ledgerSnapshot(workspace);
  expect(ledger.states).toEqual(referenceStates);
}

function expectHonestOutcomes(summaries: readonly RunSummary[]): void {
  for (const summary of summaries) {
    if (summary.documentsFailed > 0) expect(summary.outcome, JSON.stringify(summary)).not.toBe('succeeded');
  }
}

describe('Stripe faults from the simulator', () => {
  let simulator: StripeSimulator;
  beforeAll(async () => {
    simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('rides out 429 bursts, 500 bursts, dropped connections and slow responses in one run', async () => {
    simulator.faults.rateLimit({ count: 3, every: 7 });
    simulator.faults.serverError({ count: 2, every: 11 });
    simulator.faults.dropConnections({ count: 1, every: 13 });
    simulator.faults.slowResponses(3);
    const workspace = newWorkspace('faults-stripe', simulator);
    const summary = await run(simulator, workspace);
    simulator.faults.clear();
    expect(simulator.faults.injected.rate_limit).toBeGreaterThan(10);
    expect(simulator.faults.injected.server_error).toBeGreaterThan(5);
    expect(simulator.faults.injected.drop_connection).toBeGreaterThan(3);
    expect(summary.outcome).toBe('succeeded');
    expectSameAsReference(workspace);
  });

  it('records a run that Stripe kept failing as failed, and the next run completes the work', async () => {
    const fresh = await startStripeSimulator({ seed: SEED, days: DAYS });
    try {
      const workspace = newWorkspace('faults-stripe-outage', fresh);
      fresh.faults.serverError({ count: 1, every: 1, pathPrefixes: ['/v1/charges'] });
      const failed = await run(fresh, workspace);
      expect(failed.outcome).toBe('failed');
      expect(failed.message).toBeTruthy();
      expect(ledgerSnapshot(workspace).lastRun?.outcome).toBe('failed');
      fresh.faults.clear();
      const summaries = await runUntilSettled(fresh, workspace);
      expectHonestOutcomes(summaries);
      expectSameAsReference(workspace);
    } finally {
      await fresh.close();
    }
  });
});

describe('transient Sage executor faults at the SQL port', () => {
  it('retries deadlocks, timeouts and lost connections (also after COMMIT) to the same result', async () => {
    const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
    try {
      const workspace = newWorkspace('faults-sage', simulator);
      let injected = 0;
      // Deterministic schedule over the first three runs: every 13th execute (mid-transaction),
      // every 17th query and every 5th COMMIT (after Sage committed) fail as transient. The writer
      // sends a chunk's rows in a few multi-row statements, so the calls are few and the schedule dense.
      const plan: SageFaultPlan = {
        fail: (call, n) => {
          const message =
            call === 'execute' && n % 13 === 0
              ? TRANSIENT_MESSAGES[1]
              : call === 'query' && n % 17 === 0
                ? TRANSIENT_MESSAGES[2]
                : call === 'commit' && n % 5 === 0
                  ? TRANSIENT_MESSAGES[0]
                  : null;
          if (message) injected++;
          return message;
        },
      };
      const summaries = await runUntilSettled(simulator, workspace, (attempt) => (attempt <= 3 ? plan : undefined));
      expect(injected).toBeGreaterThan(5);
      expect(summaries.length).toBeGreaterThan(1);
      expect(summaries.some((summary) => summary.documentsFailed > 0)).toBe(true);
      expectHonestOutcomes(summaries);
      expectSameAsReference(workspace);
    } finally {
      await simulator.close();
    }
  });

  it('keeps reading and planning while Sage is unreachable, then forwards everything (store and forward)', async () => {
    const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
    try {
      const workspace = newWorkspace('faults-sage-down', simulator);
      const down = await run(simulator, workspace, SAGE_DOWN);
      expect(down.outcome).not.toBe('succeeded');
      expect(down.objectsSeen).toBeGreaterThan(100);
      const runtime = await openWorkspaceRuntime(simulator, workspace, { backfillDays: BACKFILL_DAYS });
      try {
        const states = runtime.ledger.documents.countDocuments();
        expect(states.written).toBe(0);
        // Money documents are planned and queued, not lost, while Sage is away.
        expect((states.planned ?? 0) + (states.failed ?? 0)).toBeGreaterThan(100);
        expect(states.dead ?? 0).toBe(0);
        expect(sageSnapshot(workspace.sandboxPath).docKeys).toEqual([]);
      } finally {
        await runtime.close();
      }
      simulator.advanceSeconds(2 * HOUR, { generate: false });
      const summaries = await runUntilSettled(simulator, workspace);
      expectHonestOutcomes([down, ...summaries]);
      // Every document, customers included, is forwarded once Sage is back.
      expectSameAsReference(workspace);
    } finally {
      await simulator.close();
    }
  });
});
