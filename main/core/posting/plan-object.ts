import type { SageDocument } from '../sage/documents.js';
import type { AnySyncedObject } from '../stripe/objects.js';
import { planCharge } from './charge-plan.js';
import { planCreditNote } from './credit-note-plan.js';
import { planDispute } from './dispute-plan.js';
import { planInvoice } from './invoice-plan.js';
import { planPayout } from './payout-plan.js';
import type { PlanningContext } from './planning-context.js';
import { planRefund } from './refund-plan.js';

/**
 * The posting plan of one money object: the exact Sage documents it should produce.
 * Customers are planned separately (customers/customer-plan.ts) because they need a Sage
 * look-up first; payouts are planned only after their tie-out proof passes.
 */
export function planMoneyObject(object: AnySyncedObject, context: PlanningContext): SageDocument[] {
  switch (object.object) {
    case 'charge':
      return planCharge(object, context);
    case 'refund':
      return planRefund(object, context);
    case 'dispute':
      return planDispute(object, context);
    case 'invoice':
      return planInvoice(object, context);
    case 'credit_note':
      return planCreditNote(object, context);
    case 'payout':
      return planPayout(object, context);
    case 'customer':
      return [];
  }
}
