import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import type { SageDocument } from '../sage/documents.js';

/**
 * The cutover. Stripe activity dated before the go-live date was booked in Sage by hand
 * before the sync took over, so its documents are planned (the preview, the lineage and the
 * tie-out see them) but recorded as skipped "before go-live" and never written; one
 * opening-balance journal at the cutover carries what Stripe held then. Customers are
 * master data, not activity: they are matched and created whatever their date, so orders after
 * go-live find them.
 */

export function beforeGoLiveReason(goLiveDate: string): string {
  return `before go-live (${goLiveDate}): Stripe activity dated before the go-live date is already in Sage (keyed by hand) and is never written by the sync`;
}

export function isBeforeGoLiveReason(reason: string | null | undefined): boolean {
  return reason?.startsWith('before go-live (') ?? false;
}

/**
 * Saves an object's plan like every plan (preview, lineage, tie-out see it), then records the
 * documents dated before go-live as skipped. What Stripe held at the cutover goes to Sage in the
 * opening-balance journal instead (opening-balance.ts).
 */
export function savePlanFromGoLive(
  ledger: Pick<SageDocumentLedger, 'savePlan' | 'skipDocuments'>,
  plan: { objectId: string; documents: readonly SageDocument[]; mappingVersion: number; initialState: 'planned' | 'shadow' },
  goLiveDate: string | null,
): void {
  ledger.savePlan(plan.objectId, plan.documents, plan.mappingVersion, plan.initialState);
  if (!goLiveDate) return;
  const before = documentsBeforeGoLive(plan.documents, goLiveDate);
  if (before.length > 0) ledger.skipDocuments(before, beforeGoLiveReason(goLiveDate));
}

/** Keys of the money documents dated before go-live (journals by post date, sales orders by order date). */
export function documentsBeforeGoLive(documents: readonly SageDocument[], goLiveDate: string | null): string[] {
  if (!goLiveDate) return [];
  return documents
    .filter((document) => (document.type === 'journal' ? document.postDate : document.type === 'sales_order' ? document.tranDate : null)?.localeCompare(goLiveDate) === -1)
    .map((document) => document.key);
}

/**
 * The first run out of shadow mode: previewed documents dated before go-live are recorded as
 * before go-live, the others become planned and are written like any new document. (The window
 * asks first whether to keep all previewed documents out of Sage: app/shadow-exit.ts.)
 */
export function releasePreviewedDocuments(ledger: SageDocumentLedger, goLiveDate: string | null): void {
  if (goLiveDate) {
    const before: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = ledger.documentsNotWritten(1000, after);
      if (page.length === 0) break;
      before.push(...documentsBeforeGoLive(page.filter((stored) => stored.state === 'shadow').map((stored) => stored.document), goLiveDate));
      after = page[page.length - 1]!.sortKey;
    }
    ledger.skipDocuments(before, beforeGoLiveReason(goLiveDate));
  }
  ledger.releaseShadowDocuments();
}
