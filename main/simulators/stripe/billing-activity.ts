import type { StripeCustomer } from '../../core/stripe/objects.js';
import { SECONDS_PER_DAY } from './clock.js';
import type { BillingShapes, InvoiceSpec } from './billing-shapes.js';
import { SUBSCRIPTION_CATALOG } from './sample-data.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * A day's share of the billing shapes in the generated activity: one or two one-off invoices
 * (some with shipping, credit grants or discounts) and their fates, and now and then a card
 * payment captured for less than was authorised. Credit given to a customer's balance by a
 * credit note is consumed by that customer's next invoice, as on Stripe.
 */
export function scheduleBillingShapes(
  billing: BillingShapes,
  random: SeededRandom,
  customers: readonly StripeCustomer[],
  dayStart: number,
  at: (time: number, run: (time: number) => void) => void,
): void {
  if (customers.length === 0) return;
  const invoices = random.int(1, 2);
  for (let i = 0; i < invoices; i++) {
    const customer = random.pick(customers);
    const spec = invoiceSpec(random);
    const fate = random.next();
    at(dayStart + random.int(0, 80_000), (t) => {
      const issued = billing.finalise(t, customer, spec);
      const { invoice } = issued;
      if (fate < 0.15 && invoice.amount_due > 200) {
        const amount = Math.floor(invoice.amount_due / 5);
        billing.creditBeforePayment(t + 30, issued, amount, Math.round(amount / 13));
        at(t + 60, (paidAt) => billing.pay(paidAt, issued, customer));
      } else if (fate < 0.25 && invoice.amount_due > 0) {
        // More credit than is still due: the note is mixed and the excess goes to the balance.
        const amount = invoice.amount_due + 500;
        billing.creditBeforePayment(t + 30, issued, amount, Math.round(amount / 13));
        at(t + 60, (paidAt) => billing.pay(paidAt, issued, customer));
      } else if (fate < 0.32) {
        at(t + SECONDS_PER_DAY, (paidAt) => billing.payOutOfBand(paidAt, issued));
      } else {
        at(t + 60, (paidAt) => {
          const charge = billing.pay(paidAt, issued, customer);
          if (fate < 0.5 && invoice.amount_paid > 100) {
            const amount = Math.floor(invoice.amount_paid / 4);
            const refunded = random.chance(0.5) ? charge : null;
            at(paidAt + random.int(1, 5) * SECONDS_PER_DAY, (creditedAt) => billing.creditAfterPayment(creditedAt, invoice, refunded, amount, Math.round(amount / 13)));
          }
        });
      }
    });
  }
  if (random.chance(0.35)) {
    const customer = random.chance(0.7) ? random.pick(customers) : null;
    const authorised = random.int(50, 400) * 100;
    const captured = authorised - random.int(1, Math.floor(authorised / 200)) * 100;
    at(dayStart + random.int(0, 80_000), (t) => billing.partialCapture(t, customer, authorised, captured));
  }
}

function invoiceSpec(random: SeededRandom): InvoiceSpec {
  const lines = Array.from({ length: random.int(1, 2) }, () => {
    const item = random.pick(SUBSCRIPTION_CATALOG);
    const amount = item.unitAmount * random.int(1, 3);
    return {
      description: item.description,
      amount,
      product: item.product,
      discount: random.chance(0.2) ? Math.round(amount / 10) : 0,
      creditGrant: random.chance(0.15) ? Math.min(500, Math.floor(amount / 4)) : 0,
      taxed: random.chance(0.5),
    };
  });
  return { lines, ...(random.chance(0.3) ? { shipping: { amount: random.int(5, 20) * 100, taxed: random.chance(0.5) } } : {}) };
}
