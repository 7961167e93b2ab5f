import type { OpenInvoiceReader } from './open-invoices.js';
import type { MatchDecision } from './payment-match.js';

/**
 * What the engine needs for AR payments, given only on a site where they are enabled and the
 * cash receipt proved (main/app/ar-readiness.ts); without it every payment is booked in GL.
 */
export interface ArPayments {
  invoices: OpenInvoiceReader;
  confirmations: ArConfirmations;
  /** Why a refund or dispute of a receipted payment gets no AR credit memo or refund document (main/app/ar-readiness.ts); it goes on the GL record. */
  noCreditMemo: string;
  /**
   * Whether a payment of a customer known in Sage that names no Sage invoice becomes a pending AR
   * invoice with the payment applied (ar-invoice-plan.ts): on only where the site also proved its
   * AR invoice and the mapping turned it on (main/app/ar-invoice-readiness.ts).
   */
  invoicesForStripeSales?: boolean;
}

/** A payment waiting for the user: why, and the invoices that came into question. */
export interface ConfirmationRequest {
  paymentId: string;
  custId: string | null;
  /** Gross, canonical decimal text. */
  amount: string;
  reason: string;
  candidates: { tranId: string; custId: string; openBalance: string }[];
}

/**
 * The confirm list (docs/posting-rules.md "AR payments"): the engine asks, the user decides in
 * the window, the next planning pass follows the decision.
 */
export interface ArConfirmations {
  decision(paymentId: string): MatchDecision | null;
  ask(request: ConfirmationRequest): void;
  /** The payment no longer waits (decided, or planned without asking). */
  settle(paymentId: string): void;
}
