import type { Ledger } from '../ports/ledger.js';
import type { AnySyncedObject, StripeInvoicePayment } from '../stripe/objects.js';
import { splitExpandedBalanceTransactions } from './normalise.js';
import { splitExpandedPaymentIntents } from './payment-intent-split.js';

/**
 * Stores objects read from Stripe (any kind, expanded or not); returns how many changed. An
 * invoice read with its `payments` included has them linked here and stored without them; a
 * charge read with its PaymentIntent expanded has it kept for the business rules.
 */
export function storeObjects(ledger: Ledger, objects: readonly AnySyncedObject[]): number {
  // The page's objects, transactions and links in one ledger transaction: one commit a page.
  return ledger.inTransaction(() => storePage(ledger, objects));
}

function storePage(ledger: Ledger, objects: readonly AnySyncedObject[]): number {
  const withoutPayments = objects.map((object) => {
    if (object.object !== 'invoice' || object.payments === undefined) return object;
    const { payments, ...invoice } = object;
    storeInvoicePayments(ledger, payments.data);
    return invoice;
  });
  const { objects: withoutPaymentIntents, paymentIntents } = splitExpandedPaymentIntents(withoutPayments);
  ledger.related.upsertRelatedObjects(paymentIntents);
  const normalised = withoutPaymentIntents.map(splitExpandedBalanceTransactions);
  const bts = normalised.flatMap((entry) => entry.balanceTransactions);
  if (bts.length > 0) ledger.objects.upsertBalanceTransactions(bts, null);
  const changed = ledger.objects.upsertObjects(normalised.map((entry) => entry.object));
  recheckOtherClaimants(ledger, normalised.map((entry) => entry.object));
  return changed;
}

/**
 * A balance transaction Stripe gave no `source` is booked by one of the objects naming it
 * (posting/expand.ts). When another object naming it is stored, every other claimant is planned
 * again, so the one that already booked it is checked again and a plan made before this
 * object was known cannot reach Sage beside its own.
 */
function recheckOtherClaimants(ledger: Ledger, objects: readonly AnySyncedObject[]): void {
  const recheck = new Set<string>();
  const named = objects.map((object) => ({ object, fields: namedBalanceTransactions(object) }));
  // One query for the page: almost every transaction has its source, and then nothing is read.
  const unsourced = ledger.objects.unsourcedBalanceTransactionIds(named.flatMap((entry) => entry.fields));
  for (const { object, fields } of named) {
    for (const field of fields) {
      if (!unsourced.has(field)) continue;
      for (const claimant of ledger.objects.objectsNamingBalanceTransaction(field)) if (claimant !== object.id) recheck.add(claimant);
    }
  }
  if (recheck.size > 0) ledger.objects.replanObjects([...recheck]);
}

function namedBalanceTransactions(object: AnySyncedObject): string[] {
  if (object.object !== 'charge' && object.object !== 'refund' && object.object !== 'payout') return [];
  return [object.balance_transaction, object.failure_balance_transaction ?? null].filter((field): field is string => typeof field === 'string');
}

/**
 * Links payments to the invoices they pay (Stripe's InvoicePayment objects). Since API
 * 2025-03-31 a payment names the PaymentIntent (`payment.type: "payment_intent"`), and only a
 * charge without one is named itself. Stripe creates the invoice's default payment, with its
 * PaymentIntent, when the invoice is finalised, so an open payment is linked too: the charge
 * that later succeeds on that PaymentIntent is then known to pay the invoice. A canceled
 * payment never took money. An expanded `payment.*` field is reduced to its id.
 */
export function storeInvoicePayments(ledger: Ledger, payments: readonly StripeInvoicePayment[]): void {
  if (payments.length > 0) ledger.inTransaction(() => linkPayments(ledger, payments));
}

function linkPayments(ledger: Ledger, payments: readonly StripeInvoicePayment[]): void {
  for (const payment of payments) {
    if (payment.status === 'canceled') continue;
    const named = payment.payment.type === 'payment_intent' ? payment.payment.payment_intent : payment.payment.type === 'charge' ? payment.payment.charge : undefined;
    const id = typeof named === 'string' ? named : (named as { id?: unknown } | undefined)?.id;
    const invoice = typeof payment.invoice === 'string' ? payment.invoice : (payment.invoice as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && typeof invoice === 'string') ledger.objects.linkInvoicePayment(id, invoice);
  }
}
