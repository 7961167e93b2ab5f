import type Stripe from 'stripe';
import type { StripeListPath, StripeMetadataPath } from '../../core/ports/stripe-api.js';
import type { Metadata, StripeBalanceTransaction } from '../../core/stripe/objects.js';
import type { SimulatedClock } from './clock.js';
import { type EventRecorder, isEventListable, isEventRetained, renderEvent } from './event-recorder.js';
import { summariseBalance } from './balance-summary.js';
import { expandObject } from './expansion.js';
import type { FormParams, FormValue } from './form-decoding.js';
import { ACCOUNT_PROFILE } from './sample-data.js';
import { RESOURCES } from './resources.js';
import { type CreatedBounds, type Listable, type PageQuery, SortedCollection } from './sorted-collection.js';
import type { SimulatedKind, SimulatedObjects, SimulatorStore, StoredEvent } from './store.js';
import { invalidRequest, resourceMissing } from './stripe-error-response.js';

/** The event Stripe sends when an object's metadata changes, per updatable resource. */
const UPDATED_EVENT: Record<StripeMetadataPath, Stripe.Event.Type> = {
  customers: 'customer.updated',
  charges: 'charge.updated',
  invoices: 'invoice.updated',
  payouts: 'payout.updated',
  refunds: 'refund.updated',
};

/**
 * What each simulated endpoint answers: list pages with Stripe's semantics, retrieval with
 * expansion and event retention, metadata updates, the account. Returns JSON text; the HTTP
 * server around it handles auth, faults and idempotency.
 */

const COMMON_LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created', 'expand'];
const MAX_METADATA_KEYS = 50;
const MAX_METADATA_KEY_LENGTH = 40;
const MAX_METADATA_VALUE_LENGTH = 500;

export interface UpdateContext {
  requestId: string;
  idempotencyKey: string | null;
}

function stringParam(params: FormParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${name}`, name);
  return value;
}

function integerValue(value: FormValue, param: string): number {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${String(value)}`, param);
  return Number(value);
}

function parseLimit(params: FormParams): number {
  const raw = params.limit;
  if (raw === undefined) return 10;
  const limit = integerValue(raw, 'limit');
  if (limit < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'limit');
  if (limit > 100) throw invalidRequest('This value must be less than or equal to 100.', 'limit');
  return limit;
}

function parseCreated(params: FormParams): CreatedBounds | undefined {
  const raw = params.created;
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') {
    const exact = integerValue(raw, 'created');
    return { gte: exact, lte: exact };
  }
  if (Array.isArray(raw)) throw invalidRequest('Invalid created', 'created');
  const bounds: CreatedBounds = {};
  for (const [operator, value] of Object.entries(raw)) {
    if (operator !== 'gt' && operator !== 'gte' && operator !== 'lt' && operator !== 'lte') {
      throw invalidRequest(`Received unknown parameter: created[${operator}]`, `created[${operator}]`);
    }
    bounds[operator] = integerValue(value, `created[${operator}]`);
  }
  return bounds;
}

function parseExpand(params: FormParams, expandable: readonly string[], prefix: string): string[] {
  const raw = params.expand;
  if (raw === undefined) return [];
  const requested = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : null;
  if (requested === null) throw invalidRequest('Invalid array', 'expand');
  return requested.map((path) => {
    const field = path.startsWith(prefix) ? path.slice(prefix.length) : null;
    if (field === null || !expandable.includes(field)) {
      throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
    }
    return field;
  });
}

function rejectUnknown(params: FormParams, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw invalidRequest(`Received unknown parameter: ${name}`, name);
  }
}

function renderList(items: string[], hasMore: boolean, url: string): string {
  return `{"object":"list","data":[${items.join(',')}],"has_more":${hasMore},"url":"${url}"}`;
}

export class StripeApiHandlers {
  constructor(
    private readonly store: SimulatorStore,
    private readonly clock: SimulatedClock,
    private readonly requestEvents: EventRecorder,
    private readonly accountId: string,
  ) {}

