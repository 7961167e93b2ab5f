import type Database from 'better-sqlite3';

/**
 * What the balance proof needs to prove only what changed since the last proof (issue #19,
 * session 9; core/engine/balance-proof-carry.ts says how the proof uses it).
 *
 * - `balance_transactions.created`: the transaction's `created` as a column with an index, so
 *   the transactions created after the settled past are a range read instead of every body
 *   parsed. Filled here from the bodies; a body whose `created` is not a number gets NULL, as the
 *   proof's full read never counts it in a window either. The writer sets it with the body.
 * - `balance_proof_carry`: one row, the settled past the last proof carried forward:
 *   `settled_up_to` (the time up to which the carried totals count every transaction that is
 *   not re-read), the schema version it was made under, and its totals as JSON text.
 * - `balance_proof_changes`: a log of what changed since that carry that could touch it,
 *   appended by the triggers below and emptied by the next proof in its own transaction. It is
 *   written only while a carry exists (a backfill's first run writes nothing to it).
 *
 * The triggers cover every writer by construction (they are the tables' own):
 * - a balance transaction stored with `created` at or before `settled_up_to` ('transaction'),
 *   or one whose stored `created` was or becomes so and whose fields the proof reads changed
 *   (net, currency, type, reporting category, balance type, created, id): a status change from
 *   pending to available, which a payout's itemisation stores for days-old transactions, is not
 *   one;
 * - the written lines ('lines', with the trace row's lines text): a document entering or
 *   leaving 'written', created or deleted while written, and a trace row of a written document
 *   inserted, updated or deleted. A trace row without lines (NULL) holds no amount on any
 *   account and is not logged.
 */
export function v17BalanceProofCarry(db: Database.Database): void {
  db.exec(`
    ALTER TABLE balance_transactions ADD COLUMN created INTEGER;
    UPDATE balance_transactions SET created = json_extract(body, '$.created') WHERE json_type(body, '$.created') IN ('integer', 'real');
    CREATE INDEX balance_transactions_created ON balance_transactions (created) WHERE created IS NOT NULL;

    CREATE TABLE balance_proof_carry (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      settled_up_to INTEGER NOT NULL,
      schema_version INTEGER NOT NULL,
      body TEXT NOT NULL
    );
    CREATE TABLE balance_proof_changes (
      seq INTEGER PRIMARY KEY,
      trace_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind = 'transaction' OR kind = 'lines'),
      lines TEXT
    );

    CREATE TRIGGER balance_proof_transaction_added AFTER INSERT ON balance_transactions
    WHEN new.created <= (SELECT settled_up_to FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (new.id, 'transaction');
    END;

    CREATE TRIGGER balance_proof_transaction_changed AFTER UPDATE ON balance_transactions
    WHEN (old.created <= (SELECT settled_up_to FROM balance_proof_carry) OR new.created <= (SELECT settled_up_to FROM balance_proof_carry))
      AND (old.id IS NOT new.id OR old.created IS NOT new.created
           OR json_extract(old.body, '$.net', '$.currency', '$.type', '$.reporting_category', '$.balance_type', '$.created')
              IS NOT json_extract(new.body, '$.net', '$.currency', '$.type', '$.reporting_category', '$.balance_type', '$.created'))
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (old.id, 'transaction');
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (new.id, 'transaction');
    END;

    CREATE TRIGGER balance_proof_document_state AFTER UPDATE OF state, doc_key ON documents
    WHEN ((old.state = 'written') <> (new.state = 'written') OR (old.doc_key IS NOT new.doc_key AND (old.state = 'written' OR new.state = 'written')))
      AND EXISTS (SELECT 1 FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines)
        SELECT trace_id, 'lines', lines FROM document_traces WHERE (doc_key = old.doc_key OR doc_key = new.doc_key) AND lines IS NOT NULL;
    END;

    CREATE TRIGGER balance_proof_document_added AFTER INSERT ON documents
    WHEN new.state = 'written' AND EXISTS (SELECT 1 FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines)
        SELECT trace_id, 'lines', lines FROM document_traces WHERE doc_key = new.doc_key AND lines IS NOT NULL;
    END;

    CREATE TRIGGER balance_proof_document_removed AFTER DELETE ON documents
    WHEN old.state = 'written' AND EXISTS (SELECT 1 FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines)
        SELECT trace_id, 'lines', lines FROM document_traces WHERE doc_key = old.doc_key AND lines IS NOT NULL;
    END;

    CREATE TRIGGER balance_proof_lines_added AFTER INSERT ON document_traces
    WHEN new.lines IS NOT NULL AND EXISTS (SELECT 1 FROM balance_proof_carry)
      AND (SELECT state FROM documents WHERE doc_key = new.doc_key) = 'written'
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines) VALUES (new.trace_id, 'lines', new.lines);
    END;

    CREATE TRIGGER balance_proof_lines_removed AFTER DELETE ON document_traces
    WHEN old.lines IS NOT NULL AND EXISTS (SELECT 1 FROM balance_proof_carry)
      AND (SELECT state FROM documents WHERE doc_key = old.doc_key) = 'written'
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines) VALUES (old.trace_id, 'lines', old.lines);
    END;

    CREATE TRIGGER balance_proof_lines_changed AFTER UPDATE ON document_traces
    WHEN EXISTS (SELECT 1 FROM balance_proof_carry)
      AND ((SELECT state FROM documents WHERE doc_key = old.doc_key) = 'written' OR (SELECT state FROM documents WHERE doc_key = new.doc_key) = 'written')
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines) SELECT old.trace_id, 'lines', old.lines WHERE old.lines IS NOT NULL;
      INSERT INTO balance_proof_changes (trace_id, kind, lines) SELECT new.trace_id, 'lines', new.lines WHERE new.lines IS NOT NULL;
    END;
  `);
}
