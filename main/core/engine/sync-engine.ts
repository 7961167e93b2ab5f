import type { ArPayments } from '../ar/ar-payments.js';
import { forgetProductCatalogue, readProductCatalogueOnce } from './product-catalogue.js';
import type { Mapping } from '../mapping/mapping.js';
import { releasePreviewedDocuments } from './go-live.js';
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
import { planChangedObjects, type PlanPassResult } from './plan-pass.js';
import { StripeReader } from './stripe-reader.js';
import { parkInvalidObjects } from './invalid-objects.js';
import { applyWriteBacks, finishPendingWriteBacks, startPendingWriteBacks, writeBackPending, type IntendedWriteBack } from './metadata-write-back.js';
import { EarlyCustomers } from './early-customers.js';
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
import { markSpineStart, planStandaloneTransactions, readRecentTransactions, SPINE_FROM_CURSOR, SPINE_LIST_EXPAND, storeSpineTransactions } from './balance-transaction-spine.js';
import { balanceProofDue, fixOpeningInShadow, proveBalanceAfterRun } from './balance-proof-step.js';
import { planOpeningBalance } from './opening-balance.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';
import { DEFAULT_STRIPE_REQUESTS_PER_SECOND } from '../defaults.js';

const DAY = 86_400;

const BACKFILL_STEPS: readonly ListingStep[] = ['invoice_payment', ...SYNCED_KINDS, 'balance_transaction'];
const CATCH_UP_STEPS: readonly ListingStep[] = ['invoice_payment', ...MONEY_KINDS, 'balance_transaction'];

export interface SyncEngineDeps {
  ledger: Ledger;
  stripe: StripeApi;
  sage: SageTarget;
  clock: Clock;
  /** The release is required: the app passes its own (EngineOptions.release). */
  options: Partial<EngineOptions> & Pick<EngineOptions, 'release'>;
  /** Stripe requests per second per endpoint; null for no throttle (the local simulator). */
  stripeRequestsPerSecond?: number | null;
  /** AR payments, given only where the site proved its cash receipt (main/app/ar-readiness.ts). */
  arPayments?: ArPayments | null;
}

