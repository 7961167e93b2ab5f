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

/** The documents table's columns in the order documentColumns selects them and toDocumentFromColumns reads them. */
const DOCUMENT_COLUMNS = [
  'doc_key',
  'sort_key',
  'stripe_object_id',
  'type',
  'state',
  'body',
  'mapping_version',
  'attempts',
  'error_class',
  'last_error',
  'next_attempt_at',
  'skip_reason',
  'sage_table',
  'sage_key',
  'sage_number',
  'batch_key',
  'updated_at',
] as const satisfies readonly (keyof DocumentRow)[];

export function toDocument(row: DocumentRow): StoredDocument {
  return toDocumentFromColumns(DOCUMENT_COLUMNS.map((column) => row[column]));
}

/** A document's columns in DOCUMENT_COLUMNS' order. */
type DocumentColumns = [
  docKey: string,
  sortKey: string,
  stripeObjectId: string,
  type: SageDocument['type'],
  state: DocumentState,
  body: string,
  mappingVersion: number,
  attempts: number,
  errorClass: string | null,
  lastError: string | null,
  nextAttemptAt: string | null,
  skipReason: string | null,
  sageTable: string | null,
  sageKey: number | null,
  sageNumber: string | null,
  batchKey: number | null,
  updatedAt: string,
];

/**
 * The select list that toDocumentFromColumns reads, for a statement in raw mode (rows as arrays):
 * better-sqlite3 builds an array much faster than an object of seventeen named properties, and
 * reading documents was a large share of getDocument, documentsTracing and documentsToWrite.
 */
export function documentColumns(alias = ''): string {
  const prefix = alias === '' ? '' : `${alias}.`;
  return DOCUMENT_COLUMNS.map((column) => prefix + column).join(', ');
}

/** The sort key's position in documentColumns' list. */
export const SORT_KEY_COLUMN = DOCUMENT_COLUMNS.indexOf('sort_key');

export function toDocumentFromColumns(columns: unknown[]): StoredDocument {
  const [docKey, sortKey, stripeObjectId, type, state, body, mappingVersion, attempts, errorClass, lastError, nextAttemptAt, skipReason, sageTable, sageKey, sageNumber, batchKey, updatedAt] =
    columns as DocumentColumns;
  return {
    docKey,
    sortKey,
    stripeObjectId,
    type,
    state,
    document: JSON.parse(body) as SageDocument,
    mappingVersion,
    attempts,
    errorClass,
    lastError,
    nextAttemptAt,
    skipReason,
    updatedAt,
    ref: sageKey === null ? null : { docKey, sageTable: sageTable ?? '', sageKey, sageNumber: sageNumber ?? '', batchKey },
  };
}

export function toStoredObject(row: ObjectRow): StoredObject {
  return { id: row.id, kind: row.kind, created: row.created, object: JSON.parse(row.body) as AnySyncedObject };
}
