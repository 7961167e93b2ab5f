import type { Clock } from '../ports/clock.js';
import type { Ledger } from '../ports/ledger.js';
import type { SageTarget } from '../ports/sage-target.js';
import type { StripeApi } from '../ports/stripe-api.js';
import { MONEY_KINDS } from './list-specs.js';
import { SYNCED_KINDS } from '../stripe/objects.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions, type RunContext } from './engine-context.js';
import type { EngineEvent, EngineListener, RunSummary } from './engine-events.js';
import { pollEvents } from './event-poll.js';
import { clearCheckpoints, listObjectsInRange, type ListingStep } from './object-listing.js';
import { withCompleteInvoiceLines } from './invoice-lines.js';
import { storeObjects } from './object-store.js';
import { itemiseReconciledPayouts } from './payout-itemising.js';
import { checkDrift } from './drift-checks.js';
import { planChangedObjects } from './plan-pass.js';
import { StripeReader } from './stripe-reader.js';
import { parkInvalidObjects } from './invalid-objects.js';
import { writeBackPending } from './metadata-write-back.js';
import { recoverInterruptedWrites, writePlannedDocuments } from './write-pass.js';
import { rereadObject } from './object-refresh.js';
import {
  CURSOR_BACKFILL_DONE,
  CURSOR_BACKFILL_T0,
  CURSOR_DRIFT_CHECK,
  CURSOR_HIGH_WATER,
  CURSOR_POLLED_AT,
  CURSOR_SWEEP_DAY,
  CURSOR_SWEEP_WEEK,
} from './run-cursors.js';

const DAY = 86_400;

const BACKFILL_STEPS: readonly ListingStep[] = ['invoice_payment', ...SYNCED_KINDS];
const CATCH_UP_STEPS: readonly ListingStep[] = ['invoice_payment', ...MONEY_KINDS];

export interface SyncEngineDeps {
  ledger: Ledger;
  stripe: StripeApi;
  sage: SageTarget;
  clock: Clock;
  options?: Partial<EngineOptions>;
  /** Stripe requests per second per endpoint; null for no throttle (the local simulator). */
  stripeRequestsPerSecond?: number | null;
}

/**
 * One sync cycle end to end: recover interrupted writes, read Stripe (first-run backfill,
 * long-outage catch-up, or incremental events with straggler sweeps), itemise reconciled
 * payouts, plan, write, then plan and write payouts once their tie-out proof passes.
 * Single-flight: a second call while a run is going returns the same run.
 */
export class SyncEngine {
  private readonly listeners = new Set<EngineListener>();
  private readonly options: EngineOptions;
  private current: Promise<RunSummary> | null = null;

  constructor(private readonly deps: SyncEngineDeps) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get running(): boolean {
    return this.current !== null;
  }

  runOnce(): Promise<RunSummary> {
    if (!this.current) {
      this.current = this.run().finally(() => {
        this.current = null;
      });
    }
    return this.current;
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async run(): Promise<RunSummary> {
    const { ledger, clock } = this.deps;
    const startedAt = new Date(clock.now()).toISOString();
    const runId = ledger.runs.startRun(startedAt);
    const stripe = new StripeReader(this.deps.stripe, clock, {
      requestsPerSecond: this.deps.stripeRequestsPerSecond === undefined ? 20 : this.deps.stripeRequestsPerSecond,
      onRetry: (reason, delayMs) => this.emit({ type: 'warning', code: 'stripe-retry', message: `${reason}; retrying in ${Math.round(delayMs / 1000)} s` }),
      onRejected: (rejected) => parkInvalidObjects(ledger, (event) => this.emit(event), rejected),
    });
    const context: RunContext = {
      runId,
      ledger,
      stripe,
      sage: this.deps.sage,
      clock,
      options: this.options,
      emit: (event) => this.emit(event),
      nowSeconds: () => Math.floor(clock.now() / 1000),
      counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0, errors: [] },
    };
    this.emit({ type: 'run-started', runId });
    let outcome: RunSummary['outcome'];
    let message: string | null = null;
    try {
      const mapping = ledger.mappings.currentMapping();
      if (!mapping) throw new Error('no mapping is saved yet; run the settings wizard or `s5sync sync` with a config');
      await recoverInterruptedWrites(context);
      await writeBackPending(context);
      await this.readStripe(context);
      await itemiseReconciledPayouts(context);
      await planChangedObjects(context, mapping, 'all-but-payouts');
      if (!this.options.shadowMode) await writePlannedDocuments(context);
      // Twice: the first pass books transactions of the payout that belong to no synced object.
      for (let pass = 0; pass < 2; pass++) {
        await planChangedObjects(context, mapping, 'payouts');
        if (!this.options.shadowMode) await writePlannedDocuments(context);
      }
      this.checkDriftWhenDue(context);
      outcome = context.counters.documentsFailed > 0 ? 'completed-with-errors' : 'succeeded';
      if (context.counters.documentsFailed > 0) message = `${context.counters.documentsFailed} document(s) could not be written`;
    } catch (error) {
      outcome = 'failed';
      message = error instanceof Error ? error.message : String(error);
    }
    const summary: RunSummary = {
      runId,
      startedAt,
      finishedAt: new Date(clock.now()).toISOString(),
      outcome,
      objectsSeen: context.counters.objectsSeen,
      eventsApplied: context.counters.eventsApplied,
      documentsWritten: context.counters.documentsWritten,
      documentsFailed: context.counters.documentsFailed,
      stripeRequests: stripe.requestCount,
      message,
    };
    ledger.runs.finishRun(summary);
    this.emit({ type: 'run-finished', summary });
    return summary;
  }

