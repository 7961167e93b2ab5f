import type { AnySyncedObject, StripeBalanceTransaction, StripeInvoicePayment, SyncedKind } from '../stripe/objects.js';
import { storeSpineTransactions, SPINE_LIST_EXPAND } from './balance-transaction-spine.js';
import type { StripeListPath } from '../ports/stripe-api.js';
import type { RunContext } from './engine-context.js';
import { LIST_SPECS } from './list-specs.js';
import { withCompleteInvoiceLines } from './invoice-lines.js';
import { storeInvoicePayments, storeObjects } from './object-store.js';

/**
 * Lists objects of each kind created in [from, to], newest first, 100 to a request with
 * everything expanded that planning needs. After each page the position is checkpointed
 * under `checkpoint`, so a stopped backfill resumes at the next page instead of starting
 * over.
 *
 * Against live Stripe a list request takes about 300 ms and each endpoint allows about 25
 * requests a second, so listing one page after another would use a tenth of the allowance.
 * The kinds are therefore listed concurrently (each is its own endpoint, paced by the
 * StripeReader), and a long list is cut into time slices listed side by side: the first page
 * tells how far back 100 objects reach, and when the rest would take more than
 * SLICE_MIN_PAGES pages, the remaining range is split. Order between kinds does not matter
 * here: only customers are planned before every list is read (`onStepListed`, once their own
 * list is complete); a transaction's source met first in the balance-transaction history is
 * stored from there and stored again, unchanged, by its own list.
 */

interface Slice {
  /** Created bounds of the slice (gte null: from the beginning). */
  gte: number | null;
  lte: number;
  after: string | null;
  done: boolean;
}

interface Checkpoint {
  done: boolean;
  /** The slices being listed; absent before the first page. */
  slices?: Slice[];
  /** A checkpoint written before slicing: one list's position. */
  after?: string | null;
}

/** A list expected to need more pages than this after its first is split into slices. */
const SLICE_MIN_PAGES = 12;
/** Pages each slice should take at least, and the most slices one list is cut into. */
const PAGES_PER_SLICE = 6;
const MAX_SLICES = 8;

type ListedObject = AnySyncedObject | StripeInvoicePayment | StripeBalanceTransaction;

export type ListingStep = SyncedKind | 'invoice_payment' | 'balance_transaction';

export async function listObjectsInRange(
  context: RunContext,
  steps: readonly ListingStep[],
  range: { from: number | null; to: number },
  checkpoint: string,
  phase: 'backfill' | 'catch-up',
  /** Called when a step's list is read to the end (at once for a step a resumed run had finished), while the others go on. */
  onStepListed?: (step: ListingStep) => void,
): Promise<void> {
  await allOrFirstError(
    steps.map((step) => async (stop) => {
      await listStep(context, step, range, `${checkpoint}:${step}`, phase, stop);
      onStepListed?.(step);
    }),
  );
}

async function listStep(
  context: RunContext,
  step: ListingStep,
  range: { from: number | null; to: number },
  name: string,
  phase: 'backfill' | 'catch-up',
  stop: StopSignal,
): Promise<void> {
  const saved = readCheckpoint(context.ledger.runs.getCursor(name));
  if (saved.done) return;
  const { path, expand } = listingOf(step);
  const save = (slices: Slice[]): void => context.ledger.runs.setCursor(name, JSON.stringify({ done: false, slices } satisfies Checkpoint));
  const progress = new ListProgress(range);

  const store = async (page: ListedObject[], slice: Slice): Promise<void> => {
    if (step === 'invoice_payment') storeInvoicePayments(context.ledger, page as StripeInvoicePayment[]);
    else if (step === 'balance_transaction') storeSpineTransactions(context.ledger, page as StripeBalanceTransaction[]);
    else storeObjects(context.ledger, await withCompleteInvoiceLines(context.stripe, page as AnySyncedObject[]));
    const last = page[page.length - 1]!;
    slice.after = last.id;
    progress.add(page.length, slice, last.created);
    context.counters.objectsSeen += page.length;
    context.emit({ type: 'progress', progress: { phase, kind: step === 'invoice_payment' || step === 'balance_transaction' ? null : step, done: progress.done, total: progress.total() } });
  };

  let slices = saved.slices ?? (saved.after ? [{ gte: range.from, lte: range.to, after: saved.after, done: false }] : null);
  if (slices === null) {
    // The first page, alone: how far back it reaches decides whether the rest is sliced.
    const first = await context.stripe.list<ListedObject>(path, { created: createdOf(range.from, range.to), limit: 100, ...(expand.length ? { expand } : {}) });
    const whole: Slice = { gte: range.from, lte: range.to, after: null, done: !first.has_more };
    if (first.data.length > 0) await store(first.data, whole);
    whole.after = first.lastId;
    slices = first.has_more && first.data.length > 0 ? sliceRest(whole, first.data[first.data.length - 1]!.created, first.data.length, range) : [whole];
    save(slices);
  }
  const listed = slices;
  await allOrFirstError(
    listed.filter((slice) => !slice.done).map((slice) => async () => {
      await context.stripe.listEach<ListedObject>(
        path,
        { created: createdOf(slice.gte, slice.lte), ...(expand.length ? { expand } : {}), ...(slice.after ? { starting_after: slice.after } : {}) },
        async (page, hasMore) => {
          await store(page, slice);
          slice.done = !hasMore;
          save(listed);
          // A page already read is kept; only then does a list stop because a sibling failed.
          if (stop.stopped) throw new ListingStopped();
        },
      );
      slice.done = true;
      save(listed);
    }),
    stop,
  );
  context.ledger.runs.setCursor(name, JSON.stringify({ done: true } satisfies Checkpoint));
}

