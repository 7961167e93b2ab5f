import type { Mapping } from '../mapping/mapping.js';
import type { AnySyncedObject, StripeBalanceTransaction, StripeInvoice } from '../stripe/objects.js';
import type { RuleRelatedObject } from '../stripe/rule-related-objects.js';

/**
 * Facts a plan needs beyond the object itself. The engine gathers them from the ledger
 * (and, for customers, from Sage) before calling the pure planners.
 */
export interface PlanningContext {
  mapping: Mapping;
  /**
   * The invoice a charge paid, from Stripe's invoice payments, which name the charge's
   * PaymentIntent (or the charge itself when it has none); null for a plain sale.
   */
  invoiceForCharge(charge: { id: string; payment_intent: string | null }): string | null;
  /** A stored invoice by id, or null when it has not been read. */
  invoice(id: string): StripeInvoice | null;
  /** The credit note a refund settles, if any. */
  creditNoteForRefund(refundId: string): string | null;
  /** A balance transaction by id, when the object only holds its id. */
  balanceTransaction(id: string): StripeBalanceTransaction | null;
  /**
   * Ids of the stored objects whose `balance_transaction` or `failure_balance_transaction`
   * names this transaction, earliest (created, id) first: the order that decides which one
   * books a transaction whose `source` Stripe left null.
   */
  balanceTransactionClaimants(id: string): string[];
  /** The object whose journal booking this transaction is written to Sage (or being written), or null. */
  balanceTransactionBookedBy(id: string): string | null;
  /** Any stored object by id (a refund's charge, a charge's customer), for the business rules' conditions. */
  storedObject(id: string): AnySyncedObject | null;
  /** A charge's PaymentIntent or an invoice line's Product as the rules read them (metadata), or null when not read. */
  relatedObject(id: string): RuleRelatedObject | null;
  /**
   * Whether the payout's arrival journal (bank +, in transit −) is in the ledger, written or
   * to be written, or kept out as keyed by hand: a failure then takes the money back from the
   * bank rather than from in transit.
   */
  payoutArrivalBooked(payoutId: string): boolean;
}
