import { arReceiptKey, splitIntoReceipt, type ReceiptTarget } from '../ar/ar-receipt-plan.js';
import { afterEarlierArForm } from './ar-form-change.js';
import { arInvoiceKey } from '../ar/ar-invoice-plan.js';
import {
  closedStripeInvoiceSale,
  invoicedSale,
  invoicedStripeInvoice,
  keptStripeSale,
  staleStripeInvoiceSale,
  stripeInvoiceReceipt,
  stripeInvoiceSale,
  stripeSaleDocuments,
  withArInvoiceNote,
} from './ar-invoice-step.js';
import { referencesInText } from '../ar/invoice-references.js';
import { matchPayment, type PaymentFacts } from '../ar/payment-match.js';
import { collectionProblem, stripeInvoiceReferences } from '../ar/stripe-invoice-references.js';
import { normaliseCurrency } from '../money/currency.js';
import { formatSageAmount, fromStripeMinor, parseSageAmount } from '../money/sage-amount.js';
import type { Mapping } from '../mapping/mapping.js';
import { settlementAmount } from '../posting/balance-transaction-journal.js';
import { isDailySummary } from '../posting/daily-summary.js';
import { requireBalanceTransaction } from '../posting/expand.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { PlanningError } from '../posting/planning-error.js';
import type { StoredDocument } from '../ports/ledger.js';
import type { ArCollection, JournalDocument, SageDocument } from '../sage/documents.js';
import type { AnySyncedObject, StripeCharge, StripeInvoice } from '../stripe/objects.js';
import type { ConfirmationRequest } from '../ar/ar-payments.js';
import { orderCustomerSkip } from '../rules/customer-skip.js';
import { resolveCustomer } from './customer-resolution.js';
import type { RunContext } from './engine-context.js';
import { chargesPaying, payingChargeInGl, type ChargeInGl, type PayingCharge } from './paying-charge-in-gl.js';
import { decidedSaleInCharge, holdsSale, keptSaleInCharge, restAfterSkippedWhole, saleInChargePlan, type PaidBy } from './sale-in-charge.js';

/**
 * AR payments in the planning pass (docs/posting-rules.md "AR payments"): a succeeded charge
 * that pays a Sage invoice (core/ar/payment-match.ts) becomes an AR cash receipt plus its fee
 * journal instead of the GL sale journal; a payment the user must confirm waits, booking
 * nothing, until they decide in the window. What Sage already has decides the form: a charge
 * whose GL journal is written stays in GL, one whose receipt is written stays a receipt.
 * Refunds and disputes of a receipted payment stay in GL with a note saying why no AR credit
 * memo or refund was written (ar-payments.ts noCreditMemo).
 */

const CLOSED: ReadonlySet<StoredDocument['state']> = new Set(['written', 'writing', 'skipped']);

export interface ArStepResult {
  documents: SageDocument[];
  /** Why the object waits (a payment on the confirm list), or null. */
  waiting: string | null;
  /** Unwritten documents of an earlier plan that the new one no longer has (a charge's AR invoice or receipt, ar-form-change.ts; a Stripe invoice's AR invoice, ar-invoice-step.ts). */
  withdraw?: string[];
}

export async function applyArPayments(context: RunContext, object: AnySyncedObject, planning: PlanningContext, documents: SageDocument[]): Promise<ArStepResult> {
  const result = await arDocuments(context, object, planning, documents);
  const journal = documents[0];
  if (journal?.type !== 'journal') return result;
  if (object.object === 'invoice') return { ...result, withdraw: staleStripeInvoiceSale(context, object.id, result.documents) };
  if (object.object !== 'charge') return result;
  const changed = afterEarlierArForm(context.ledger, journal.key, result.documents, planning.mapping);
  return { ...result, ...changed };
}

