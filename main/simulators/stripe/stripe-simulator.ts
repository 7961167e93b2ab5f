import { ActivityGenerator } from './activity-generator.js';
import { catalogueProducts, editProduct, newProduct, type ProductChanges, type SimulatedProduct } from './product-catalogue.js';
import { SECONDS_PER_DAY, SimulatedClock, utcDayStart } from './clock.js';
import { EventRecorder } from './event-recorder.js';
import { FaultController, type FaultOptions } from './faults.js';
import { SeededRandom } from './seeded-random.js';
import { type RequestLogEntry, SimulatorServer } from './simulator-server.js';
import { RestrictedKeys } from './restricted-keys.js';
import type { StripeBalanceTransaction, StripeCustomer, StripeInvoice, StripePayout } from '../../core/stripe/objects.js';
import type { BalanceEntry } from './balance-ledger.js';
import { draftAndDeleteInvoice } from './draft-invoice-deletion.js';
import { type SimulatedKind, type SimulatedObjects, SIMULATED_KINDS, SimulatorStore } from './store.js';
import { StripeApiHandlers } from './stripe-api-handlers.js';
import { LiveStripeEmulation, type LiveStripeEmulationOptions } from './live-stripe-emulation.js';
import type { BillingShapes } from './billing-shapes.js';
import { ReferencedPayments } from './referenced-payment.js';

/**
 * A local Stripe: a loopback HTTP server speaking the subset of the Stripe API the engine
 * uses, over a deterministic generated account history, with fault injection. Used by the
 * demo, the tests and the benchmarks.
 */

export interface StripeSimulatorOptions {
  /** Seed of the generated activity; the same seed gives the same objects, ids and events. */
  seed?: number;
  /** Days of history before `now`. */
  days?: number;
  /** Approximate number of objects (events excluded) to generate over `days`, for benchmarks. */
  objectsTarget?: number;
  /** Unix seconds of the simulated "now". */
  now?: number;
  /** 0 (the default) picks a free port. */
  port?: number;
  faults?: FaultOptions;
  /** Debit the bank with a negative automatic payout when the balance is negative on a payout day. */
  negativePayouts?: boolean;
  /** `manual`: no automatic payouts; payouts are requested by hand every third day and cannot be itemised. */
  payoutSchedule?: 'automatic' | 'manual';
  /** Automatic payouts every N days instead of daily (see ActivityOptions.payoutEveryDays). */
  payoutEveryDays?: number;
  /** Answer like Stripe over the internet: latency and a per-endpoint rate limit (benchmarks). */
  liveStripe?: LiveStripeEmulationOptions;
  /** ACH payments, standalone Stripe fees, top-ups, adjustments and reserves; on unless false. */
  balanceActivity?: boolean;
}

export type CustomerChanges = Partial<Pick<StripeCustomer, 'name' | 'email' | 'phone' | 'address'>>;

export interface AdvanceOptions {
  /** False moves the clock without any new activity (the business was closed). */
  generate?: boolean;
}

export interface StripeSimulator {
  /** `http://127.0.0.1:<port>`; also usable as the StripeHttpApi `apiBase`. */
  readonly url: string;
  readonly apiBase: string;
  /** A key the simulator accepts. */
  readonly apiKey: string;
  readonly accountId: string;
  readonly faults: FaultController;
  readonly requestLog: readonly RequestLogEntry[];
  /** Requests per route, e.g. `GET /v1/events` or `POST /v1/charges/:id`. */
  readonly requestCounts: ReadonlyMap<string, number>;
  /** Simulated now, Unix seconds. */
  now(): number;
  advanceDays(days: number, options?: AdvanceOptions): void;
  advanceSeconds(seconds: number, options?: AdvanceOptions): void;
  /** Every stored object of a kind, oldest first (for assertions; do not mutate). */
  objects<K extends SimulatedKind>(kind: K): readonly SimulatedObjects[K][];
  object<K extends SimulatedKind>(kind: K, id: string): SimulatedObjects[K] | undefined;
  counts(): Record<SimulatedKind | 'event', number>;
  /**
   * A payout requested by hand now (Dashboard "Pay out funds", or an instant payout) of part
   * of the available balance; null when too little is available.
   */
  requestPayout(method: 'standard' | 'instant'): StripePayout | null;
  /**
   * Edits a customer as a Dashboard user would (name, e-mail, phone, address) and emits
   * `customer.updated` with the previous values; undefined when there is no such customer.
   */
  updateCustomer(id: string, changes: CustomerChanges): StripeCustomer | undefined;
  /**
   * Edits a product as a Dashboard user would (name, metadata merged as Stripe merges it: an
   * empty value removes the key; `active: false` archives it) and emits `product.updated` with
   * the previous values; undefined when there is no such product.
   */
  updateProduct(id: string, changes: ProductChanges): SimulatedProduct | undefined;
  /**
   * Adds a product now, with its price `price_<id without prod_>`, and emits `product.created`.
   * `id` is the merchant's own, as Stripe's create accepts one; else a generated one.
   */
  createProduct(name: string, metadata: Record<string, string>, id?: string): SimulatedProduct;
  /** Scripted billing at the simulated now, as Stripe shapes it (billing-shapes.ts); pass `now()` as the time. */
  readonly billing: BillingShapes;
  /** Card payments carrying the merchant's invoice reference, and their refunds (referenced-payment.ts); pass `now()` as the time. */
  readonly referencedPayments: ReferencedPayments;
  /** A draft invoice for the customer, created and deleted now (draft-invoice-deletion.ts). */
  draftAndDeleteInvoice(customerId: string): StripeInvoice;
  /**
   * Adds a balance transaction now, as Stripe would for money the generator does not model
   * (a type this version has no rule for, say); it joins the next automatic payout.
   */
  recordBalanceTransaction(entry: Omit<BalanceEntry, 'created'>): StripeBalanceTransaction;
  /** Makes `key` (an `rk_test_…` key) a restricted key without these `rak_*` permissions: its requests there get Stripe's 403. */
  restrictKey(key: string, withheldPermissions: readonly string[]): void;
  /** UTC days whose available balance was not positive, so no automatic payout was made. */
  readonly negativeBalanceDays: readonly number[];
  close(): Promise<void>;
}

