import type Database from 'better-sqlite3';

/**
 * The charges that paid a Stripe invoice, found by index (chargesPayingInvoice): the invoice's
 * payments by invoice id, and the charges on a named PaymentIntent by that id. A PaymentIntent
 * may be attached to an invoice after its charge succeeded (Stripe's attach_payment), so the
 * charge can be older than the invoice and is looked up by id, not among recent charges. The
 * expression must be the one the query uses, or SQLite does not use the index.
 */
export const CHARGE_PAYMENT_INTENT = `COALESCE(json_extract(body, '$.payment_intent.id'), json_extract(body, '$.payment_intent'))`;

export function v8ChargePaymentIntents(db: Database.Database): void {
  db.exec(`
    CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id);
    CREATE INDEX stripe_objects_charge_payment_intent ON stripe_objects (${CHARGE_PAYMENT_INTENT}) WHERE kind = 'charge';
  `);
}
