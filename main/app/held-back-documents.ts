import type { SageDocumentLedger } from '../core/ports/sage-document-ledger.js';

/** Documents read a page at a time: a backfill can leave tens of thousands not written yet. */
const PAGE = 500;

export interface HeldBackDocuments {
  records: number;
  /** The first few in write order, each with the note saying what it waits for. */
  examples: { docKey: string; note: string }[];
}

/**
 * Planned documents the write pass holds back for another document (a payout's arrival for its
 * journal of creation, a cash receipt for its AR invoice: core/engine/payout-journal-order.ts,
 * receipt-invoice-order.ts), with the note each carries as a 'waiting' error. They are neither
 * failed nor written, so the error groups do not show them; `s5sync status` does.
 */
export function heldBackDocuments(ledger: Pick<SageDocumentLedger, 'documentsNotWritten'>, examples: number): HeldBackDocuments {
  const held: HeldBackDocuments = { records: 0, examples: [] };
  let after: string | null = null;
  for (;;) {
    const page = ledger.documentsNotWritten(PAGE, after);
    if (page.length === 0) return held;
    for (const stored of page) {
      if (stored.state !== 'planned' || stored.errorClass !== 'waiting' || stored.lastError === null) continue;
      held.records += 1;
      if (held.examples.length < examples) held.examples.push({ docKey: stored.docKey, note: stored.lastError });
    }
    after = page[page.length - 1]!.sortKey;
  }
}
