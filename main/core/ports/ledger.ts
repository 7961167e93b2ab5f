import type { MappingLedger } from './mapping-ledger.js';
import type { ReconciliationLedger } from './reconciliation-ledger.js';
import type { RuleRelatedObjectLedger } from './rule-related-object-ledger.js';
import type { RunLedger } from './run-ledger.js';
import type { SageDocumentLedger } from './sage-document-ledger.js';
import type { StripeObjectLedger } from './stripe-object-ledger.js';

export type { MappingLedger } from './mapping-ledger.js';
export type { BalanceProofCarry, BalanceProofChanges, DriftFinding, ReconciliationLedger, TraceOnAccount, TracedAmount } from './reconciliation-ledger.js';
export type { RuleRelatedObjectLedger } from './rule-related-object-ledger.js';
export type { RunLedger } from './run-ledger.js';
export type { RetrySelector, SageDocumentLedger, StoredDocument } from './sage-document-ledger.js';
export type { ObjectIssue, ObjectSearch, RecordedEvent, SourcedBalanceTransaction, StoredObject, StripeObjectLedger } from './stripe-object-ledger.js';

/**
 * The local sync ledger: everything the engine has seen and decided, so a restart resumes
 * exactly where it stopped. It is the only code that knows the ledger's schema; everyone else
 * reaches it through these parts, which share one connection (adapters/ledger/sqlite-ledger.ts).
 * Synchronous on purpose: it is a local SQLite file and each call is one short transaction.
 */
export interface Ledger {
  /** Runs and the engine's cursors. */
  readonly runs: RunLedger;
  /** Incoming: Stripe objects, balance transactions, events, planning problems. */
  readonly objects: StripeObjectLedger;
  /** Outgoing: Sage documents, their traces and write-backs. */
  readonly documents: SageDocumentLedger;
  /** Payout tie-outs and drift findings. */
  readonly reconciliation: ReconciliationLedger;
  /** Mapping versions. */
  readonly mappings: MappingLedger;
  /** PaymentIntents and Products, as far as the business rules read them. */
  readonly related: RuleRelatedObjectLedger;
  /** Runs several calls as one transaction (one disk sync instead of one per call). */
  inTransaction<T>(work: () => T): T;
  /**
   * Runs several calls as one transaction that holds the ledger's write lock from its start: no
   * other connection commits between what `work` reads and what it writes (another writer waits).
   */
  inWriteTransaction<T>(work: () => T): T;
  close(): void;
}
