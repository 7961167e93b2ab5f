import type { AnySyncedObject, StripeBalanceTransaction } from '../stripe/objects.js';
import { isSyncedKind } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';
import { storeObjects } from './object-store.js';

/**
 * Reads the balance transactions of each automatic payout Stripe has finished reconciling
 * (`GET /v1/balance_transactions?payout=…`, sources expanded), so the tie-out proof can
 * run and any source we had not seen yet is synced now. Manual and instant payouts cannot
 * be itemised by Stripe and are never asked for.
 */
export async function itemiseReconciledPayouts(context: RunContext): Promise<number> {
  const payouts = context.ledger.objects.payoutsToItemise();
  for (const payoutId of payouts) {
    const items: StripeBalanceTransaction[] = [];
    const sources: AnySyncedObject[] = [];
    await context.stripe.listEach<StripeBalanceTransaction>('balance_transactions', { payout: payoutId, expand: ['data.source'] }, (page) => {
      for (const bt of page) {
        items.push(bt);
        if (bt.source !== null && typeof bt.source === 'object' && isSyncedKind(bt.source.object)) {
          sources.push(bt.source as AnySyncedObject);
        }
      }
    });
    storeObjects(context.ledger, sources.filter((source) => !context.ledger.objects.getObject(source.id)));
    context.ledger.objects.upsertBalanceTransactions(items, payoutId);
  }
  return payouts.length;
}
