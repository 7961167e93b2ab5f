import type { DocumentState } from '../engine/engine-events.js';
import type { JournalDocument, SageDocument, SageRef } from '../sage/documents.js';

/**
 * The Sage documents the engine planned and what became of each: its state, the trace ids
 * (balance transactions) it books, and the metadata write-backs it owes Stripe.
 */

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
  /** The last error's code (SageWriteError.code), when it has one: the user actions that apply only to that problem go by it. */
  errorCode: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  /** Why the bookkeeper skipped it, when skipped. */
  skipReason: string | null;
  /** Why the bookkeeper accepted Sage's journal as this document (acceptSageJournals), when accepted. */
  acceptReason: string | null;
  ref: SageRef | null;
  /** When the ledger last changed the document (ISO time). */
  updatedAt: string;
}

/** The documents a plan-pass page will ask for (core/engine/page-lookups.ts), read ahead in one go. */
export interface DocumentReadAhead {
  /** getDocument of any key `${id}:…` for these ids (a planner's document keys start with its object's id). */
  keyOwners: readonly string[];
  /** documentsForObject of these objects. */
  objectIds: readonly string[];
  /** documentsTracing and isTraceBooked of these trace ids. */
  traceIds: readonly string[];
}

export type RetrySelector = { docKeys: readonly string[] } | { cause: string } | { all: true };

export interface SageDocumentLedger {
  /** Saves the plan of one object; written documents are never replaced. */
  savePlan(objectId: string, documents: readonly SageDocument[], mappingVersion: number, initialState: 'planned' | 'shadow'): void;
  /** savePlan for many objects in one call (a plan pass's page), in order. */
  savePlans(plans: readonly { objectId: string; documents: readonly SageDocument[] }[], mappingVersion: number, initialState: 'planned' | 'shadow'): void;
  /** Documents due for writing (planned, or failed transiently with the retry time passed), in write order after `afterSortKey`. */
  documentsToWrite(now: string, limit: number, afterSortKey?: string | null): StoredDocument[];
  documentsInState(state: DocumentState, limit: number): StoredDocument[];
  documentsForObject(objectId: string): StoredDocument[];
  getDocument(docKey: string): StoredDocument | null;
  markWriting(docKey: string): void;
  /** Puts documents interrupted while writing back to planned (Sage showed no trace of them). */
  requeue(docKeys: readonly string[]): void;
  markWritten(docKey: string, ref: SageRef): void;
  /** markWriting for a write chunk in one statement; throws, changing none, when one of them is not waiting to be written. */
  markWritingAll(docKeys: readonly string[]): void;
  /** markWritten for a write chunk, set-based (the documents, then the write-back queue). */
  markWrittenAll(written: readonly { docKey: string; ref: SageRef }[]): void;
  /**
   * Journals Sage already holds in another shape than planned (core/engine/one-step-payouts.ts):
   * each is recorded as written with the Sage references given and the body as Sage holds it,
   * replacing its plan (body, write order, traces), or added when it was not planned. Only a
   * document not written yet is replaced: a written one and a skip (a user's or a rule's) stay
   * as they are. One transaction.
   */
  recordFoundInSage(found: readonly { document: JournalDocument; ref: SageRef }[], mappingVersion: number): void;
  markFailed(docKey: string, failure: { errorClass: string; errorCode?: string | null; message: string; nextAttemptAt: string | null; dead: boolean }): void;
  /**
   * Why planned documents are held back (core/engine/payout-journal-order.ts), kept as their last
   * error, of class 'waiting', while they stay planned: state, attempts and retry time are
   * unchanged, and writing the document (or planning a new body) clears it. A document no longer
   * planned is left alone.
   */
  noteWaiting(notes: readonly { docKey: string; note: string }[]): void;
  /** Puts failed / dead documents back to planned; returns how many. */
  retryDocuments(selector: RetrySelector): number;
  skipDocuments(docKeys: readonly string[], reason: string): number;
  /**
   * "Accept Sage's journal": each document, failed or dead with this error code, is recorded as
   * written under the reference given (the journal Sage's cross-reference holds under its key),
   * with the user's reason; its body and traces stay the plan's. A document no longer failed
   * with that code (a run wrote or planned it again meanwhile) is left alone. Returns the keys
   * recorded. One transaction.
   */
  acceptFoundJournals(accepted: readonly { docKey: string; ref: SageRef }[], errorCode: string, reason: string): string[];
  /** Out of shadow mode: every previewed (shadow) document becomes planned, to be written. Returns how many. */
  releaseShadowDocuments(): number;
  countDocuments(): Record<DocumentState, number>;
  /** How many documents were written at or after this ISO time. */
  countWrittenSince(since: string): number;
  /** Failed and dead documents, grouped by their last error text, then in write order. */
  failedDocuments(): StoredDocument[];
  /** Written customers and sales orders whose Sage number has not been written back to Stripe yet. */
  pendingWriteBacks(limit: number): StoredDocument[];
  markWrittenBack(docKey: string): void;
  /** True when a written document books this balance transaction (or other trace id) in Sage. */
  isTraceBooked(traceId: string): boolean;
  /** The ones among these trace ids that isTraceBooked is true of, in one query. */
  bookedTraceIds(traceIds: readonly string[]): Set<string>;
  /** Documents that book this trace id (a balance transaction, or the object a daily summary covers), in any state. */
  documentsTracing(traceId: string): StoredDocument[];
  /**
   * Reads ahead the documents a plan-pass page will ask for: until forgetReadAhead or the next
   * readAhead, the reads it names are answered from it as long as this connection has changed
   * no row since (any change drops it, and reads go to the ledger again); another connection's
   * commit is seen once a read past the page has seen it, as in one read transaction.
   */
  readAhead(request: DocumentReadAhead): void;
  forgetReadAhead(): void;
  /** Removes documents that were never written (planned, failed, dead, shadow); written ones stay. Returns how many. */
  withdrawDocuments(docKeys: readonly string[]): number;
  /** Documents not written yet (planned, failed, dead, shadow), in write order after `afterSortKey`. */
  documentsNotWritten(limit: number, afterSortKey?: string | null): StoredDocument[];
  /** Journals not written yet (planned, failed, dead, shadow), in write order. */
  unwrittenJournals(): StoredDocument[];
  /**
   * After a mapping change: objects whose documents are not written yet and were planned with
   * an older mapping version, and objects paused for configuration, are planned again.
   */
  replanForMappingVersion(version: number): number;
}