async function arDocuments(context: RunContext, object: AnySyncedObject, planning: PlanningContext, documents: SageDocument[]): Promise<ArStepResult> {
  const unchanged = { documents, waiting: null };
  const journal = documents[0];
  const plain = journal?.type === 'journal' && !journal.arReceipt && journal.skippedByRule === undefined ? journal : null;
  if (object.object === 'charge' && plain) {
    const kept = keptReceipt(context, object, planning, plain, documents.slice(1));
    if (kept) return { documents: kept, waiting: null };
    const invoiceSale = invoicedStripeInvoice(context, object, planning, plain, documents.slice(1));
    if (invoiceSale) return { documents: invoiceSale, waiting: null };
    const invoiced = invoicedSale(context, planning.mapping, plain, documents.slice(1));
    if (invoiced) return { documents: invoiced, waiting: null };
    const sold = keptSaleInCharge(context.ledger, object, planning.invoiceForCharge(object), documents, planning.mapping);
    if (sold) return { documents: sold, waiting: null };
  }
  if (object.object === 'invoice' && plain && documents.length === 1) {
    const arInvoice = closedStripeInvoiceSale(context, object.id);
    if (arInvoice) return { documents: [arInvoice], waiting: null };
    const sold = await saleInCharge(context, object, planning, plain);
    if (sold) return { documents: sold, waiting: null };
  }
  if (!context.arPayments || !planning.mapping.arPayments.enabled) return unchanged;
  if (object.object === 'refund' || object.object === 'dispute') return { documents: withReceiptNote(context, object.charge, documents), waiting: null };
  if (object.object === 'credit_note') return { documents: withArInvoiceNote(context, object.invoice, documents), waiting: null };
  if (object.object === 'invoice') return plain && documents.length === 1 ? collectStripeInvoice(context, object, planning, plain) : unchanged;
  if (object.object !== 'charge' || !settled(object) || !plain || bookedInGl(context, plain)) return unchanged;

  const ar = context.arPayments;
  const mapping = planning.mapping;
  const rest = documents.slice(1);
  const gross = formatSageAmount(settlementAmount(requireBalanceTransaction(object.balance_transaction, object.id, planning), 'amount', mapping));
  const invoiceId = planning.invoiceForCharge(object);
  if (invoiceId !== null) {
    const invoice = planning.invoice(invoiceId);
    const booking = invoice ? await stripeInvoiceBooking(context, invoice, planning) : { kind: 'gl' as const };
    if (booking.kind === 'confirm') return { documents: [], waiting: `waits for you to confirm which Sage invoice Stripe invoice ${invoiceId} pays (AR payments in the window)` };
    if (booking.kind === 'gl') return unchanged;
    if (booking.kind === 'ar-invoice') return { documents: stripeInvoiceReceipt(plain, booking, gross, mapping, rest), waiting: null };
    // Marked as this invoice's payment, so the invoice never reads the receipt as a sale of its own (sale-in-charge.ts).
    const collecting = splitIntoReceipt(plain, booking.target, gross, mapping).map((document) =>
      document.arReceipt ? { ...document, arReceipt: { ...document.arReceipt, stripeInvoice: invoiceId } } : document,
    );
    return { documents: [...collecting, ...rest], waiting: null };
  }

  // A payer a rule keeps out of Sage (core/rules/customer-skip.ts) has no Sage account to pay on.
  const custId = orderCustomerSkip(object, planning) ? null : await payerCustId(context, object.customer, mapping);
  const facts: PaymentFacts = {
    paymentId: object.id,
    custId,
    amount: settlementAmount(requireBalanceTransaction(object.balance_transaction, object.id, planning), 'amount', mapping),
    metadataReference: object.metadata?.[mapping.arPayments.metadataKey] ?? null,
    descriptionReferences: referencesInText(object.description),
  };
  const decision = ar.confirmations.decision(object.id);
  const match = await matchPayment(facts, ar.invoices, decision);
  switch (match.kind) {
    case 'confirm':
      ar.confirmations.ask(confirmation(object.id, custId, gross, match));
      return { documents: [], waiting: `waits for you to confirm which Sage invoice it pays (AR payments in the window): ${match.reason}` };
    case 'gl':
      ar.confirmations.settle(object.id);
      return unchanged;
    case 'unmatched':
      ar.confirmations.settle(object.id);
      if (decision?.kind !== 'on-account' && ar.invoicesForStripeSales) return { documents: [...stripeSaleDocuments(plain, match.custId, gross, mapping), ...rest], waiting: null };
      if (decision?.kind !== 'on-account' && mapping.arPayments.unmatched !== 'on-account') return unchanged;
      return { documents: [...splitIntoReceipt(plain, { custId: match.custId, applyTo: null, partial: false, matchedBy: 'on-account' }, gross, mapping), ...rest], waiting: null };
    case 'apply': {
      ar.confirmations.settle(object.id);
      const target: ReceiptTarget = { custId: match.custId, applyTo: { invcKey: match.invoice.invcKey, tranId: match.invoice.tranId }, partial: match.partial, matchedBy: match.by };
      return { documents: [...splitIntoReceipt(plain, target, gross, mapping), ...rest], waiting: null };
    }
  }
}

