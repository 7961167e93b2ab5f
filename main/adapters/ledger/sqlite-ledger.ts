import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { DocumentState, RunSummary } from '../../core/engine/engine-events.js';
import type { Mapping } from '../../core/mapping/mapping.js';
import type { DriftFinding, Ledger, ObjectIssue, StoredDocument, StoredObject, TracedJournalLine } from '../../core/ports/ledger.js';
import type { JournalDocument, SageDocument, SageRef } from '../../core/sage/documents.js';
import {
  SYNCED_KINDS,
  type AnySyncedObject,
  type StripeBalanceTransaction,
  type StripeEvent,
  type SyncedKind,
} from '../../core/stripe/objects.js';
import { isDailySummary, journalTraceIds } from '../../core/posting/daily-summary.js';
import { migrate } from './migrations.js';

const DOCUMENT_STATES: readonly DocumentState[] = ['planned', 'writing', 'written', 'failed', 'dead', 'skipped', 'shadow'];

/** States of a document Sage has not received: it may still be re-planned or withdrawn. */
const UNWRITTEN_STATES = "('planned', 'failed', 'dead', 'shadow')";

/** Customers are written before the journals and orders that may refer to them. */
function sortKey(document: SageDocument): string {
  switch (document.type) {
    case 'customer':
      return `0|${document.key}`;
    case 'journal':
      return `1|${document.postDate}|${document.key}`;
    case 'sales_order':
      return `2|${document.tranDate}|${document.key}`;
  }
}

