import type { SageDocumentLedger } from '../core/ports/sage-document-ledger.js';
import type { SageDocument } from '../core/sage/documents.js';

/**
 * Leaving shadow mode is a decision about the documents previewed so far: they describe
 * Stripe activity the bookkeeper may already have keyed into Sage by hand. The window shows
 * how many there are and the dates they cover, and the user chooses: keep them out of Sage
 * (recorded as skipped with the reason, never written) or let the next run write them.
 */
export interface PreviewedDocuments {
  count: number;
  /** Earliest and latest document date (post date or order date); null when none has a date. */
  from: string | null;
  to: string | null;
}

export type PreviewedChoice = 'skip' | 'write';

export const PREVIEWED_SKIP_REASON = 'previewed in shadow mode and kept out of Sage when going live (the user chose not to write them)';

const PAGE = 1000;

function documentDate(document: SageDocument): string | null {
  return document.type === 'journal' ? document.postDate : document.type === 'sales_order' ? document.tranDate : null;
}

function shadowDocuments(ledger: SageDocumentLedger): { docKeys: string[]; dates: string[] } {
  const docKeys: string[] = [];
  const dates: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = ledger.documentsNotWritten(PAGE, after);
    if (page.length === 0) return { docKeys, dates };
    for (const stored of page) {
      if (stored.state !== 'shadow') continue;
      docKeys.push(stored.docKey);
      const date = documentDate(stored.document);
      if (date) dates.push(date);
    }
    after = page[page.length - 1]!.sortKey;
  }
}

export function previewedDocuments(ledger: SageDocumentLedger): PreviewedDocuments {
  const { docKeys, dates } = shadowDocuments(ledger);
  const sorted = [...dates].sort();
  return { count: docKeys.length, from: sorted[0] ?? null, to: sorted[sorted.length - 1] ?? null };
}

/** Applies the choice; returns how many documents were kept out of Sage. */
export function settlePreviewedDocuments(ledger: SageDocumentLedger, choice: PreviewedChoice): number {
  if (choice === 'write') return 0;
  return ledger.skipDocuments(shadowDocuments(ledger).docKeys, PREVIEWED_SKIP_REASON);
}
