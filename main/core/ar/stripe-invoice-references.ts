import type { StripeInvoice } from '../stripe/objects.js';
import { referencesInText } from './invoice-references.js';

/**
 * The Sage invoice a Stripe invoice names, when a shop bills a Sage invoice through Stripe
 * Invoicing (a hosted invoice page, a payment link): Stripe's Invoice object has `metadata`, up
 * to four `custom_fields` ({ name ≤ 40, value ≤ 140 characters }, shown on the invoice PDF and
 * page), a `number` (the account's invoice prefix and sequence unless the shop sets it) and a
 * `description` (the memo). Sources: Stripe API reference, Invoice object; the `stripe` package
 * types (Stripe.Invoice.CustomField).
 *
 * - Named explicitly (like the payment's metadata key): the metadata key itself, or a custom
 *   field whose name is that key or mentions Sage ("Sage invoice", "SAGE_INVOICE").
 * - Named in text (like a payment's description): a custom field whose name mentions an invoice
 *   ("Invoice no."), the invoice's number and its memo. Other custom fields (a PO number, a
 *   contract) are never read as a Sage invoice.
 */

export interface StripeInvoiceReferences {
  explicit: string | null;
  inText: string[];
}

function normalised(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function stripeInvoiceReferences(invoice: StripeInvoice, metadataKey: string): StripeInvoiceReferences {
  const fields = invoice.custom_fields ?? [];
  const key = normalised(metadataKey);
  const explicitField = fields.find((field) => normalised(field.name) === key || normalised(field.name).includes('sage'));
  const metadata = invoice.metadata?.[metadataKey];
  const explicit = metadata !== undefined && metadata.trim() !== '' ? metadata : (explicitField?.value ?? null);
  const textFields = fields.filter((field) => field !== explicitField && normalised(field.name).includes('invoice')).map((field) => field.value);
  const inText = [...new Set([...textFields, invoice.number, invoice.description].flatMap((text) => referencesInText(text ?? null)))];
  return { explicit, inText };
}

/**
 * Why a paid Stripe invoice cannot stand for a Sage invoice's collection, or null when it can:
 * its whole total must have been paid (no customer balance, no credit notes), so the charge that
 * paid it is what the Sage invoice receives. One paid out of band has no charge: its journal is
 * skipped all the same (the Sage invoice booked the revenue) and the money is the bookkeeper's
 * own receipt in Sage, where it arrived.
 */
export function collectionProblem(invoice: StripeInvoice): string | null {
  if (invoice.status !== 'paid') return `Stripe invoice ${invoice.id} is not paid`;
  if (invoice.total <= 0) return `Stripe invoice ${invoice.id} has nothing to pay`;
  if (invoice.starting_balance !== 0 || invoice.amount_due !== invoice.total) return `Stripe invoice ${invoice.id} used the customer's Stripe balance`;
  if (invoice.pre_payment_credit_notes_amount !== 0 || invoice.post_payment_credit_notes_amount !== 0) return `Stripe invoice ${invoice.id} has credit notes`;
  if (invoice.amount_paid !== invoice.total) return `Stripe invoice ${invoice.id} was not paid in full`;
  return null;
}
