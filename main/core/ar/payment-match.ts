import { formatSageAmount, type SageAmount } from '../money/sage-amount.js';
import { namesInvoice, referenceForms } from './invoice-references.js';
import type { OpenInvoice, OpenInvoiceReader } from './open-invoices.js';

/**
 * Which Sage invoice a Stripe payment pays (issue #21, docs/posting-rules.md "AR payments"):
 *
 * 1. the Sage invoice named in the payment's metadata (the configured key, e.g. `sage_invoice`);
 * 2. else an invoice number found in the payment's description;
 * 3. else the payer's one open invoice whose open balance equals the payment exactly.
 *
 * A payment is applied without asking only when exactly one open invoice answers, it is the
 * payer's, and the payment is not more than its open balance (less is a partial payment: the
 * rest stays open). Everything else that names or resembles an invoice goes to the user to
 * confirm (several candidates, another customer's invoice, an overpayment, a reference to an
 * invoice that is not open): never guessed. A payment nothing names is unmatched.
 */

export type MatchedBy = 'metadata' | 'description' | 'open-balance' | 'confirmed';

export interface PaymentFacts {
  /** The Stripe charge id. */
  paymentId: string;
  /** The payer's Sage CustID, or null when the payment has no customer known in Sage. */
  custId: string | null;
  /** Gross amount in the home currency. */
  amount: SageAmount;
  /** The value of the configured metadata key, or null. */
  metadataReference: string | null;
  /** Reference forms found in the description (invoice-references.ts referencesInText). */
  descriptionReferences: readonly string[];
}

/** What the user decided for a payment that was on the confirm list. */
export type MatchDecision = { kind: 'apply'; tranId: string } | { kind: 'on-account' } | { kind: 'gl' };

export type PaymentMatch =
  | { kind: 'apply'; invoice: OpenInvoice; custId: string; amount: SageAmount; partial: boolean; by: MatchedBy }
  /** Unmatched, from a customer known in Sage: on account or GL is the mapping's (or the user's) choice. */
  | { kind: 'unmatched'; custId: string; why: string }
  /** GL only, as without AR: no Sage customer, or the user said so. */
  | { kind: 'gl'; why: string }
  | { kind: 'confirm'; reason: string; candidates: OpenInvoice[] };

function describe(invoice: OpenInvoice): string {
  return `${invoice.tranId} (customer ${invoice.custId}, open ${formatSageAmount(invoice.openBalance)})`;
}

function distinct(invoices: readonly OpenInvoice[]): OpenInvoice[] {
  return [...new Map(invoices.map((invoice) => [invoice.invcKey, invoice])).values()];
}

/** One invoice named by a reference: applied when it is the payer's and the payment fits its open balance. */
function applyNamed(facts: PaymentFacts, invoice: OpenInvoice, by: MatchedBy): PaymentMatch {
  const amount = formatSageAmount(facts.amount);
  if (facts.custId !== null && invoice.custId !== facts.custId) {
    return { kind: 'confirm', reason: `${facts.paymentId} names Sage invoice ${invoice.tranId} of customer ${invoice.custId}, but the payer is Sage customer ${facts.custId}`, candidates: [invoice] };
  }
  if (facts.custId === null && by !== 'metadata' && by !== 'confirmed') {
    return { kind: 'confirm', reason: `${facts.paymentId} has no Sage customer; its description names Sage invoice ${invoice.tranId}`, candidates: [invoice] };
  }
  if (facts.amount > invoice.openBalance) {
    return { kind: 'confirm', reason: `${facts.paymentId} pays ${amount}, more than the open balance of Sage invoice ${describe(invoice)}`, candidates: [invoice] };
  }
  return { kind: 'apply', invoice, custId: invoice.custId, amount: facts.amount, partial: facts.amount < invoice.openBalance, by };
}

