import type { DocumentState } from '../../core/engine/engine-events.js';
import type { StoredDocument } from '../../core/ports/sage-document-ledger.js';
import type { StoredObject } from '../../core/ports/stripe-object-ledger.js';
import type { SageDocument } from '../../core/sage/documents.js';
import type { AnySyncedObject, SyncedKind } from '../../core/stripe/objects.js';

/** Rows of the documents and stripe_objects tables, and how they read back as port types. */

export interface DocumentRow {
  doc_key: string;
  sort_key: string;
  stripe_object_id: string;
  type: SageDocument['type'];
  state: DocumentState;
  body: string;
  mapping_version: number;
  attempts: number;
  error_class: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
  skip_reason: string | null;
  sage_table: string | null;
  sage_key: number | null;
  sage_number: string | null;
  batch_key: number | null;
  updated_at: string;
}

export interface ObjectRow {
  id: string;
  kind: SyncedKind;
  created: number;
  body: string;
}

/** States of a document Sage has not received: it may still be re-planned or withdrawn. */
export const UNWRITTEN_STATES = "('planned', 'failed', 'dead', 'shadow')";

export function toDocument(row: DocumentRow): StoredDocument {
  return {
    docKey: row.doc_key,
    sortKey: row.sort_key,
    stripeObjectId: row.stripe_object_id,
    type: row.type,
    state: row.state,
    document: JSON.parse(row.body) as SageDocument,
    mappingVersion: row.mapping_version,
    attempts: row.attempts,
    errorClass: row.error_class,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    skipReason: row.skip_reason,
    updatedAt: row.updated_at,
    ref:
      row.sage_key === null
        ? null
        : {
            docKey: row.doc_key,
            sageTable: row.sage_table ?? '',
            sageKey: row.sage_key,
            sageNumber: row.sage_number ?? '',
            batchKey: row.batch_key,
          },
  };
}

export function toStoredObject(row: ObjectRow): StoredObject {
  return { id: row.id, kind: row.kind, created: row.created, object: JSON.parse(row.body) as AnySyncedObject };
}
