import type { Ledger, RetrySelector } from '../core/ports/ledger.js';
import { planningObjectsToRetry } from './planning-problems.js';

/**
 * Retry, the same for the Errors view and `s5sync retry`: documents Sage refused go back to
 * planned, and Stripe records that could not be planned are planned again on the next run,
 * with whatever the bookkeeper fixed since. Returns how many documents and records were queued.
 */
export function retryRecords(ledger: Pick<Ledger, 'objects' | 'documents'>, selector: RetrySelector): number {
  const replanned = ledger.objects.replanObjects(planningObjectsToRetry(ledger, selector));
  return ledger.documents.retryDocuments(selector) + replanned;
}
