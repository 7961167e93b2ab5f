import { arInvoiceKey, planStripeSaleInvoice, receiptAndFees } from '../ar/ar-invoice-plan.js';
import type { Mapping } from '../mapping/mapping.js';
import type { StoredDocument } from '../ports/ledger.js';
import type { JournalDocument, SageDocument } from '../sage/documents.js';
import type { RunContext } from './engine-context.js';

/**
 * AR invoices for Stripe sales in the planning pass (docs/posting-rules.md "AR invoices for
 * Stripe sales"): ar-payment-step.ts hands over an unmatched payment of a known customer when the
 * option is on; once its receipt is in Sage, planning again keeps the invoice and the receipt
 * Sage holds and derives only the fee journal, so no revenue journal ever joins them.
 */

const CLOSED: ReadonlySet<StoredDocument['state']> = new Set(['written', 'writing', 'skipped']);

export function stripeSaleDocuments(journal: JournalDocument, custId: string, gross: string, mapping: Mapping): SageDocument[] {
  const plan = planStripeSaleInvoice(journal, custId, gross, mapping);
  return plan.kind === 'invoice' ? plan.documents : [plan.journal];
}

/** The stored invoice and receipt of a sale whose receipt is in Sage (or being written), and its fee journal. */
export function keptStripeSale(context: RunContext, mapping: Mapping, journal: JournalDocument, receipt: JournalDocument, rest: SageDocument[]): SageDocument[] {
  const written = receipt.arReceipt!;
  const stored = context.ledger.documents.getDocument(arInvoiceKey(journal.key));
  const invoice = stored && CLOSED.has(stored.state) && stored.document.type === 'journal' && stored.document.arInvoice ? stored.document : null;
  const planned = planStripeSaleInvoice(journal, written.custId, written.amount, mapping);
  const ownInvoice = invoice ?? (planned.kind === 'invoice' ? planned.documents[0]! : null);
  return [...(ownInvoice ? [ownInvoice] : []), receipt, ...receiptAndFees(journal, written.custId, written.amount, mapping).slice(1), ...rest];
}

/**
 * A sale whose AR invoice is in Sage (or being written) but whose receipt is not yet: it stays an
 * invoice with its receipt whatever the mapping says now, or the revenue would be booked twice.
 */
export function invoicedSale(context: RunContext, mapping: Mapping, journal: JournalDocument, rest: SageDocument[]): SageDocument[] | null {
  const stored = context.ledger.documents.getDocument(arInvoiceKey(journal.key));
  if (!stored || !CLOSED.has(stored.state) || stored.document.type !== 'journal' || !stored.document.arInvoice) return null;
  const invoice = stored.document.arInvoice;
  return [stored.document, ...receiptAndFees(journal, invoice.custId, invoice.amount, mapping), ...rest];
}