/**
 * One sync cycle end to end, in named steps: recover (what an earlier run left), read Stripe
 * (first-run backfill, long-outage catch-up, or incremental events with straggler sweeps, then
 * itemise reconciled payouts), plan, write, reconcile (plan and write payouts whose tie-out
 * proof passes), write back (Stripe metadata planning asked for), drift checks, and the balance proof after a run that read the balance-transaction history. Planning only
 * returns documents and intended write-backs; the steps apply them.
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
      requestsPerSecond: this.deps.stripeRequestsPerSecond === undefined ? DEFAULT_STRIPE_REQUESTS_PER_SECOND : this.deps.stripeRequestsPerSecond,
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
      counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
      sageUnavailable: null,
      arPayments: this.deps.arPayments ?? null,
    };
    this.emit({ type: 'run-started', runId });
    let outcome: RunSummary['outcome'];
    let message: string | null = null;
    try {
      const mapping = ledger.mappings.currentMapping();
      if (!mapping) throw new Error('no mapping is saved yet; run the settings wizard or `s5sync sync` with a config');
      await this.recover(context);
      if (!this.options.shadowMode) ledger.inTransaction(() => releasePreviewedDocuments(ledger.documents, this.options.goLiveDate));
      const early = new EarlyCustomers(context, mapping);
      const { spineRead, earlyWriteBacks } = await this.read(context, early);
      const planned = await this.plan(context, mapping);
      await this.write(context);
      const reconciled = await this.reconcile(context, mapping);
      await finishPendingWriteBacks(context);
      await applyWriteBacks(context, [...earlyWriteBacks, ...planned.writeBacks, ...reconciled.writeBacks]);
      this.checkDriftWhenDue(context);
      // A run that wrote documents changed the clearing account even when it read nothing new
      // (a retry, a period opened again): the last proof would still list them as not booked.
      const proofDue = spineRead || context.counters.documentsWritten > 0 || balanceProofDue(ledger.runs);
      const proofProblem = proofDue && !this.options.shadowMode ? await this.proveBalance(context, mapping.mapping) : null;
      if (spineRead && this.options.shadowMode && this.options.goLiveDate) await this.fixOpeningInShadow(context, mapping.mapping);
      outcome = context.counters.documentsFailed > 0 || proofProblem !== null ? 'completed-with-errors' : 'succeeded';
      // A run that wrote everything can still leave money waiting: say so rather than a bare "succeeded".
      const stuckPayouts = context.ledger.reconciliation.countPayoutsArrivedNotTiedOut(context.nowSeconds());
      const problems = [
        context.counters.documentsFailed > 0 ? `${context.counters.documentsFailed} document(s) could not be written` : null,
        proofProblem,
        stuckPayouts > 0 ? `${stuckPayouts} payout(s) past their arrival date not tied out yet (see Payouts)` : null,
      ].filter((problem): problem is string => problem !== null);
      if (problems.length > 0) message = problems.join('; ');
      if (context.sageUnavailable !== null) {
        outcome = 'failed';
        message = context.sageUnavailable;
        this.emit({ type: 'warning', code: 'sage-unavailable', message: context.sageUnavailable });
      }
    } catch (error) {
      outcome = 'failed';
      message = error instanceof Error ? error.message : String(error);
      // Its own failures are warnings; what matters here is that nothing outlives the run.
      await finishPendingWriteBacks(context).catch(() => undefined);
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

  /**
   * The balance proof after a run that read the balance-transaction history. A proof that
   * does not hold makes the run "completed with errors"; Stripe not answering only warns.
   */
  private async proveBalance(context: RunContext, mapping: Mapping): Promise<string | null> {
    try {
      const proof = await proveBalanceAfterRun(context, mapping);
      return proof.holds ? null : `the clearing account differs from Stripe's balance by ${proof.unexplained} that no transaction explains`;
    } catch (error) {
      context.emit({ type: 'warning', code: 'balance-proof', message: `Stripe's balance could not be read for the balance proof: ${error instanceof Error ? error.message : String(error)}` });
      return null;
    }
  }

  /** The opening balance for the go-live proposal; Stripe not answering only warns (the next run tries again). */
  private async fixOpeningInShadow(context: RunContext, mapping: Mapping): Promise<void> {
    await fixOpeningInShadow(context, mapping).catch((error: unknown) =>
      context.emit({ type: 'warning', code: 'balance-proof', message: `Stripe's balance could not be read for the opening balance at go-live: ${error instanceof Error ? error.message : String(error)}` }),
    );
  }

  /**
   * Finishes what an earlier run left: documents interrupted while writing (Sage is asked
   * whether they arrived), and Sage numbers not yet written back to Stripe.
   */
  private async recover(context: RunContext): Promise<void> {
    await recoverInterruptedWrites(context);
    await writeBackPending(context);
  }

  /**
   * Stripe into the ledger: objects, events and the balance-transaction history, then the
   * transaction lists of reconciled payouts; in a backfill the customers are planned and
   * written meanwhile (early-customers.ts). `spineRead`: the history was read (the balance proof is due).
   */
  private async read(context: RunContext, early: EarlyCustomers): Promise<{ spineRead: boolean; earlyWriteBacks: IntendedWriteBack[] }> {
    let spineRead: boolean;
    try {
      spineRead = await this.readStripe(context, early);
      await itemiseReconciledPayouts(context);
    } finally {
      await early.settle();
    }
    const earlyWriteBacks = await early.finish();
    // The CustIDs of the customers written meanwhile go to Stripe beside the planning and writing.
    startPendingWriteBacks(context);
    return { spineRead, earlyWriteBacks };
  }

  /**
   * Every changed object but payouts becomes documents, then every balance transaction no object
   * books (balance-transaction-spine.ts), and the opening-balance journal at go-live once the user
   * confirmed it (opening-balance.ts).
   */
  private async plan(context: RunContext, mapping: { version: number; mapping: Mapping }): Promise<PlanPassResult> {
    const planned = await planChangedObjects(context, mapping, 'all-but-payouts');
    planStandaloneTransactions(context, mapping);
    planOpeningBalance(context, mapping);
    return planned;
  }

  /** Planned documents into Sage; nothing in shadow mode. */
  private async write(context: RunContext): Promise<void> {
    if (!this.options.shadowMode) await writePlannedDocuments(context);
  }

  /**
   * Payouts are planned after the money they carry is written: each is proved against the
   * ledger (payout-planning.ts) and its journal written once the proof passes. A payout proved
   * against the running clearing balance (manual, instant, negative) can need the journal of an
   * earlier payout of the same run, so the step goes again while it books something new.
   */
  private async reconcile(context: RunContext, mapping: { version: number; mapping: Mapping }): Promise<PlanPassResult> {
    const reconciled: PlanPassResult = { planned: 0, writeBacks: [] };
    for (;;) {
      const writtenBefore = context.counters.documentsWritten;
      const pass = await planChangedObjects(context, mapping, 'payouts');
      await this.write(context);
      reconciled.planned += pass.planned;
      reconciled.writeBacks.push(...pass.writeBacks);
      if (pass.planned === 0 || context.counters.documentsWritten === writtenBefore) return reconciled;
    }
  }

  /** Reads Stripe; true when the balance-transaction history was read this run (so the proof is due). */
  private async readStripe(context: RunContext, early: EarlyCustomers): Promise<boolean> {
    const { ledger } = context;
    const now = context.nowSeconds();
    let listedHistory = false;
    if (!ledger.runs.getCursor(CURSOR_BACKFILL_DONE)) {
      const t0 = Number(ledger.runs.getCursor(CURSOR_BACKFILL_T0) ?? now);
      ledger.runs.setCursor(CURSOR_BACKFILL_T0, String(t0));
      const from = this.options.historyFrom
        ? earliestInstantOf(this.options.historyFrom)
        : this.options.backfillDays === 'all'
          ? null
          : t0 - this.options.backfillDays * DAY;
      await listObjectsInRange(context, BACKFILL_STEPS, { from, to: t0 }, 'backfill', 'backfill', early.onStepListed);
      markSpineStart(ledger, from, t0);
      listedHistory = true;
      ledger.runs.setCursor(CURSOR_HIGH_WATER, String(t0));
      ledger.runs.setCursor(CURSOR_SWEEP_DAY, String(now));
      ledger.runs.setCursor(CURSOR_SWEEP_WEEK, String(now));
      ledger.runs.setCursor(CURSOR_BACKFILL_DONE, String(t0));
    }
    if (ledger.runs.getCursor(SPINE_FROM_CURSOR) === null) {
      // A ledger from before the spine: read the history of the original backfill window once.
      const t0 = Number(ledger.runs.getCursor(CURSOR_BACKFILL_DONE));
      const from = this.options.backfillDays === 'all' ? null : t0 - this.options.backfillDays * DAY;
      await listObjectsInRange(context, ['balance_transaction'], { from, to: now }, 'spine-start', 'backfill');
      markSpineStart(ledger, from, now);
      clearCheckpoints(context, 'spine-start', ['balance_transaction']);
      listedHistory = true;
    }
    let highWater = Number(ledger.runs.getCursor(CURSOR_HIGH_WATER));
    if (now - highWater > this.options.gapDays * DAY) {
      await this.catchUp(context, highWater, now);
      listedHistory = true;
      highWater = now - this.options.overlapSeconds;
      ledger.runs.setCursor(CURSOR_HIGH_WATER, String(highWater));
    }
    await readProductCatalogueOnce(context);
    // Read from the newer of the last event seen and the last poll, less the overlap: a quiet
    // account then costs one request per poll instead of re-listing its last events forever.
    const polledAt = Number(ledger.runs.getCursor(CURSOR_POLLED_AT) ?? 0);
    const polled = await pollEvents(context, Math.max(highWater, polledAt) - this.options.overlapSeconds);
    if (polled.highWater !== null && polled.highWater > highWater) ledger.runs.setCursor(CURSOR_HIGH_WATER, String(polled.highWater));
    ledger.runs.setCursor(CURSOR_POLLED_AT, String(now));
    const sweptDay = await this.sweep(context, CURSOR_SWEEP_DAY, 3_600, DAY);
    const sweptWeek = await this.sweep(context, CURSOR_SWEEP_WEEK, DAY, 7 * DAY);
    const swept = sweptDay || sweptWeek;
    const readRecent = await readRecentTransactions(context, listedHistory || swept || polled.applied > 0);
    return listedHistory || swept || readRecent;
  }

  /**
   * Drift checks run once an hour (a transaction or charge becomes drift when its day of grace
   * runs out, with nothing stored) and after a run that wrote something, not on every idle
   * poll. A check reads what changed since the last one (the ledger's drift lists), not the
   * history.
   */
  private checkDriftWhenDue(context: RunContext): void {
    const now = context.nowSeconds();
    const last = Number(context.ledger.runs.getCursor(CURSOR_DRIFT_CHECK) ?? 0);
    if (context.counters.documentsWritten === 0 && now - last < 3_600) return;
    checkDrift(context);
    context.ledger.runs.setCursor(CURSOR_DRIFT_CHECK, String(now));
  }

  /**
   * Re-reads a wide window of events and of the balance-transaction history now and then:
   * catches events and transactions that became visible late. True when it swept.
   */
  private async sweep(context: RunContext, cursor: string, everySeconds: number, windowSeconds: number): Promise<boolean> {
    const now = context.nowSeconds();
    const last = Number(context.ledger.runs.getCursor(cursor) ?? 0);
    if (now - last < everySeconds) return false;
    await pollEvents(context, now - windowSeconds);
    await context.stripe.listEach<StripeBalanceTransaction>(
      'balance_transactions',
      { created: { gte: now - windowSeconds, lte: now }, expand: SPINE_LIST_EXPAND },
      (page) => storeSpineTransactions(context.ledger, page),
    );
    context.ledger.runs.setCursor(cursor, String(now));
    return true;
  }

  /**
   * Stripe keeps events for 30 days. After a longer gap the event list cannot be trusted to
   * be complete, so money objects and the balance-transaction history are re-listed by
   * creation time since just before the gap, customers are rescanned in full, and invoices
   * we hold as open are re-read.
   */
  private async catchUp(context: RunContext, highWater: number, now: number): Promise<void> {
    const days = Math.floor((now - highWater) / DAY);
    context.emit({
      type: 'warning',
      code: 'long-outage',
      message: `Stripe Sync last read Stripe ${days} days ago; Stripe keeps events for 30 days, so everything since then is being re-read from Stripe's lists`,
    });
    const checkpoint = `catch-up:${highWater}`;
    forgetProductCatalogue(context);
    await listObjectsInRange(context, CATCH_UP_STEPS, { from: highWater - DAY, to: now }, checkpoint, 'catch-up');
    await listObjectsInRange(context, ['customer'], { from: null, to: now }, checkpoint, 'catch-up');
    for (const id of context.ledger.objects.openInvoiceIds()) {
      const invoice = await rereadObject(context, 'invoice', id, context.ledger.objects.getObject(id)?.created ?? 0);
      if (invoice) storeObjects(context.ledger, await withCompleteInvoiceLines(context.stripe, [invoice]));
    }
    clearCheckpoints(context, checkpoint, [...CATCH_UP_STEPS, 'customer']);
  }
}

/**
 * The first second of a local date anywhere on Earth (UTC+14), so no time zone's part of that
 * day is missed; reading a few hours more than needed costs nothing (go-live decides what is written).
 */
function earliestInstantOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000 - 14 * 3600;
}
