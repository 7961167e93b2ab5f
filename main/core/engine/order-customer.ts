import type { Mapping } from '../mapping/mapping.js';
import { orderCustomer } from '../posting/sales-order-plan.js';
import { PlanningError } from '../posting/planning-error.js';
import type { StripeCharge, StripeInvoice } from '../stripe/objects.js';
import { resolveCustomer } from './customer-resolution.js';
import type { RunContext } from './engine-context.js';

/**
 * The Sage CustID a sales order goes to. The customer must exist in Sage before the order:
 * a customer document we planned is written first (customers sort before orders), an existing
 * Sage customer is found the same way the customer pass finds it (metadata, then e-mail), and
 * a customer that is neither waits until its own record is planned.
 */
export async function salesOrderCustId(context: RunContext, object: StripeCharge | StripeInvoice, mapping: Mapping): Promise<string> {
  const customerId = orderCustomer(object);
  const planned = context.ledger.documents.documentsForObject(customerId).find((stored) => stored.document.type === 'customer');
  if (planned?.document.type === 'customer') return planned.document.custId;
  const stored = context.ledger.objects.getObject(customerId);
  if (!stored || stored.object.object !== 'customer') {
    throw new PlanningError('waiting', `customer ${customerId} of ${object.id} has not been read from Stripe yet; the sales order follows once it is in Sage`);
  }
  if (stored.object.deleted) {
    throw new PlanningError('data', `customer ${customerId} of ${object.id} was deleted in Stripe, so the sales order has no Sage customer; enter the order in Sage by hand`);
  }
  const resolution = await resolveCustomer(context, stored.object, mapping);
  if (resolution.kind === 'existing') return resolution.custId;
  throw new PlanningError('waiting', `customer ${customerId} of ${object.id} is not in Sage yet; its customer record is planned and written before the sales order`);
}
