import type { Mapping } from '../mapping/mapping.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';

/**
 * Facts a plan needs beyond the object itself. The engine gathers them from the ledger
 * (and, for customers, from Sage) before calling the pure planners.
 */
export interface PlanningContext {
  mapping: Mapping;
  /** The invoice a charge paid, from Stripe's invoice payments; null for a plain sale. */
  invoiceForCharge(chargeId: string): string | null;
  /** The credit note a refund settles, if any. */
  creditNoteForRefund(refundId: string): string | null;
  /** A balance transaction by id, when the object only holds its id. */
  balanceTransaction(id: string): StripeBalanceTransaction | null;
}