function confirmation(paymentId: string, custId: string | null, amount: string, match: { reason: string; candidates: { tranId: string; custId: string; openBalance: bigint }[] }): ConfirmationRequest {
  return {
    paymentId,
    custId,
    amount,
    reason: match.reason,
    candidates: match.candidates.map((invoice) => ({ tranId: invoice.tranId, custId: invoice.custId, openBalance: formatSageAmount(invoice.openBalance) })),
  };
}

/** A charge whose receipt is in Sage (or being written) stays a receipt: the GL journal would book the payment a second time. */
function keptReceipt(context: RunContext, charge: StripeCharge, planning: PlanningContext, journal: JournalDocument, rest: SageDocument[]): SageDocument[] | null {
  const stored = context.ledger.documents.getDocument(arReceiptKey(journal.key));
  if (!stored || !CLOSED.has(stored.state) || stored.document.type !== 'journal' || !stored.document.arReceipt) return null;
  const written = stored.document.arReceipt;
  // A Stripe sale's receipt brings its own AR invoice; one applied to a Stripe invoice's AR invoice is kept as any receipt (that invoice is the Stripe invoice's document).
  if (written.applyToOwnInvoice?.docKey === arInvoiceKey(journal.key)) return keptStripeSale(context, planning.mapping, journal, stored.document, rest);
  const gross = formatSageAmount(settlementAmount(requireBalanceTransaction(charge.balance_transaction, charge.id, planning), 'amount', planning.mapping));
  const target: ReceiptTarget = { custId: written.custId, applyTo: written.applyTo, partial: false, matchedBy: written.matchedBy };
  return [...splitIntoReceipt(journal, target, gross, planning.mapping).slice(1), stored.document, ...rest];
}

/**
 * A paid Stripe invoice that names a Sage invoice: its journal is kept as an AR collection
 * (recorded as skipped, never written) when the match is certain, waits for the user when it is
 * not, and is booked in GL as before otherwise. A journal already planned or booked in GL stays
 * so, and a collection once decided stays decided (its receipt may be in Sage already).
 */
async function collectStripeInvoice(context: RunContext, invoice: StripeInvoice, planning: PlanningContext, journal: JournalDocument): Promise<ArStepResult> {
  const ar = context.arPayments!;
  const booking = await stripeInvoiceBooking(context, invoice, planning, journal);
  switch (booking.kind) {
    case 'ar-invoice':
      ar.confirmations.settle(invoice.id);
      return { documents: [booking.invoice], waiting: null };
    case 'gl':
      if (booking.decided) ar.confirmations.settle(invoice.id);
      return { documents: [booking.note ? { ...journal, description: `${journal.description}. ${booking.note}` } : journal], waiting: null };
    case 'confirm':
      ar.confirmations.ask(booking.request);
      return { documents: [], waiting: `waits for you to confirm which Sage invoice it collected (AR payments in the window): ${booking.request.reason}` };
    case 'collected':
      if (booking.stored) return { documents: [booking.stored], waiting: null };
      ar.confirmations.settle(invoice.id);
      return {
        documents: [
          {
            ...journal,
            description: `${journal.description}: not booked, it collected Sage invoice ${booking.target.applyTo?.tranId ?? `on account of ${booking.target.custId}`} (the Sage invoice booked the revenue); its payment is an AR cash receipt`,
            arCollection: booking.target,
          },
        ],
        waiting: null,
      };
  }
}

