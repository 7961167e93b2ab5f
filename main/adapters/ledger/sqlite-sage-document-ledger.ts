import type { DocumentState } from '../../core/engine/engine-events.js';
import type { DocumentReadAhead, RetrySelector, SageDocumentLedger, StoredDocument } from '../../core/ports/sage-document-ledger.js';
import type { JournalDocument, SageDocument, SageRef } from '../../core/sage/documents.js';
import type { LedgerConnection } from './ledger-connection.js';
import { RECORD_DOCUMENTS_WRITTEN } from './drift-change-records.js';
import { DocumentPageReads } from './document-page-reads.js';
import { RULE_SKIP_PREFIX } from '../../core/rules/rule-skip.js';
import { documentColumns, documentColumnsNotWriting, inStatesNotWriting, isUnwritten, isWriting, SORT_KEY_COLUMN, toDocumentFromColumns } from './ledger-rows.js';
import { traceRows } from './trace-lines.js';

const D_COLUMNS = documentColumns('d');
/** For the queries that leave documents in flight out (ledger-rows.ts). */
const NOT_WRITING_COLUMNS = documentColumnsNotWriting();

const DOCUMENT_STATES: readonly DocumentState[] = ['planned', 'writing', 'written', 'failed', 'dead', 'skipped', 'shadow'];

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The documents, document_traces and metadata_write_backs tables. */
export class SqliteSageDocumentLedger implements SageDocumentLedger {
  /** The point reads, and a plan-pass page's documents read ahead (document-page-reads.ts). */
  private readonly reads: DocumentPageReads;

  constructor(private readonly connection: LedgerConnection) {
    this.reads = new DocumentPageReads(connection);
  }

  private sql(text: string) {
    return this.connection.sql(text);
  }

  /** Documents selected with documentColumns' list, read as arrays (ledger-rows.ts says why). */
  private documentRows(text: string, ...params: unknown[]): unknown[][] {
    return this.sql(text).raw(true).all(...params) as unknown[][];
  }

  private documents(text: string, ...params: unknown[]): StoredDocument[] {
    return this.documentRows(text, ...params).map(toDocumentFromColumns);
  }

  savePlan(objectId: string, documents: readonly SageDocument[], mappingVersion: number, initialState: 'planned' | 'shadow'): void {
    this.savePlans([{ objectId, documents }], mappingVersion, initialState);
  }

