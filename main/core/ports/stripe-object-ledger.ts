import type { AnySyncedObject, StripeBalanceTransaction, StripeEvent, SyncedKind } from '../stripe/objects.js';

/**
 * What the ledger holds of Stripe: the objects read, their balance transactions, the links
 * between them, the events applied, and the problems found planning an object.
 */

export interface StoredObject {
  id: string;
  kind: SyncedKind;
  created: number;
  object: AnySyncedObject;
}

export interface ObjectIssue {
  objectId: string;
  errorClass: string;
  message: string;
}

/** An event recorded for an object, for the object's lineage. */
export interface RecordedEvent {
  id: string;
  type: string;
  created: number;
}

/** A balance transaction and the payout that listed it (null until a payout lists it). */
export interface SourcedBalanceTransaction {
  transaction: StripeBalanceTransaction;
  payoutId: string | null;
}

/** A search over stored objects, newest first. Every filter is optional. */
export interface ObjectSearch {
  kind?: SyncedKind;
  /** Objects with at least one document in this state. */
  documentState?: string;
  /**
   * Matched against the object id and body, its customer's name and e-mail, and its documents'
   * keys and Sage numbers.
   */
  text?: string;
  /** Headline amounts (amount, amount paid or total) in the API's minor units; any one matches. */
  amountsMinor?: readonly number[];
  /** Created within [createdFrom, createdBefore) in Unix seconds. */
  createdFrom?: number;
  createdBefore?: number;
  limit: number;
  offset: number;
}

export interface StripeObjectLedger {
  /** Stores objects; returns how many were new or changed. */
  upsertObjects(objects: readonly AnySyncedObject[]): number;
  getObject(id: string): StoredObject | null;
  /** Which of these ids are stored (one query for a page, instead of reading each object). */
  storedObjectIds(ids: readonly string[]): Set<string>;
  /** Objects changed since they were last planned, in (created, id) order after `after`; of one kind when `kind` is given. */
  objectsToPlan(limit: number, after: { created: number; id: string } | null, kind?: SyncedKind): StoredObject[];
  /** Takes these objects off the queue, except one stored with another body or asked to be planned again (replanObjects) since objectsToPlan handed it out. */
  markPlanned(objectIds: readonly string[]): void;
  /**
   * Has the next run plan these objects again. The engine re-plans an object only when its
   * stored body or the mapping version changed; a fix made elsewhere (a Sage setting, a record
   * the bookkeeper wants looked at again) changes neither. Written documents are never touched.
   * Returns how many were found.
   */
  replanObjects(objectIds: readonly string[]): number;
  countObjects(): Record<SyncedKind, number>;
  /** Automatic payouts Stripe has reconciled whose transaction list has not been read yet. */
  payoutsToItemise(): string[];
  /** Invoices stored as draft or open: after a long outage they are re-read one by one. */
  openInvoiceIds(): string[];
  /** Every stored payout, oldest first. */
  payouts(): StoredObject[];
  /** Objects of these kinds created at or after `createdFrom` (Unix seconds). */
  objectsCreatedSince(createdFrom: number, kinds: readonly SyncedKind[]): StoredObject[];
  /** One page of stored objects matching the search, newest first, and how many match in all. */
  searchObjects(search: ObjectSearch): { objects: StoredObject[]; total: number };

  // balance transactions and links
  /** Stores transactions; with a payout id, as that payout's whole list (the payout is itemised). */
  upsertBalanceTransactions(bts: readonly StripeBalanceTransaction[], payoutId: string | null): void;
  /**
   * Stores one page of a payout's list. The payout counts as itemised only after
   * markPayoutItemised, so a run stopped half-way through a long list reads it again.
   */
  addPayoutItems(bts: readonly StripeBalanceTransaction[], payoutId: string): void;
  markPayoutItemised(payoutId: string): void;
  isPayoutItemised(payoutId: string): boolean;
  /** Up to `limit` of the payout's listed transactions with ids after `afterId`, by id: a payout of any size is read page by page. */
  payoutItemsAfter(payoutId: string, afterId: string | null, limit: number): StripeBalanceTransaction[];
  getBalanceTransaction(id: string): StripeBalanceTransaction | null;
  /** The stored transactions among these ids (one query for a plan pass's page). */
  balanceTransactions(ids: readonly string[]): Map<string, StripeBalanceTransaction>;
  /** Which of these stored transactions Stripe gave no source (one query for a page). */
  unsourcedBalanceTransactionIds(ids: readonly string[]): Set<string>;
  /** Stored transactions created in [from, upTo] (from null: all before upTo), oldest first. */
  balanceTransactionsCreated(from: number | null, upTo: number): StripeBalanceTransaction[];
  /** The payout's listed balance transactions, or null when they have not been read. */
  payoutItems(payoutId: string): StripeBalanceTransaction[] | null;
  /** The balance transactions whose source is this object, by id. */
  balanceTransactionsOfSource(sourceId: string): SourcedBalanceTransaction[];
  /**
   * Ids of stored objects whose `balance_transaction` or `failure_balance_transaction` (an id
   * or the expanded object) names this transaction, ordered by (created, id).
   */
  objectsNamingBalanceTransaction(balanceTransactionId: string): string[];
  /** Balance transactions whose source object was created at or after `createdFrom`, with that creation time. */
  balanceTransactionsOfObjectsCreatedSince(createdFrom: number): { transaction: StripeBalanceTransaction; sourceCreated: number }[];
  /** Links a payment (a charge id, or the PaymentIntent id an invoice payment names) to its invoice. */
  linkInvoicePayment(paymentId: string, invoiceId: string): void;
  invoiceForCharge(paymentId: string): string | null;
  /** Ids of the stored charges an invoice's payments name (the charge, or a charge on the named PaymentIntent), whenever they were created. */
  chargesPayingInvoice(invoiceId: string): string[];
  /** invoiceForCharge for many payments in one query: the linked ones, by payment id. */
  invoicesForPayments(paymentIds: readonly string[]): Map<string, string>;
  creditNoteForRefund(refundId: string): string | null;

  // events
  unseenEventIds(ids: readonly string[]): Set<string>;
  recordEvents(events: readonly StripeEvent[], skipped: ReadonlySet<string>): void;
  /** Ids of the Stripe events recorded for an object, oldest first (lineage). */
  eventIdsForObject(objectId: string): string[];
  /** The Stripe events recorded for an object, oldest first. */
  eventsForObject(objectId: string): RecordedEvent[];

  // planning results
  setObjectIssue(issue: ObjectIssue | { objectId: string; errorClass: null }): void;
  /** The same for a page of objects, in one call (the plan pass clears an issue per object planned). */
  setObjectIssues(issues: readonly (ObjectIssue | { objectId: string; errorClass: null })[]): void;
  objectIssues(): ObjectIssue[];
  objectIssue(objectId: string): ObjectIssue | null;
  /** Issues other than 'waiting' (objects that could not be planned), by message then object id. */
  planningIssues(): ObjectIssue[];
}