  list(path: StripeListPath, params: FormParams): string {
    const resource = RESOURCES[path];
    rejectUnknown(params, [...COMMON_LIST_PARAMS, ...resource.listFilters]);
    const startingAfterId = stringParam(params, 'starting_after');
    const endingBeforeId = stringParam(params, 'ending_before');
    if (startingAfterId !== undefined && endingBeforeId !== undefined) {
      throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
    }
    const limit = parseLimit(params);
    const created = parseCreated(params);
    const expand = parseExpand(params, resource.expandable, 'data.');
    const url = `/v1/${path}`;
    const cursor = (id: string | undefined, param: string): Listable | undefined => {
      if (id === undefined) return undefined;
      const found = resource.kind === 'event' ? this.store.getEvent(id) : this.store.get(resource.kind, id);
      if (!found) throw resourceMissing(resource.label, id, param);
      return found;
    };
    const startingAfter = cursor(startingAfterId, 'starting_after');
    const endingBefore = cursor(endingBeforeId, 'ending_before');

    if (resource.kind === 'event') {
      const type = stringParam(params, 'type');
      const typeMatches = type === undefined ? () => true : eventTypeMatcher(type);
      const page = this.store.events.page({
        limit,
        startingAfter,
        endingBefore,
        created,
        include: (event: StoredEvent) => isEventListable(event, this.clock) && typeMatches(event.type),
      });
      return renderList(page.data.map(renderEvent), page.hasMore, url);
    }

    const { collection, include } = this.filteredCollection(path, resource.kind, params);
    const query: PageQuery<Listable> = { limit, startingAfter, endingBefore, created, include };
    const page = (collection as SortedCollection<Listable>).page(query);
    const rendered = page.data.map((object) => JSON.stringify(expandObject(this.store, object, expand)));
    return renderList(rendered, page.hasMore, url);
  }

  retrieve(path: StripeListPath, id: string, params: FormParams): string {
    const resource = RESOURCES[path];
    rejectUnknown(params, ['expand']);
    const expand = parseExpand(params, resource.expandable, '');
    if (resource.kind === 'event') {
      const event = this.store.getEvent(id);
      if (!event || !isEventRetained(event, this.clock)) throw resourceMissing('event', id);
      return renderEvent(event);
    }
    const object = this.store.get(resource.kind, id);
    if (!object) throw resourceMissing(resource.label, id);
    return JSON.stringify(expandObject(this.store, object, expand));
  }

  /** `GET /v1/invoices/:id/lines`: the invoice's lines in order, paged by `starting_after`. */
  invoiceLines(invoiceId: string, params: FormParams): string {
    rejectUnknown(params, ['limit', 'starting_after', 'ending_before']);
    const lines = this.store.invoiceLines.get(invoiceId);
    if (!lines) throw resourceMissing('invoice', invoiceId);
    const limit = parseLimit(params);
    const after = stringParam(params, 'starting_after');
    const start = after === undefined ? 0 : lines.findIndex((line) => line.id === after) + 1;
    if (after !== undefined && start === 0) throw resourceMissing('line_item', after, 'starting_after');
    const page = lines.slice(start, start + limit);
    return renderList(page.map((line) => JSON.stringify(line)), start + limit < lines.length, `/v1/invoices/${invoiceId}/lines`);
  }

