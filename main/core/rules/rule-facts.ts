import type { PlanningContext } from '../posting/planning-context.js';
import type { AnySyncedObject, Metadata, StripeBalanceTransaction, StripeCharge, StripeCustomer, StripeInvoice } from '../stripe/objects.js';
import type { MetadataSource, RuleObjectKind } from './rule-schema.js';

/**
 * What a rule's conditions look at, gathered from the Stripe data the engine already stores:
 * the object, the charge it belongs to (a refund's or dispute's charge, so a sale and its
 * refund follow the same rule) and that charge's PaymentIntent, the customer, the invoice and
 * the products on its lines, and the balance transaction the document books. Fields Stripe did not send are null, and a condition on a null field does
 * not hold. Stored objects keep Stripe's whole JSON, so fields the engine's types leave out
 * (payment_method_details, livemode) are read from it here.
 */
/** One invoice line as the rules see it: the conditions on product, price and product metadata look at lines. */
export interface LineFacts {
  id: string;
  description: string | null;
  product: string | null;
  price: string | null;
  /** The product's metadata as the ledger holds it (engine/product-catalogue.ts); null when unknown. */
  productMetadata: Metadata | null;
}

export interface RuleFacts {
  kind: RuleObjectKind;
  objectId: string;
  balanceTransaction: { type: string; reportingCategory: string } | null;
  /** Metadata of the object and of each related object there is one of. */
  metadata: Record<Exclude<MetadataSource, 'product'>, Metadata | null>;
  /** The invoice's lines (of an invoice, its credit note, or the charge that paid it), in line order. */
  lines: LineFacts[];
  /**
   * The scope the facts are read in (rule-lines.ts): null for the document as a whole, where a
   * line condition holds only when it holds on every line; a line for that line alone.
   */
  line: LineFacts | null;
  products: string[];
  /** Metadata of each product in `products` that the ledger holds (engine/product-catalogue.ts), by id. */
  productMetadata: Record<string, Metadata>;
  prices: string[];
  paymentMethodType: string | null;
  cardBrand: string | null;
  /** Lower case. */
  presentmentCurrency: string | null;
  /** Minor units of the presentment currency. */
  amount: number | null;
  /** Upper case (ISO 3166-1 alpha-2). */
  customerCountry: string | null;
  description: string | null;
  livemode: boolean | null;
}

export function objectFacts(object: AnySyncedObject, context: PlanningContext, bt: StripeBalanceTransaction | null): RuleFacts {
  const charge = chargeOf(object, context);
  const invoice = invoiceOf(object, charge, context);
  const customer = customerOf(object, charge, invoice, context);
  const lines = invoice?.lines && Array.isArray(invoice.lines.data) ? invoice.lines.data : [];
  const details = field(charge, 'payment_method_details');
  const products = [...new Set(lines.flatMap((line) => line.pricing?.price_details?.product ?? []))];
  const paymentIntent = charge?.payment_intent ? context.relatedObject(charge.payment_intent) : null;
  const productMetadata: Record<string, Metadata> = Object.fromEntries(
    products.flatMap((id) => {
      const product = context.relatedObject(id);
      return product?.object === 'product' ? [[id, product.metadata]] : [];
    }),
  );
  return {
    kind: object.object === 'payout' ? 'balance_transaction' : object.object,
    objectId: object.id,
    balanceTransaction: bt && { type: bt.type, reportingCategory: bt.reporting_category },
    metadata: {
      object: metadataOf(object),
      charge: metadataOf(charge),
      payment_intent: paymentIntent?.object === 'payment_intent' ? paymentIntent.metadata : null,
      customer: metadataOf(customer),
      invoice: metadataOf(invoice),
    },
    lines: lines.map((line) => {
      const product = line.pricing?.price_details?.product ?? null;
      return { id: line.id, description: line.description, product, price: line.pricing?.price_details?.price ?? null, productMetadata: product === null ? null : (productMetadata[product] ?? null) };
    }),
    line: null,
    products,
    productMetadata,
    prices: lines.flatMap((line) => line.pricing?.price_details?.price ?? []),
    paymentMethodType: stringField(details, 'type'),
    cardBrand: stringField(field(details, 'card'), 'brand'),
    presentmentCurrency: object.object === 'customer' ? null : lower(stringField(object, 'currency')),
    amount: amountOf(object),
    customerCountry: upper(stringField(field(customer, 'address'), 'country') ?? stringField(field(field(charge, 'billing_details'), 'address'), 'country')),
    description: stringField(object, 'description') ?? stringField(charge, 'description'),
    livemode: booleanField(object, 'livemode'),
  };
}

