import { beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';
import type { Clock } from '../../main/core/ports/clock.js';
import { newWorkspace, openWorkspaceRuntime, sageSnapshot, type Workspace } from './harness.js';
import { booksDifference, sageBooks, type SageBooks } from './sage-books.js';
import { ledgerStatus } from '../../main/app/ledger-status.js';

/**
 * A hostile Stripe-compatible server (issue #18), end to end over HTTP into the Sage sandbox:
 * deleted objects, objects without ids or with wrong types, malformed answers, a list cursor
 * that never advances, an answer trickled a byte at a time. Each attack either rides out to
 * the same books as an undisturbed run, or parks the one bad record with its reason while
 * every other document is booked exactly as in the undisturbed run, row by row.
 */

const SEED = 41;
const DAYS = 6;
const BACKFILL_DAYS = DAYS + 5;
const HOUR = 3600;

/** Backoff sleeps return at once: the attack, not the wall clock, is under test. */
function instantClock(simulator: StripeSimulator): Clock {
  return { now: () => simulator.now() * 1000, sleep: () => Promise.resolve() };
}

async function run(simulator: StripeSimulator, workspace: Workspace, stripeDeadlineMs?: number): Promise<RunSummary> {
  const runtime = await openWorkspaceRuntime(simulator, workspace, {
    backfillDays: BACKFILL_DAYS,
    clock: instantClock(simulator),
    ...(stripeDeadlineMs ? { stripeDeadlineMs } : {}),
  });
  try {
    return await runtime.engine.runOnce();
  } finally {
    await runtime.close();
  }
}

async function withRuntime<T>(simulator: StripeSimulator, workspace: Workspace, read: (runtime: Awaited<ReturnType<typeof openWorkspaceRuntime>>) => T): Promise<T> {
  const runtime = await openWorkspaceRuntime(simulator, workspace, { backfillDays: BACKFILL_DAYS });
  try {
    return read(runtime);
  } finally {
    await runtime.close();
  }
}

/** The undisturbed history: a backfill, then two hours of business read through events. */
let reference: SageBooks;

async function twoRuns(simulator: StripeSimulator, workspace: Workspace, between?: () => void): Promise<RunSummary[]> {
  const first = await run(simulator, workspace);
  simulator.advanceSeconds(2 * HOUR);
  between?.();
  const second = await run(simulator, workspace);
  return [first, second];
}

beforeAll(async () => {
  const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
  try {
    const workspace = newWorkspace('hostile-ref', simulator);
    const outcomes = (await twoRuns(simulator, workspace)).map((summary) => summary.outcome);
    expect(outcomes).toEqual(['succeeded', 'succeeded']);
    reference = sageBooks(workspace.sandboxPath);
    expect(reference.size).toBeGreaterThan(100);
  } finally {
    await simulator.close();
  }
});

async function withSimulator(test: (simulator: StripeSimulator) => Promise<void>): Promise<void> {
  const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
  try {
    await test(simulator);
  } finally {
    await simulator.close();
  }
}

function expectBalanced(workspace: Workspace): void {
  const snapshot = sageSnapshot(workspace.sandboxPath);
  expect(snapshot.duplicateDocKeys).toEqual([]);
  expect(snapshot.unbalancedJournals).toBe(0);
  expect(snapshot.postAmtTotal).toBe(0);
}

describe('a deleted draft invoice (404 when read again)', () => {
  it('is recorded as deleted, its events count as processed, and every document is written', async () => {
    await withSimulator(async (simulator) => {
      const workspace = newWorkspace('hostile-deleted', simulator);
      let deletedId = '';
      const summaries = await twoRuns(simulator, workspace, () => {
        deletedId = simulator.draftAndDeleteInvoice(simulator.objects('customer')[0]!.id).id;
      });
      expect(summaries.map((summary) => summary.outcome)).toEqual(['succeeded', 'succeeded']);
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
      expectBalanced(workspace);
      await withRuntime(simulator, workspace, (runtime) => {
        const stored = runtime.ledger.objects.getObject(deletedId);
        expect(stored?.object).toMatchObject({ id: deletedId, object: 'invoice', deleted: true });
        expect(runtime.ledger.documents.documentsForObject(deletedId)).toEqual([]);
        expect(runtime.ledger.objects.eventIdsForObject(deletedId)).toHaveLength(2);
      });
      // The next run does not trip over the same events again.
      const third = await run(simulator, workspace);
      expect(third.outcome).toBe('succeeded');
      expect(third.eventsApplied).toBe(0);
    });
  });
});

describe('objects Stripe sends in a shape the engine cannot read', () => {
  it('parks each one with its reason while the rest of the page is booked as in the undisturbed run', async () => {
    await withSimulator(async (simulator) => {
      const charge = simulator.objects('charge').find((candidate) => candidate.status === 'succeeded')!;
      const [emptyRefund, textRefund] = simulator.objects('refund');
      simulator.faults.corruptObject(charge.id, 'no-id');
      simulator.faults.corruptObject(emptyRefund!.id, 'empty');
      simulator.faults.corruptObject(textRefund!.id, 'amount-text');
      const workspace = newWorkspace('hostile-invalid', simulator);
      const summaries = await twoRuns(simulator, workspace);
      expect(summaries.map((summary) => summary.outcome)).not.toContain('failed');
      expect(simulator.faults.injected.corrupt_object).toBeGreaterThan(2);

      const issues = await withRuntime(simulator, workspace, (runtime) => runtime.ledger.objects.objectIssues());
      const byKey = new Map(issues.map((issue) => [issue.objectId, issue]));
      // The refund with a text amount is parked when read from the refunds list; it may be booked
      // after all from the payout's transaction list, which carries it intact.
      const got = sageBooks(workspace.sandboxPath);
      const textRefundDocs = (books: SageBooks): string[] => [...books].filter(([key]) => key.includes(textRefund!.id)).map(String);
      if (byKey.has(textRefund!.id)) expect(byKey.get(textRefund!.id)!.message).toMatch(/amount: .*expected number/);
      else expect(textRefundDocs(got)).toEqual(textRefundDocs(reference));
      expect(issues.some((issue) => issue.objectId.startsWith('charges object without id #') && /id: .*expected string/.test(issue.message))).toBe(true);
      expect(issues.some((issue) => issue.objectId.startsWith('refunds object without id #'))).toBe(true);

      // Everything not derived from the three objects is booked exactly as without the attack;
      // payouts that carry their transactions wait for them (their tie-out cannot pass).
      const touched = [charge.id, emptyRefund!.id, textRefund!.id];
      const unaffected = (key: string): boolean => !touched.some((id) => key.includes(id)) && !key.startsWith('po_') && !key.startsWith('summary:');
      expect(booksDifference(reference, got, unaffected)).toEqual([]);
      expectBalanced(workspace);
    });
  });
});

describe('Sage numbers written back to Stripe metadata', () => {
  it('parks a write-back Stripe refuses (customer deleted) and keeps the others flowing; a 409 lock_timeout is retried', async () => {
    await withSimulator(async (simulator) => {
      const deleted = simulator.objects('customer')[0]!;
      simulator.faults.deleteForWrites([deleted.id]);
      simulator.faults.lockTimeouts({ count: 2, pathPrefixes: ['/v1/customers'] });
      const workspace = newWorkspace('hostile-write-back', simulator);
      const summaries = await twoRuns(simulator, workspace);
      expect(summaries.map((summary) => summary.outcome)).toEqual(['succeeded', 'succeeded']);
      expect(simulator.faults.injected.lock_timeout).toBe(2);
      // Asked once, parked, not asked again on every run.
      expect(simulator.faults.injected.deleted_for_write).toBe(1);
      await withRuntime(simulator, workspace, (runtime) => {
        expect(runtime.ledger.documents.pendingWriteBacks(10)).toEqual([]);
        const parked = runtime.ledger.objects.objectIssues().filter((issue) => issue.objectId.endsWith(' write-back'));
        expect(parked).toHaveLength(1);
        expect(parked[0]!.objectId.startsWith(deleted.id)).toBe(true);
        expect(parked[0]!.message).toMatch(/No such customer.*add sage_cust_id = \S+ to cus_/);
        const created = runtime.ledger.documents
          .documentsInState('written', 100_000)
          .filter((doc) => doc.document.type === 'customer' && doc.document.action !== 'update');
        const linked = simulator.objects('customer').filter((customer) => customer.metadata['sage_cust_id']);
        expect(created.length).toBeGreaterThan(5);
        expect(linked.map((customer) => customer.id).sort()).toEqual(created.map((doc) => doc.stripeObjectId).filter((id) => id !== deleted.id).sort());
      });
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    });
  });
});

describe('malformed answers', () => {
  it('retries a `{}`, a `data: null` list and cut-off JSON, and ends with the same books', async () => {
    await withSimulator(async (simulator) => {
      const workspace = newWorkspace('hostile-malformed', simulator);
      simulator.faults.malformedBodies({ body: 'empty-object', count: 1, pathPrefixes: ['/v1/charges'] });
      const first = await run(simulator, workspace);
      simulator.faults.malformedBodies({ body: 'data-null', count: 1, pathPrefixes: ['/v1/events'] });
      simulator.advanceSeconds(2 * HOUR);
      const second = await run(simulator, workspace);
      expect(simulator.faults.injected.malformed_body).toBe(2);
      expect([first.outcome, second.outcome]).toEqual(['succeeded', 'succeeded']);
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    });
  });

  it('fails the run with a message naming the endpoint when every answer is malformed, and the next run catches up', async () => {
    await withSimulator(async (simulator) => {
      const workspace = newWorkspace('hostile-malformed-always', simulator);
      simulator.faults.malformedBodies({ body: 'truncated', count: 1, every: 1, pathPrefixes: ['/v1/disputes'] });
      const failed = await run(simulator, workspace);
      expect(failed.outcome).toBe('failed');
      expect(failed.message).toMatch(/disputes|JSON/i);
      simulator.faults.clear();
      simulator.advanceSeconds(2 * HOUR);
      expect((await run(simulator, workspace)).outcome).toBe('succeeded');
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    });
  });
});

describe('a list cursor that never advances', () => {
  it('stops that listing with a clear error instead of paging forever, in a backfill and in the event poll', async () => {
    await withSimulator(async (simulator) => {
      const workspace = newWorkspace('hostile-cursor', simulator);
      simulator.faults.stuckCursor(['/v1/charges']);
      const backfill = await run(simulator, workspace);
      expect(backfill.outcome).toBe('failed');
      expect(backfill.message).toMatch(/list of charges does not advance/);
      simulator.faults.clear();
      expect((await run(simulator, workspace)).outcome).toBe('succeeded');

      simulator.advanceSeconds(2 * HOUR);
      simulator.faults.stuckCursor(['/v1/events']);
      const poll = await run(simulator, workspace);
      expect(poll.outcome).toBe('failed');
      expect(poll.message).toMatch(/list of events does not advance/);
      // A handful of requests, not an endless loop.
      expect(simulator.faults.injected.stuck_cursor).toBeLessThan(10);
      simulator.faults.clear();
      expect((await run(simulator, workspace)).outcome).toBe('succeeded');
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    });
  });
});

describe('an answer trickled one byte at a time', () => {
  it('is cut off at the request deadline and retried, so the run finishes with the same books', async () => {
    await withSimulator(async (simulator) => {
      const workspace = newWorkspace('hostile-trickle', simulator);
      simulator.faults.trickle({ byteEveryMs: 40, count: 2, pathPrefixes: ['/v1/charges'] });
      const started = Date.now();
      const first = await run(simulator, workspace, 500);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(simulator.faults.injected.trickle).toBe(2);
      expect(first.outcome).toBe('succeeded');
      simulator.faults.clear();
      simulator.advanceSeconds(2 * HOUR);
      expect((await run(simulator, workspace)).outcome).toBe('succeeded');
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    });
  });
});

describe('two objects claiming one balance transaction', () => {
  it('books the transaction once, with the object Stripe names as its source, and parks the other with the reason', async () => {
    await withSimulator(async (simulator) => {
      const charges = simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && typeof charge.balance_transaction === 'string');
      const [owner, claimant] = [charges[0]!, charges[1]!];
      const ownersTransaction = owner.balance_transaction as string;
      simulator.faults.duplicateClaimant(claimant.id, ownersTransaction);
      const workspace = newWorkspace('hostile-claimant', simulator);
      const summaries = await twoRuns(simulator, workspace);
      expect(summaries.map((summary) => summary.outcome)).not.toContain('failed');
      expect(simulator.faults.injected.duplicate_claimant).toBeGreaterThan(0);

      const issues = await withRuntime(simulator, workspace, (runtime) => runtime.ledger.objects.objectIssues());
      const issue = issues.find((candidate) => candidate.objectId === claimant.id);
      expect(issue?.errorClass).toBe('data');
      expect(issue?.message).toContain(`${claimant.id} names balance transaction ${ownersTransaction}, but Stripe records that transaction as ${owner.id}'s`);

      const got = sageBooks(workspace.sandboxPath);
      const ownerDocs = (books: SageBooks) => [...books].filter(([key]) => key.includes(owner.id));
      expect(ownerDocs(got)).toEqual(ownerDocs(reference));
      expect([...got.keys()].filter((key) => key.includes(claimant.id))).toEqual([]);
      // Everything else is booked as in the undisturbed run, except what waits on the parked charge: its own
      // journal, and the payout carrying its real transaction, which cannot tie out without it.
      const differences = booksDifference(reference, got);
      const differingKeys = differences.map((difference) => difference.split('\n')[0]!);
      expect(differences.every((difference) => difference.includes('actual:   (absent)'))).toBe(true);
      expect(differingKeys.filter((key) => key.includes(claimant.id))).toHaveLength(1);
      expect(differingKeys.filter((key) => !key.includes(claimant.id)).every((key) => key.startsWith('po_'))).toBe(true);
      expect(differingKeys.length).toBeLessThanOrEqual(2);
      expectBalanced(workspace);
    });
  });
});

describe('one kind of list that keeps failing', () => {
  it('fails the whole run visibly, with the reason in the status, and the next healthy run catches up', async () => {
    await withSimulator(async (simulator) => {
      const workspace = newWorkspace('hostile-failing-list', simulator);
      simulator.faults.serverError({ count: 1, every: 1, pathPrefixes: ['/v1/refunds'] });
      const failed = await run(simulator, workspace);
      expect(failed.outcome).toBe('failed');
      expect(failed.message).toMatch(/refunds/);
      const status = await withRuntime(simulator, workspace, (runtime) => ledgerStatus(runtime.ledger));
      expect(status.lastRun).toMatchObject({ outcome: 'failed', message: failed.message });
      simulator.faults.clear();
      simulator.advanceSeconds(2 * HOUR);
      expect((await run(simulator, workspace)).outcome).toBe('succeeded');
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    });
  });
});