async function named(facts: PaymentFacts, reader: OpenInvoiceReader, forms: readonly string[]): Promise<OpenInvoice[]> {
  if (forms.length === 0) return [];
  const found = await reader.byReference(forms);
  return distinct(found.filter((invoice) => forms.some((form) => namesInvoice(form, invoice))));
}

async function decided(facts: PaymentFacts, reader: OpenInvoiceReader, decision: MatchDecision): Promise<PaymentMatch> {
  switch (decision.kind) {
    case 'gl':
      return { kind: 'gl', why: 'you chose GL only for this payment' };
    case 'on-account':
      return facts.custId === null
        ? { kind: 'confirm', reason: `${facts.paymentId} has no Sage customer, so it cannot go on account`, candidates: [] }
        : { kind: 'unmatched', custId: facts.custId, why: 'you chose to put it on account' };
    case 'apply': {
      const invoices = await named(facts, reader, referenceForms(decision.tranId));
      if (invoices.length !== 1) {
        return { kind: 'confirm', reason: `Sage invoice ${decision.tranId}, which you chose for ${facts.paymentId}, is no longer open`, candidates: invoices };
      }
      // The user may pick another customer's invoice (a parent paying for a branch), not an overpayment.
      return applyNamed({ ...facts, custId: null }, invoices[0]!, 'confirmed');
    }
  }
}

export interface MatchOptions {
  /**
   * Whether the payer's open balance counts as a match (step 3). Not for a Stripe invoice's
   * payment: its revenue is the Stripe invoice's unless a reference names the Sage invoice, so an
   * equal balance is no evidence.
   */
  byOpenBalance: boolean;
}

export async function matchPayment(facts: PaymentFacts, reader: OpenInvoiceReader, decision: MatchDecision | null, options: MatchOptions = { byOpenBalance: true }): Promise<PaymentMatch> {
  if (decision) return decided(facts, reader, decision);
  if (facts.amount <= 0n) return { kind: 'gl', why: `${facts.paymentId} moves no money to apply` };

  if (facts.metadataReference !== null && facts.metadataReference.trim() !== '') {
    const forms = referenceForms(facts.metadataReference);
    const invoices = await named(facts, reader, forms);
    if (invoices.length === 1) return applyNamed(facts, invoices[0]!, 'metadata');
    return {
      kind: 'confirm',
      reason:
        invoices.length === 0
          ? `${facts.paymentId} names Sage invoice "${facts.metadataReference}" in its metadata, but Sage has no open invoice by that number`
          : `${facts.paymentId} names "${facts.metadataReference}" in its metadata, which fits ${invoices.length} open Sage invoices`,
      candidates: invoices,
    };
  }

  const inDescription = await named(facts, reader, facts.descriptionReferences);
  if (inDescription.length === 1) return applyNamed(facts, inDescription[0]!, 'description');
  if (inDescription.length > 1) {
    return { kind: 'confirm', reason: `${facts.paymentId}'s description names ${inDescription.length} open Sage invoices: ${inDescription.map((invoice) => invoice.tranId).join(', ')}`, candidates: inDescription };
  }

  if (facts.custId === null) return { kind: 'gl', why: `${facts.paymentId} names no Sage invoice and has no Sage customer` };
  if (!options.byOpenBalance) return { kind: 'gl', why: `${facts.paymentId} names no open Sage invoice` };
  const sameAmount = (await reader.ofCustomer(facts.custId)).filter((invoice) => invoice.openBalance === facts.amount);
  if (sameAmount.length === 1) return applyNamed(facts, sameAmount[0]!, 'open-balance');
  if (sameAmount.length > 1) {
    return {
      kind: 'confirm',
      reason: `${facts.paymentId} (${formatSageAmount(facts.amount)}) equals the open balance of ${sameAmount.length} Sage invoices of customer ${facts.custId}`,
      candidates: sameAmount,
    };
  }
  return { kind: 'unmatched', custId: facts.custId, why: `${facts.paymentId} names no Sage invoice and matches no open balance of customer ${facts.custId}` };
}
