import type { StripeBalanceTransaction } from '../stripe/objects.js';
import type { StoredDocument } from './sage-document-ledger.js';
import type { StoredObject } from './stripe-object-ledger.js';

/** One journal line's amount (Sage decimal text) and the balance transaction it books. */
export interface TracedAmount {
  traceId: string;
  amount: string;
}

/**
 * One trace on an account, as the balance proof reads it: the stored balance transaction with
 * this id (when it is in the window asked for) and the written journal lines on the account
 * that carry it.
 */
export interface TraceOnAccount {
  traceId: string;
  /** The stored transaction with this id created in the window, or null: lines no transaction in the window explains (or the opening-balance journal). */
  transaction: StripeBalanceTransaction | null;
  /** Amounts (Sage decimal text) of the written lines on the account that carry this trace; empty when Sage holds none. */
  booked: string[];
}

/** The settled past the last balance proof carried forward (engine/balance-proof-step.ts), as the ledger keeps it. */
export interface BalanceProofCarry {
  /** Unix seconds: the carry counts the transactions created at or before this that it does not name to read again. */
  settledUpTo: number;
  /** The carried totals and what they were proved against: the proof step's text, opaque to the ledger. */
  body: string;
}

/** What changed since the carry was saved that could touch it, as the ledger logged it at every write. */
export interface BalanceProofChanges {
  /**
   * Balance transactions stored since, created at or before the carry's `settledUpTo`, or whose
   * stored `created` was so, and whose net, currency, type, reporting category, balance type or
   * created changed.
   */
  transactionIds: string[];
  /** Traces whose written lines on the account asked for changed: a journal written or no longer written, its lines changed. */
  lineTraceIds: string[];
  /** Where the log stood when read: saving the next carry removes what was read up to here. */
  through: number;
}

/** A drift between Stripe, the ledger and Sage, found at the end of a run (engine/drift-checks.ts). */
export interface DriftFinding {
  kind: 'transaction-not-in-sage' | 'object-changed-after-writing' | 'payout-unreconciled-after-arrival' | 'charge-without-fees';
  objectId: string;
  message: string;
  /** What to do, or why it will fix itself. */
  hint: string;
}

/** Questions that span Stripe's side and Sage's side of the ledger: payout tie-outs and drift. */
export interface ReconciliationLedger {
  /**
   * The lines on `acctNo` of journal documents in any state but skipped (written, in flight,
   * or still to write: planned, failed, dead, shadow) that carry one of these trace ids, each
   * with its trace: what the journals planned for a payout's transactions move the account by.
   */
  linesOnAccountTracing(acctNo: string, traceIds: readonly string[]): TracedAmount[];
  /**
   * Amounts of written journal lines on `acctNo` whose balance transaction was created at or
   * before `createdUpTo` (Unix seconds), leaving out `excludeTraceId`: the account's running
   * balance as booked in Sage at that moment.
   */
  writtenAmountsOnAccountUpTo(acctNo: string, createdUpTo: number, excludeTraceId: string): string[];
  /** Payouts that have reached the bank (paid, or arrival date before `nowSeconds`) but do not tie out yet (a 'waiting' issue). */
  countPayoutsArrivedNotTiedOut(nowSeconds: number): number;

  // the money spine and the balance proof
  /**
   * Transactions that may need a standalone journal: no other object's document books them and
   * they have no document of their own written or planned with this mapping version. The answer
   * is always the whole history's; how the ledger finds it is its own (the SQLite ledger carries
   * each call's answer to the next and reads only what changed since, in the caller's transaction).
   */
  balanceTransactionsToPlanAlone(mappingVersion: number): StripeBalanceTransaction[];
  /** Written journal lines on `acctNo`, each with the transaction it books: what Sage holds on the account. */
  writtenLinesOnAccount(acctNo: string): TracedAmount[];
  /** The written journal lines on `acctNo` that carry one of these trace ids (each line once), by the trace index. */
  writtenLinesOnAccountTracing(acctNo: string, traceIds: readonly string[]): TracedAmount[];
  /**
   * Every stored balance transaction created in [`from`, `upTo`] (from null: since the first)
   * and every written journal line on `acctNo`, joined by trace id, one trace at a time in no
   * particular order: the balance proof's pass over the history without holding it. Each call
   * reads afresh. The connection is read-only until the iteration ends (no ledger writes inside the loop).
   */
  tracesOnAccount(acctNo: string, from: number | null, upTo: number): Iterable<TraceOnAccount>;
  /**
   * The traces `tracesOnAccount` would give for the transactions created in (`createdAfter`,
   * `upTo`] (and at or after `from`) and for these trace ids, each once, and no other: the
   * balance proof's read of what its carried past does not count. Sized by what it returns.
   */
  tracesOnAccountSince(acctNo: string, from: number | null, upTo: number, createdAfter: number, traceIds: readonly string[]): TraceOnAccount[];
  /**
   * The balance proof's carry, or null when there is none, when it was saved under another
   * schema version, or when the ledger cannot vouch that every change since was logged.
   */
  balanceProofCarry(): BalanceProofCarry | null;
  /** What changed since the carry was saved (nothing is logged while there is none), for the lines on `acctNo`. */
  balanceProofChanges(acctNo: string): BalanceProofChanges;
  /** Replaces the carry and removes the changes read up to `changesThrough`, in one transaction. */
  saveBalanceProofCarry(carry: BalanceProofCarry, changesThrough: number): void;

  // drift checks: the three long lists are carried from one check to the next and brought up to
  // date from what changed since (bringDriftListsUpToDate); each is read a page at a time, so a
  // ledger that has written little (shadow mode, Sage out of reach for days) is checked without
  // holding its history.
  /**
   * Brings the drift checks' lists up to date: from what changed since the last check, or from
   * the whole history when they cannot follow (they were never built, or a written or skipped
   * document left its state: adapters/ledger/migration-drift-lists.ts, migration-drift-skipped-kept-out.ts). Says which it read. The three
   * lists below are as of the last call.
   */
  bringDriftListsUpToDate(): 'changes' | 'history';
  /**
   * Stored balance transactions created before `createdBefore` that no written document books
   * and no skipped one keeps out of Sage on purpose,
   * in id order, read a page at a time as the iteration goes (ledger writes between items are allowed).
   */
  balanceTransactionsNotBooked(createdBefore: number): Iterable<StripeBalanceTransaction>;
  /** Written journal documents whose Stripe object was stored with a new body after the document was written, in sort-key order; paged as above. */
  writtenJournalsOfChangedObjects(): Iterable<StoredDocument>;
  /** Payouts Stripe marked paid, arrived before `arrivedBefore`, whose arrival journal (posting/payout-plan.ts) is not written. */
  paidPayoutsNotBookedAfterArrival(arrivedBefore: number): StoredObject[];
  /** Succeeded charges created before `createdBefore` whose balance transaction is missing or neither booked nor skipped, in id order; paged as above. */
  chargesWithoutBookedFees(createdBefore: number): Iterable<StoredObject>;
  /** Replaces the findings of the previous drift check with these, stored as they come (one transaction); returns how many. */
  replaceDriftFindings(findings: Iterable<DriftFinding>): number;
  driftFindings(): DriftFinding[];
}
