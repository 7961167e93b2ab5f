import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import type { SageDocument } from '../sage/documents.js';

/**
 * The plan pass saves a page of objects' plans in one ledger transaction. One ledger call per
 * object cost a savepoint and a call each (the largest share of planning's ledger time), so
 * consecutive saves go to the ledger as one call, and so do withdrawals: the plan withdraws a
 * charge's unwritten AR documents with almost every charge planned (4,143 calls at 10k objects,
 * nearly all naming documents never planned), so a page's withdrawals are handed over together.
 * Any change to a document first hands over whatever is pending for that document (a save
 * before a withdrawal or skip of it, a withdrawal before a save or skip of it), so the ledger
 * applies every change to a document in the order the pass made it; what is pending at the
 * same time is then of different documents, whose order does not matter. `flush` hands over the
 * rest: call it before the transaction ends.
 */
export class BatchedPlanSaves implements Pick<SageDocumentLedger, 'savePlan' | 'skipDocuments'> {
  private pending: { objectId: string; documents: readonly SageDocument[] }[] = [];
  private pendingAs: { mappingVersion: number; initialState: 'planned' | 'shadow' } | null = null;
  private withdrawals = new Set<string>();

  constructor(private readonly documents: SageDocumentLedger) {}

  savePlan(objectId: string, documents: readonly SageDocument[], mappingVersion: number, initialState: 'planned' | 'shadow'): void {
    if (documents.some((document) => this.withdrawals.has(document.key))) this.flushWithdrawals();
    if (this.pendingAs !== null && (this.pendingAs.mappingVersion !== mappingVersion || this.pendingAs.initialState !== initialState)) this.flushSaves();
    this.pendingAs = { mappingVersion, initialState };
    this.pending.push({ objectId, documents });
  }

  skipDocuments(docKeys: readonly string[], reason: string): number {
    if (docKeys.length === 0) return 0;
    this.flushIfPending(docKeys);
    if (docKeys.some((docKey) => this.withdrawals.has(docKey))) this.flushWithdrawals();
    return this.documents.skipDocuments(docKeys, reason);
  }

  /** Removes these documents if never written (SageDocumentLedger.withdrawDocuments), with the page's other withdrawals. */
  withdrawDocuments(docKeys: readonly string[]): void {
    if (docKeys.length === 0) return;
    this.flushIfPending(docKeys);
    for (const docKey of docKeys) this.withdrawals.add(docKey);
  }

  /** Hands the saves over when one of them is of a document about to change otherwise. */
  private flushIfPending(docKeys: readonly string[]): void {
    const changing = new Set(docKeys);
    if (this.pending.some((plan) => plan.documents.some((document) => changing.has(document.key)))) this.flushSaves();
  }

  flush(): void {
    this.flushWithdrawals();
    this.flushSaves();
  }

  private flushWithdrawals(): void {
    if (this.withdrawals.size === 0) return;
    const docKeys = [...this.withdrawals];
    this.withdrawals = new Set();
    this.documents.withdrawDocuments(docKeys);
  }

  private flushSaves(): void {
    if (this.pendingAs === null) return;
    const { mappingVersion, initialState } = this.pendingAs;
    const plans = this.pending;
    this.pending = [];
    this.pendingAs = null;
    this.documents.savePlans(plans, mappingVersion, initialState);
  }
}
