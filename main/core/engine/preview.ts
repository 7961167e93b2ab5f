import type { DocumentState } from './engine-events.js';
import type { Mapping } from '../mapping/mapping.js';
import { parseSageAmount, formatSageAmount } from '../money/sage-amount.js';
import { dailySummary, isDailySummary, partOf, summaryKey, summaryKindOf, summarySequence, type SummaryPart } from '../posting/daily-summary.js';
import { wantsSalesOrder } from '../posting/sales-order-plan.js';
import { explainDocumentRules } from '../rules/document-rule-trail.js';
import { orderCustomerSkip, skippedCustomerDocument } from '../rules/customer-skip.js';
import { customerMappingWithRules, planWithRules, salesOrderWithRules } from '../rules/plan-with-rules.js';
import type { Ledger, StoredDocument } from '../ports/ledger.js';
import type { SageDocument, SalesOrderLine } from '../sage/documents.js';
import type { AnySyncedObject, StripeCharge, StripeInvoice } from '../stripe/objects.js';
import { ledgerPlanningContext } from './ledger-planning-context.js';

/**
 * Preview: the Sage documents of one Stripe object as the ledger holds them (with their
 * state and, once written, where they are in Sage) next to what the current mapping would
 * plan, and the list of unwritten documents a mapping change would alter. Reads only the
 * ledger; nothing is written anywhere.
 */

export interface PreviewLine {
  acctNo: string;
  /** Decimal text or '' (one of debit / credit is set). */
  debit: string;
  credit: string;
  comment: string;
  traceId: string;
}

export interface PreviewDocument {
  docKey: string;
  type: SageDocument['type'];
  state: DocumentState | 'not planned yet';
  date: string | null;
  description: string;
  lines: PreviewLine[];
  orderLines: SalesOrderLine[];
  /** Where Sage holds it, once written: "tglBatch 12 / tglJournalHdr 345", "tsoSalesOrder 0000123"… */
  sage: string | null;
  /** For a per-transaction journal in daily-summary mode: the summary it belongs to. */
  summarisedIn: string | null;
  error: string | null;
  /** The business rules that fired for it and what each changed, in words (core/rules). */
  rules: string[];
}

export interface ObjectPreview {
  objectId: string;
  kind: AnySyncedObject['object'];
  issue: { errorClass: string; message: string } | null;
  stored: PreviewDocument[];
  /** What the current mapping plans for the object; an error says why it cannot. */
  current: PreviewDocument[];
  currentError: string | null;
}

export function previewObject(ledger: Ledger, mapping: Mapping, objectId: string): ObjectPreview | null {
  const stored = ledger.objects.getObject(objectId);
  if (!stored) return null;
  const documents = new Map<string, StoredDocument>();
  for (const document of [...ledger.documents.documentsForObject(objectId), ...ledger.documents.documentsTracing(objectId)]) documents.set(document.docKey, document);
  const issue = ledger.objects.objectIssue(objectId);
  let current: PreviewDocument[] = [];
  let currentError: string | null = null;
  try {
    current = replan(ledger, mapping, stored.object).map((document) => describe(document, 'not planned yet', null, summaryOfPart(document, mapping, stored.object.object)));
  } catch (error) {
    currentError = error instanceof Error ? error.message : String(error);
  }
  return {
    objectId,
    kind: stored.object.object,
    issue: issue && { errorClass: issue.errorClass, message: issue.message },
    stored: [...documents.values()].map((document) => describe(document.document, document.state, sageWhere(document), null, document.lastError, objectId)),
    current,
    currentError,
  };
}

export interface DocumentChange {
  docKey: string;
  stripeObjectId: string;
  state: DocumentState;
  before: PreviewLine[];
  /** The lines the current mapping plans, or null when the document would go away. */
  after: PreviewLine[] | null;
  note: string | null;
}

/** Unwritten documents whose lines the current mapping would change, before and after. */
export function previewChanges(ledger: Ledger, mapping: Mapping): DocumentChange[] {
  const changes: DocumentChange[] = [];
  let after: string | null = null;
  for (;;) {
    const page = ledger.documents.documentsNotWritten(500, after);
    if (page.length === 0) return changes;
    for (const stored of page) {
      const change = changeOf(ledger, mapping, stored);
      if (change) changes.push(change);
    }
    after = page[page.length - 1]!.sortKey;
  }
}