/** A balance transaction no object books (a standalone fee, a top-up, an adjustment). */
export function balanceTransactionFacts(bt: StripeBalanceTransaction): RuleFacts {
  return {
    kind: 'balance_transaction',
    objectId: bt.id,
    balanceTransaction: { type: bt.type, reportingCategory: bt.reporting_category },
    metadata: { object: null, charge: null, payment_intent: null, customer: null, invoice: null },
    lines: [],
    line: null,
    products: [],
    productMetadata: {},
    prices: [],
    paymentMethodType: null,
    cardBrand: null,
    presentmentCurrency: lower(bt.currency),
    amount: bt.amount,
    customerCountry: null,
    description: bt.description,
    livemode: booleanField(bt, 'livemode'),
  };
}

/**
 * The lines a line condition is read on: the scope's line, or in the document scope every
 * line (a line condition holds there only when it holds on all of them, and never on a
 * document without lines).
 */
export function scopeLines(facts: RuleFacts): LineFacts[] {
  return facts.line ? [facts.line] : facts.lines;
}

/** The value of metadata `key` on `on` (not `product`: a product's is the line's, see lineMetadataValue), or null. */
export function metadataValue(facts: RuleFacts, on: Exclude<MetadataSource, 'product'>, key: string): string | null {
  const value = facts.metadata[on]?.[key];
  return typeof value === 'string' ? value : null;
}

/** The value of metadata `key` on the line's product, or null when the product or the key is unknown. */
export function lineMetadataValue(line: LineFacts, key: string): string | null {
  const value = line.productMetadata?.[key];
  return typeof value === 'string' ? value : null;
}

function chargeOf(object: AnySyncedObject, context: PlanningContext): StripeCharge | null {
  if (object.object === 'charge') return object;
  const id = object.object === 'refund' || object.object === 'dispute' ? object.charge : null;
  const stored = id ? context.storedObject(id) : null;
  return stored?.object === 'charge' ? stored : null;
}

function invoiceOf(object: AnySyncedObject, charge: StripeCharge | null, context: PlanningContext): StripeInvoice | null {
  if (object.object === 'invoice') return object;
  if (object.object === 'credit_note') return context.invoice(object.invoice);
  const id = charge ? context.invoiceForCharge(charge) : null;
  return id ? context.invoice(id) : null;
}

function customerOf(object: AnySyncedObject, charge: StripeCharge | null, invoice: StripeInvoice | null, context: PlanningContext): StripeCustomer | null {
  if (object.object === 'customer') return object;
  const id = stringField(object, 'customer') ?? charge?.customer ?? invoice?.customer ?? null;
  const stored = id ? context.storedObject(id) : null;
  return stored?.object === 'customer' ? stored : null;
}

function amountOf(object: AnySyncedObject): number | null {
  switch (object.object) {
    case 'invoice':
    case 'credit_note':
      return object.total;
    case 'customer':
      return null;
    default:
      return object.amount;
  }
}

function metadataOf(object: unknown): Metadata | null {
  const metadata = field(object, 'metadata');
  return metadata !== null && typeof metadata === 'object' ? (metadata as Metadata) : null;
}

function field(object: unknown, name: string): unknown {
  return object !== null && typeof object === 'object' && name in object ? ((object as Record<string, unknown>)[name] ?? null) : null;
}

function stringField(object: unknown, name: string): string | null {
  const value = field(object, name);
  return typeof value === 'string' ? value : null;
}

function booleanField(object: unknown, name: string): boolean | null {
  const value = field(object, name);
  return typeof value === 'boolean' ? value : null;
}

function lower(value: string | null): string | null {
  return value === null ? null : value.toLowerCase();
}

function upper(value: string | null): string | null {
  return value === null ? null : value.toUpperCase();
}
