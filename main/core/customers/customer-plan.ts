import type { CustomerDocument } from '../sage/documents.js';
import type { StripeCustomer } from '../stripe/objects.js';
import type { Mapping } from '../mapping/mapping.js';
import { NO_UNICODE_FIELDS, toSageCodePage } from './code-page-text.js';
import { PlanningError } from '../posting/planning-error.js';
import { fitCustomerText } from './fit-customer-text.js';

/**
 * How a Stripe customer maps to Sage, decided by the engine from Stripe metadata and Sage
 * look-ups (metadata CustID first, then e-mail, else create).
 */
export type CustomerResolution =
  | { kind: 'existing'; custId: string; matchedBy: 'metadata' | 'email' }
  | { kind: 'create'; custId: string };

export function planCustomer(
  customer: StripeCustomer,
  resolution: CustomerResolution,
  mapping: Mapping,
  unicodeFields: ReadonlySet<string> = NO_UNICODE_FIELDS,
): CustomerDocument[] {
  if (customer.deleted || resolution.kind === 'existing') return [];
  return [customerDocument(customer, resolution.custId, mapping, unicodeFields)];
}

/**
 * The Sage fields of a Stripe customer as an insert document. Text too long for its Sage
 * column is fitted with a note on the document, or (mapping `customers.longText: "park"`) is a
 * data issue naming the field; see fit-customer-text.ts. Text goes to code page 1252 except in
 * the fields the site declares nvarchar (`unicodeFields`, see code-page-text.ts).
 */
export function customerDocument(customer: StripeCustomer, custId: string, mapping: Mapping, unicodeFields: ReadonlySet<string>): CustomerDocument {
  const { notes: fitNotes, problems, ...fields } = fitCustomerText(customer, mapping.customers.longText);
  const { document: fitted, notes: codePageNotes, unwritable } = toSageCodePage({
    type: 'customer',
    key: `${customer.id}:customer`,
    stripeObjectId: customer.id,
    custId,
    custClassId: mapping.customers.custClassId,
    ...fields,
  }, unicodeFields);
  const notes = [...fitNotes, ...codePageNotes];
  const document: CustomerDocument = { ...fitted, ...(notes.length > 0 ? { notes } : {}) };
  if (problems.length > 0) {
    throw new PlanningError('data', `customer ${customer.id} does not fit Sage: ${problems.map((p) => p.message).join('; ')}`);
  }
  if (unwritable.length > 0) {
    throw new PlanningError('data', `customer ${customer.id} has text Sage's varchar columns (code page 1252) cannot hold: ${unwritable.join(', ')}; correct it in Stripe`);
  }
  return document;
}
