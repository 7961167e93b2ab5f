import type { DocumentState, RunSummary } from '../engine/engine-events.js';
import type { Mapping } from '../mapping/mapping.js';
import type { JournalLine, SageDocument, SageRef } from '../sage/documents.js';
import type { AnySyncedObject, StripeBalanceTransaction, StripeEvent, SyncedKind } from '../stripe/objects.js';

/**
 * The local sync ledger: everything the engine has seen and decided, so a restart resumes
 * exactly where it stopped. Synchronous on purpose: it is a local SQLite file and each call
 * is one short transaction (adapters/ledger/sqlite-ledger.ts).
 */

export interface StoredObject {
  id: string;
  kind: SyncedKind;
  created: number;
  object: AnySyncedObject;
}

export interface StoredDocument {
  docKey: string;
  /** Write order: customers first, then by posting date. */
  sortKey: string;
  stripeObjectId: string;
  type: SageDocument['type'];
  state: DocumentState;
  document: SageDocument;
  mappingVersion: number;
  attempts: number;
  errorClass: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  ref: SageRef | null;
}

export interface ObjectIssue {
  objectId: string;
  errorClass: string;
  message: string;
}

/** A journal line of a ledger document, with the document's key and state. */
export interface TracedJournalLine {
  docKey: string;
  state: DocumentState;
  line: JournalLine;
}

/** A drift between Stripe, the ledger and Sage, found at the end of a run (engine/drift-checks.ts). */
export interface DriftFinding {
  kind: 'transaction-not-in-sage' | 'object-changed-after-writing' | 'payout-unreconciled-after-arrival' | 'charge-without-fees';
  objectId: string;
  message: string;
  /** What to do, or why it will fix itself. */
  hint: string;
}

export interface Ledger {
  /** Runs several calls as one transaction (one disk sync instead of one per call). */
  inTransaction<T>(work: () => T): T;
  // runs
  startRun(startedAt: string): number;
  finishRun(summary: RunSummary): void;
  lastRun(): RunSummary | null;

  // cursors and checkpoints
  getCursor(name: string): string | null;
  setCursor(name: string, value: string | null): void;

  // Stripe objects
  /** Stores objects; returns how many were new or changed. */
  upsertObjects(objects: readonly AnySyncedObject[]): number;
  getObject(id: string): StoredObject | null;
  /** Objects changed since they were last planned, in (created, id) order after `after`. */
  objectsToPlan(limit: number, after: { created: number; id: string } | null): StoredObject[];
  markPlanned(objectIds: readonly string[]): void;
  countObjects(): Record<SyncedKind, number>;
  /** Automatic payouts Stripe has reconciled whose transaction list has not been read yet. */
  payoutsToItemise(): string[];
  /** Invoices stored as draft or open: after a long outage they are re-read one by one. */
  openInvoiceIds(): string[];

  // balance transactions and links
  upsertBalanceTransactions(bts: readonly StripeBalanceTransaction[], payoutId: string | null): void;
  getBalanceTransaction(id: string): StripeBalanceTransaction | null;
  /** The payout's listed balance transactions, or null when they have not been read. */
  payoutItems(payoutId: string): StripeBalanceTransaction[] | null;
  linkInvoicePayment(chargeId: string, invoiceId: string): void;
  invoiceForCharge(chargeId: string): string | null;
  creditNoteForRefund(refundId: string): string | null;

  // events
  unseenEventIds(ids: readonly string[]): Set<string>;
  recordEvents(events: readonly StripeEvent[], skipped: ReadonlySet<string>): void;

  // planning results
  setObjectIssue(issue: ObjectIssue | { objectId: string; errorClass: null }): void;
  objectIssues(): ObjectIssue[];
  objectIssue(objectId: string): ObjectIssue | null;
  /** Ids of the Stripe events recorded for an object, oldest first (lineage). */
  eventIdsForObject(objectId: string): string[];

