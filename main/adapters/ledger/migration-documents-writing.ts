import type Database from 'better-sqlite3';

/**
 * A document being written as a narrow row of its own (issue #19, item 5: the ledger's cost per
 * document). "Writing" was the state column of the document's ~800-byte row: marking a chunk
 * writing rewrote each row and moved its entry in the state index (documents_due), and marking it
 * written did both again. Now "writing" is a row of `documents_writing (doc_key, started_at)`,
 * which holds only the chunks in flight (a few hundred rows at most, so its B-tree stays a page
 * or two), and the document's own row is written once, when the document leaves that state
 * (written, failed, or back to planned). While the row exists the document reads as "writing",
 * with the attempt it is on counted and `started_at` as its time (ledger-rows.ts, the one
 * definition); its own row keeps the state it had before (planned or failed).
 *
 * The documents table is rebuilt with the same columns, rows and indexes, for its checks: the
 * row's state can no longer be 'writing', and the checks are written as comparisons joined by OR
 * instead of `IN (...)` lists, which mean the same but which SQLite evaluated by building a
 * temporary B-tree of the list for every row written (about 2 µs a check: a sixth of inserting a
 * document and a quarter of changing its state, measured in isolation). The tables that
 * reference it (document_traces, metadata_write_backs, documents_writing) are built anew
 * beside it, referencing the new table, and the old ones dropped children first, so the step
 * holds with foreign keys on (dropping a referenced table would otherwise delete through the
 * references); renaming the new table to `documents` carries the references with it.
 *
 * Documents left "writing" by an older release (a crash mid-chunk) move over: their row goes
 * back to planned with the attempt taken off (it counts again while in flight), and their
 * in-flight row keeps the time they started, so they read exactly as before and the next start
 * settles them from Sage as it did.
 */
export function v13DocumentsWriting(db: Database.Database): void {
  db.exec(`
    CREATE TABLE documents_rebuilt (
      doc_key TEXT PRIMARY KEY,
      stripe_object_id TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type = 'journal' OR type = 'customer' OR type = 'sales_order'),
      state TEXT NOT NULL CHECK (state = 'planned' OR state = 'written' OR state = 'failed' OR state = 'dead' OR state = 'skipped' OR state = 'shadow'),
      sort_key TEXT NOT NULL,
      body TEXT NOT NULL,
      mapping_version INTEGER NOT NULL REFERENCES mappings (version),
      attempts INTEGER NOT NULL DEFAULT 0,
      error_class TEXT,
      last_error TEXT,
      next_attempt_at TEXT,
      skip_reason TEXT,
      sage_table TEXT,
      sage_key INTEGER,
      sage_number TEXT,
      batch_key INTEGER,
      updated_at TEXT NOT NULL
    );
    INSERT INTO documents_rebuilt (rowid, doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, attempts, error_class, last_error,
                                   next_attempt_at, skip_reason, sage_table, sage_key, sage_number, batch_key, updated_at)
      SELECT rowid, doc_key, stripe_object_id, type, CASE state WHEN 'writing' THEN 'planned' ELSE state END, sort_key, body, mapping_version,
             CASE state WHEN 'writing' THEN MAX(attempts - 1, 0) ELSE attempts END, error_class, last_error,
             next_attempt_at, skip_reason, sage_table, sage_key, sage_number, batch_key, updated_at
      FROM documents ORDER BY rowid;

    CREATE TABLE documents_writing (
      doc_key TEXT PRIMARY KEY REFERENCES documents_rebuilt (doc_key),
      started_at TEXT NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO documents_writing (doc_key, started_at) SELECT doc_key, updated_at FROM documents WHERE state = 'writing';
    CREATE TABLE document_traces_rebuilt (
      doc_key TEXT NOT NULL REFERENCES documents_rebuilt (doc_key), trace_id TEXT NOT NULL, PRIMARY KEY (doc_key, trace_id)
    ) WITHOUT ROWID;
    INSERT INTO document_traces_rebuilt (doc_key, trace_id) SELECT doc_key, trace_id FROM document_traces;
    CREATE TABLE metadata_write_backs_rebuilt (doc_key TEXT PRIMARY KEY REFERENCES documents_rebuilt (doc_key), done_at TEXT) WITHOUT ROWID;
    INSERT INTO metadata_write_backs_rebuilt (doc_key, done_at) SELECT doc_key, done_at FROM metadata_write_backs;

    DROP TABLE document_traces;
    DROP TABLE metadata_write_backs;
    DROP TABLE documents;
    ALTER TABLE documents_rebuilt RENAME TO documents;
    ALTER TABLE document_traces_rebuilt RENAME TO document_traces;
    ALTER TABLE metadata_write_backs_rebuilt RENAME TO metadata_write_backs;
    CREATE INDEX documents_object ON documents (stripe_object_id);
    CREATE INDEX documents_due ON documents (state, sort_key);
    CREATE INDEX document_traces_trace ON document_traces (trace_id);
    CREATE INDEX metadata_write_backs_pending ON metadata_write_backs (doc_key) WHERE done_at IS NULL;
  `);
}