/** The lines of a journal per balance transaction: a daily summary's parts, or the journal's own lines. */
function perTransactionLines(journal: JournalDocument): JournalDocument['lines'] {
  return isDailySummary(journal) ? journal.summary.parts.flatMap((part) => part.lines) : journal.lines;
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

interface DocumentRow {
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
  sage_table: string | null;
  sage_key: number | null;
  sage_number: string | null;
  batch_key: number | null;
}

interface RunRow {
  run_id: number;
  started_at: string;
  finished_at: string | null;
  outcome: RunSummary['outcome'];
  objects_seen: number;
  events_applied: number;
  documents_written: number;
  documents_failed: number;
  stripe_requests: number;
  message: string | null;
}

function toDocument(row: DocumentRow): StoredDocument {
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

function toRun(row: RunRow): RunSummary {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    objectsSeen: row.objects_seen,
    eventsApplied: row.events_applied,
    documentsWritten: row.documents_written,
    documentsFailed: row.documents_failed,
    stripeRequests: row.stripe_requests,
    message: row.message,
  };
}

/**
 * The ledger in a local SQLite file: WAL so the window can read while the engine writes,
 * foreign keys on, migrations by user_version. Every method is one short synchronous
 * transaction (no await inside a transaction, so nothing interleaves).
 */
export class SqliteLedger implements Ledger {
  private readonly db: Database.Database;
  private readonly now: () => string;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string, options: { now?: () => string } = {}) {
    this.db = new Database(path);
    try {
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      // Migrate (or refuse a newer schema) before switching to WAL, so a refused file is left as it was.
      migrate(this.db);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** Statements are prepared once per connection: preparing is a large share of a call's cost. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Read access for reports and the window's queries. */
  get database(): Database.Database {
    return this.db;
  }

  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  startRun(startedAt: string): number {
    return Number(this.sql('INSERT INTO runs (started_at) VALUES (?)').run(startedAt).lastInsertRowid);
  }

  finishRun(summary: RunSummary): void {
    this
      .sql(
        `UPDATE runs SET finished_at = @finishedAt, outcome = @outcome, objects_seen = @objectsSeen,
           events_applied = @eventsApplied, documents_written = @documentsWritten,
           documents_failed = @documentsFailed, stripe_requests = @stripeRequests, message = @message
         WHERE run_id = @runId`,
      )
      .run(summary);
  }

  lastRun(): RunSummary | null {
    const row = this.sql('SELECT * FROM runs ORDER BY run_id DESC LIMIT 1').get() as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  getCursor(name: string): string | null {
    const row = this.sql('SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setCursor(name: string, value: string | null): void {
    if (value === null) this.sql('DELETE FROM cursors WHERE name = ?').run(name);
    else this.sql('INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  upsertObjects(objects: readonly AnySyncedObject[]): number {
    const statement = this.sql(
      `INSERT INTO stripe_objects (id, kind, created, body, body_hash, updated_at)
       VALUES (@id, @kind, @created, @body, @hash, @now)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, body_hash = excluded.body_hash, updated_at = excluded.updated_at
       WHERE stripe_objects.body_hash IS NOT excluded.body_hash`,
    );
    const links = this.sql(
      'INSERT INTO credit_note_refunds (refund_id, credit_note_id) VALUES (?, ?) ON CONFLICT (refund_id) DO NOTHING',
    );
    let changed = 0;
    const now = this.now();
    this.db.transaction(() => {
      for (const object of objects) {
        const body = JSON.stringify(object);
        const created = 'created' in object && typeof object.created === 'number' ? object.created : 0;
        changed += statement.run({ id: object.id, kind: object.object, created, body, hash: hashOf(body), now }).changes;
        if (object.object === 'credit_note') {
          for (const refund of object.refunds ?? []) links.run(refund.refund, object.id);
        }
      }
    })();
    return changed;
  }

  getObject(id: string): StoredObject | null {
    const row = this.sql('SELECT id, kind, created, body FROM stripe_objects WHERE id = ?').get(id) as
      | { id: string; kind: SyncedKind; created: number; body: string }
      | undefined;
    return row ? { id: row.id, kind: row.kind, created: row.created, object: JSON.parse(row.body) as AnySyncedObject } : null;
  }

  objectsToPlan(limit: number, after: { created: number; id: string } | null): StoredObject[] {
    const rows = this
      .sql(
        `SELECT id, kind, created, body FROM stripe_objects
         WHERE planned_hash IS NOT body_hash AND (created > @created OR (created = @created AND id > @id))
         ORDER BY created, id LIMIT @limit`,
      )
      .all({ limit, created: after?.created ?? -1, id: after?.id ?? '' }) as { id: string; kind: SyncedKind; created: number; body: string }[];
    return rows.map((row) => ({ id: row.id, kind: row.kind, created: row.created, object: JSON.parse(row.body) as AnySyncedObject }));
  }

  markPlanned(objectIds: readonly string[]): void {
    const statement = this.sql('UPDATE stripe_objects SET planned_hash = body_hash WHERE id = ?');
    this.db.transaction(() => {
      for (const id of objectIds) statement.run(id);
    })();
  }

  countObjects(): Record<SyncedKind, number> {
    const counts = Object.fromEntries(SYNCED_KINDS.map((kind) => [kind, 0])) as Record<SyncedKind, number>;
    for (const row of this.sql('SELECT kind, COUNT(*) AS n FROM stripe_objects GROUP BY kind').all() as { kind: SyncedKind; n: number }[]) {
      counts[row.kind] = row.n;
    }
    return counts;
  }

  payoutsToItemise(): string[] {
    return (
      this
        .sql(
          `SELECT id FROM stripe_objects o WHERE kind = 'payout'
             AND json_extract(body, '$.automatic') = 1 AND json_extract(body, '$.method') = 'standard'
             AND json_extract(body, '$.reconciliation_status') = 'completed'
             AND NOT EXISTS (SELECT 1 FROM payouts_itemised p WHERE p.payout_id = o.id)
           ORDER BY created`,
        )
        .all() as { id: string }[]
    ).map((row) => row.id);
  }

  openInvoiceIds(): string[] {
    return (
      this
        .sql(`SELECT id FROM stripe_objects WHERE kind = 'invoice' AND json_extract(body, '$.status') IN ('draft', 'open') ORDER BY created`)
        .all() as { id: string }[]
    ).map((row) => row.id);
  }

  upsertBalanceTransactions(bts: readonly StripeBalanceTransaction[], payoutId: string | null): void {
    const statement = this.sql(
      `INSERT INTO balance_transactions (id, source_id, payout_id, body) VALUES (@id, @source, @payout, @body)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, source_id = excluded.source_id,
         payout_id = COALESCE(excluded.payout_id, balance_transactions.payout_id)`,
    );
    this.db.transaction(() => {
      for (const bt of bts) {
        const source = bt.source === null ? null : typeof bt.source === 'string' ? bt.source : bt.source.id;
        const body = JSON.stringify({ ...bt, source });
        statement.run({ id: bt.id, source, payout: payoutId, body });
      }
      if (payoutId !== null) {
        this
          .sql('INSERT INTO payouts_itemised (payout_id, read_at) VALUES (?, ?) ON CONFLICT (payout_id) DO UPDATE SET read_at = excluded.read_at')
          .run(payoutId, this.now());
      }
    })();
  }

  getBalanceTransaction(id: string): StripeBalanceTransaction | null {
    const row = this.sql('SELECT body FROM balance_transactions WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as StripeBalanceTransaction) : null;
  }

  payoutItems(payoutId: string): StripeBalanceTransaction[] | null {
    if (!this.sql('SELECT 1 FROM payouts_itemised WHERE payout_id = ?').get(payoutId)) return null;
    return (this.sql('SELECT body FROM balance_transactions WHERE payout_id = ? ORDER BY id').all(payoutId) as { body: string }[]).map(
      (row) => JSON.parse(row.body) as StripeBalanceTransaction,
    );
  }

  linkInvoicePayment(chargeId: string, invoiceId: string): void {
    this
      .sql('INSERT INTO invoice_payments (charge_id, invoice_id) VALUES (?, ?) ON CONFLICT (charge_id) DO UPDATE SET invoice_id = excluded.invoice_id')
      .run(chargeId, invoiceId);
  }

  invoiceForCharge(chargeId: string): string | null {
    const row = this.sql('SELECT invoice_id FROM invoice_payments WHERE charge_id = ?').get(chargeId) as { invoice_id: string } | undefined;
    return row?.invoice_id ?? null;
  }

  creditNoteForRefund(refundId: string): string | null {
    const row = this.sql('SELECT credit_note_id FROM credit_note_refunds WHERE refund_id = ?').get(refundId) as
      | { credit_note_id: string }
      | undefined;
    return row?.credit_note_id ?? null;
  }

  unseenEventIds(ids: readonly string[]): Set<string> {
    const statement = this.sql('SELECT 1 FROM events WHERE id = ?');
    return new Set(ids.filter((id) => !statement.get(id)));
  }

  recordEvents(events: readonly StripeEvent[], skipped: ReadonlySet<string>): void {
    const statement = this.sql(
      'INSERT INTO events (id, type, created, object_id, skipped, applied_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    const now = this.now();
    this.db.transaction(() => {
      for (const event of events) {
        statement.run(event.id, event.type, event.created, event.data.object.id ?? null, skipped.has(event.id) ? 1 : 0, now);
      }
    })();
  }

  setObjectIssue(issue: ObjectIssue | { objectId: string; errorClass: null }): void {
    if (issue.errorClass === null) {
      this.sql('DELETE FROM object_issues WHERE object_id = ?').run(issue.objectId);
      return;
    }
    this
      .sql(
        `INSERT INTO object_issues (object_id, error_class, message, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (object_id) DO UPDATE SET error_class = excluded.error_class, message = excluded.message, updated_at = excluded.updated_at`,
      )
      .run(issue.objectId, issue.errorClass, issue.message, this.now());
  }

  objectIssues(): ObjectIssue[] {
    return (this.sql('SELECT object_id, error_class, message FROM object_issues ORDER BY object_id').all() as {
      object_id: string;
      error_class: string;
      message: string;
    }[]).map((row) => ({ objectId: row.object_id, errorClass: row.error_class, message: row.message }));
  }

  objectIssue(objectId: string): ObjectIssue | null {
    const row = this.sql('SELECT error_class, message FROM object_issues WHERE object_id = ?').get(objectId) as
      | { error_class: string; message: string }
      | undefined;
    return row ? { objectId, errorClass: row.error_class, message: row.message } : null;
  }

  eventIdsForObject(objectId: string): string[] {
    return (this.sql('SELECT id FROM events WHERE object_id = ? ORDER BY created, id').all(objectId) as { id: string }[]).map((row) => row.id);
  }

  journalLinesTracing(traceIds: readonly string[]): TracedJournalLine[] {
    const wanted = new Set(traceIds);
    const documents = this.sql(
      `SELECT d.doc_key, d.state, d.body FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
       WHERE t.trace_id = ? AND d.type = 'journal' AND d.state <> 'skipped'`,
    );
    const seen = new Set<string>();
    const lines: TracedJournalLine[] = [];
    for (const traceId of wanted) {
      for (const row of documents.all(traceId) as { doc_key: string; state: DocumentState; body: string }[]) {
        if (seen.has(row.doc_key)) continue;
        seen.add(row.doc_key);
        for (const line of perTransactionLines(JSON.parse(row.body) as JournalDocument)) {
          if (wanted.has(line.traceId)) lines.push({ docKey: row.doc_key, state: row.state, line });
        }
      }
    }
    return lines;
  }

  writtenAmountsOnAccountUpTo(acctNo: string, createdUpTo: number, excludeTraceId: string): string[] {
    // A daily summary's own lines trace the summary; its parts keep the per-transaction lines.
    return (
      this
        .sql(
          `WITH lines AS (
             SELECT line.value AS line FROM documents d, json_each(json_extract(d.body, '$.lines')) AS line
             WHERE d.type = 'journal' AND d.state = 'written' AND json_extract(d.body, '$.summary') IS NULL
             UNION ALL
             SELECT line.value FROM documents d, json_each(json_extract(d.body, '$.summary.parts')) AS part,
               json_each(json_extract(part.value, '$.lines')) AS line
             WHERE d.type = 'journal' AND d.state = 'written' AND json_extract(d.body, '$.summary') IS NOT NULL
           )
           SELECT json_extract(lines.line, '$.amount') AS amount FROM lines
           JOIN balance_transactions b ON b.id = json_extract(lines.line, '$.traceId')
           WHERE json_extract(lines.line, '$.acctNo') = @acctNo AND b.id <> @exclude AND json_extract(b.body, '$.created') <= @upTo`,
        )
        .all({ acctNo, upTo: createdUpTo, exclude: excludeTraceId }) as { amount: string }[]
    ).map((row) => row.amount);
  }

  payouts(): StoredObject[] {
    return this.storedObjects(`SELECT id, kind, created, body FROM stripe_objects WHERE kind = 'payout' ORDER BY created, id`, {});
  }

  balanceTransactionsNotBooked(createdBefore: number): StripeBalanceTransaction[] {
    return (
      this
        .sql(
          `SELECT b.body FROM balance_transactions b
           WHERE json_extract(b.body, '$.created') < ?
             AND NOT EXISTS (SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
                             WHERE t.trace_id = b.id AND d.state = 'written')
           ORDER BY json_extract(b.body, '$.created'), b.id`,
        )
        .all(createdBefore) as { body: string }[]
    ).map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
  }

  writtenJournalsOfChangedObjects(): StoredDocument[] {
    return (
      this
        .sql(
          `SELECT d.* FROM documents d JOIN stripe_objects o ON o.id = d.stripe_object_id
           WHERE d.type = 'journal' AND d.state = 'written' AND o.updated_at > d.updated_at
           ORDER BY d.sort_key`,
        )
        .all() as DocumentRow[]
    ).map(toDocument);
  }

  paidPayoutsNotBookedAfterArrival(arrivedBefore: number): StoredObject[] {
    return this.storedObjects(
      `SELECT id, kind, created, body FROM stripe_objects o
       WHERE kind = 'payout' AND json_extract(body, '$.status') = 'paid' AND json_extract(body, '$.arrival_date') < @before
         AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.stripe_object_id = o.id AND d.state = 'written')
       ORDER BY created, id`,
      { before: arrivedBefore },
    );
  }

  chargesWithoutBookedFees(createdBefore: number): StoredObject[] {
    return this.storedObjects(
      `SELECT id, kind, created, body FROM stripe_objects o
       WHERE kind = 'charge' AND json_extract(body, '$.status') = 'succeeded' AND created < @before
         AND (json_extract(body, '$.balance_transaction') IS NULL
              OR NOT EXISTS (SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
                             WHERE t.trace_id = json_extract(o.body, '$.balance_transaction') AND d.state = 'written'))
       ORDER BY created, id`,
      { before: createdBefore },
    );
  }

  replaceDriftFindings(findings: readonly DriftFinding[]): void {
    const insert = this.sql(
      `INSERT INTO drift_findings (kind, object_id, message, hint, found_at) VALUES (@kind, @objectId, @message, @hint, @now)
       ON CONFLICT (kind, object_id) DO UPDATE SET message = excluded.message, hint = excluded.hint`,
    );
    const now = this.now();
    this.db.transaction(() => {
      this.sql('DELETE FROM drift_findings').run();
      for (const finding of findings) insert.run({ ...finding, now });
    })();
  }

  driftFindings(): DriftFinding[] {
    return (
      this.sql('SELECT kind, object_id, message, hint FROM drift_findings ORDER BY kind, object_id').all() as {
        kind: DriftFinding['kind'];
        object_id: string;
        message: string;
        hint: string;
      }[]
    ).map((row) => ({ kind: row.kind, objectId: row.object_id, message: row.message, hint: row.hint }));
  }

  private storedObjects(text: string, params: Record<string, number>): StoredObject[] {
    return (this.sql(text).all(params) as { id: string; kind: SyncedKind; created: number; body: string }[]).map((row) => ({
      id: row.id,
      kind: row.kind,
      created: row.created,
      object: JSON.parse(row.body) as AnySyncedObject,
    }));
  }

  savePlan(objectId: string, documents: readonly SageDocument[], mappingVersion: number, initialState: 'planned' | 'shadow'): void {
    const existing = this.sql('SELECT state, body FROM documents WHERE doc_key = ?');
    const insert = this.sql(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at)
       VALUES (@docKey, @objectId, @type, @state, @sortKey, @body, @mappingVersion, @now)
       ON CONFLICT (doc_key) DO UPDATE SET body = excluded.body, sort_key = excluded.sort_key,
         mapping_version = excluded.mapping_version, updated_at = excluded.updated_at,
         state = CASE WHEN documents.state IN ('failed', 'dead') THEN 'planned' ELSE excluded.state END,
         error_class = NULL, last_error = NULL, next_attempt_at = NULL`,
    );
    const clearTraces = this.sql('DELETE FROM document_traces WHERE doc_key = ?');
    const addTrace = this.sql('INSERT INTO document_traces (doc_key, trace_id) VALUES (?, ?)');
    const now = this.now();
    this.db.transaction(() => {
      for (const document of documents) {
        const body = JSON.stringify(document);
        const current = existing.get(document.key) as { state: DocumentState; body: string } | undefined;
        // Written, in-flight and user-skipped documents are facts; a new plan never replaces them.
        if (current && ['written', 'writing', 'skipped'].includes(current.state)) continue;
        if (current && current.body === body && current.state !== 'shadow') continue;
        insert.run({
          docKey: document.key,
          objectId,
          type: document.type,
          state: initialState,
          sortKey: sortKey(document),
          body,
          mappingVersion,
          now,
        });
        clearTraces.run(document.key);
        if (document.type === 'journal') {
          for (const traceId of journalTraceIds(document)) addTrace.run(document.key, traceId);
        }
      }
    })();
  }

  documentsToWrite(now: string, limit: number, afterSortKey: string | null = null): StoredDocument[] {
    // Two index range scans merged here: one OR-query would sort every due document per page.
    const after = afterSortKey ?? '';
    const planned = this.sql(`SELECT * FROM documents WHERE state = 'planned' AND sort_key > ? ORDER BY sort_key LIMIT ?`).all(after, limit) as DocumentRow[];
    const retries = this.sql(
      `SELECT * FROM documents WHERE state = 'failed' AND sort_key > ? AND error_class = 'transient' AND next_attempt_at <= ?
       ORDER BY sort_key LIMIT ?`,
    ).all(after, now, limit) as DocumentRow[];
    return [...planned, ...retries]
      .sort((a, b) => (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : 0))
      .slice(0, limit)
      .map(toDocument);
  }

  documentsInState(state: DocumentState, limit: number): StoredDocument[] {
    return (this.sql('SELECT * FROM documents WHERE state = ? ORDER BY sort_key LIMIT ?').all(state, limit) as DocumentRow[]).map(toDocument);
  }

  documentsForObject(objectId: string): StoredDocument[] {
    return (this.sql('SELECT * FROM documents WHERE stripe_object_id = ? ORDER BY sort_key').all(objectId) as DocumentRow[]).map(toDocument);
  }

  getDocument(docKey: string): StoredDocument | null {
    const row = this.sql('SELECT * FROM documents WHERE doc_key = ?').get(docKey) as DocumentRow | undefined;
    return row ? toDocument(row) : null;
  }

  markWriting(docKey: string): void {
    // Only a document waiting to be written may start writing; a written one never goes back.
    const changed = this
      .sql(`UPDATE documents SET state = 'writing', attempts = attempts + 1, updated_at = ? WHERE doc_key = ? AND state IN ('planned', 'failed')`)
      .run(this.now(), docKey).changes;
    if (changed !== 1) throw new Error(`document ${docKey} is not waiting to be written`);
  }

  requeue(docKeys: readonly string[]): void {
    const statement = this.sql(`UPDATE documents SET state = 'planned', updated_at = ? WHERE doc_key = ? AND state = 'writing'`);
    const now = this.now();
    this.db.transaction(() => {
      for (const docKey of docKeys) statement.run(now, docKey);
    })();
  }

  markWritten(docKey: string, ref: SageRef): void {
    this
      .sql(
        `UPDATE documents SET state = 'written', sage_table = @sageTable, sage_key = @sageKey, sage_number = @sageNumber,
           batch_key = @batchKey, error_class = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = @now
         WHERE doc_key = @docKey`,
      )
      .run({ ...ref, docKey, now: this.now() });
    this.sql(
      `INSERT INTO metadata_write_backs (doc_key, done_at)
       SELECT doc_key, NULL FROM documents WHERE doc_key = ? AND type IN ('customer', 'sales_order')
       ON CONFLICT (doc_key) DO NOTHING`,
    ).run(docKey);
  }

  markFailed(docKey: string, failure: { errorClass: string; message: string; nextAttemptAt: string | null; dead: boolean }): void {
    this
      .sql(
        `UPDATE documents SET state = ?, error_class = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE doc_key = ?`,
      )
      .run(failure.dead ? 'dead' : 'failed', failure.errorClass, failure.message, failure.nextAttemptAt, this.now(), docKey);
  }

  retryDocuments(selector: { docKeys: readonly string[] } | { cause: string } | { all: true }): number {
    const base = `UPDATE documents SET state = 'planned', next_attempt_at = NULL, updated_at = @now WHERE state IN ('failed', 'dead')`;
    const now = this.now();
    if ('all' in selector) return this.sql(base).run({ now }).changes;
    if ('cause' in selector) return this.sql(`${base} AND last_error = @cause`).run({ now, cause: selector.cause }).changes;
    const statement = this.sql(`${base} AND doc_key = @docKey`);
    let changed = 0;
    this.db.transaction(() => {
      for (const docKey of selector.docKeys) changed += statement.run({ now, docKey }).changes;
    })();
    return changed;
  }

  skipDocuments(docKeys: readonly string[], reason: string): number {
    const statement = this.sql(
      `UPDATE documents SET state = 'skipped', skip_reason = ?, updated_at = ? WHERE doc_key = ? AND state IN ('planned', 'failed', 'dead', 'shadow')`,
    );
    let changed = 0;
    const now = this.now();
    this.db.transaction(() => {
      for (const docKey of docKeys) changed += statement.run(reason, now, docKey).changes;
    })();
    return changed;
  }

  countDocuments(): Record<DocumentState, number> {
    const counts = Object.fromEntries(DOCUMENT_STATES.map((state) => [state, 0])) as Record<DocumentState, number>;
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM documents GROUP BY state').all() as { state: DocumentState; n: number }[]) {
      counts[row.state] = row.n;
    }
    return counts;
  }

  pendingWriteBacks(limit: number): StoredDocument[] {
    const rows = this.sql(
      `SELECT d.* FROM metadata_write_backs w JOIN documents d ON d.doc_key = w.doc_key
       WHERE w.done_at IS NULL ORDER BY w.doc_key LIMIT ?`,
    ).all(limit) as DocumentRow[];
    return rows.map(toDocument);
  }

  markWrittenBack(docKey: string): void {
    this.sql('UPDATE metadata_write_backs SET done_at = ? WHERE doc_key = ?').run(this.now(), docKey);
  }

  isTraceBooked(traceId: string): boolean {
    return Boolean(
      this.sql(
        `SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
         WHERE t.trace_id = ? AND d.state = 'written' LIMIT 1`,
      ).get(traceId),
    );
  }

  documentsTracing(traceId: string): StoredDocument[] {
    return (
      this
        .sql('SELECT d.* FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE t.trace_id = ? ORDER BY d.sort_key')
        .all(traceId) as DocumentRow[]
    ).map(toDocument);
  }

  withdrawDocuments(docKeys: readonly string[]): number {
    const unwritten = this.sql(`SELECT 1 FROM documents WHERE doc_key = ? AND state IN ${UNWRITTEN_STATES}`);
    const traces = this.sql('DELETE FROM document_traces WHERE doc_key = ?');
    const remove = this.sql('DELETE FROM documents WHERE doc_key = ?');
    let removed = 0;
    this.db.transaction(() => {
      for (const docKey of docKeys) {
        if (!unwritten.get(docKey)) continue;
        traces.run(docKey);
        removed += remove.run(docKey).changes;
      }
    })();
    return removed;
  }

  documentsNotWritten(limit: number, afterSortKey: string | null = null): StoredDocument[] {
    return (
      this
        .sql(`SELECT * FROM documents WHERE state IN ${UNWRITTEN_STATES} AND sort_key > @after ORDER BY sort_key LIMIT @limit`)
        .all({ limit, after: afterSortKey ?? '' }) as DocumentRow[]
    ).map(toDocument);
  }

  replanForMappingVersion(version: number): number {
    return this
      .sql(
        `UPDATE stripe_objects SET planned_hash = NULL WHERE planned_hash IS NOT NULL AND id IN (
           SELECT stripe_object_id FROM documents WHERE state IN ${UNWRITTEN_STATES} AND mapping_version < @version
           UNION SELECT t.trace_id FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
             WHERE d.state IN ${UNWRITTEN_STATES} AND d.mapping_version < @version
           UNION SELECT object_id FROM object_issues WHERE error_class = 'configuration')`,
      )
      .run({ version }).changes;
  }

  currentMapping(): { version: number; mapping: Mapping } | null {
    const row = this.sql('SELECT version, body FROM mappings ORDER BY version DESC LIMIT 1').get() as { version: number; body: string } | undefined;
    return row ? { version: row.version, mapping: JSON.parse(row.body) as Mapping } : null;
  }

  saveMapping(mapping: Mapping): number {
    const body = JSON.stringify(mapping);
    const current = this.currentMapping();
    if (current && JSON.stringify(current.mapping) === body) return current.version;
    const version = (current?.version ?? 0) + 1;
    this.sql('INSERT INTO mappings (version, body, saved_at) VALUES (?, ?, ?)').run(version, body, this.now());
    return version;
  }

  close(): void {
    this.db.close();
  }
}