type StripeInvoiceBooking =
  /**
   * In GL as without AR; `decided` when the matcher (not an earlier plan) said so; `note` for the
   * record when it named a Sage invoice all the same, or could not be an AR invoice; `namesNone`
   * when nothing the ledger holds decided it and it names no Sage invoice (an AR invoice may stand for it).
   */
  | { kind: 'gl'; decided?: boolean; note?: string; namesNone?: boolean }
  /** A pending AR invoice for the Stripe invoice (ar-invoice-step.ts stripeInvoiceSale), planned now or in Sage already. */
  | { kind: 'ar-invoice'; custId: string; invoice: JournalDocument }
  | { kind: 'confirm'; request: ConfirmationRequest }
  /** `stored` is the journal recorded as the collection in an earlier pass. */
  | { kind: 'collected'; target: ArCollection; stored?: JournalDocument };

/**
 * What happens to a paid Stripe invoice: what the ledger already holds for it decides first
 * (its journal, alone or inside a daily summary, found by the receivable line traced to the
 * invoice), else the matcher over the invoice's own references, never by open balance alone.
 * The invoice and the charge that paid it both ask, in the same planning pass, so they agree.
 *
 * A match cannot stand once the charge that paid the invoice has its GL journal (booked while
 * the invoice was still open, paying-charge-in-gl.ts): that journal credits the receivable, so
 * the invoice is booked in GL to debit it, and no receipt books the money a second time. The
 * record says which Sage invoice was named and that it is the user's to settle in Sage.
 */
async function stripeInvoiceBooking(context: RunContext, invoice: StripeInvoice, planning: PlanningContext, journal: JournalDocument | null = null): Promise<StripeInvoiceBooking> {
  const booking = await matchedStripeInvoice(context, invoice, planning);
  if (booking.kind === 'gl' && booking.namesNone) {
    const custId = orderCustomerSkip(invoice, planning) ? null : await payerCustId(context, invoice.customer, planning.mapping);
    const sale = stripeInvoiceSale(context, invoice, planning, custId, journal);
    return sale.kind === 'ar-invoice' ? sale : { kind: 'gl', decided: true, ...(sale.note ? { note: sale.note } : {}) };
  }
  if (booking.kind === 'gl' || booking.kind === 'ar-invoice' || ('stored' in booking && booking.stored)) return booking;
  const charge = payingChargeInGl(context.ledger, invoice, planning.mapping.accounts);
  return charge ? { kind: 'gl', decided: true, note: paidInGlNote(invoice, booking, charge) } : booking;
}

/**
 * A paid Stripe invoice some of whose charges booked the sale themselves, in GL or as an AR cash
 * receipt applied to a Sage invoice (sale-in-charge.ts): its journal books only the part they did
 * not (a customer balance, pre-payment credit notes, a charge that credits the receivable), or
 * becomes the record that nothing is left, never written; unless the ledger holds it in Sage
 * already or as a collection. What each charge paid is what its journal or receipt booked, or its
 * balance transaction when nothing is planned for it yet. With AR payments on, the note names the
 * Sage invoices the Stripe invoice names, and nothing waits on the confirm list for it.
 */
async function saleInCharge(context: RunContext, invoice: StripeInvoice, planning: PlanningContext, journal: JournalDocument): Promise<JournalDocument[] | null> {
  const decided = decidedSaleInCharge(context.ledger, journal);
  if (decided) return [decided, ...(await repairOfSkippedWhole(context, invoice, planning, journal, decided))];
  const paying = chargesPaying(context.ledger, invoice, planning.mapping.accounts);
  if (!paying.some((paid) => holdsSale(paid.held, invoice.id))) return null;
  if (context.ledger.documents.documentsTracing(invoice.id).some((stored) => stored.document.type === 'journal' && CLOSED.has(stored.state))) return null;
  const planned = await saleInChargePlanned(context, invoice, planning, journal, paying);
  return planned ? [planned] : null;
}

/** A skip record an earlier version made whole, when the invoice now has a rest to book (sale-in-charge.ts restAfterSkippedWhole); a plan that waits or is parked leaves the record alone. */
async function repairOfSkippedWhole(context: RunContext, invoice: StripeInvoice, planning: PlanningContext, journal: JournalDocument, decided: JournalDocument): Promise<JournalDocument[]> {
  if (decided.saleInCharge?.restOfSale) return [];
  try {
    const planned = await saleInChargePlanned(context, invoice, planning, journal, chargesPaying(context.ledger, invoice, planning.mapping.accounts));
    return restAfterSkippedWhole(decided, planned);
  } catch (error) {
    if (error instanceof PlanningError) return [];
    throw error;
  }
}

