import type { Mapping } from '../mapping/mapping.js';
import type { RunContext } from './engine-context.js';
import type { IntendedWriteBack } from './metadata-write-back.js';
import type { ListingStep } from './object-listing.js';
import { planChangedObjects, type PlanPassResult } from './plan-pass.js';
import { writePlannedDocuments } from './write-pass.js';

/**
 * Customers go first in a backfill. Against live Stripe most of a first sync's requests are
 * the CustID write-backs of new customers (one POST per customer, all on one endpoint at the
 * rate limit), and they can start only once the customer is in Sage. So as soon as the
 * customer list is read to the end, while the money objects are still being listed, the
 * customers are planned and written to Sage, and their write-backs start the moment reading
 * ends (sync-engine.ts), beside the planning and writing of everything else, instead of after
 * all of it.
 *
 * Why not during the reading: write-backs then compete with the lists for Stripe's answers,
 * and under a burst of 429s with retries in lockstep (test/reliability/faults.test.ts, where
 * backoff sleeps end at once) a list could draw its 429 on every attempt and fail the run.
 *
 * Nothing else changes: the same plan pass, the same write pass (markWriting before Sage,
 * markWritten and the write-back queue row after, in the ledger), only earlier. Customers are
 * master data that nothing else in the backfill stores, so their plan cannot be overtaken by a
 * newer copy read meanwhile; journals and orders that name a customer are planned later and
 * find it written.
 */
export class EarlyCustomers {
  private running: Promise<PlanPassResult> | null = null;

  constructor(
    private readonly context: RunContext,
    private readonly mapping: { version: number; mapping: Mapping },
  ) {}

  /** For listObjectsInRange: starts once the customer list is complete. */
  readonly onStepListed = (step: ListingStep): void => {
    if (step !== 'customer' || this.running !== null) return;
    this.running = this.planAndWrite();
    // Handled here so a failure waits for finish(), which rethrows it, instead of crashing the process.
    this.running.catch(() => undefined);
  };

  private async planAndWrite(): Promise<PlanPassResult> {
    const planned = await planChangedObjects(this.context, this.mapping, 'customers');
    if (!this.context.options.shadowMode) await writePlannedDocuments(this.context, true);
    return planned;
  }

  /** Waits until it has settled, whatever its outcome: nothing of a run may outlive the run. */
  async settle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Its outcome: the Stripe metadata planning asked for (CustIDs matched by e-mail), for the run's write-back step. */
  async finish(): Promise<IntendedWriteBack[]> {
    return (await this.running)?.writeBacks ?? [];
  }
}
