import type { ArPayments } from '../ar/ar-payments.js';
import type { Clock } from '../ports/clock.js';
import type { Ledger } from '../ports/ledger.js';
import type { SageTarget } from '../ports/sage-target.js';
import type { EngineEvent } from './engine-events.js';
import type { StripeReader } from './stripe-reader.js';

export interface EngineOptions {
  /** First-run history: days back from the first run, or 'all' for the account's whole history. */
  backfillDays: number | 'all';
  /** Events are re-read this far below the high-water mark (same-second and late-visible events). */
  overlapSeconds: number;
  /** Off longer than this, the 30-day event history may have gaps: catch up by listing objects. */
  gapDays: number;
  /** Plan and show everything, write nothing to Sage. */
  shadowMode: boolean;
  /** Write Sage ids back to Stripe metadata. */
  writeBackMetadata: boolean;
  /** YYYY-MM-DD in the mapping's time zone: money documents dated before it are recorded as skipped "before go-live", never written (go-live.ts). */
  goLiveDate: string | null;
  /** YYYY-MM-DD: the first run reads history from this date instead of `backfillDays` back. */
  historyFrom: string | null;
  /**
   * The product's release (package.json's version; the app passes it, main/app/product-release.ts):
   * what a run carries to the next is trusted only by the release that saved it (the balance
   * proof's settled past, balance-proof-carry.ts: another release may classify a transaction
   * otherwise).
   */
  release: string;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  backfillDays: 90,
  overlapSeconds: 600,
  gapDays: 27,
  shadowMode: false,
  writeBackMetadata: true,
  goLiveDate: null,
  historyFrom: null,
  /** Contexts built by hand (tests, tools); the app always passes its own. */
  release: 'development',
};

/** Idempotency keys of our own Stripe writes start with this, so the events they cause are recognised. */
export const OWN_IDEMPOTENCY_PREFIX = 's5sync-';

/** Everything one run works with. */
export interface RunContext {
  runId: number;
  ledger: Ledger;
  stripe: StripeReader;
  sage: SageTarget;
  clock: Clock;
  options: EngineOptions;
  emit(event: EngineEvent): void;
  nowSeconds(): number;
  counters: { objectsSeen: number; eventsApplied: number; documentsWritten: number; documentsFailed: number };
  /** Why Sage cannot take documents this run (write-pass.ts), or null; set once, writing stops. */
  sageUnavailable: string | null;
  /** AR payments (ar-payment-step.ts), or null where the site has not proved its cash receipt. */
  arPayments: ArPayments | null;
}
