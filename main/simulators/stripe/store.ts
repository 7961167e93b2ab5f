import type Stripe from 'stripe';
import type {
  StripeBalanceTransaction,
  StripeCharge,
  StripeCreditNote,
  StripeCustomer,
  StripeDispute,
  StripeInvoice,
  StripeInvoiceLine,
  StripeInvoicePayment,
  StripePayout,
  StripeRefund,
} from '../../core/stripe/objects.js';
import type { SimulatedProduct } from './product-catalogue.js';
import { SortedCollection } from './sorted-collection.js';
import type { SimulatedTopup } from './topup-shapes.js';

/**
 * The simulator's in-memory Stripe account: every object by kind in list order, an id
 * index per kind, and the secondary indexes the list filters need (payout, source,
 * invoice), so no filtered list has to scan the whole collection.
 */

export interface SimulatedObjects {
  customer: StripeCustomer;
  charge: StripeCharge;
  refund: StripeRefund;
  dispute: StripeDispute;
  invoice: StripeInvoice;
  invoice_payment: StripeInvoicePayment;
  credit_note: StripeCreditNote;
  payout: StripePayout;
  balance_transaction: StripeBalanceTransaction;
  product: SimulatedProduct;
}

export type SimulatedKind = keyof SimulatedObjects;

export const SIMULATED_KINDS: readonly SimulatedKind[] = [
  'customer',
  'charge',
  'refund',
  'dispute',
  'invoice',
  'invoice_payment',
  'credit_note',
  'payout',
  'balance_transaction',
  'product',
];

/**
 * An event as stored: the snapshot of data.object is serialized when the event happens,
 * which both freezes it (later changes must not leak into old events) and keeps memory low.
 */
export interface StoredEvent {
  id: string;
  created: number;
  type: Stripe.Event.Type;
  objectJson: string;
  previousAttributesJson: string | null;
  request: { id: string | null; idempotency_key: string | null };
  /** Simulated second from which the event shows up in lists (late-visible fault). */
  visibleAt: number;
}

type CollectionsByKind = { [K in SimulatedKind]: SortedCollection<SimulatedObjects[K]> };
type IndexesByKind = { [K in SimulatedKind]: Map<string, SimulatedObjects[K]> };

function groupInsert<T extends { id: string; created: number }>(
  groups: Map<string, SortedCollection<T>>,
  key: string,
  item: T,
): void {
  let group = groups.get(key);
  if (!group) {
    group = new SortedCollection<T>();
    groups.set(key, group);
  }
  group.insert(item);
}

export class SimulatorStore {
  readonly collections = Object.fromEntries(
    SIMULATED_KINDS.map((kind) => [kind, new SortedCollection()]),
  ) as CollectionsByKind;
  readonly events = new SortedCollection<StoredEvent>();
  private readonly indexes = Object.fromEntries(SIMULATED_KINDS.map((kind) => [kind, new Map()])) as IndexesByKind;
  private readonly eventIndex = new Map<string, StoredEvent>();
  private readonly transactionsByPayout = new Map<string, SortedCollection<StripeBalanceTransaction>>();
  private readonly paymentsByInvoice = new Map<string, SortedCollection<StripeInvoicePayment>>();
  /** Every line of each invoice; the invoice object itself embeds only the first page, as Stripe does. */
  readonly invoiceLines = new Map<string, StripeInvoiceLine[]>();
  /**
   * Top-ups by id: the engine never lists them, it meets them only as the expanded `source` of
   * their balance transactions (expansion.ts), so they are no list kind of their own.
   */
  readonly topups = new Map<string, SimulatedTopup>();

  add<K extends SimulatedKind>(kind: K, object: SimulatedObjects[K]): void {
    (this.collections[kind] as SortedCollection<SimulatedObjects[K]>).insert(object);
    (this.indexes[kind] as Map<string, SimulatedObjects[K]>).set(object.id, object);
    if (kind === 'invoice_payment') {
      const payment = object as StripeInvoicePayment;
      groupInsert(this.paymentsByInvoice, payment.invoice, payment);
    }
  }

  get<K extends SimulatedKind>(kind: K, id: string): SimulatedObjects[K] | undefined {
    return (this.indexes[kind] as Map<string, SimulatedObjects[K]>).get(id);
  }

  require<K extends SimulatedKind>(kind: K, id: string): SimulatedObjects[K] {
    const object = this.get(kind, id);
    if (!object) throw new Error(`Simulator store has no ${kind} ${id}`);
    return object;
  }

  count(kind: SimulatedKind): number {
    return this.collections[kind].size;
  }

  /** Total stored objects, events excluded. */
  objectCount(): number {
    return SIMULATED_KINDS.reduce((sum, kind) => sum + this.count(kind), 0);
  }

  addEvent(event: StoredEvent): void {
    this.events.insert(event);
    this.eventIndex.set(event.id, event);
  }

  getEvent(id: string): StoredEvent | undefined {
    return this.eventIndex.get(id);
  }

  /** Records that an automatic payout settled this balance transaction. */
  assignToPayout(transaction: StripeBalanceTransaction, payoutId: string): void {
    groupInsert(this.transactionsByPayout, payoutId, transaction);
  }

  transactionsOfPayout(payoutId: string): SortedCollection<StripeBalanceTransaction> {
    return this.transactionsByPayout.get(payoutId) ?? new SortedCollection();
  }

  /**
   * The balance transactions an object caused, read from the object's own references rather
   * than a per-source index, which would cost a collection per charge.
   */
  transactionsOfSource(sourceId: string): SortedCollection<StripeBalanceTransaction> {
    const references: unknown[] = [];
    const source = this.sourceObject(sourceId);
    if (source && 'balance_transactions' in source) references.push(...source.balance_transactions);
    if (source && 'balance_transaction' in source) references.push(source.balance_transaction);
    if (source && 'failure_balance_transaction' in source) references.push(source.failure_balance_transaction);
    const transactions = new SortedCollection<StripeBalanceTransaction>();
    for (const reference of references) {
      const transaction =
        typeof reference === 'string' ? this.get('balance_transaction', reference) : (reference as StripeBalanceTransaction | null);
      if (transaction && transaction.source === sourceId) transactions.insert(transaction);
    }
    return transactions;
  }

  private sourceObject(sourceId: string): StripeCharge | StripeRefund | StripeDispute | StripePayout | undefined {
    return (
      this.get('charge', sourceId) ?? this.get('refund', sourceId) ?? this.get('dispute', sourceId) ?? this.get('payout', sourceId)
    );
  }

  paymentsOfInvoice(invoiceId: string): SortedCollection<StripeInvoicePayment> {
    return this.paymentsByInvoice.get(invoiceId) ?? new SortedCollection();
  }
}
