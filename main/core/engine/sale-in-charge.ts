import type { Mapping } from '../mapping/mapping.js';
import { formatSageAmount, parseSageAmount } from '../money/sage-amount.js';
import type { Ledger } from '../ports/ledger.js';
import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import type { JournalDocument, SageDocument } from '../sage/documents.js';
import type { StripeCharge, StripeInvoice } from '../stripe/objects.js';
import type { ChargeInGl } from './paying-charge-in-gl.js';

/**
 * A Stripe invoice paid by a charge whose GL journal booked the sale itself (docs/posting-rules.md
 * "AR payments", charge booked before its invoice payment was known): the charge was read while
 * no invoice payment named it or its PaymentIntent (a PaymentIntent attached to the invoice later,
 * Stripe's attach_payment), so its journal credited revenue, not the invoice receivable. The
 * invoice's own journal (receivable Dr, revenue and tax Cr) would then book the sale a second
 * time and leave the receivable debited with nothing to clear it; a Stripe invoice naming a
 * Sage invoice cannot collect it either (the money is in GL already). Its journal is recorded
 * as skipped, never written, with a note saying what the user does in Sage; the charge keeps
 * booking the sale however often it is planned again.
 */

/** The key invoice-plan.ts gives a paid invoice's journal. */
const paidInvoiceKey = (invoiceId: string): string => `${invoiceId}:paid`;

/**
 * The invoice's journal as the record of a sale its charge booked. `named` is the Sage invoices
 * the Stripe invoice names (AR payments on and a reference found), or null.
 */
export function saleInChargeRecord(journal: JournalDocument, invoice: StripeInvoice, charge: ChargeInGl, named: string[] | null, mapping: Mapping): JournalDocument {
  const revenue = mapping.accounts.revenue;
  const when = `${charge.inSage ? 'booked in GL' : 'planned in GL'} on ${charge.postDate}`;
  const soldBy = `it was paid in Stripe by ${charge.chargeId}, whose GL journal (${when}) booked the sale to ${revenue} before the invoice payment was known`;
  const elsewhere = journal.lines.filter((line) => parseSageAmount(line.amount) < 0n && line.acctNo !== revenue);
  const itemised =
    elsewhere.length === 0
      ? ''
      : `. That journal credited all of it to ${revenue}; this invoice itemises ${elsewhere.map((line) => `${line.acctNo} ${formatSageAmount(-parseSageAmount(line.amount))}`).join(', ')}: move those amounts out of ${revenue} by hand in GL`;
  let note: string;
  if (named === null) {
    note = `Not booked: Stripe invoice ${invoice.number ?? invoice.id} is in GL already, ${soldBy}; booking the invoice's revenue too would count the sale twice${itemised}`;
  } else {
    const which = named.length === 1 ? named[0]! : named.length > 1 ? `Sage invoice ${named.join(' or ')}` : 'the Sage invoice';
    const names = named.length > 0 ? `Sage invoice ${named.join(' or ')}` : 'a Sage invoice';
    note =
      `Not applied in AR and not booked: Stripe invoice ${invoice.id} names ${names}, but ${soldBy}. ` +
      `The Sage invoice's revenue and the charge's revenue are the same sale: settle ${which} in Sage by hand with a credit memo, not a cash receipt ` +
      `(the money and the revenue are in GL already)${itemised}`;
  }
  return { ...journal, description: `${journal.description}: ${note}`, saleInCharge: { chargeId: charge.chargeId, note } };
}

/** The record decided in an earlier pass: a new plan never replaces it (it is skipped, a fact). */
export function decidedSaleInCharge(ledger: Pick<Ledger, 'documents'>, journal: JournalDocument): JournalDocument | null {
  const stored = ledger.documents.getDocument(journal.key);
  return stored?.document.type === 'journal' && stored.document.saleInCharge ? stored.document : null;
}

/**
 * A charge whose invoice is recorded as sold by it keeps crediting revenue when planned again
 * (a new mapping, a refund updating the charge): crediting the receivable now would leave it
 * credited with no invoice journal to debit it.
 */
export function keptSaleInCharge(ledger: Pick<Ledger, 'documents'>, charge: StripeCharge, invoiceId: string | null, documents: SageDocument[], mapping: Mapping): SageDocument[] | null {
  if (invoiceId === null) return null;
  const record = ledger.documents.getDocument(paidInvoiceKey(invoiceId));
  if (record?.document.type !== 'journal' || record.document.saleInCharge?.chargeId !== charge.id) return null;
  const { receivable, revenue } = mapping.accounts;
  return documents.map((document) =>
    document.type === 'journal' && document.stripeObjectId === charge.id
      ? { ...document, lines: document.lines.map((line) => (line.acctNo === receivable ? { ...line, acctNo: revenue } : line)) }
      : document,
  );
}

/** After a plan is saved, each such invoice journal is recorded as skipped with its note, never written. */
export function recordSaleInChargeSkips(ledger: Pick<SageDocumentLedger, 'skipDocuments'>, documents: readonly SageDocument[]): void {
  for (const document of documents) {
    if (document.type === 'journal' && document.saleInCharge) ledger.skipDocuments([document.key], document.saleInCharge.note);
  }
}
