import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import type { SageDocument } from '../sage/documents.js';

/**
 * After a plan is saved, a Stripe invoice's journal that stands for the collection of a Sage
 * invoice (ar-payment-step.ts) is recorded as skipped with the reason, so it is never written
 * and the record says why. Unlike a rule's skip, a new plan never replaces it: the charge that
 * paid the invoice is an AR cash receipt by this decision, perhaps already in Sage.
 */
export function recordArCollectionSkips(ledger: Pick<SageDocumentLedger, 'skipDocuments'>, documents: readonly SageDocument[]): void {
  for (const document of documents) {
    if (document.type !== 'journal' || !document.arCollection) continue;
    const { applyTo, custId } = document.arCollection;
    ledger.skipDocuments(
      [document.key],
      `AR payments: Stripe invoice ${document.stripeObjectId} collected ${applyTo ? `Sage invoice ${applyTo.tranId}` : `a payment on account of ${custId}`}; the Sage invoice booked the revenue and the payment is an AR cash receipt`,
    );
  }
}