  savePlans(plans: readonly { objectId: string; documents: readonly SageDocument[] }[], mappingVersion: number, initialState: 'planned' | 'shadow'): void {
    // A new document is inserted, and has no traces to clear (they reference their document).
    const insertNew = this.sql(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_key) DO NOTHING`,
    );
    // A stored one is decided and written by one statement: the row read back per document before was a third of the cost.
    // Written, in-flight and user-skipped documents are facts; a new plan never replaces them.
    // A business rule's skip is the plan's own decision, so a new plan does. An unchanged body
    // is left alone (a shadow document is still turned into the plan's initial state).
    const upsert = this.sql(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doc_key) DO UPDATE SET body = excluded.body, sort_key = excluded.sort_key,
         mapping_version = excluded.mapping_version, updated_at = excluded.updated_at,
         state = CASE WHEN documents.state IN ('failed', 'dead') THEN 'planned' ELSE excluded.state END,
         error_class = NULL, error_code = NULL, last_error = NULL, next_attempt_at = NULL, skip_reason = NULL
       WHERE NOT (documents.state = 'written' OR ${isWriting('documents')}
                  OR (documents.state = 'skipped' AND substr(COALESCE(documents.skip_reason, ''), 1, length(?)) IS NOT ?))
         AND NOT (documents.body = excluded.body AND documents.state <> 'shadow')`,
    );
    const clearTraces = this.sql('DELETE FROM document_traces WHERE doc_key = ?');
    // With each trace, the journal's lines on it (trace-lines.ts).
    const addTrace = this.sql('INSERT INTO document_traces (doc_key, trace_id, lines) VALUES (?, ?, ?)');
    const now = this.connection.now();
    this.connection.transaction(() => {
      for (const { objectId, documents } of plans) {
        for (const document of documents) {
          const row = [document.key, objectId, document.type, initialState, sortKey(document), JSON.stringify(document), mappingVersion, now];
          if (insertNew.run(...row).changes === 0) {
            if (upsert.run(...row, RULE_SKIP_PREFIX, RULE_SKIP_PREFIX).changes === 0) continue;
            clearTraces.run(document.key);
          }
          if (document.type === 'journal') {
            for (const [traceId, lines] of traceRows(document)) addTrace.run(document.key, traceId, lines);
          }
        }
      }
    });
  }

  documentsToWrite(now: string, limit: number, afterSortKey: string | null = null): StoredDocument[] {
    // Two index range scans merged here: one OR-query would sort every due document per page.
    const after = afterSortKey ?? '';
    // Documents in flight are left out: the write pass reads the next page while a chunk is being written.
    const planned = this.documentRows(`SELECT ${NOT_WRITING_COLUMNS} FROM documents WHERE ${inStatesNotWriting('documents', "'planned'")} AND sort_key > ? ORDER BY sort_key LIMIT ?`, after, limit);
    const retries = this.documentRows(
      `SELECT ${NOT_WRITING_COLUMNS} FROM documents WHERE ${inStatesNotWriting('documents', "'failed'")} AND sort_key > ? AND error_class = 'transient' AND next_attempt_at <= ?
       ORDER BY sort_key LIMIT ?`,
      after,
      now,
      limit,
    );
    const due = retries.length === 0 ? planned : [...planned, ...retries].sort((a, b) => compare(a[SORT_KEY_COLUMN] as string, b[SORT_KEY_COLUMN] as string)).slice(0, limit);
    return due.map(toDocumentFromColumns);
  }

  documentsInState(state: DocumentState, limit: number): StoredDocument[] {
    if (state === 'writing') {
      // From the in-flight rows (CROSS JOIN keeps that order): the planner would otherwise scan every document.
      return this.documents(`SELECT ${D_COLUMNS} FROM documents_writing w CROSS JOIN documents d ON d.doc_key = w.doc_key ORDER BY d.sort_key LIMIT ?`, limit);
    }
    return this.documents(`SELECT ${NOT_WRITING_COLUMNS} FROM documents WHERE ${inStatesNotWriting('documents', '?')} ORDER BY sort_key LIMIT ?`, state, limit);
  }

  documentsForObject(objectId: string): StoredDocument[] {
    return this.reads.documentsForObject(objectId);
  }

  getDocument(docKey: string): StoredDocument | null {
    return this.reads.getDocument(docKey);
  }

  markWriting(docKey: string): void {
    this.markWritingAll([docKey]);
  }

  requeue(docKeys: readonly string[]): void {
    if (docKeys.length === 0) return;
    const statement = this.sql(`UPDATE documents SET state = 'planned', attempts = attempts + 1, updated_at = ? WHERE doc_key = ?`);
    const now = this.connection.now();
    this.connection.transaction(() => {
      // Only a document in flight goes back; the attempt it was on still counts.
      for (const docKey of docKeys) if (this.leaveWriting(docKey) === 1) statement.run(now, docKey);
    });
  }

  /** Ends the document's in-flight state: 1 if it was being written, else 0 (the attempt to add to its row). */
  private leaveWriting(docKey: string): number {
    return this.sql('DELETE FROM documents_writing WHERE doc_key = ?').run(docKey).changes;
  }

  markWritten(docKey: string, ref: SageRef): void {
    this.markWrittenAll([{ docKey, ref }]);
  }

  markWritingAll(docKeys: readonly string[]): void {
    if (docKeys.length === 0) return;
    this.connection.transaction(() => {
      // Only a document waiting to be written may start writing (a written one never goes back),
      // and one already in flight may not start again. Its own row is left alone: the in-flight
      // row is what says "writing" (ledger-rows.ts). By key: the unary + keeps the planner off the
      // state index, which walked every planned document.
      const changed = this.sql(
        `INSERT INTO documents_writing (doc_key, started_at)
         SELECT d.doc_key, ? FROM json_each(?) AS k JOIN documents d ON d.doc_key = k.value WHERE +d.state IN ('planned', 'failed')
         ON CONFLICT (doc_key) DO NOTHING`,
      ).run(this.connection.now(), JSON.stringify(docKeys)).changes;
      if (changed === docKeys.length) return;
      // Thrown inside the transaction, so no document of the chunk is left marked.
      const seen = new Set<string>();
      const started = this.sql('SELECT 1 FROM documents_writing WHERE doc_key = ?');
      const refused = docKeys.find((docKey) => seen.size === seen.add(docKey).size || !started.get(docKey));
      throw new Error(`document ${refused ?? docKeys[0]} is not waiting to be written`);
    });
  }

  markWrittenAll(written: readonly { docKey: string; ref: SageRef }[]): void {
    if (written.length === 0) return;
    // The document's own key wins over the ref's, as in markWritten. A few statements for the
    // chunk, not a few per document: inside the engine's transaction each statement opens a
    // statement journal of its own (docs/performance.md, section 5, session 8).
    const rows = JSON.stringify(written.map(({ docKey, ref }) => ({ ...ref, docKey })));
    const docKeys = JSON.stringify(written.map(({ docKey }) => docKey));
    this.connection.transaction(() => {
      // A document written from flight counts the attempt it was on (its in-flight row goes next).
      this.sql(
        `UPDATE documents SET state = 'written', attempts = attempts + ${isWriting('documents')},
           sage_table = w.value ->> 'sageTable', sage_key = w.value ->> 'sageKey', sage_number = w.value ->> 'sageNumber', batch_key = w.value ->> 'batchKey',
           error_class = NULL, error_code = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = @now
         FROM json_each(@rows) AS w WHERE documents.doc_key = w.value ->> 'docKey'`,
      ).run({ rows, now: this.connection.now() });
      this.sql('DELETE FROM documents_writing WHERE doc_key IN (SELECT value FROM json_each(?))').run(docKeys);
      // Recorded written for the next drift check (drift-change-records.ts; migration-drift-rows-seen.ts says why not by a trigger).
      this.sql(RECORD_DOCUMENTS_WRITTEN).run(docKeys);
      this.sql(
        `INSERT INTO metadata_write_backs (doc_key, done_at)
         SELECT d.doc_key, NULL FROM json_each(?) AS k JOIN documents d ON d.doc_key = k.value
         WHERE d.type IN ('customer', 'sales_order')
         ON CONFLICT (doc_key) DO NOTHING`,
      ).run(docKeys);
    });
  }

  recordFoundInSage(found: readonly { document: JournalDocument; ref: SageRef }[], mappingVersion: number): void {
    if (found.length === 0) return;
    const upsert = this.sql(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, sage_table, sage_key, sage_number, batch_key, updated_at)
       VALUES (@docKey, @objectId, 'journal', 'written', @sortKey, @body, @mappingVersion, @sageTable, @sageKey, @sageNumber, @batchKey, @now)
       ON CONFLICT (doc_key) DO UPDATE SET state = 'written', sort_key = excluded.sort_key, body = excluded.body,
         sage_table = excluded.sage_table, sage_key = excluded.sage_key, sage_number = excluded.sage_number, batch_key = excluded.batch_key,
         error_class = NULL, error_code = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = excluded.updated_at
       WHERE ${isUnwritten('documents')}`,
    );
    // The traces of a document the upsert will record (none yet, or unwritten) are cleared before
    // it is recorded written: cleared after, they would be a written document losing a trace, and
    // the next drift check would read the history (migration-drift-lists.ts). An unwritten
    // document's lines count nowhere, so the balance proof needs no record of them going.
    const clearTraces = this.sql(
      `DELETE FROM document_traces WHERE doc_key = @docKey
       AND NOT EXISTS (SELECT 1 FROM documents WHERE documents.doc_key = @docKey AND NOT ${isUnwritten('documents')})`,
    );
    // With each trace, the journal's lines on it (trace-lines.ts).
    const addTrace = this.sql('INSERT INTO document_traces (doc_key, trace_id, lines) VALUES (?, ?, ?)');
    const now = this.connection.now();
    const recorded: string[] = [];
    this.connection.transaction(() => {
      for (const { document, ref } of found) {
        clearTraces.run({ docKey: document.key });
        const changes = upsert.run({
          docKey: document.key,
          objectId: document.stripeObjectId,
          sortKey: sortKey(document),
          body: JSON.stringify(document),
          mappingVersion,
          sageTable: ref.sageTable,
          sageKey: ref.sageKey,
          sageNumber: ref.sageNumber,
          batchKey: ref.batchKey,
          now,
        }).changes;
        if (changes === 0) continue;
        recorded.push(document.key);
        for (const [traceId, lines] of traceRows(document)) addTrace.run(document.key, traceId, lines);
      }
      // Recorded written for the next drift check (drift-change-records.ts; migration-drift-rows-seen.ts says why not by a trigger).
      if (recorded.length > 0) this.sql(RECORD_DOCUMENTS_WRITTEN).run(JSON.stringify(recorded));
    });
  }

  markFailed(docKey: string, failure: { errorClass: string; errorCode?: string | null; message: string; nextAttemptAt: string | null; dead: boolean }): void {
    this.connection.transaction(() => {
      // A document failed in flight counts the attempt; one refused before it was sent does not.
      this.sql(`UPDATE documents SET state = ?, attempts = attempts + ?, error_class = ?, error_code = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE doc_key = ?`).run(
        failure.dead ? 'dead' : 'failed',
        this.leaveWriting(docKey),
        failure.errorClass,
        failure.errorCode ?? null,
        failure.message,
        failure.nextAttemptAt,
        this.connection.now(),
        docKey,
      );
    });
  }

  noteWaiting(notes: readonly { docKey: string; note: string }[]): void {
    if (notes.length === 0) return;
    const statement = this.sql(
      `UPDATE documents SET error_class = 'waiting', error_code = NULL, last_error = @note, updated_at = @now WHERE doc_key = @docKey AND ${inStatesNotWriting('documents', "'planned'")} AND last_error IS NOT @note`,
    );
    const now = this.connection.now();
    this.connection.transaction(() => {
      for (const { docKey, note } of notes) statement.run({ docKey, note, now });
    });
  }

  retryDocuments(selector: RetrySelector): number {
    const base = `UPDATE documents SET state = 'planned', next_attempt_at = NULL, updated_at = @now WHERE ${inStatesNotWriting('documents', "'failed', 'dead'")}`;
    const now = this.connection.now();
    if ('all' in selector) return this.sql(base).run({ now }).changes;
    if ('cause' in selector) return this.sql(`${base} AND last_error = @cause`).run({ now, cause: selector.cause }).changes;
    const statement = this.sql(`${base} AND doc_key = @docKey`);
    let changed = 0;
    this.connection.transaction(() => {
      for (const docKey of selector.docKeys) changed += statement.run({ now, docKey }).changes;
    });
    return changed;
  }

  releaseShadowDocuments(): number {
    return this.sql(`UPDATE documents SET state = 'planned', updated_at = ? WHERE state = 'shadow'`).run(this.connection.now()).changes;
  }

  skipDocuments(docKeys: readonly string[], reason: string): number {
    if (docKeys.length === 0) return 0;
    const statement = this.sql(
      `UPDATE documents SET state = 'skipped', skip_reason = ?, updated_at = ? WHERE doc_key = ? AND ${isUnwritten('documents')}`,
    );
    let changed = 0;
    const now = this.connection.now();
    this.connection.transaction(() => {
      for (const docKey of docKeys) changed += statement.run(reason, now, docKey).changes;
    });
    return changed;
  }

  acceptFoundJournals(accepted: readonly { docKey: string; ref: SageRef }[], errorCode: string, reason: string): string[] {
    if (accepted.length === 0) return [];
    // Only a document still failed with the code: a run may have planned or written it since
    // the caller looked. Its body and traces stay as planned (the user entered the difference).
    const statement = this.sql(
      `UPDATE documents SET state = 'written', sage_table = @sageTable, sage_key = @sageKey, sage_number = @sageNumber, batch_key = @batchKey,
         error_class = NULL, error_code = NULL, last_error = NULL, next_attempt_at = NULL, accept_reason = @reason, updated_at = @now
       WHERE doc_key = @docKey AND type = 'journal' AND error_code = @errorCode AND ${inStatesNotWriting('documents', "'failed', 'dead'")}`,
    );
    const now = this.connection.now();
    const recorded: string[] = [];
    this.connection.transaction(() => {
      for (const { docKey, ref } of accepted) {
        const changes = statement.run({ docKey, sageTable: ref.sageTable, sageKey: ref.sageKey, sageNumber: ref.sageNumber, batchKey: ref.batchKey, reason, errorCode, now }).changes;
        if (changes === 1) recorded.push(docKey);
      }
      // Recorded written for the next drift check, as markWrittenAll records them (drift-change-records.ts).
      if (recorded.length > 0) this.sql(RECORD_DOCUMENTS_WRITTEN).run(JSON.stringify(recorded));
    });
    return recorded;
  }

  countDocuments(): Record<DocumentState, number> {
    const counts = Object.fromEntries(DOCUMENT_STATES.map((state) => [state, 0])) as Record<DocumentState, number>;
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM documents GROUP BY state').all() as { state: DocumentState; n: number }[]) {
      counts[row.state] += row.n;
    }
    // Documents in flight are counted by their row's state above; they are "writing".
    for (const row of this.sql('SELECT d.state, COUNT(*) AS n FROM documents_writing w CROSS JOIN documents d ON d.doc_key = w.doc_key GROUP BY d.state').all() as {
      state: DocumentState;
      n: number;
    }[]) {
      counts[row.state] -= row.n;
      counts.writing += row.n;
    }
    return counts;
  }

  countWrittenSince(since: string): number {
    return (this.sql(`SELECT COUNT(*) AS n FROM documents WHERE state = 'written' AND updated_at >= ?`).get(since) as { n: number }).n;
  }

  failedDocuments(): StoredDocument[] {
    return this.documents(`SELECT ${NOT_WRITING_COLUMNS} FROM documents WHERE ${inStatesNotWriting('documents', "'failed', 'dead'")} ORDER BY last_error, sort_key`);
  }

  pendingWriteBacks(limit: number): StoredDocument[] {
    return this.documents(
      `SELECT ${D_COLUMNS} FROM metadata_write_backs w JOIN documents d ON d.doc_key = w.doc_key
       WHERE w.done_at IS NULL ORDER BY w.doc_key LIMIT ?`,
      limit,
    );
  }

  markWrittenBack(docKey: string): void {
    this.sql('UPDATE metadata_write_backs SET done_at = ? WHERE doc_key = ?').run(this.connection.now(), docKey);
  }

  isTraceBooked(traceId: string): boolean {
    return this.reads.isTraceBooked(traceId);
  }

  documentsTracing(traceId: string): StoredDocument[] {
    return this.reads.documentsTracing(traceId);
  }

  bookedTraceIds(traceIds: readonly string[]): Set<string> {
    return this.reads.bookedTraceIds(traceIds);
  }

  readAhead(request: DocumentReadAhead): void {
    this.reads.readAhead(request);
  }

  forgetReadAhead(): void {
    this.reads.forget();
  }

  withdrawDocuments(docKeys: readonly string[]): number {
    if (docKeys.length === 0 || this.reads.nothingToWithdraw(docKeys)) return 0;
    const unwritten = this.sql(`SELECT 1 FROM documents WHERE doc_key = ? AND ${isUnwritten('documents')}`);
    const withdrawable = docKeys.filter((docKey) => unwritten.get(docKey));
    // Most calls name documents not planned or already written: nothing to remove, no transaction (or savepoint) to open.
    if (withdrawable.length === 0) return 0;
    const traces = this.sql('DELETE FROM document_traces WHERE doc_key = ?');
    const remove = this.sql('DELETE FROM documents WHERE doc_key = ?');
    let removed = 0;
    this.connection.transaction(() => {
      for (const docKey of withdrawable) {
        if (!unwritten.get(docKey)) continue;
        traces.run(docKey);
        removed += remove.run(docKey).changes;
      }
    });
    return removed;
  }

  documentsNotWritten(limit: number, afterSortKey: string | null = null): StoredDocument[] {
    return this.documents(`SELECT ${NOT_WRITING_COLUMNS} FROM documents WHERE ${isUnwritten('documents')} AND sort_key > @after ORDER BY sort_key LIMIT @limit`, {
      limit,
      after: afterSortKey ?? '',
    });
  }

  unwrittenJournals(): StoredDocument[] {
    return this.documents(`SELECT ${NOT_WRITING_COLUMNS} FROM documents WHERE type = 'journal' AND ${isUnwritten('documents')} ORDER BY sort_key`);
  }

  replanForMappingVersion(version: number): number {
    return this.sql(
      `INSERT INTO objects_to_plan (created, id) SELECT created, id FROM stripe_objects WHERE id IN (
         SELECT stripe_object_id FROM documents WHERE ${isUnwritten('documents')} AND mapping_version < @version
         UNION SELECT t.trace_id FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
           WHERE ${isUnwritten('d')} AND d.mapping_version < @version
         UNION SELECT stripe_object_id FROM documents WHERE state = 'skipped' AND skip_reason LIKE '${RULE_SKIP_PREFIX}%' AND mapping_version < @version
         UNION SELECT object_id FROM object_issues WHERE error_class = 'configuration')
       ON CONFLICT DO NOTHING`,
    ).run({ version }).changes;
  }
}
