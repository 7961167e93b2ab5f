import type { ActivityRow, LineageStep, ObjectDetail, RequestPayload } from '../../preload/contract.js';
import type { Ledger, StoredDocument, StoredObject } from '../core/ports/ledger.js';
import { summariseObject } from './object-summary.js';
import { toPlannedDocumentView } from './plan-view.js';
import { isSageJournalAcceptable } from '../core/engine/accept-sage-journal.js';
import { amountCandidates } from './amount-search.js';
import { customerNameOf } from './customer-name.js';
import { stripeDashboardUrl } from './stripe-dashboard-link.js';
import { businessDateRange } from '../core/time/business-day-start.js';
import { isDailySummary } from '../core/posting/daily-summary.js';

/** The Activity view: stored Stripe objects with their Sage documents, and one object's lineage. */

/** Sage tables as a bookkeeper names the documents in them (the table name stays in the step's id). */
const sageTableWords: Record<string, string> = { tglJournalHdr: 'GL journal', tarCustomer: 'customer', tsoSalesOrder: 'sales order' };

const stateWords: Record<StoredDocument['state'], string> = {
  planned: 'Waiting to be written',
  writing: 'Being written',
  written: 'In Sage',
  failed: 'Sage refused it; will be retried',
  dead: 'Sage refused it; gave up',
  skipped: 'Skipped',
  shadow: 'Preview only (shadow mode)',
};

type ActivityLedger = Pick<Ledger, 'objects' | 'documents'>;

/** What the bookkeeper said when skipping the document, or when accepting Sage's journal as it (acceptSageJournals). */
function userReason(doc: StoredDocument): string {
  if (doc.skipReason) return ` (${doc.skipReason})`;
  if (doc.acceptReason) return ` (Sage's journal accepted as this document by a user: ${doc.acceptReason})`;
  return '';
}

export interface ActivityOptions {
  /** The company's time zone: date filters are business dates. */
  timeZone: string;
  /** False in the demo: its simulated records are not in the Stripe Dashboard. */
  dashboardLinks: boolean;
}

function toRow(ledger: ActivityLedger, object: StoredObject, documents: readonly StoredDocument[], options: ActivityOptions): ActivityRow {
  const summary = summariseObject(object.kind, object.object);
  return {
    stripeObjectId: object.id,
    kind: object.kind,
    created: new Date(object.created * 1000).toISOString(),
    ...summary,
    customerName: customerNameOf(ledger.objects, object.id),
    dashboardUrl: options.dashboardLinks ? stripeDashboardUrl(object) : null,
    documents: documents.map((doc) => ({
      docKey: doc.docKey,
      type: doc.type,
      state: doc.state,
      sageNumber: doc.ref?.sageNumber ?? null,
      lastError: doc.lastError,
      ...(doc.state === 'planned' && doc.errorClass === 'waiting' && doc.lastError !== null ? { waitingNote: doc.lastError } : {}),
      ...(isSageJournalAcceptable(doc) ? { sageJournalAcceptable: true as const } : {}),
      attempts: doc.attempts,
      updatedAt: doc.updatedAt,
    })),
  };
}

export function listActivity(ledger: ActivityLedger, query: RequestPayload<'listActivity'>, options: ActivityOptions): { rows: ActivityRow[]; total: number } {
  const { objects, total } = ledger.objects.searchObjects({
    kind: query.kind,
    documentState: query.state,
    text: query.search,
    amountsMinor: amountCandidates(query.search ?? ''),
    ...businessDateRange(query.from, query.to, options.timeZone),
    limit: query.limit,
    offset: query.offset,
  });
  return { rows: objects.map((object) => toRow(ledger, object, ledger.documents.documentsForObject(object.id), options)), total };
}

function lineage(ledger: ActivityLedger, object: StoredObject, documents: readonly StoredDocument[]): LineageStep[] {
  return [
    ...ledger.objects
      .eventsForObject(object.id)
      .map((event): LineageStep => ({ level: 'event', id: event.id, label: event.type, detail: new Date(event.created * 1000).toISOString() })),
    { level: 'object', id: object.id, label: `Stripe ${object.kind}`, detail: summariseObject(object.kind, object.object).description },
    ...ledger.objects.balanceTransactionsOfSource(object.id).map(({ transaction, payoutId }): LineageStep => ({
      level: 'balance_transaction',
      id: transaction.id,
      label: `Balance transaction (${transaction.reporting_category ?? 'unknown'})`,
      detail: payoutId ? `paid out in ${payoutId}` : 'not paid out yet',
    })),
    ...documents.map((doc): LineageStep => ({ level: 'ledger', id: doc.docKey, label: `Planned ${doc.type.replace('_', ' ')}`, detail: `${stateWords[doc.state]}${userReason(doc)}` })),
    ...documents.flatMap((doc): LineageStep[] =>
      doc.ref === null
        ? []
        : [
            {
              level: 'sage',
              id: doc.ref.sageNumber,
              label: `Sage ${sageTableWords[doc.ref.sageTable] ?? 'document'} ${doc.ref.sageNumber}`,
              detail: doc.ref.batchKey === null ? 'Written to Sage' : 'Written to a pending GL batch: review and post it in Sage',
            },
          ],
    ),
  ];
}

/** The daily summaries that book the object's transactions (granularity daily-summary): its journal lives there. */
function summariesBooking(ledger: ActivityLedger, objectId: string): StoredDocument[] {
  return ledger.documents.documentsTracing(objectId).filter((doc) => isDailySummary(doc.document));
}

export function getObjectDetail(ledger: ActivityLedger, stripeObjectId: string, options: ActivityOptions): ObjectDetail | null {
  const object = ledger.objects.getObject(stripeObjectId);
  if (!object) return null;
  const documents = ledger.documents.documentsForObject(object.id);
  const issue = ledger.objects.objectIssue(object.id);
  return {
    row: toRow(ledger, object, documents, options),
    issue: issue && issue.errorClass !== 'waiting' ? { errorClass: issue.errorClass, message: issue.message } : null,
    lineage: lineage(ledger, object, documents),
    plan: [...documents, ...summariesBooking(ledger, object.id)].map((doc) => toPlannedDocumentView(doc.docKey, doc.state, doc.document, object.id)),
  };
}
