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

function productObject(id: string, name: string, defaultPrice: string, metadata: Metadata, created: number) {
  return {
    id,
    object: 'product' as const,
    active: true,
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
