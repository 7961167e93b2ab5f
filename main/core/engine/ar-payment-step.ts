import { arReceiptKey, splitIntoReceipt, type ReceiptTarget } from '../ar/ar-receipt-plan.js';
import { referencesInText } from '../ar/invoice-references.js';
import { matchPayment, type PaymentFacts } from '../ar/payment-match.js';
import { formatSageAmount } from '../money/sage-amount.js';
import type { Mapping } from '../mapping/mapping.js';
import { settlementAmount } from '../posting/balance-transaction-journal.js';
import { isDailySummary } from '../posting/daily-summary.js';
import { requireBalanceTransaction } from '../posting/expand.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { PlanningError } from '../posting/planning-error.js';
import type { StoredDocument } from '../ports/ledger.js';
import type { JournalDocument, SageDocument } from '../sage/documents.js';
import type { AnySyncedObject, StripeCharge } from '../stripe/objects.js';
import { resolveCustomer } from './customer-resolution.js';
import type { RunContext } from './engine-context.js';

/**
 * AR payments in the planning pass (docs/posting-rules.md "AR payments"): a succeeded charge
 * that pays a Sage invoice (core/ar/payment-match.ts) becomes an AR cash receipt plus its fee
 * journal instead of the GL sale journal; a payment the user must confirm waits, booking
 * nothing, until they decide in the window. What Sage already has decides the form: a charge
 * whose GL journal is written stays in GL, one whose receipt is written stays a receipt.
 * Refunds and disputes of a receipted payment stay in GL with a note (no credit memo template
 * is captured yet).
 */

const CLOSED: ReadonlySet<StoredDocument['state']> = new Set(['written', 'writing', 'skipped']);

export interface ArStepResult {
  documents: SageDocument[];
  /** Why the object waits (a payment on the confirm list), or null. */
  waiting: string | null;
}

export async function applyArPayments(context: RunContext, object: AnySyncedObject, planning: PlanningContext, documents: SageDocument[]): Promise<ArStepResult> {
  const unchanged = { documents, waiting: null };
  if (!context.arPayments || !planning.mapping.arPayments.enabled) return unchanged;
  if (object.object === 'refund' || object.object === 'dispute') return { documents: withReceiptNote(context, object.charge, documents), waiting: null };
  if (object.object !== 'charge' || !receiptable(object, planning)) return unchanged;
  const journal = documents[0];
  if (journal?.type !== 'journal' || journal.arReceipt || journal.skippedByRule !== undefined) return unchanged;
  const stored = context.ledger.documents.getDocument(arReceiptKey(journal.key));
  const gross = formatSageAmount(settlementAmount(requireBalanceTransaction(object.balance_transaction, object.id, planning), 'amount', planning.mapping));
  const rest = documents.slice(1);
  if (stored && CLOSED.has(stored.state) && stored.document.type === 'journal' && stored.document.arReceipt) {
    const written = stored.document.arReceipt;
    const target: ReceiptTarget = { custId: written.custId, applyTo: written.applyTo, partial: false, matchedBy: written.matchedBy };
    return { documents: [...splitIntoReceipt(journal, target, gross, planning.mapping).slice(1), stored.document, ...rest], waiting: null };
  }
  if (bookedInGl(context, journal)) return unchanged;

  const ar = context.arPayments;
  const mapping = planning.mapping;
  const custId = await payerCustId(context, object, mapping);
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
      ar.confirmations.ask({
        paymentId: object.id,
        custId,
        amount: gross,
        reason: match.reason,
        candidates: match.candidates.map((invoice) => ({ tranId: invoice.tranId, custId: invoice.custId, openBalance: formatSageAmount(invoice.openBalance) })),
      });
      return { documents: [], waiting: `waits for you to confirm which Sage invoice it pays (AR payments in the window): ${match.reason}` };
    case 'gl':
      ar.confirmations.settle(object.id);
      return unchanged;
    case 'unmatched':
      ar.confirmations.settle(object.id);
      if (decision?.kind !== 'on-account' && mapping.arPayments.unmatched !== 'on-account') return unchanged;
      return { documents: [...splitIntoReceipt(journal, { custId: match.custId, applyTo: null, partial: false, matchedBy: 'on-account' }, gross, mapping), ...rest], waiting: null };
    case 'apply': {
      ar.confirmations.settle(object.id);
      const target: ReceiptTarget = { custId: match.custId, applyTo: { invcKey: match.invoice.invcKey, tranId: match.invoice.tranId }, partial: match.partial, matchedBy: match.by };
      return { documents: [...splitIntoReceipt(journal, target, gross, mapping), ...rest], waiting: null };
    }
  }
}

/**
 * Only a plain card or bank payment that has settled for good: not one paying a Stripe invoice
 * (its revenue is the Stripe invoice's journal), not a delayed payment still pending or one
 * that failed after it was credited.
 */
function receiptable(charge: StripeCharge, planning: PlanningContext): boolean {
  return charge.status === 'succeeded' && charge.captured && !charge.failure_balance_transaction && planning.invoiceForCharge(charge) === null;
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

/** The payer's CustID when the customer is in Sage already (written by us, or found by metadata or e-mail); else null. */
async function payerCustId(context: RunContext, charge: StripeCharge, mapping: Mapping): Promise<string | null> {
  if (!charge.customer) return null;
  const ours = context.ledger.documents.documentsForObject(charge.customer).find((stored) => stored.document.type === 'customer' && stored.state === 'written');
  if (ours?.document.type === 'customer') return ours.document.custId;
  const stored = context.ledger.objects.getObject(charge.customer);
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
      ? { ...document, description: `${document.description}. Note: ${chargeId} is an AR cash receipt in Sage; this is booked in GL only, so enter a credit memo or refund in Sage AR by hand if the customer's AR account should show it` }
      : document,
  );
}