async function saleInChargePlanned(context: RunContext, invoice: StripeInvoice, planning: PlanningContext, journal: JournalDocument, paying: PayingCharge[]): Promise<JournalDocument | null> {
  const mapping = planning.mapping;
  const paidBy: PaidBy[] = paying.map(({ charge, held }) => ({
    chargeId: charge.id,
    held,
    gross:
      held?.kind === 'gl'
        ? held.gross
        : held?.kind === 'receipt'
          ? parseSageAmount(held.receipt.amount)
          : settlementAmount(requireBalanceTransaction(charge.balance_transaction, charge.id, planning), 'amount', mapping),
  }));
  const ar = context.arPayments && mapping.arPayments.enabled ? context.arPayments : null;
  const named = ar ? namedSageInvoices(await referencedSageInvoice(context, invoice, planning)) : null;
  const planned = saleInChargePlan(journal, invoice, paidBy, named, mapping);
  if (ar && named) ar.confirmations.settle(invoice.id);
  return planned;
}

/** The Sage invoices a Stripe invoice's references name (matched or to confirm), or null when it names none. */
function namedSageInvoices(booking: StripeInvoiceBooking): string[] | null {
  if (booking.kind === 'gl' || booking.kind === 'ar-invoice') return null;
  if (booking.kind === 'confirm') return booking.request.candidates.map((candidate) => candidate.tranId);
  return booking.target.applyTo ? [booking.target.applyTo.tranId] : [];
}

function paidInGlNote(invoice: StripeInvoice, booking: Extract<StripeInvoiceBooking, { kind: 'collected' | 'confirm' }>, charge: ChargeInGl): string {
  const paid = `it was paid in Stripe by ${charge.chargeId}, ${charge.inSage ? `already booked in GL on ${charge.postDate}` : `already planned in GL for ${charge.postDate}`}`;
  if (booking.kind === 'collected' && !booking.target.applyTo) {
    return `Not put on account of ${booking.target.custId} in AR: ${paid}, so it is booked in GL as Stripe revenue`;
  }
  const tranIds = booking.kind === 'collected' ? [booking.target.applyTo!.tranId] : booking.request.candidates.map((candidate) => candidate.tranId);
  const named = tranIds.length > 0 ? `Sage invoice ${tranIds.join(' or ')}` : 'a Sage invoice';
  const which = tranIds.length === 1 ? tranIds[0]! : 'it';
  return (
    `Not applied in AR: Stripe invoice ${invoice.id} names ${named}, but ${paid}. This journal books the sale in GL as without AR payments; ` +
    `apply the payment to ${which} in Sage by hand with a credit memo, not a cash receipt (the money is in GL already, and the revenue twice until then)`
  );
}

async function matchedStripeInvoice(context: RunContext, invoice: StripeInvoice, planning: PlanningContext): Promise<StripeInvoiceBooking> {
  // An AR invoice planned but not written is decided again, with the same facts (one in Sage was kept before: closedStripeInvoiceSale).
  const booked = context.ledger.documents.documentsTracing(invoice.id).filter((stored) => stored.document.type === 'journal' && !stored.document.arInvoice);
  const collection = booked.find((stored) => stored.document.type === 'journal' && stored.document.arCollection);
  if (collection && collection.document.type === 'journal' && collection.document.arCollection) {
    return { kind: 'collected', target: collection.document.arCollection, stored: collection.document };
  }
  if (booked.length > 0) return { kind: 'gl' };
  return referencedSageInvoice(context, invoice, planning);
}

