import type { AnySyncedObject, StripeBalanceTransaction } from '../stripe/objects.js';
import { isSyncedKind } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';
import { forEachConcurrently } from './concurrently.js';
import { storeObjects } from './object-store.js';

/**
 * Reads the balance transactions of each automatic payout Stripe has finished reconciling
 * (`GET /v1/balance_transactions?payout=…`, sources expanded), so the tie-out proof can
 * run and any source we had not seen yet is synced now. Manual and instant payouts cannot
 * be itemised by Stripe and are never asked for.
 *
 * Each page is stored as it arrives and then dropped: a monthly payout can list 90,000
 * transactions, each with its source, which held whole took hundreds of megabytes. The payout
 * counts as itemised only once its last page is stored, so a run stopped half-way reads the
 * whole list again (storing is idempotent).
 */
export async function itemiseReconciledPayouts(context: RunContext): Promise<number> {
  const payouts = context.ledger.objects.payoutsToItemise();
  // Each list is one request after another (~300 ms each against Stripe): several payouts are
  // listed side by side so the endpoint's allowance, not the latency, sets the pace.
  let stopped = false;
  await forEachConcurrently(payouts, PAYOUTS_AT_ONCE, async (payoutId) => {
    try {
      await context.stripe.listEach<StripeBalanceTransaction>('balance_transactions', { payout: payoutId, expand: ['data.source'] }, (page) => {
        // The page's new sources and the page itself in one commit.
        context.ledger.inTransaction(() => {
          storeNewSources(context, page);
          context.ledger.objects.addPayoutItems(page, payoutId);
        });
        if (stopped) throw new Error('stopped: another payout list failed');
      });
    } catch (error) {
      stopped = true;
      throw error;
    }
    context.ledger.objects.markPayoutItemised(payoutId);
  });
  return payouts.length;
}

/** Payout lists read side by side. */
const PAYOUTS_AT_ONCE = 8;

function storeNewSources(context: RunContext, page: readonly StripeBalanceTransaction[]): void {
  const sources: AnySyncedObject[] = [];
  for (const bt of page) {
    if (bt.source !== null && typeof bt.source === 'object' && isSyncedKind(bt.source.object)) sources.push(bt.source as AnySyncedObject);
  }
  const stored = context.ledger.objects.storedObjectIds(sources.map((source) => source.id));
  const unseen = sources.filter((source) => !stored.has(source.id));
  if (unseen.length > 0) storeObjects(context.ledger, unseen);
}
