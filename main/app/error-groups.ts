import type Database from 'better-sqlite3';
import type { DocumentStateName, ErrorGroup } from '../../preload/contract.js';
import { explainError } from './error-explanations.js';
import { listPlanningGroups } from './planning-problems.js';

/**
 * Everything the Errors view lists: failed and dead documents grouped by cause, then Stripe
 * records that could not be planned into documents at all. A document's cause is its last
 * error text, the same key the ledger's "retry by cause" selects on, so a group's retry hits
 * exactly the documents shown in it.
 */

interface FailedDocument {
  doc_key: string;
  stripe_object_id: string;
  state: DocumentStateName;
  attempts: number;
  error_class: string | null;
  last_error: string | null;
}

const ERROR_CLASSES = ['transient', 'data', 'configuration'] as const;

function errorClassOf(value: string | null): ErrorGroup['errorClass'] {
  return ERROR_CLASSES.find((name) => name === value) ?? 'data';
}

function listDocumentGroups(db: Database.Database): ErrorGroup[] {
  const failed = db
    .prepare(`SELECT doc_key, stripe_object_id, state, attempts, error_class, last_error FROM documents WHERE state IN ('failed', 'dead') ORDER BY last_error, sort_key`)
    .all() as FailedDocument[];
  const groups = new Map<string, ErrorGroup>();
  for (const doc of failed) {
    const cause = doc.last_error ?? 'Unknown error';
    let group = groups.get(cause);
    if (!group) {
      const errorClass = errorClassOf(doc.error_class);
      group = { cause, errorClass, ...explainError(errorClass, cause), items: [] };
      groups.set(cause, group);
    }
    group.items.push({ docKey: doc.doc_key, stripeObjectId: doc.stripe_object_id, message: cause, attempts: doc.attempts, state: doc.state });
  }
  return [...groups.values()].sort((a, b) => b.items.length - a.items.length);
}

export function listErrorGroups(db: Database.Database): ErrorGroup[] {
  const planning = listPlanningGroups(db).sort((a, b) => b.items.length - a.items.length);
  return [...listDocumentGroups(db), ...planning];
}
