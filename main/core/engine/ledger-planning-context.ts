import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { arrivalJournalKey } from '../posting/payout-plan.js';
import { isDailySummary } from '../posting/daily-summary.js';
import type { PageLookups } from './page-lookups.js';

/**
 * The planners' look-ups answered from the ledger. A charge is matched to an invoice by its
 * own id (a PaymentIntent-less charge) or by its PaymentIntent, which is what an invoice
 * payment names since API 2025-03-31 (see object-store.ts for how links are stored). In a
 * plan pass, the page's look-ups of Stripe data come from `page`, read ahead for the page.
 */
export function ledgerPlanningContext(ledger: Ledger, mapping: Mapping, page: PageLookups | null = null): PlanningContext {
  const invoiceForPayment = (id: string) => (page ? page.invoiceForPayment(id) : ledger.objects.invoiceForCharge(id));
  return {
    mapping,
    invoiceForCharge: (charge) => invoiceForPayment(charge.id) ?? (charge.payment_intent ? invoiceForPayment(charge.payment_intent) : null),
    invoice: (id) => {
      const stored = ledger.objects.getObject(id);
      return stored?.object.object === 'invoice' ? stored.object : null;
    },
    creditNoteForRefund: (id) => ledger.objects.creditNoteForRefund(id),
    balanceTransaction: (id) => (page ? page.balanceTransaction(id) : ledger.objects.getBalanceTransaction(id)),
    balanceTransactionClaimants: (id) => ledger.objects.objectsNamingBalanceTransaction(id),
    balanceTransactionBookedBy: (id) => bookedBy(ledger, id),
    storedObject: (id) => ledger.objects.getObject(id)?.object ?? null,
    relatedObject: (id) => ledger.related.getRelatedObject(id),
    payoutArrivalBooked: (payoutId) => ledger.documents.documentsForObject(payoutId).some((stored) => stored.docKey === arrivalJournalKey(payoutId)),
  };
}

/** The object a written (or in-flight) journal books the transaction for; a daily summary names it in its part. */
function bookedBy(ledger: Ledger, balanceTransactionId: string): string | null {
  for (const stored of ledger.documents.documentsTracing(balanceTransactionId)) {
    if (stored.state !== 'written' && stored.state !== 'writing') continue;
    if (!isDailySummary(stored.document)) return stored.stripeObjectId;
    const part = stored.document.summary.parts.find((entry) => entry.lines.some((line) => line.traceId === balanceTransactionId));
    if (part) return part.stripeObjectId;
  }
  return null;
}