  // reconciliation
  /** Lines of journal documents (any state but skipped) that carry one of these trace ids, only those lines. */
  journalLinesTracing(traceIds: readonly string[]): TracedJournalLine[];
  /**
   * Amounts of written journal lines on `acctNo` whose balance transaction was created at or
   * before `createdUpTo` (Unix seconds), leaving out `excludeTraceId`: the account's running
   * balance as booked in Sage at that moment.
   */
  writtenAmountsOnAccountUpTo(acctNo: string, createdUpTo: number, excludeTraceId: string): string[];
  /** Every stored payout, oldest first. */
  payouts(): StoredObject[];

  // drift checks
  /** Stored balance transactions created before `createdBefore` that no written document books. */
  balanceTransactionsNotBooked(createdBefore: number): StripeBalanceTransaction[];
  /** Written journal documents whose Stripe object was stored with a new body after the document was written. */
  writtenJournalsOfChangedObjects(): StoredDocument[];
  /** Payouts Stripe marked paid, arrived before `arrivedBefore`, with no written document. */
  paidPayoutsNotBookedAfterArrival(arrivedBefore: number): StoredObject[];
  /** Succeeded charges created before `createdBefore` whose balance transaction is missing or not booked. */
  chargesWithoutBookedFees(createdBefore: number): StoredObject[];
  /** Replaces the findings of the previous drift check. */
  replaceDriftFindings(findings: readonly DriftFinding[]): void;
  driftFindings(): DriftFinding[];

  // documents
  /** Saves the plan of one object; written documents are never replaced. */
  savePlan(objectId: string, documents: readonly SageDocument[], mappingVersion: number, initialState: 'planned' | 'shadow'): void;
  /** Documents due for writing (planned, or failed transiently with the retry time passed), in write order after `afterSortKey`. */
  documentsToWrite(now: string, limit: number, afterSortKey?: string | null): StoredDocument[];
  documentsInState(state: DocumentState, limit: number): StoredDocument[];
  documentsForObject(objectId: string): StoredDocument[];
  getDocument(docKey: string): StoredDocument | null;
  markWriting(docKey: string): void;
  /** Puts documents interrupted while writing back to planned (Sage showed no trace of them). */
  requeue(docKeys: readonly string[]): void;
  markWritten(docKey: string, ref: SageRef): void;
  markFailed(docKey: string, failure: { errorClass: string; message: string; nextAttemptAt: string | null; dead: boolean }): void;
  /** Puts failed / dead documents back to planned; returns how many. */
  retryDocuments(selector: { docKeys: readonly string[] } | { cause: string } | { all: true }): number;
  skipDocuments(docKeys: readonly string[], reason: string): number;
  countDocuments(): Record<DocumentState, number>;
  /** Written customers and sales orders whose Sage number has not been written back to Stripe yet. */
  pendingWriteBacks(limit: number): StoredDocument[];
  markWrittenBack(docKey: string): void;
  /** True when a written document books this balance transaction (or other trace id) in Sage. */
  isTraceBooked(traceId: string): boolean;
  /** Documents that book this trace id (a balance transaction, or the object a daily summary covers), in any state. */
  documentsTracing(traceId: string): StoredDocument[];
  /** Removes documents that were never written (planned, failed, dead, shadow); written ones stay. Returns how many. */
  withdrawDocuments(docKeys: readonly string[]): number;
  /** Documents not written yet (planned, failed, dead, shadow), in write order after `afterSortKey`. */
  documentsNotWritten(limit: number, afterSortKey?: string | null): StoredDocument[];
  /**
   * After a mapping change: objects whose documents are not written yet and were planned with
   * an older mapping version, and objects paused for configuration, are planned again.
   */
  replanForMappingVersion(version: number): number;

  // mapping
  currentMapping(): { version: number; mapping: Mapping } | null;
  saveMapping(mapping: Mapping): number;

  close(): void;
}