function changeOf(ledger: Ledger, mapping: Mapping, stored: StoredDocument): DocumentChange | null {
  const document = stored.document;
  if (document.type === 'customer') return null;
  const before = linesOf(document);
  const change = (afterLines: PreviewLine[] | null, note: string | null): DocumentChange | null =>
    afterLines !== null && note === null && sameLines(before, afterLines)
      ? null
      : { docKey: stored.docKey, stripeObjectId: stored.stripeObjectId, state: stored.state, before, after: afterLines, note };
  try {
    if (isDailySummary(document)) {
      if (mapping.granularity !== 'daily-summary') return change(null, 'the mapping is per-transaction now: its transactions would be planned as journals of their own');
      const parts: SummaryPart[] = [];
      for (const part of document.summary.parts) {
        const object = ledger.objects.getObject(part.stripeObjectId);
        const journal = object && replan(ledger, mapping, object.object).find((planned) => planned.key === part.key);
        if (journal?.type === 'journal') parts.push(partOf(journal));
      }
      const rebuilt = parts.length === 0 ? null : dailySummary(document.summary.kind, document.summary.day, summarySequence(document.key), parts);
      return change(rebuilt && linesOf(rebuilt), rebuilt ? null : 'none of its transactions would be booked any more');
    }
    const object = ledger.objects.getObject(stored.stripeObjectId);
    if (!object) return null;
    if (document.type === 'journal' && mapping.granularity === 'daily-summary' && summaryKindOf(object.object.object)) {
      return change(null, `the mapping is daily-summary now: it would move into ${summaryKey(summaryKindOf(object.object.object)!, document.postDate, 1)}`);
    }
    const replanned = replan(ledger, mapping, object.object, document.type === 'sales_order' ? document.custId : null).find((planned) => planned.key === document.key);
    return change(replanned ? linesOf(replanned) : null, replanned ? null : 'the current mapping plans no such document');
  } catch (error) {
    return change(null, `cannot be planned with the current mapping: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The object's documents under `mapping`, per transaction. Customers need Sage look-ups, so
 * only their stored plan is shown (unless a rule skips them); a sales order uses the CustID already planned for it or
 * for its customer, else the one in the customer's Stripe metadata.
 */
function replan(ledger: Ledger, mapping: Mapping, object: AnySyncedObject, knownCustId: string | null = null): SageDocument[] {
  const context = ledgerPlanningContext(ledger, mapping);
  if (object.object === 'customer') {
    // A customer a rule skips needs no Sage look-up: its plan is the skipped record.
    const ruled = customerMappingWithRules(object, context);
    return ruled.skippedBy === null || object.deleted ? [] : [skippedCustomerDocument(object, ruled.mapping, ruled.skippedBy, ruled.rules)];
  }
  const documents = planWithRules(object, context);
  if ((object.object === 'charge' || object.object === 'invoice') && wantsSalesOrder(object, context)) {
    const skipped = orderCustomerSkip(object, context);
    const custId = skipped?.custId ?? knownCustId ?? orderCustId(ledger, mapping, object);
    if (custId) documents.push(...salesOrderWithRules(object, custId, context, skipped?.rule ?? null));
  }
  return documents;
}

function orderCustId(ledger: Ledger, mapping: Mapping, object: StripeCharge | StripeInvoice): string | null {
  const planned = ledger.documents.documentsForObject(object.id).find((stored) => stored.document.type === 'sales_order');
  if (planned?.document.type === 'sales_order') return planned.document.custId;
  if (!object.customer) return null;
  const customerDocument = ledger.documents.documentsForObject(object.customer).find((stored) => stored.document.type === 'customer');
  if (customerDocument?.document.type === 'customer') return customerDocument.document.custId;
  const customer = ledger.objects.getObject(object.customer);
  return customer?.object.object === 'customer' ? (customer.object.metadata?.[mapping.customers.metadataKey] ?? null) : null;
}


function summaryOfPart(document: SageDocument, mapping: Mapping, objectType: AnySyncedObject['object']): string | null {
  if (document.type !== 'journal' || mapping.granularity !== 'daily-summary') return null;
  const kind = summaryKindOf(objectType);
  return kind ? summaryKey(kind, document.postDate, 1) : null;
}

/** A planned or stored document as the preview shows it. */
export function describe(
  document: SageDocument,
  state: PreviewDocument['state'],
  sage: string | null,
  summarisedIn: string | null,
  error: string | null = null,
  /** A daily summary explains only this object's parts. */
  objectId: string | null = null,
): PreviewDocument {
  const base = { docKey: document.key, type: document.type, state, sage, summarisedIn, error, rules: explainDocumentRules(document, objectId) };
  switch (document.type) {
    case 'journal':
      return { ...base, date: document.postDate, description: document.description, lines: linesOf(document), orderLines: [] };
    case 'sales_order':
      return { ...base, date: document.tranDate, description: `Sales order for ${document.custId}: ${document.comment}`, lines: [], orderLines: document.lines };
    case 'customer':
      return {
        ...base,
        date: null,
        description: [`Customer ${document.custId} ${document.custName} (class ${document.custClassId})`, ...(document.notes ?? []).map((note) => `note: ${note}`)].join('\n    '),
        lines: [],
        orderLines: [],
      };
  }
}

function linesOf(document: SageDocument): PreviewLine[] {
  if (document.type !== 'journal') return document.type === 'sales_order' ? document.lines.map((line) => ({ acctNo: line.itemId, debit: line.extAmount, credit: '', comment: line.description, traceId: document.stripeObjectId })) : [];
  return document.lines.map((line) => {
    const amount = parseSageAmount(line.amount);
    return {
      acctNo: line.acctNo,
      debit: amount >= 0n ? formatSageAmount(amount) : '',
      credit: amount < 0n ? formatSageAmount(-amount) : '',
      comment: line.comment,
      traceId: line.traceId,
    };
  });
}

function sameLines(before: readonly PreviewLine[], after: readonly PreviewLine[]): boolean {
  const key = (lines: readonly PreviewLine[]) => JSON.stringify(lines.map((line) => [line.acctNo, line.debit, line.credit, line.traceId]));
  return key(before) === key(after);
}

function sageWhere(document: StoredDocument): string | null {
  const ref = document.ref;
  if (!ref) return null;
  return `${ref.sageTable} ${ref.sageNumber} (key ${ref.sageKey}${ref.batchKey === null ? '' : `, batch key ${ref.batchKey}`})`;
}