  /** Merges metadata (an empty string removes a key) and emits `<kind>.updated` if anything changed. */
  updateMetadata(path: StripeMetadataPath, id: string, params: FormParams, context: UpdateContext): string {
    const resource = RESOURCES[path];
    rejectUnknown(params, ['metadata', 'expand']);
    const expand = parseExpand(params, resource.expandable, '');
    const kind = resource.kind as SimulatedKind;
    const object = this.store.get(kind, id) as (SimulatedObjects[SimulatedKind] & { metadata: Metadata }) | undefined;
    if (!object) throw resourceMissing(resource.label, id);
    const changes = params.metadata ?? {};
    if (Array.isArray(changes) || (typeof changes === 'string' && changes !== '')) throw invalidRequest('Invalid hash', 'metadata');
    const previous = { ...object.metadata };
    // `metadata=` (empty) clears every key; a hash merges, an empty value removing its key.
    const next: Metadata = typeof changes === 'string' ? {} : { ...object.metadata };
    for (const [key, value] of typeof changes === 'string' ? [] : Object.entries(changes)) {
      if (key.length > MAX_METADATA_KEY_LENGTH) {
        throw invalidRequest(`Metadata keys must be at most ${MAX_METADATA_KEY_LENGTH} characters.`, `metadata[${key}]`);
      }
      if (value.length > MAX_METADATA_VALUE_LENGTH) {
        throw invalidRequest(`Metadata values must be at most ${MAX_METADATA_VALUE_LENGTH} characters.`, `metadata[${key}]`);
      }
      if (value === '') delete next[key];
      else next[key] = value;
    }
    if (Object.keys(next).length > MAX_METADATA_KEYS) {
      throw invalidRequest(`Metadata can have at most ${MAX_METADATA_KEYS} keys.`, 'metadata');
    }
    if (JSON.stringify(previous) !== JSON.stringify(next)) {
      object.metadata = next;
      this.requestEvents.emit(UPDATED_EVENT[path], object, this.clock.now(), {
        previousAttributes: { metadata: previous },
        request: { id: context.requestId, idempotency_key: context.idempotencyKey },
      });
    }
    return JSON.stringify(expandObject(this.store, object, expand));
  }

  account(): string {
    return JSON.stringify({
      id: this.accountId,
      object: 'account',
      business_profile: { name: ACCOUNT_PROFILE.businessName },
      settings: { dashboard: { display_name: ACCOUNT_PROFILE.displayName, timezone: 'America/Chicago' } },
      country: 'US',
      default_currency: 'usd',
      email: ACCOUNT_PROFILE.email,
      charges_enabled: true,
      payouts_enabled: true,
      type: 'standard',
    });
  }

  /** `GET /v1/balance`. */
  balance(): string {
    return JSON.stringify(summariseBalance(this.store, this.clock.now()));
  }

  /** The collection a filtered list reads, using an index where one exists. */
  private filteredCollection(
    path: StripeListPath,
    kind: SimulatedKind,
    params: FormParams,
  ): { collection: SortedCollection<Listable>; include?: (item: Listable) => boolean } {
    const predicates: ((item: Listable) => boolean)[] = [];
    let collection: SortedCollection<Listable> = this.store.collections[kind] as SortedCollection<Listable>;
    for (const filter of RESOURCES[path].listFilters) {
      const value = stringParam(params, filter);
      if (value === undefined) continue;
      if (kind === 'balance_transaction' && filter === 'payout') collection = this.payoutTransactions(value);
      else if (kind === 'balance_transaction' && filter === 'source') collection = this.store.transactionsOfSource(value);
      else if (kind === 'invoice_payment' && filter === 'invoice') collection = this.store.paymentsOfInvoice(value);
      else predicates.push((item) => (item as unknown as Record<string, unknown>)[filter] === value);
    }
    if (predicates.length === 0) return { collection };
    return { collection, include: (item) => predicates.every((matches) => matches(item)) };
  }

  private payoutTransactions(payoutId: string): SortedCollection<StripeBalanceTransaction> {
    const payout = this.store.get('payout', payoutId);
    if (!payout) throw resourceMissing('payout', payoutId, 'payout');
    if (!payout.automatic) {
      throw invalidRequest('Balance transaction history can only be filtered on automatic transfers, not manual.', 'payout');
    }
    // Until reconciliation completes Stripe may return an incomplete list; the simulator returns none.
    if (payout.reconciliation_status !== 'completed') return new SortedCollection();
    return this.store.transactionsOfPayout(payoutId);
  }
}

/** Stripe's `type` filter: an exact name or a `prefix.*` wildcard. */
function eventTypeMatcher(type: string): (eventType: string) => boolean {
  if (type.endsWith('.*')) {
    const prefix = type.slice(0, -1);
    return (eventType) => eventType.startsWith(prefix);
  }
  return (eventType) => eventType === type;
}
