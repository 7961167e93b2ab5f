import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import type { SageDocument } from '../sage/documents.js';

/**
 * The plan pass saves a page of objects' plans in one ledger transaction. One ledger call per
 * object cost a savepoint and a call each (the largest share of planning's ledger time), so
 * consecutive saves go to the ledger as one call. Any other change to a document (a
 * withdrawal, a skip) first hands over the saves made before it if one of them is of that
 * document, so the ledger applies every change to a document in the order the pass made it;
 * a change to other documents leaves the batch whole (the plan withdraws a charge's unwritten
 * AR documents with almost every charge planned, and each broke the page's batch up into one
 * call per charge). `flush` hands over the rest: call it before the transaction ends.
 */
export class BatchedPlanSaves implements Pick<SageDocumentLedger, 'savePlan' | 'skipDocuments' | 'withdrawDocuments'> {
  private pending: { objectId: string; documents: readonly SageDocument[] }[] = [];
  private pendingAs: { mappingVersion: number; initialState: 'planned' | 'shadow' } | null = null;

  constructor(private readonly documents: SageDocumentLedger) {}

  savePlan(objectId: string, documents: readonly SageDocument[], mappingVersion: number, initialState: 'planned' | 'shadow'): void {
    if (this.pendingAs !== null && (this.pendingAs.mappingVersion !== mappingVersion || this.pendingAs.initialState !== initialState)) this.flush();
    this.pendingAs = { mappingVersion, initialState };
    this.pending.push({ objectId, documents });
  }

  skipDocuments(docKeys: readonly string[], reason: string): number {
    if (docKeys.length === 0) return 0;
    this.flushIfPending(docKeys);
    return this.documents.skipDocuments(docKeys, reason);
  }

  withdrawDocuments(docKeys: readonly string[]): number {
    if (docKeys.length === 0) return 0;
    this.flushIfPending(docKeys);
    return this.documents.withdrawDocuments(docKeys);
  }

  /** Hands the saves over when one of them is of a document about to change otherwise. */
  private flushIfPending(docKeys: readonly string[]): void {
    const changing = new Set(docKeys);
    if (this.pending.some((plan) => plan.documents.some((document) => changing.has(document.key)))) this.flush();
  }

  flush(): void {
    if (this.pendingAs === null) return;
    const { mappingVersion, initialState } = this.pendingAs;
    const plans = this.pending;
    this.pending = [];
    this.pendingAs = null;
    this.documents.savePlans(plans, mappingVersion, initialState);
  }
}