/**
 * The rest of a list after its first page (which reached back to `oldest`), as slices: the
 * first continues from the page's cursor, the others cover older, disjoint ranges.
 */
function sliceRest(whole: Slice, oldest: number, firstPageSize: number, range: { from: number | null; to: number }): Slice[] {
  const rest: Slice = { ...whole, lte: oldest };
  if (range.from === null || oldest <= range.from) return [rest];
  const pagesLeft = (firstPageSize * (oldest - range.from)) / Math.max(1, range.to - oldest) / 100;
  if (pagesLeft <= SLICE_MIN_PAGES) return [rest];
  const count = Math.min(MAX_SLICES, Math.floor(pagesLeft / PAGES_PER_SLICE), oldest - range.from);
  const span = oldest - range.from;
  // Edges from newest to oldest: slice i covers [edge(i+1), edge(i)], less the newer slice's first second.
  const edge = (i: number): number => oldest - Math.floor((span * i) / count);
  return Array.from({ length: count }, (_, i) => ({
    gte: i === count - 1 ? range.from : edge(i + 1),
    lte: i === 0 ? oldest : edge(i) - 1,
    after: i === 0 ? whole.after : null,
    done: false,
  }));
}

function createdOf(gte: number | null, lte: number): { gte?: number; lte: number } {
  return gte === null ? { lte } : { gte, lte };
}

/** Objects listed so far and an estimate of the total from how much of the range the slices have covered. */
class ListProgress {
  done = 0;
  private readonly reached = new Map<Slice, number>();

  constructor(private readonly range: { from: number | null; to: number }) {}

  add(count: number, slice: Slice, oldestCreated: number): void {
    this.done += count;
    this.reached.set(slice, oldestCreated);
  }

  total(): number | null {
    if (this.range.from === null) return null;
    const span = this.range.to - this.range.from;
    let covered = 0;
    for (const [slice, oldest] of this.reached) covered += Math.max(0, slice.lte - oldest);
    if (span <= 0 || covered <= 0) return null;
    return Math.max(this.done, Math.round((this.done * span) / covered));
  }
}

interface StopSignal {
  stopped: boolean;
}

/** Thrown into a list still running when a sibling failed, so it stops at its next page. */
class ListingStopped extends Error {}

/**
 * Runs the tasks concurrently and settles only when every one has: when one fails, the
 * others (and any other task sharing `stop`) stop at their next page, so nothing keeps
 * writing to the ledger after the run has failed; the first real error is rethrown.
 */
async function allOrFirstError(tasks: readonly ((stop: StopSignal) => Promise<void>)[], stop: StopSignal = { stopped: false }): Promise<void> {
  const results = await Promise.allSettled(
    tasks.map(async (task) => {
      try {
        await task(stop);
      } catch (error) {
        stop.stopped = true;
        throw error;
      }
    }),
  );
  const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  const first = failed.find((result) => !(result.reason instanceof ListingStopped)) ?? failed[0];
  if (first) throw first.reason;
}

function listingOf(step: ListingStep): { path: StripeListPath; expand: string[] } {
  if (step === 'invoice_payment') return { path: 'invoice_payments', expand: [] };
  if (step === 'balance_transaction') return { path: 'balance_transactions', expand: SPINE_LIST_EXPAND };
  return LIST_SPECS[step];
}

function readCheckpoint(text: string | null): Checkpoint {
  if (!text) return { done: false };
  return JSON.parse(text) as Checkpoint;
}

export function clearCheckpoints(context: RunContext, checkpoint: string, steps: readonly ListingStep[]): void {
  for (const step of steps) context.ledger.runs.setCursor(`${checkpoint}:${step}`, null);
}
