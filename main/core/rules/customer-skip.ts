import { sageCustIdFor } from '../customers/customer-id.js';
import type { Mapping } from '../mapping/mapping.js';
import type { PlanningContext } from '../posting/planning-context.js';
import type { CustomerDocument, RuleEffect } from '../sage/documents.js';
import type { StripeCharge, StripeCustomer, StripeInvoice } from '../stripe/objects.js';
import { customerMappingWithRules } from './plan-with-rules.js';

/**
 * A skip rule that matches a customer (a test customer, an internal account): the customer is
 * not created in Sage, not matched to a Sage customer by e-mail and not updated; its record is
 * kept as "skipped by rule NAME" so the Activity view says why. Its money is still booked:
 * charges, refunds and disputes are GL journals through clearing, which name no Sage customer,
 * so they are planned as usual (a rule on charges, e.g. the same condition on the charge's
 * customer metadata, decides where they go). A sales order for the customer has no Sage
 * customer to go to and is recorded as skipped by the same rule; the charge's journal books
 * its money. See docs/posting-rules.md "Skipping customers".
 */

/** The record of a skipped customer: its Stripe fields, never written (no Sage look-up is made for it). */
export function skippedCustomerDocument(customer: StripeCustomer, mapping: Mapping, rule: string, rules: RuleEffect[]): CustomerDocument {
  return {
    type: 'customer',
    key: `${customer.id}:customer`,
    stripeObjectId: customer.id,
    custId: sageCustIdFor(customer.id, mapping.customers.idPrefix),
    custName: customer.name ?? customer.email ?? customer.id,
    custClassId: mapping.customers.custClassId,
    addrLines: [],
    city: null,
    stateId: null,
    postalCode: null,
    countryId: null,
    contactName: null,
    email: typeof customer.email === 'string' ? customer.email : null,
    phone: null,
    skippedByRule: rule,
    rules,
  };
}

/**
 * The rule that skips the customer of an order-to-be and the CustID it would have had, or null
 * when its customer is not skipped (or not read yet: the order then waits for it as usual).
 */
export function orderCustomerSkip(object: StripeCharge | StripeInvoice, context: PlanningContext): { rule: string; custId: string } | null {
  const customer = object.customer ? context.storedObject(object.customer) : null;
  if (customer?.object !== 'customer' || customer.deleted) return null;
  const ruled = customerMappingWithRules(customer, context);
  return ruled.skippedBy === null ? null : { rule: ruled.skippedBy, custId: sageCustIdFor(customer.id, ruled.mapping.customers.idPrefix) };
}
