import type { SyncConfig } from '../adapters/config/config-file.js';
import { ArConfirmationFile } from '../adapters/ar/ar-confirmation-file.js';
import type { MatchDecision } from '../core/ar/payment-match.js';
import type { ArPaymentsView } from '../../preload/contract.js';
import { AppServiceError } from './app-service-error.js';
import { arInvoiceReadiness } from './ar-invoice-readiness.js';
import { arReadiness } from './ar-readiness.js';

/** What the window's AR payments view shows (renderer/src/views/ar-payments-view.tsx), and the user's answers to the confirm list. */

export function arPaymentsView(config: SyncConfig): ArPaymentsView {
  const { cashReceipt, creditMemo } = arReadiness(config);
  const stripeSales = arInvoiceReadiness(config, cashReceipt);
  return {
    available: cashReceipt.proved,
    active: cashReceipt.active,
    reason: cashReceipt.reason,
    pending: new ArConfirmationFile(config.dataDir).pending(),
    documents: [
      { kind: 'cash-receipt', available: cashReceipt.proved, active: cashReceipt.active, reason: cashReceipt.reason },
      { kind: 'credit-memo', available: creditMemo.proved, active: creditMemo.active, reason: creditMemo.reason },
      { kind: 'stripe-sale-invoice', available: stripeSales.proved, active: stripeSales.active, reason: stripeSales.reason },
    ],
  };
}

/** Records the decision for a payment on the list; an invoice must be one of the candidates the sync offered. */
export function decideArPayment(config: SyncConfig, paymentId: string, decision: MatchDecision): ArPaymentsView {
  const confirmations = new ArConfirmationFile(config.dataDir);
  const waiting = confirmations.pending().find((request) => request.paymentId === paymentId);
  if (!waiting) throw new AppServiceError('not-found', `${paymentId} is not waiting for a decision`);
  if (decision.kind === 'apply' && !waiting.candidates.some((candidate) => candidate.tranId === decision.tranId)) {
    throw new AppServiceError('invalid-request', `Sage invoice ${decision.tranId} is not one of the invoices offered for ${paymentId}`);
  }
  confirmations.decide(paymentId, decision);
  return arPaymentsView(config);
}
