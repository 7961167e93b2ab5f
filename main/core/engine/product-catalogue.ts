import { StripeAuthError } from '../ports/stripe-api.js';
import { ruleRelatedObject, type RuleRelatedObject } from '../stripe/rule-related-objects.js';
import type { RunContext } from './engine-context.js';

/**
 * Products for rule conditions on product metadata. An invoice line names its product only by
 * id (`pricing.price_details.product`), and expanding it on the invoice list would be
 * `data.lines.data.pricing.price_details.product`, deeper than the four levels Stripe expands
 * (https://docs.stripe.com/api/expanding_objects). A shop has few products, so the catalogue is
 * listed whole (`GET /v1/products`, 100 a page) once, on the first run that does not have it,
 * and then kept current by the `product.created` / `product.updated` events the event poll
 * already reads (storeProductEvents): no request per invoice, and none on an idle poll. After
 * an outage longer than Stripe keeps events the catalogue is listed again (forgetProductCatalogue).
 */

const CURSOR_PRODUCTS_LISTED = 'products:listed-at';

/**
 * A restricted key without Products read (the README asks for it) only costs the rules their
 * product metadata: the run goes on with a warning and the list is tried again a day later.
 */
const REFUSED_RETRY_SECONDS = 86_400;

export async function readProductCatalogueOnce(context: RunContext): Promise<void> {
  const listed = context.ledger.runs.getCursor(CURSOR_PRODUCTS_LISTED);
  if (listed !== null && !(listed.startsWith('refused:') && context.nowSeconds() - Number(listed.slice('refused:'.length)) >= REFUSED_RETRY_SECONDS)) return;
  try {
    await context.stripe.listEach<{ id: string }>('products', {}, (page) => {
      context.ledger.related.upsertRelatedObjects(page.map(ruleRelatedObject).filter((product): product is RuleRelatedObject => product !== null));
    });
  } catch (error) {
    if (!(error instanceof StripeAuthError) || error.status !== 403) throw error;
    context.ledger.runs.setCursor(CURSOR_PRODUCTS_LISTED, `refused:${context.nowSeconds()}`);
    context.emit({
      type: 'warning',
      code: 'stripe-products-refused',
      message: `Stripe refused to list products (${error.message}); business rules on product metadata match nothing until the key has Read on Products`,
    });
    return;
  }
  context.ledger.runs.setCursor(CURSOR_PRODUCTS_LISTED, String(context.nowSeconds()));
}

/** Events may have been missed: the catalogue is listed again on the next read. */
export function forgetProductCatalogue(context: RunContext): void {
  context.ledger.runs.setCursor(CURSOR_PRODUCTS_LISTED, null);
}

/** Products named by events, as the events show them (applied in event order, so the newest state wins). */
export function storeProductEvents(context: RunContext, objects: readonly unknown[]): void {
  context.ledger.related.upsertRelatedObjects(objects.map(ruleRelatedObject).filter((product): product is RuleRelatedObject => product?.object === 'product'));
}
