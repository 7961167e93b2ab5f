import { normaliseCurrency } from '../money/currency.js';
import { formatSageAmount, fromStripeMinor, type SageAmount } from '../money/sage-amount.js';
import type { SalesOrderDocument, SalesOrderLine } from '../sage/documents.js';
import type { StripeCharge, StripeInvoice } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { requireBalanceTransaction } from './expand.js';
import { invoiceLineRevenue, type InvoiceLineRevenue } from './invoice-line-revenue.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';
import { quoted } from '../text/quoted.js';

/**
 * Order flow (mapping.salesOrders.enabled): a paid plain charge or a paid invoice also becomes
 * an Open Sage sales order. A charge that paid an invoice gets no order of its own; the
 * invoice's order carries its lines. The money itself is booked by the journals; the order is
 * the commercial document, so its amounts are the same settlement-currency amounts.
 *
 * TranCmnt holds the Stripe id: the writer finds an order that committed before its
 * cross-reference row by it, so it must be unique per order.
 */

/** Stripe metadata key (on the charge or invoice) that receives the Sage sales order TranNo. */
export const SALES_ORDER_METADATA_KEY = 'sage_so_tranno';

const DESCRIPTION_LIMIT = 40;

export function salesOrderKey(stripeObjectId: string): string {
  return `${stripeObjectId}:sales-order`;
}

/** The Stripe customer an order needs in Sage; a clear data issue when the payment has none. */
export function orderCustomer(object: StripeCharge | StripeInvoice): string {
  if (object.customer) return object.customer;
  const what = object.object === 'charge' ? 'charge' : 'invoice';
  throw new PlanningError(
    'data',
    `${what} ${object.id} has no Stripe customer, so it cannot become a Sage sales order (Sage orders need a customer); attach a customer in Stripe or turn sales orders off in the mapping`,
  );
}

/** Whether the object gets a sales order at all; decided before the customer is looked up. */
export function wantsSalesOrder(object: StripeCharge | StripeInvoice, context: PlanningContext): boolean {
  if (!context.mapping.salesOrders.enabled) return false;
  if (object.object === 'charge') {
    return object.status === 'succeeded' && object.captured && object.paid && context.invoiceForCharge(object) === null;
  }
  return object.status === 'paid' && object.status_transitions.paid_at !== null && object.total !== 0;
}

export function planSalesOrder(object: StripeCharge | StripeInvoice, custId: string, context: PlanningContext): SalesOrderDocument[] {
  if (!wantsSalesOrder(object, context)) return [];
  return [object.object === 'charge' ? chargeOrder(object, custId, context) : invoiceOrder(object, custId, context)];
}

/**
 * A plain charge: one line of the default item for the gross amount Stripe settled. For a
 * partial capture that is the captured part: the balance transaction is for the whole
 * authorisation, so it is scaled by captured/authorised (exact when the charge settled in its
 * own currency, rounded half up after a conversion).
 */
function chargeOrder(charge: StripeCharge, custId: string, context: PlanningContext): SalesOrderDocument {
  const { mapping } = context;
  const bt = requireBalanceTransaction(charge.balance_transaction, charge.id, context);
  const currency = normaliseCurrency(bt.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError('configuration', `charge ${charge.id} settled in ${currency.toUpperCase()}; sales orders are in the home currency ${mapping.homeCurrency.toUpperCase()}`);
  }
  const amount = fromStripeMinor(capturedSettlement(charge, bt.amount, bt.currency), currency);
  return {
    type: 'sales_order',
    key: salesOrderKey(charge.id),
    stripeObjectId: charge.id,
    custId,
    tranDate: businessDate(charge.created, mapping.timeZone),
    comment: `Stripe ${charge.id}`,
    lines: [orderLine(mapping.salesOrders.defaultItemId, charge.description ?? `Stripe sale ${charge.id}`, 1, amount)],
  };
}

function capturedSettlement(charge: StripeCharge, settled: number, settlementCurrency: string): number {
  if (charge.amount_captured === charge.amount) return settled;
  if (normaliseCurrency(charge.currency) === normaliseCurrency(settlementCurrency)) return charge.amount_captured;
  const scaled = BigInt(settled) * BigInt(charge.amount_captured) * 2n + BigInt(charge.amount);
  return Number(scaled / (BigInt(charge.amount) * 2n));
}

/**
 * A paid invoice: one order line per invoice line, the item from productItems (else the
 * default item), the amount net of discounts and of tax included in the price, i.e. the same
 * revenue the invoice journal books; Sage adds tax from the customer's tax schedule.
 */
function invoiceOrder(invoice: StripeInvoice, custId: string, context: PlanningContext): SalesOrderDocument {
  const { mapping } = context;
  const currency = normaliseCurrency(invoice.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError('configuration', `invoice ${invoice.id} is in ${currency.toUpperCase()}; sales orders are in the home currency ${mapping.homeCurrency.toUpperCase()}`);
  }
  const lines: SalesOrderLine[] = [];
  for (const item of invoiceOrderLines(invoice)) {
    const net = item.revenue;
    if (net < 0) {
      throw new PlanningError(
        'data',
        `invoice ${invoice.id} line ${item.id} is a credit of ${formatSageAmount(fromStripeMinor(-net, currency))}; a Sage sales order line cannot be negative, so enter this order in Sage by hand or turn sales orders off`,
      );
    }
    const itemId = (item.product && mapping.productItems[item.product]) || mapping.salesOrders.defaultItemId;
    lines.push(orderLine(itemId, item.description ?? item.product ?? item.id, item.quantity ?? 1, fromStripeMinor(net, currency)));
  }
  return {
    type: 'sales_order',
    key: salesOrderKey(invoice.id),
    stripeObjectId: invoice.id,
    custId,
    tranDate: businessDate(invoice.status_transitions.paid_at!, mapping.timeZone),
    comment: `Stripe ${invoice.id}`,
    lines,
  };
}

/** The invoice lines that become order lines, in order: those that earned something. */
export function invoiceOrderLines(invoice: StripeInvoice): InvoiceLineRevenue[] {
  return invoiceLineRevenue(invoice).filter((item) => item.revenue !== 0);
}

/**
 * The extended amount is exact (it is what Stripe charged); the unit price is derived from it
 * with Sage's five decimals, rounded half up, in integer arithmetic.
 */
function orderLine(itemId: string, description: string, quantity: number, extAmount: SageAmount): SalesOrderLine {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new PlanningError('data', `order line "${quoted(description)}" has quantity ${quantity}; Sage needs a positive whole quantity`);
  }
  const hundredThousandths = extAmount * 100n;
  const count = BigInt(quantity);
  const unit = (hundredThousandths * 2n + count) / (count * 2n);
  const text = unit.toString().padStart(6, '0');
  return {
    itemId,
    description: [...description].length <= DESCRIPTION_LIMIT ? description : `${[...description].slice(0, DESCRIPTION_LIMIT - 1).join('')}…`,
    quantity: String(quantity),
    unitPrice: `${text.slice(0, -5)}.${text.slice(-5)}`,
    extAmount: formatSageAmount(extAmount),
  };
}
