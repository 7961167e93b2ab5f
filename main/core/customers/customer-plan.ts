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
 * The Sage fields of a Stripe customer as an insert document. Text that does not fit its Sage
 * column is a data issue naming the field, never truncated.
 */
export function customerDocument(customer: StripeCustomer, custId: string, mapping: Mapping): CustomerDocument {
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
