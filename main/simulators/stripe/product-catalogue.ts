import type Stripe from 'stripe';
import type { Metadata } from '../../core/stripe/objects.js';
import { SUBSCRIPTION_CATALOG } from './sample-data.js';

/**
 * The Products the subscription catalogue's prices belong to (sample-data.ts), as
 * `GET /v1/products` lists them, with the metadata a shop keeps on its products: the revenue
 * line each belongs to (rentals are their own division). Created when the account's history
 * starts, before any invoice names them. Typed against the `stripe` package's Product.
 */

export const PRODUCT_METADATA: Readonly<Record<string, Metadata>> = {
  prod_SimBasicPlan00001: { revenue_line: 'membership' },
  prod_SimProPlan000001: { revenue_line: 'membership' },
  prod_SimSeatAddon0001: { revenue_line: 'membership' },
  prod_SimRentalInsur01: { revenue_line: 'rental', division: 'rentals' },
  prod_SimMaintenance01: { revenue_line: 'service' },
};

export function catalogueProducts(created: number) {
  return SUBSCRIPTION_CATALOG.map((item) => productObject(item.product, item.description, item.price, PRODUCT_METADATA[item.product] ?? {}, created));
}

/** A product added later, with a price named as the billing simulation names one (`price_` + the id after `prod_`). */
export function newProduct(id: string, name: string, metadata: Metadata, created: number): SimulatedProduct {
  return productObject(id, name, `price_${id.slice('prod_'.length)}`, { ...metadata }, created);
}

export interface ProductChanges {
  name?: string;
  active?: boolean;
  /** Merged into the product's metadata as `POST /v1/products/:id` merges it: an empty value removes the key. */
  metadata?: Metadata;
}

/**
 * Applies a Dashboard edit to a product and returns the previous values of what changed, as
 * the event's `previous_attributes` carries them. A product with prices cannot be deleted in
 * Stripe (https://docs.stripe.com/api/products/delete), only archived (`active: false`), so
 * retiring a sold product is an update too.
 */
export function editProduct(product: SimulatedProduct, changes: ProductChanges, at: number): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  if (changes.name !== undefined) {
    previous['name'] = product.name;
    product.name = changes.name;
  }
  if (changes.active !== undefined) {
    previous['active'] = product.active;
    product.active = changes.active;
  }
  if (changes.metadata !== undefined) {
    previous['metadata'] = { ...product.metadata };
    const merged: Metadata = { ...product.metadata };
    for (const [key, value] of Object.entries(changes.metadata)) {
      if (value === '') delete merged[key];
      else merged[key] = value;
    }
    product.metadata = merged;
  }
  previous['updated'] = product.updated;
  product.updated = at;
  return previous;
}

function productObject(id: string, name: string, defaultPrice: string, metadata: Metadata, created: number) {
  return {
    id,
    object: 'product' as const,
    active: true as boolean,
    created,
    default_price: defaultPrice,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata,
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service' as const,
    unit_label: null,
    updated: created,
    url: null,
  } satisfies Stripe.Product;
}

export type SimulatedProduct = ReturnType<typeof catalogueProducts>[number];
