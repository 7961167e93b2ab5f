import type { SageDocument, SageRef } from '../sage/documents.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * What the engine needs from Sage 500. adapters/sage/writer.ts implements it on top of the
 * narrow SQL port, so the same writer runs against SQL Server and the SQLite sandbox.
 */
export interface SageTarget {
  /**
   * Writes documents in order, each with its cross-reference row, and lets the writer share
   * one transaction among several (one commit instead of many). Idempotent: a document whose
   * key the cross-reference already holds is not written again; its existing reference is
   * returned. Each document gets its own outcome: one failing never loses or duplicates another.
   */
  writeMany(docs: readonly SageDocument[], context: WriteContext): Promise<WriteOutcome[]>;
  /** Cross-reference rows for these document keys (used to resolve interrupted writes). */
  findWritten(docKeys: readonly string[]): Promise<Map<string, SageRef>>;
  /**
   * The GL journals Sage's cross-reference already holds under these keys, with their lines as
   * Sage holds them, whoever wrote them (an earlier release, a run before a lost ledger): what a
   * write of that key would adopt instead of writing, when its lines are the document's
   * (core/sage/found-journal.ts). A key the cross-reference does not hold is
   * absent. A line's account is GLAcctNo as Sage stores it (unmasked); compare it with a
   * mapping's or a document's spelling by core/sage/account-number.ts's accountIdentity.
   */
  journalsInSage(docKeys: readonly string[]): Promise<Map<string, JournalInSage>>;
  /** A Sage customer by CustID or by e-mail address, for customer resolution. */
  findCustomer(query: CustomerQuery): Promise<SageCustomerMatch | null>;
  /**
   * Many look-ups in a few round trips (one per kind of key for a plan-pass page): each answer,
   * in the queries' order, is what `findCustomer` gives for that query.
   */
  findCustomers(queries: readonly CustomerQuery[]): Promise<(SageCustomerMatch | null)[]>;
  /**
   * The customer text fields (StgCustomer column names) this site declares nvarchar: planning
   * keeps their text as is instead of transliterating it to code page 1252. Read once per writer.
   */
  unicodeCustomerFields(): Promise<ReadonlySet<string>>;
}

export type WriteOutcome = { ref: SageRef } | { error: unknown };

/** A GL journal as Sage holds it (journalsInSage). */
export interface JournalInSage {
  ref: SageRef;
  /**
   * Its lines while it is pending (tglJournalDetl), in entry order; once a user posted its batch
   * and none are pending any more, its posted lines (tglTransaction, `posted`). Empty when Sage
   * holds neither (a user deleted the lines, or posting left none the sync can find).
   */
  lines: JournalLineInSage[];
  /** The lines are posted GL (tglTransaction), not pending. */
  posted: boolean;
  /** Its batch as tciBatchLog holds it (the xref's BatchKey); null when Sage has no such batch row any more. */
  batch: JournalBatchInSage | null;
}

/** A GL batch's number and state (tciBatchLog; the codes are Sage's, S6: Status 6 posted, PostStatus 0 open). */
export interface JournalBatchInSage {
  batchNo: number;
  status: number;
  postStatus: number;
}

export interface JournalLineInSage {
  /** tglAccount.GLAcctNo as Sage stores it: unmasked, in Sage's case. */
  acctNo: string;
  /** Signed, canonical decimal(15,3) text (debit positive). */
  amount: string;
  comment: string;
  /** TranDate as Sage holds it; null where the row has none (the column allows NULL in tglJournalDetl and tglTransaction). */
  tranDate: BusinessDate | null;
  /**
   * A posted line's post date: tglTransaction.PostDate, the batch's post date posting stamps on
   * each row (S5), which fixes its fiscal period. Null for a pending line (its batch's post date
   * is the document's, as the writer sets it) and for a posted row without one.
   */
  postDate: BusinessDate | null;
}

export interface WriteContext {
  /** The sync run; GL batches are created per run and posting date. */
  runId: number;
  /** Something the writer recovered from but the log should show (e.g. a shared transaction that failed and was retried one by one). */
  warn?: (message: string) => void;
}

export interface CustomerQuery {
  custId?: string;
  email?: string;
}

export interface SageCustomerMatch {
  custId: string;
  custKey: number;
  custName: string;
}

export type SageErrorClass = 'transient' | 'data' | 'configuration';

/**
 * A Sage problem explained in Sage terms. `errorClass` drives the retry policy: transient
 * errors retry automatically, data errors park the record, configuration errors pause the
 * affected kind until the user fixes the setting. `code`, when set, names the problem for the
 * user actions that apply only to it (kept with the document's last error, never read from the
 * message's words: e.g. FOUND_JOURNAL_REFUSED, core/sage/found-journal.ts).
 */
export class SageWriteError extends Error {
  constructor(
    message: string,
    readonly errorClass: SageErrorClass,
    readonly sageField: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'SageWriteError';
  }
}

/**
 * Sage cannot take any document now (lost connection, database or log full): writing stops
 * for the run, the documents stay queued and are written on a later run, and the message
 * says once what to fix. Never a problem of one record.
 */
export class SageUnavailableError extends SageWriteError {
  constructor(message: string) {
    super(message, 'transient');
    this.name = 'SageUnavailableError';
  }
}
