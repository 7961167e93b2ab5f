import type { ErrorGroup } from '../../preload/contract.js';
import type { Ledger } from '../core/ports/ledger.js';
import type { SageErrorClass } from '../core/ports/sage-target.js';
import { explainError } from './error-explanations.js';
import { listPlanningGroups } from './planning-problems.js';
import { customerNameOf } from './customer-name.js';
import { isSageJournalAcceptable } from '../core/engine/accept-sage-journal.js';

/**
 * Everything the Errors view lists: failed and dead documents grouped by cause, then Stripe
 * records that could not be planned into documents at all. A document's cause is its last
 * error text, the same key the ledger's "retry by cause" selects on, so a group's retry hits
 * exactly the documents shown in it.
 */

const ERROR_CLASSES: readonly SageErrorClass[] = ['transient', 'data', 'configuration'];

function errorClassOf(value: string | null): ErrorGroup['errorClass'] {
  return ERROR_CLASSES.find((name) => name === value) ?? 'data';
}

function listDocumentGroups(ledger: Pick<Ledger, 'objects' | 'documents'>): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const doc of ledger.documents.failedDocuments()) {
    const cause = doc.lastError ?? 'Unknown error';
    let group = groups.get(cause);
    if (!group) {
      const errorClass = errorClassOf(doc.errorClass);
      group = { cause, errorClass, ...explainError(errorClass, cause, doc.errorCode), items: [] };
      groups.set(cause, group);
    }
    group.items.push({
      docKey: doc.docKey,
      stripeObjectId: doc.stripeObjectId,
      customerName: customerNameOf(ledger.objects, doc.stripeObjectId),
      message: cause,
      attempts: doc.attempts,
      state: doc.state,
      sageJournalAcceptable: isSageJournalAcceptable(doc),
    });
  }
  return [...groups.values()].sort((a, b) => b.items.length - a.items.length);
}

export function listErrorGroups(ledger: Pick<Ledger, 'objects' | 'documents'>): ErrorGroup[] {
  const planning = listPlanningGroups(ledger).sort((a, b) => b.items.length - a.items.length);
  return [...listDocumentGroups(ledger), ...planning];
}
