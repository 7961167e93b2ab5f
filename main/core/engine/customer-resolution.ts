import { describeValue } from '../money/describe-value.js';
import { sageCustIdFor } from '../customers/customer-id.js';
import type { CustomerResolution } from '../customers/customer-plan.js';
import type { Mapping } from '../mapping/mapping.js';
import type { SageTarget } from '../ports/sage-target.js';
import { PlanningError } from '../posting/planning-error.js';
import type { StripeCustomer } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';

/**
 * Sage CustID from Stripe metadata, else a Sage customer with the same e-mail, else a new one.
 * `sage` answers the look-ups: the plan pass gives its page's answers (page-customer-lookups.ts).
 */
export async function resolveCustomer(
  context: RunContext,
  customer: StripeCustomer,
  mapping: Mapping,
  sage: Pick<SageTarget, 'findCustomer'> = context.sage,
): Promise<CustomerResolution> {
  const metadataValue: unknown = customer.metadata?.[mapping.customers.metadataKey];
  if (metadataValue !== undefined && metadataValue !== null && typeof metadataValue !== 'string') {
    // Stripe's metadata values are strings; anything else is a damaged payload.
    throw new PlanningError('data', `Stripe customer ${customer.id} has metadata ${mapping.customers.metadataKey} that is not text (${describeValue(metadataValue)}); correct it in Stripe`);
  }
  const fromMetadata = metadataValue?.trim();
  if (fromMetadata) {
    const match = await sage.findCustomer({ custId: fromMetadata });
    if (match) return { kind: 'existing', custId: match.custId, matchedBy: 'metadata' };
  }
  const email: unknown = customer.email;
  if (email !== null && email !== undefined && typeof email !== 'string') {
    // Stripe documents email as a string or null; anything else is a damaged payload.
    throw new PlanningError('data', `Stripe customer ${customer.id} has an email that is not text (${describeValue(email)}); correct it in Stripe`);
  }
  if (mapping.customers.matchByEmail && customer.email) {
    const match = await sage.findCustomer({ email: customer.email });
    if (match) return { kind: 'existing', custId: match.custId, matchedBy: 'email' };
  }
  if (!mapping.customers.createMissing) {
    throw new PlanningError('data', `no Sage customer matches Stripe customer ${customer.id} and creating customers is turned off in the mapping`);
  }
  return { kind: 'create', custId: sageCustIdFor(customer.id, mapping.customers.idPrefix) };
}

