import type Database from 'better-sqlite3';
import type { ActivityRow, DocumentStateName, LineageStep, ObjectDetail, ObjectKindName, RequestPayload } from '../../preload/contract.js';
import type { SageDocument } from '../core/sage/documents.js';
import { summariseObject } from './object-summary.js';
import { toPlannedDocumentView } from './plan-view.js';

/** Read queries of the Activity view over the ledger's stripe_objects and documents tables. */

interface ObjectRecord {
  id: string;
  kind: ObjectKindName;
  created: number;
  body: string;
}

interface DocumentRecord {
  doc_key: string;
  stripe_object_id: string;
  type: 'journal' | 'customer' | 'sales_order';
  state: DocumentStateName;
  body: string;
  sage_table: string | null;
  sage_number: string | null;
  batch_key: number | null;
  last_error: string | null;
  skip_reason: string | null;
}

const FILTER = `
  (@kind IS NULL OR o.kind = @kind)
  AND (@like IS NULL OR o.id LIKE @like OR o.body LIKE @like
       OR EXISTS (SELECT 1 FROM documents d WHERE d.stripe_object_id = o.id AND (d.sage_number LIKE @like OR d.doc_key LIKE @like)))
  AND (@state IS NULL OR EXISTS (SELECT 1 FROM documents d WHERE d.stripe_object_id = o.id AND d.state = @state))`;

function documentsOf(db: Database.Database, objectId: string): DocumentRecord[] {
  return db.prepare('SELECT * FROM documents WHERE stripe_object_id = ? ORDER BY sort_key, doc_key').all(objectId) as DocumentRecord[];
}

function toRow(db: Database.Database, object: ObjectRecord): ActivityRow {
  const summary = summariseObject(object.kind, object.body);
  return {
    stripeObjectId: object.id,
    kind: object.kind,
    created: new Date(object.created * 1000).toISOString(),
    ...summary,
    documents: documentsOf(db, object.id).map((doc) => ({
      docKey: doc.doc_key,
      type: doc.type,
      state: doc.state,
      sageNumber: doc.sage_number,
      lastError: doc.last_error,
    })),
  };
}

export function listActivity(db: Database.Database, query: RequestPayload<'listActivity'>): { rows: ActivityRow[]; total: number } {
  const params = {
    kind: query.kind ?? null,
    state: query.state ?? null,
    like: query.search?.trim() ? `%${query.search.trim()}%` : null,
  };
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM stripe_objects o WHERE ${FILTER}`).get(params) as { n: number }).n;
  const objects = db
    .prepare(`SELECT o.id, o.kind, o.created, o.body FROM stripe_objects o WHERE ${FILTER} ORDER BY o.created DESC, o.id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: query.limit, offset: query.offset }) as ObjectRecord[];
  return { rows: objects.map((object) => toRow(db, object)), total };
}

function lineage(db: Database.Database, object: ObjectRecord, documents: DocumentRecord[]): LineageStep[] {
  const events = db.prepare('SELECT id, type, created FROM events WHERE object_id = ? ORDER BY created, id').all(object.id) as { id: string; type: string; created: number }[];
  const transactions = db.prepare('SELECT id, payout_id, body FROM balance_transactions WHERE source_id = ? ORDER BY id').all(object.id) as { id: string; payout_id: string | null; body: string }[];
  return [
    ...events.map((event): LineageStep => ({ level: 'event', id: event.id, label: event.type, detail: new Date(event.created * 1000).toISOString() })),
    { level: 'object', id: object.id, label: `Stripe ${object.kind}`, detail: summariseObject(object.kind, object.body).description },
    ...transactions.map((bt): LineageStep => {
      const body = JSON.parse(bt.body) as { reporting_category?: string; net?: number; fee?: number };
      return {
        level: 'balance_transaction',
        id: bt.id,
        label: `Balance transaction (${body.reporting_category ?? 'unknown'})`,
        detail: bt.payout_id ? `paid out in ${bt.payout_id}` : 'not paid out yet',
      };
    }),
    ...documents.map((doc): LineageStep => ({ level: 'ledger', id: doc.doc_key, label: `Planned ${doc.type.replace('_', ' ')}`, detail: `state: ${doc.state}${doc.skip_reason ? ` (${doc.skip_reason})` : ''}` })),
    ...documents
      .filter((doc) => doc.sage_number !== null)
      .map((doc): LineageStep => ({
        level: 'sage',
        id: doc.sage_number ?? '',
        label: `Sage ${doc.sage_table ?? 'document'} ${doc.sage_number ?? ''}`,
        detail: doc.batch_key === null ? 'written' : `in pending GL batch key ${doc.batch_key}; post it in Sage`,
      })),
  ];
}

export function getObjectDetail(db: Database.Database, stripeObjectId: string): ObjectDetail | null {
  const object = db.prepare('SELECT id, kind, created, body FROM stripe_objects WHERE id = ?').get(stripeObjectId) as ObjectRecord | undefined;
  if (!object) return null;
  const documents = documentsOf(db, object.id);
  return {
    row: toRow(db, object),
    lineage: lineage(db, object, documents),
    plan: documents.map((doc) => toPlannedDocumentView(doc.doc_key, doc.state, JSON.parse(doc.body) as SageDocument)),
  };
}