/** 2026-11-02T12:00:00Z: a fixed default keeps runs without `now` reproducible. */
export const DEFAULT_SIMULATED_NOW = 1_793_620_800;
export const SIMULATOR_API_KEY = 'sk_test_simulator_0000000000000000';
const DEFAULT_DAYS = 30;
/** Objects (events excluded) the generator makes per daily charge, measured; sizes `objectsTarget`. */
const OBJECTS_PER_DAILY_CHARGE = 2.79;

export async function startStripeSimulator(options: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  const seed = options.seed ?? 1;
  const days = options.days ?? DEFAULT_DAYS;
  const now = options.now ?? DEFAULT_SIMULATED_NOW;
  const clock = new SimulatedClock(now);
  const store = new SimulatorStore();
  const faults = new FaultController(options.faults);
  const chargesPerDay =
    options.objectsTarget === undefined
      ? undefined
      : Math.max(1, Math.round(options.objectsTarget / Math.max(1, days) / OBJECTS_PER_DAILY_CHARGE));
  const generator = new ActivityGenerator(store, faults, {
    seed,
    firstDay: utcDayStart(now) - days * SECONDS_PER_DAY,
    chargesPerDay,
    negativePayouts: options.negativePayouts,
    payoutSchedule: options.payoutSchedule,
    payoutEveryDays: options.payoutEveryDays,
    balanceActivity: options.balanceActivity,
  });
  // The catalogue's Products exist before the history that sells them.
  for (const product of catalogueProducts(utcDayStart(now) - days * SECONDS_PER_DAY)) store.add('product', product);
  generator.advanceTo(now);

  // Ids of objects created through the API come from their own stream, so API calls never
  // change what the generator produces next.
  const requestRandom = new SeededRandom(seed ^ 0x5eed);
  const accountId = requestRandom.id('acct_').slice(0, 21);
  const events = new EventRecorder(store, faults, requestRandom);
  const handlers = new StripeApiHandlers(store, clock, events, accountId);
  const restrictedKeys = new RestrictedKeys(accountId);
  const server = new SimulatorServer(handlers, faults, restrictedKeys, options.liveStripe ? new LiveStripeEmulation(options.liveStripe) : null);
  const port = await server.listen(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;

  const advanceSeconds = (seconds: number, advance: AdvanceOptions = {}): void => {
    const target = clock.now() + seconds;
    if (advance.generate === false) generator.skipTo(target);
    else generator.advanceTo(target);
    clock.advanceTo(target);
  };

  return {
    url,
    apiBase: url,
    apiKey: SIMULATOR_API_KEY,
    accountId,
    faults,
    requestLog: server.requestLog,
    requestCounts: server.requestCounts,
    negativeBalanceDays: generator.ledger.negativeBalanceDays,
    now: () => clock.now(),
    advanceSeconds,
    advanceDays: (count, advance) => advanceSeconds(count * SECONDS_PER_DAY, advance),
    requestPayout: (method) => generator.ledger.runRequestedPayout(clock.now(), method),
    recordBalanceTransaction: (entry) => generator.ledger.record({ ...entry, created: clock.now() }),
    updateCustomer: (id, changes) => {
      const customer = store.get('customer', id);
      if (!customer) return undefined;
      const previous = Object.fromEntries(Object.keys(changes).map((field) => [field, customer[field as keyof CustomerChanges]]));
      Object.assign(customer, changes);
      events.emit('customer.updated', customer, clock.now(), { previousAttributes: previous });
      return customer;
    },
    updateProduct: (id, changes) => {
      const product = store.get('product', id);
      if (!product) return undefined;
      const previous = editProduct(product, changes, clock.now());
      events.emit('product.updated', product, clock.now(), { previousAttributes: previous });
      return product;
    },
    createProduct: (name, metadata, id) => {
      const product = newProduct(id ?? requestRandom.id('prod_'), name, metadata, clock.now());
      store.add('product', product);
      events.emit('product.created', product, clock.now());
      return product;
    },
    billing: generator.billing,
    restrictKey: (key, withheld) => restrictedKeys.withhold(key, withheld),
    // Their own id stream: two simulators with one seed give the same payments whatever API writes each saw.
    referencedPayments: new ReferencedPayments(store, events, generator.ledger, new SeededRandom(seed ^ 0xa2a2)),
    draftAndDeleteInvoice: (customerId) => draftAndDeleteInvoice(events, requestRandom, customerId, clock.now()),
    objects: (kind) => store.collections[kind].all(),
    object: (kind, id) => store.get(kind, id),
    counts: () => {
      const counts = Object.fromEntries(SIMULATED_KINDS.map((kind) => [kind, store.count(kind)]));
      return { ...counts, event: store.events.size } as Record<SimulatedKind | 'event', number>;
    },
    close: () => server.close(),
  };
}
