import type { CustomerDocument } from '../sage/documents.js';
import type { StripeCustomer } from '../stripe/objects.js';
import type { Mapping } from '../mapping/mapping.js';
import { PlanningError } from '../posting/planning-error.js';
import { fitted, SAGE_ADDRESS_LIMITS, splitAddress, type FieldProblem } from './sage-address.js';

/**
 * How a Stripe customer maps to Sage, decided by the engine from Stripe metadata and Sage
 * look-ups (metadata CustID first, then e-mail, else create).
 */
export type CustomerResolution =
  | { kind: 'existing'; custId: string; matchedBy: 'metadata' | 'email' }
  | { kind: 'create'; custId: string };

export function planCustomer(customer: StripeCustomer, resolution: CustomerResolution, mapping: Mapping): CustomerDocument[] {
  if (customer.deleted || resolution.kind === 'existing') return [];
  return [customerDocument(customer, resolution.custId, mapping)];
}

/**
 * A customer we created in Sage that changed in Stripe afterwards. Sage's staging API can
 * update a customer (StgCustomer with Action = 2), but our writer only inserts, so instead
 * of a silent divergence the differences become an issue on the record that says what to
 * change in Sage by hand. Changes Sage does not hold (metadata, our own CustID write-back)
 * produce nothing.
 */
export function checkCreatedCustomer(customer: StripeCustomer, written: CustomerDocument, mapping: Mapping): [] {
  if (customer.deleted) return [];
  const wanted = customerDocument(customer, written.custId, mapping);
  const changed = CUSTOMER_FIELDS.filter((field) => field.values(wanted) !== field.values(written)).map((field) => field.label);
  if (changed.length === 0) return [];
  throw new PlanningError(
    'data',
    `Sage customer ${written.custId} differs from Stripe customer ${customer.id}: ${changed.join('/')} changed. This version cannot update Sage customers (only the staging-API insert is implemented), so change ${written.custId} in Sage (Maintain Customers)`,
  );
}

const CUSTOMER_FIELDS: readonly { label: string; values(document: CustomerDocument): string }[] = [
  { label: 'name', values: (document) => JSON.stringify([document.custName, document.contactName]) },
  { label: 'email', values: (document) => JSON.stringify([document.email]) },
  { label: 'phone', values: (document) => JSON.stringify([document.phone]) },
  {
    label: 'address',
    values: (document) => JSON.stringify([document.addrLines, document.city, document.stateId, document.postalCode, document.countryId]),
  },
];

function customerDocument(customer: StripeCustomer, custId: string, mapping: Mapping): CustomerDocument {
  const problems: FieldProblem[] = [];
  const { fields, problems: addressProblems } = splitAddress(customer.address);
  problems.push(...addressProblems);
  const displayName = customer.name?.trim() || customer.email?.trim() || customer.id;
  const custName = fitted(displayName, SAGE_ADDRESS_LIMITS.name, 'CustName', problems) ?? displayName;
  const document: CustomerDocument = {
    type: 'customer',
    key: `${customer.id}:customer`,
    stripeObjectId: customer.id,
    custId,
    custName,
    custClassId: mapping.customers.custClassId,
    ...fields,
    contactName: fitted(customer.name, SAGE_ADDRESS_LIMITS.name, 'Name', problems),
    email: fitted(customer.email, SAGE_ADDRESS_LIMITS.email, 'EMailAddr', problems),
    phone: fitted(customer.phone, SAGE_ADDRESS_LIMITS.phone, 'Phone', problems),
  };
  if (problems.length > 0) {
    throw new PlanningError('data', `customer ${customer.id} does not fit Sage: ${problems.map((p) => p.message).join('; ')}`);
  }
  return document;
}
