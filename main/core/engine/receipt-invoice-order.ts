import type { DocumentState } from './engine-events.js';
import type { StoredDocument } from '../ports/sage-document-ledger.js';
import type { RunContext } from './engine-context.js';

/**
 * A Stripe sale's cash receipt goes to Sage only with or after its own AR invoice
 * (ar-invoice-plan.ts; docs/posting-rules.md "AR invoices for Stripe sales", Writing): after a
 * transient failure the two come due at their own jittered times, and a receipt sent alone would
 * find no invoice to apply to and fail for good. So, in a chunk about to be written, a receipt
 * whose invoice is neither written nor in the chunk is held back (write-pass.ts goes over it
 * again in the same pass once a later chunk wrote the invoice) and says on itself what it waits
 * for, with what became of the invoice (Sage's refusal, in Sage's words).
 *
 * Held back only while the invoice may still be written. An invoice the user skipped will never
 * be written by this sync: the receipt would wait forever, planned in silence. It is parked
 * instead, a data error naming the invoice, for the user to retry once the invoice is planned
 * again or to apply the payment in Sage by hand and skip the receipt. An invoice no longer in the
 * ledger was withdrawn when its sale changed form (ar-form-change.ts; a Stripe invoice's AR
 * invoice when that invoice went to GL): the receipt is the charge's plan from before, so it is
 * held and its charge planned again (the next plan pass books it as the sale now stands: the
 * receipt withdrawn or replaced), instead of parking a receipt no retry could write.
 */
export interface ReceiptsAndTheirInvoices {
  /** Receipts held back, by key, with their invoice's key. */
  waiting: Map<string, string>;
  /** Receipts whose invoice will never be written, with the reason. */
  parked: { doc: StoredDocument; reason: string }[];
  /** Stripe objects (charges) whose receipt awaits an invoice no longer planned: to be planned again. */
  replan: string[];
}

/** States in which the receipt's invoice may still be written by this sync. */
const STILL_TO_WRITE: ReadonlySet<DocumentState> = new Set(['planned', 'failed', 'dead', 'shadow', 'writing']);

export function receiptsAndTheirInvoices(context: RunContext, chunk: readonly StoredDocument[]): ReceiptsAndTheirInvoices {
  const inChunk = new Set(chunk.map((doc) => doc.docKey));
  const found: ReceiptsAndTheirInvoices = { waiting: new Map(), parked: [], replan: [] };
  for (const doc of chunk) {
    const invoiceKey = doc.document.type === 'journal' ? (doc.document.arReceipt?.applyToOwnInvoice?.docKey ?? null) : null;
    if (invoiceKey === null || inChunk.has(invoiceKey)) continue;
    const invoice = context.ledger.documents.getDocument(invoiceKey);
    if (invoice?.state === 'written') continue;
    if (!invoice || STILL_TO_WRITE.has(invoice.state)) {
      found.waiting.set(doc.docKey, invoiceKey);
      if (!invoice) found.replan.push(doc.stripeObjectId);
      continue;
    }
    found.parked.push({
      doc,
      reason: `cash receipt ${doc.docKey} is applied to the AR invoice written for its sale, ${invoiceKey}, which was skipped (${invoice.skipReason ?? 'no reason given'}), so this sync never writes it: Sage has no invoice to apply it to. Retry the receipt once its invoice is planned again, or apply the payment in Sage by hand and skip the receipt`,
    });
  }
  return found;
}

/** Notes on each receipt held back why it waits (SageDocumentLedger.noteWaiting), with its invoice's key and fate. */
export function noteHeldReceipts(context: RunContext, held: ReadonlyMap<string, string>): void {
  // One whose invoice a later chunk wrote before the pass stopped is simply due next run: no note (as noteHeldJournals).
  const stillWaiting = [...held].filter(([, invoiceKey]) => context.ledger.documents.getDocument(invoiceKey)?.state !== 'written');
  context.ledger.documents.noteWaiting(stillWaiting.map(([docKey, invoiceKey]) => ({ docKey, note: waitingNote(context, invoiceKey) })));
}

function waitingNote(context: RunContext, invoiceKey: string): string {
  const invoice = context.ledger.documents.getDocument(invoiceKey);
  const error = invoice?.lastError ?? 'see the Errors view';
  const why =
    invoice?.state === 'dead'
      ? `which Sage refused and the sync stopped retrying: ${error}; retry the invoice`
      : invoice?.state === 'failed'
        ? invoice.errorClass === 'transient'
          ? `which could not be written yet and is retried: ${error}`
          : `which Sage refused: ${error}; retry the invoice`
        : invoice?.state === 'shadow'
          ? 'which is a preview only (shadow mode)'
          : invoice
            ? 'which is not written yet'
            : 'which is no longer planned (the sale changed form); its payment is planned again with the next sync';
  return `waits for its AR invoice ${invoiceKey}, ${why}; it is written with or after that invoice, never alone`;
}
