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
  error_code: string | null;
  accept_reason: string | null;
  /** When the document started writing, if it is being written (documentColumns reads it from documents_writing; a `SELECT d.*` has none). */
  writing_since?: string | null;
}

export interface ObjectRow {
  id: string;
  kind: SyncedKind;
  created: number;
  body: string;
}

/*
 * A document's state, defined here once for every query. A document being written is a row of
 * documents_writing (migration-documents-writing.ts says why), not a value of documents.state:
 * while that row exists the document is "writing", whatever its own row says (planned or failed,
 * as it was before it started). Every other state is the row's. So a query asking whether a
 * document is written reads documents.state alone; one asking whether it is planned, failed or
 * unwritten must also ask that it is not in flight. Each expression names the documents table by
 * `table` (its alias in the query, or `documents`).
 */

/** True while the document is being written. */
export function isWriting(table: string): string {
  return `EXISTS (SELECT 1 FROM documents_writing in_flight WHERE in_flight.doc_key = ${table}.doc_key)`;
}

/** The document's state, one of DocumentState. */
export function documentState(table: string): string {
  return `CASE WHEN ${isWriting(table)} THEN 'writing' ELSE ${table}.state END`;
}

/** True when the document is in one of these states, none of them 'writing' (the states in SQL, e.g. "'planned', 'failed'"). */
export function inStatesNotWriting(table: string, states: string): string {
  return `(${table}.state IN (${states}) AND NOT ${isWriting(table)})`;
}

/** Sage has the document (it is never in flight: leaving "writing" for "written" deletes its in-flight row in the same transaction). */
export function isWritten(table: string): string {
  return `${table}.state = 'written'`;
}

/** The states, as a document's own row says them, of a document Sage has not received (unless it is in flight). */
const UNWRITTEN_ROW_STATES: readonly DocumentState[] = ['planned', 'failed', 'dead', 'shadow'];

/** Sage has not received the document and it is not being written: it may still be re-planned or withdrawn. */
export function isUnwritten(table: string): string {
  return inStatesNotWriting(table, UNWRITTEN_ROW_STATES.map((state) => `'${state}'`).join(', '));
}

/** The documents table's columns in the order documentColumns selects them and toDocumentFromColumns reads them (then the in-flight start). */
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
  'error_code',
  'accept_reason',
] as const satisfies readonly (keyof DocumentRow)[];

export function toDocument(row: DocumentRow): StoredDocument {
  return toDocumentFromColumns([...DOCUMENT_COLUMNS.map((column) => row[column]), row.writing_since ?? null]);
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
  errorCode: string | null,
  acceptReason: string | null,
  writingSince: string | null,
];

/**
 * The select list that toDocumentFromColumns reads, for a statement in raw mode (rows as arrays):
 * better-sqlite3 builds an array much faster than an object of nineteen named properties, and
 * reading documents was a large share of getDocument, documentsTracing and documentsToWrite.
 * Last comes when the document started writing (NULL unless it is in flight), one look-up in a
 * table of a page or two.
 */
export function documentColumns(alias = ''): string {
  const table = alias === '' ? 'documents' : alias;
  const writingSince = `(SELECT in_flight.started_at FROM documents_writing in_flight WHERE in_flight.doc_key = ${table}.doc_key)`;
  return [...DOCUMENT_COLUMNS.map((column) => `${table}.${column}`), writingSince].join(', ');
}

/** documentColumns' list without the in-flight look-up, for a query whose condition already leaves documents in flight out. */
export function documentColumnsNotWriting(alias = ''): string {
  const table = alias === '' ? 'documents' : alias;
  return [...DOCUMENT_COLUMNS.map((column) => `${table}.${column}`), 'NULL'].join(', ');
}

/** The sort key's position in documentColumns' list. */
export const SORT_KEY_COLUMN = DOCUMENT_COLUMNS.indexOf('sort_key');
const STATE_COLUMN = DOCUMENT_COLUMNS.indexOf('state');
/** When the document started writing, after the table's columns (NULL unless it is in flight). */
const WRITING_SINCE_COLUMN = DOCUMENT_COLUMNS.length;

/** The state of a document read with documentColumns (isWriting's answer is its last column). */
export function stateOfColumns(columns: unknown[]): DocumentState {
  return columns[WRITING_SINCE_COLUMN] !== null ? 'writing' : (columns[STATE_COLUMN] as DocumentState);
}

/** isUnwritten for a document read with documentColumns. */
export function isUnwrittenColumns(columns: unknown[]): boolean {
  return UNWRITTEN_ROW_STATES.includes(stateOfColumns(columns));
}

export function toDocumentFromColumns(columns: unknown[]): StoredDocument {
  const [docKey, sortKey, stripeObjectId, type, state, body, mappingVersion, attempts, errorClass, lastError, nextAttemptAt, skipReason, sageTable, sageKey, sageNumber, batchKey, updatedAt, errorCode, acceptReason, writingSince] =
    columns as DocumentColumns;
  // Being written: the attempt under way counts, and its start is the document's last change (as when the row itself said "writing").
  const writing = writingSince !== null;
  return {
    docKey,
    sortKey,
    stripeObjectId,
    type,
    state: writing ? 'writing' : state,
    document: JSON.parse(body) as SageDocument,
    mappingVersion,
    attempts: writing ? attempts + 1 : attempts,
    errorClass,
    errorCode,
    lastError,
    nextAttemptAt,
    skipReason,
    acceptReason,
    updatedAt: writing ? writingSince : updatedAt,
    ref: sageKey === null ? null : { docKey, sageTable: sageTable ?? '', sageKey, sageNumber: sageNumber ?? '', batchKey },
  };
}

export function toStoredObject(row: ObjectRow): StoredObject {
  return { id: row.id, kind: row.kind, created: row.created, object: JSON.parse(row.body) as AnySyncedObject };
}
