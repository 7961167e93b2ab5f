import { arInvoiceKey, planStripeSaleInvoice, receiptAndFees } from '../ar/ar-invoice-plan.js';
import { planStripeInvoiceSale } from '../ar/stripe-invoice-sale-plan.js';
import type { Mapping } from '../mapping/mapping.js';
import { formatSageAmount } from '../money/sage-amount.js';
import { settlementAmount } from '../posting/balance-transaction-journal.js';
import { requireBalanceTransaction } from '../posting/expand.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { paidInvoiceKey } from '../posting/invoice-plan.js';
import { PlanningError } from '../posting/planning-error.js';
import type { StoredDocument } from '../ports/ledger.js';
import { planWithRules } from '../rules/plan-with-rules.js';
import type { JournalDocument, SageDocument } from '../sage/documents.js';
import type { StripeCharge, StripeInvoice } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';
import { payingChargeInGl } from './paying-charge-in-gl.js';

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

/**
 * Stripe invoices that name no Sage invoice (docs/posting-rules.md "AR invoices for Stripe sales",
 * Stripe invoices): the paid invoice's GL journal (key `in_…:paid`) becomes a pending AR invoice
 * (stripe-invoice-sale-plan.ts) and each charge that paid it an AR cash receipt applied to it
 * with its fee journal. The invoice and its charges decide here, from the same facts, so they
 * agree whichever is planned first.
 */

export type StripeInvoiceSale = { kind: 'ar-invoice'; custId: string; invoice: JournalDocument } | { kind: 'gl'; note: string | null };

/** The key of a paid Stripe invoice's AR invoice: its GL journal's key with `:ar-invoice`. */
function stripeInvoiceArKey(invoiceId: string): string {
  return arInvoiceKey(paidInvoiceKey(invoiceId));
}

/**
 * The Stripe invoice's AR invoice when it is in Sage (or being written): it stays, whatever the
 * mapping says now (its receipts are written only after it). One that never reached Sage gives
 * way to the GL journal when the option is turned off, as a card sale's does (ar-form-change.ts).
 */
export function closedStripeInvoiceSale(context: RunContext, invoiceId: string): (JournalDocument & { arInvoice: NonNullable<JournalDocument['arInvoice']> }) | null {
  const stored = context.ledger.documents.getDocument(stripeInvoiceArKey(invoiceId));
  if (!stored || !CLOSED.has(stored.state) || stored.document.type !== 'journal' || !stored.document.arInvoice) return null;
  return { ...stored.document, arInvoice: stored.document.arInvoice };
}

/**
 * Whether a paid Stripe invoice that names no Sage invoice becomes an AR invoice: the option on
 * and proved, the payer a customer known in Sage (`custId`), no charge that paid it booked in GL
 * already (its journal credits the receivable the invoice's GL journal must debit), and every
 * part of the invoice writable on a pending AR invoice. `journal` is the invoice's GL journal
 * with the rules applied; a charge asking for its invoice plans it the same way.
 */
export function stripeInvoiceSale(context: RunContext, invoice: StripeInvoice, planning: PlanningContext, custId: string | null, journal: JournalDocument | null): StripeInvoiceSale {
  if (!context.arPayments?.invoicesForStripeSales) return { kind: 'gl', note: null };
  const mapping = planning.mapping;
  const charge = payingChargeInGl(context.ledger, invoice, mapping.accounts);
  if (charge) {
    const when = charge.inSage ? `already booked in GL on ${charge.postDate}` : `already planned in GL for ${charge.postDate}`;
    return { kind: 'gl', note: `No AR invoice: it was paid in Stripe by ${charge.chargeId}, ${when} as the payment of a Stripe invoice (crediting ${mapping.accounts.receivable}), so it is booked in GL as without AR invoices` };
  }
  if (custId === null) return { kind: 'gl', note: null };
  const own = journal ?? paidInvoiceJournal(invoice, planning);
  if (!own) return { kind: 'gl', note: null };
  const plan = planStripeInvoiceSale(own, invoice, custId, mapping);
  return plan.kind === 'invoice' ? { kind: 'ar-invoice', custId, invoice: plan.invoice } : { kind: 'gl', note: `No AR invoice: ${plan.why}; booked in GL as without AR invoices` };
}