/** The matcher over a paid Stripe invoice's own references, never by open balance alone. */
async function referencedSageInvoice(context: RunContext, invoice: StripeInvoice, planning: PlanningContext): Promise<StripeInvoiceBooking> {
  const mapping = planning.mapping;
  if (normaliseCurrency(invoice.currency) !== mapping.homeCurrency) return { kind: 'gl' };
  const references = stripeInvoiceReferences(invoice, mapping.arPayments.metadataKey);
  if (references.explicit === null && references.inText.length === 0) return { kind: 'gl', namesNone: true };
  const ar = context.arPayments!;
  // One that cannot collect a Sage invoice (collectionProblem) is booked in GL; the matcher then only
  // says whether it names one, which matters to AR invoices for Stripe sales alone.
  const collectable = collectionProblem(invoice) === null;
  if (!collectable && !ar.invoicesForStripeSales) return { kind: 'gl' };
  const custId = orderCustomerSkip(invoice, planning) ? null : await payerCustId(context, invoice.customer, mapping);
  const amount = fromStripeMinor(invoice.amount_paid, invoice.currency);
  const facts: PaymentFacts = { paymentId: invoice.id, custId, amount, metadataReference: references.explicit, descriptionReferences: references.inText };
  const decision = collectable ? ar.confirmations.decision(invoice.id) : null;
  const match = await matchPayment(facts, ar.invoices, decision, { byOpenBalance: false });
  if (!collectable) return { kind: 'gl', namesNone: match.kind === 'gl' };
  switch (match.kind) {
    case 'confirm':
      return { kind: 'confirm', request: confirmation(invoice.id, custId, formatSageAmount(amount), match) };
    case 'gl':
      return { kind: 'gl', decided: true, namesNone: decision === null };
    case 'unmatched':
      return decision?.kind === 'on-account' ? { kind: 'collected', target: { custId: match.custId, applyTo: null, partial: false, matchedBy: 'on-account' } } : { kind: 'gl', decided: true };
    case 'apply':
      return { kind: 'collected', target: { custId: match.custId, applyTo: { invcKey: match.invoice.invcKey, tranId: match.invoice.tranId }, partial: match.partial, matchedBy: match.by } };
  }
}

/** A card or bank payment that has settled for good: not a delayed payment still pending, nor one that failed after it was credited. */
function settled(charge: StripeCharge): boolean {
  return charge.status === 'succeeded' && charge.captured && !charge.failure_balance_transaction;
}

/** The charge's GL sale journal is already in Sage, on its own or inside a daily summary. */
function bookedInGl(context: RunContext, journal: JournalDocument): boolean {
  const own = context.ledger.documents.getDocument(journal.key);
  if (own && CLOSED.has(own.state)) return true;
  const traceId = journal.lines[0]?.traceId;
  if (!traceId) return false;
  return context.ledger.documents
    .documentsTracing(traceId)
    .some((stored) => CLOSED.has(stored.state) && isDailySummary(stored.document) && stored.document.summary.parts.some((part) => part.key === journal.key));
}

/** The payer's CustID when the Stripe customer is in Sage already (written by us, or found by metadata or e-mail); else null. */
async function payerCustId(context: RunContext, customerId: string | null, mapping: Mapping): Promise<string | null> {
  if (!customerId) return null;
  const ours = context.ledger.documents.documentsForObject(customerId).find((stored) => stored.document.type === 'customer' && stored.state === 'written');
  if (ours?.document.type === 'customer') return ours.document.custId;
  const stored = context.ledger.objects.getObject(customerId);
  if (!stored || stored.object.object !== 'customer' || stored.object.deleted) return null;
  try {
    const resolution = await resolveCustomer(context, stored.object, mapping);
    return resolution.kind === 'existing' ? resolution.custId : null;
  } catch (error) {
    if (error instanceof PlanningError) return null;
    throw error;
  }
}

/** A refund or dispute of a payment Sage holds as an AR cash receipt: booked in GL as before, with a note saying what AR does not show. */
function withReceiptNote(context: RunContext, chargeId: string | null, documents: SageDocument[]): SageDocument[] {
  if (!chargeId) return documents;
  const receipted = context.ledger.documents.documentsForObject(chargeId).some((stored) => stored.document.type === 'journal' && stored.document.arReceipt !== undefined);
  if (!receipted) return documents;
  return documents.map((document) =>
    document.type === 'journal' && !document.arReceipt
      ? {
          ...document,
          description: `${document.description}. Note: ${chargeId} is an AR cash receipt in Sage; no AR document was written for this (${context.arPayments!.noCreditMemo}), so enter a credit memo or refund in Sage AR by hand if the customer's AR account should show it`,
        }
      : document,
  );
}