  private async readStripe(context: RunContext): Promise<void> {
    const { ledger } = context;
    const now = context.nowSeconds();
    if (!ledger.runs.getCursor(CURSOR_BACKFILL_DONE)) {
      const t0 = Number(ledger.runs.getCursor(CURSOR_BACKFILL_T0) ?? now);
      ledger.runs.setCursor(CURSOR_BACKFILL_T0, String(t0));
      const from = this.options.backfillDays === 'all' ? null : t0 - this.options.backfillDays * DAY;
      await listObjectsInRange(context, BACKFILL_STEPS, { from, to: t0 }, 'backfill', 'backfill');
      ledger.runs.setCursor(CURSOR_HIGH_WATER, String(t0));
      ledger.runs.setCursor(CURSOR_SWEEP_DAY, String(now));
      ledger.runs.setCursor(CURSOR_SWEEP_WEEK, String(now));
      ledger.runs.setCursor(CURSOR_BACKFILL_DONE, String(t0));
    }
    let highWater = Number(ledger.runs.getCursor(CURSOR_HIGH_WATER));
    if (now - highWater > this.options.gapDays * DAY) {
      await this.catchUp(context, highWater, now);
      highWater = now - this.options.overlapSeconds;
      ledger.runs.setCursor(CURSOR_HIGH_WATER, String(highWater));
    }
    // Read from the newer of the last event seen and the last poll, less the overlap: a quiet
    // account then costs one request per poll instead of re-listing its last events forever.
    const polledAt = Number(ledger.runs.getCursor(CURSOR_POLLED_AT) ?? 0);
    const polled = await pollEvents(context, Math.max(highWater, polledAt) - this.options.overlapSeconds);
    if (polled.highWater !== null && polled.highWater > highWater) ledger.runs.setCursor(CURSOR_HIGH_WATER, String(polled.highWater));
    ledger.runs.setCursor(CURSOR_POLLED_AT, String(now));
    await this.sweep(context, CURSOR_SWEEP_DAY, 3_600, DAY);
    await this.sweep(context, CURSOR_SWEEP_WEEK, DAY, 7 * DAY);
  }

  /**
   * Drift checks read every balance transaction and written journal, so they run once an hour
   * (and after a run that wrote something), not on every idle poll.
   */
  private checkDriftWhenDue(context: RunContext): void {
    const now = context.nowSeconds();
    const last = Number(context.ledger.runs.getCursor(CURSOR_DRIFT_CHECK) ?? 0);
    if (context.counters.documentsWritten === 0 && now - last < 3_600) return;
    checkDrift(context);
    context.ledger.runs.setCursor(CURSOR_DRIFT_CHECK, String(now));
  }

  /** Re-reads a wide window of events now and then: catches events that became visible late. */
  private async sweep(context: RunContext, cursor: string, everySeconds: number, windowSeconds: number): Promise<void> {
    const now = context.nowSeconds();
    const last = Number(context.ledger.runs.getCursor(cursor) ?? 0);
    if (now - last < everySeconds) return;
    await pollEvents(context, now - windowSeconds);
    context.ledger.runs.setCursor(cursor, String(now));
  }

  /**
   * Stripe keeps events for 30 days. After a longer gap the event list cannot be trusted to
   * be complete, so money objects are re-listed by creation time since just before the
   * gap, customers are rescanned in full, and invoices we hold as open are re-read.
   */
  private async catchUp(context: RunContext, highWater: number, now: number): Promise<void> {
    const days = Math.floor((now - highWater) / DAY);
    context.emit({
      type: 'warning',
      code: 'long-outage',
      message: `Stripe Sync last read Stripe ${days} days ago; Stripe keeps events for 30 days, so everything since then is being re-read from Stripe's lists`,
    });
    const checkpoint = `catch-up:${highWater}`;
    await listObjectsInRange(context, CATCH_UP_STEPS, { from: highWater - DAY, to: now }, checkpoint, 'catch-up');
    await listObjectsInRange(context, ['customer'], { from: null, to: now }, checkpoint, 'catch-up');
    for (const id of context.ledger.objects.openInvoiceIds()) {
      const invoice = await rereadObject(context, 'invoice', id, context.ledger.objects.getObject(id)?.created ?? 0);
      if (invoice) storeObjects(context.ledger, await withCompleteInvoiceLines(context.stripe, [invoice]));
    }
    clearCheckpoints(context, checkpoint, [...CATCH_UP_STEPS, 'customer']);
  }
}
