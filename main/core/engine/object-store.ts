import type { Ledger } from '../ports/ledger.js';
import type { AnySyncedObject, StripeInvoicePayment } from '../stripe/objects.js';
import { splitExpandedBalanceTransactions } from './normalise.js';

/** Stores objects read from Stripe (any kind, expanded or not); returns how many changed. */
export function storeObjects(ledger: Ledger, objects: readonly AnySyncedObject[]): number {
  const normalised = objects.map(splitExpandedBalanceTransactions);
  const bts = normalised.flatMap((entry) => entry.balanceTransactions);
  if (bts.length > 0) ledger.objects.upsertBalanceTransactions(bts, null);
  return ledger.objects.upsertObjects(normalised.map((entry) => entry.object));
}

/** Links charges to the invoices they paid (Stripe's InvoicePayment objects). */
export function storeInvoicePayments(ledger: Ledger, payments: readonly StripeInvoicePayment[]): void {
  for (const payment of payments) {
    if (payment.status === 'paid' && payment.payment.type === 'charge' && payment.payment.charge) {
      ledger.objects.linkInvoicePayment(payment.payment.charge, payment.invoice);
    }
  }
}