/** The invoice's GL journal as its own planning makes it (rules applied), or null when it books none or cannot be planned (it is parked on its own record then). */
function paidInvoiceJournal(invoice: StripeInvoice, planning: PlanningContext): JournalDocument | null {
  try {
    const documents = planWithRules(invoice, planning);
    const journal = documents[0];
    return documents.length === 1 && journal?.type === 'journal' && journal.skippedByRule === undefined ? journal : null;
  } catch (error) {
    if (error instanceof PlanningError) return null;
    throw error;
  }
}

/** A charge's receipt applied to its Stripe invoice's AR invoice, and its fee journal. */
export function stripeInvoiceReceipt(journal: JournalDocument, sale: { custId: string; invoice: JournalDocument }, gross: string, mapping: Mapping, rest: SageDocument[]): SageDocument[] {
  const what = `the AR invoice written for Stripe invoice ${sale.invoice.stripeObjectId}`;
  // Marked as the Stripe invoice's payment: its sale is that invoice's AR invoice, not the charge's own (sale-in-charge.ts holdsSale).
  const documents = receiptAndFees(journal, sale.custId, gross, mapping, { docKey: sale.invoice.key, what }).map((document) =>
    document.type === 'journal' && document.arReceipt ? { ...document, arReceipt: { ...document.arReceipt, stripeInvoice: sale.invoice.stripeObjectId } } : document,
  );
  return [...documents, ...rest];
}

/**
 * The Stripe invoice's AR invoice of an earlier plan when the new plan no longer has it and Sage
 * does not hold it (the option turned off, the invoice now booked in GL): left planned, a retry
 * would write it beside the GL journal and book the revenue twice.
 */
export function staleStripeInvoiceSale(context: RunContext, invoiceId: string, planned: readonly SageDocument[]): string[] {
  const key = stripeInvoiceArKey(invoiceId);
  if (planned.some((document) => document.key === key)) return [];
  const stored = context.ledger.documents.getDocument(key);
  return stored !== null && !CLOSED.has(stored.state) ? [key] : [];
}

/**
 * A charge whose Stripe invoice's AR invoice is in Sage (or being written) but whose receipt is
 * not yet: it stays a receipt applied to that invoice whatever the mapping says now, or the
 * invoice's revenue would be booked again by the charge's GL journal and the AR invoice left open.
 */
export function invoicedStripeInvoice(context: RunContext, charge: StripeCharge, planning: PlanningContext, journal: JournalDocument, rest: SageDocument[]): SageDocument[] | null {
  const invoiceId = planning.invoiceForCharge(charge);
  const invoice = invoiceId === null ? null : closedStripeInvoiceSale(context, invoiceId);
  if (!invoice) return null;
  const gross = formatSageAmount(settlementAmount(requireBalanceTransaction(charge.balance_transaction, charge.id, planning), 'amount', planning.mapping));
  return stripeInvoiceReceipt(journal, { custId: invoice.arInvoice.custId, invoice }, gross, planning.mapping, rest);
}

/**
 * A credit note of a Stripe invoice Sage holds as an AR invoice: booked in GL as before (its
 * revenue reversal against the receivable or customer credits, the refund against clearing),
 * with a note saying the AR invoice stays as it is, since no AR credit memo is written.
 */
export function withArInvoiceNote(context: RunContext, invoiceId: string, documents: SageDocument[]): SageDocument[] {
  const stored = context.ledger.documents.getDocument(stripeInvoiceArKey(invoiceId));
  if (!stored || stored.document.type !== 'journal' || !stored.document.arInvoice) return documents;
  const note = `Note: Stripe invoice ${invoiceId} is an AR invoice in Sage; no AR credit memo was written for this (${context.arPayments?.noCreditMemo ?? 'AR credit memos are not written'}), so the invoice stays as it is in Sage AR: enter a credit memo there by hand if the customer's AR account should show it`;
  return documents.map((document) => (document.type === 'journal' ? { ...document, description: `${document.description}. ${note}` } : document));
}
