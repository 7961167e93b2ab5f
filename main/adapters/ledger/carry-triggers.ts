import type Database from 'better-sqlite3';
import type { LedgerConnection } from './ledger-connection.js';

/**
 * The carries' triggers, created with the first carry and kept from then on (issue #19,
 * session 10).
 *
 * A carry between runs (the plan-alone pass, the balance proof, the drift lists) is only as
 * complete as the triggers that record what changed under it. They are the tables' own, so they
 * ran for every row a backfill stored, planned and wrote, although with nothing carried their
 * WHEN clauses were false: about an eighth of the ledger's CPU in a 10k backfill
 * (docs/performance.md, "Session 9", "What it cost the backfill"). So a carry's triggers are
 * created in the transaction that saves the carry, unless this release's set is in place. They
 * are not dropped when a carry is discarded later (a mapping change, a trigger that empties it):
 * their WHEN clauses read the carry, so without one they record nothing. A carry is trusted only
 * while its whole set is in place, each trigger with this release's statement
 * (`triggersPresent`): a carry row without its triggers, with one missing (a migration that
 * rebuilt its table: dropping a table drops its triggers) or with one of another body, reads in
 * full, and the full read puts the set back. On a new ledger, and after migration 23
 * (migration-carry-triggers-with-carries.ts), none exists: a backfill's first run has no carry
 * until its plan-alone pass, its proof and its drift check.
 *
 * Creating them changes the schema: every statement the connection prepared is prepared again at
 * its next use (better-sqlite3 prepares with sqlite3_prepare_v3, which re-prepares on
 * SQLITE_SCHEMA). That happens once for each carry, not every run: afterwards they are in place.
 * A migration must not create them (a new ledger would pay them in its backfill again); one that
 * changes what a carry means drops that carry's triggers and empties the carry; one that rebuilds
 * a table calls `dropCarriesBeforeTableRebuild` first (below: a site's ledger has them, a new one
 * does not).
 *
 * What each trigger records and why: migrations 15 and 20 (plan-alone), 17 and 19 (balance
 * proof), 16, 18 and 22 (drift lists). The statements here are those migrations' last forms.
 */
export interface CarryTrigger {
  readonly name: string;
  /** The CREATE TRIGGER statement. */
  readonly sql: string;
}

/** The plan-alone pass's recheck list and carry (migrations 15 and 20). */
export const PLAN_ALONE_TRIGGERS: readonly CarryTrigger[] = [
  {
    name: 'plan_alone_trace_removed',
    sql: `CREATE TRIGGER plan_alone_trace_removed AFTER DELETE ON document_traces
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry)
    BEGIN
      INSERT INTO plan_alone_recheck (id) SELECT OLD.trace_id WHERE NOT EXISTS (SELECT 1 FROM plan_alone_recheck WHERE id = OLD.trace_id);
    END`,
  },
  {
    name: 'plan_alone_claim_by_version',
    sql: `CREATE TRIGGER plan_alone_claim_by_version AFTER UPDATE OF state, mapping_version ON documents
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry)
      AND NEW.state <> 'written' AND NEW.state <> 'skipped' AND (OLD.state IS NOT NEW.state OR OLD.mapping_version IS NOT NEW.mapping_version)
    BEGIN
      INSERT INTO plan_alone_recheck (id) SELECT NEW.stripe_object_id WHERE NOT EXISTS (SELECT 1 FROM plan_alone_recheck WHERE id = NEW.stripe_object_id);
    END`,
  },
  {
    name: 'plan_alone_left_flight',
    sql: `CREATE TRIGGER plan_alone_left_flight AFTER DELETE ON documents_writing
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND (SELECT state FROM documents WHERE doc_key = OLD.doc_key) <> 'written'
    BEGIN
      INSERT INTO plan_alone_recheck (id)
        SELECT d.stripe_object_id FROM documents d
        WHERE d.doc_key = OLD.doc_key AND NOT EXISTS (SELECT 1 FROM plan_alone_recheck r WHERE r.id = d.stripe_object_id);
    END`,
  },
  {
    name: 'plan_alone_trace_moved',
    sql: `CREATE TRIGGER plan_alone_trace_moved AFTER UPDATE OF doc_key, trace_id ON document_traces
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND (OLD.doc_key IS NOT NEW.doc_key OR OLD.trace_id IS NOT NEW.trace_id)
    BEGIN
      DELETE FROM plan_alone_carry;
    END`,
  },
  {
    name: 'plan_alone_document_moved',
    sql: `CREATE TRIGGER plan_alone_document_moved AFTER UPDATE OF doc_key, stripe_object_id ON documents
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND (OLD.doc_key IS NOT NEW.doc_key OR OLD.stripe_object_id IS NOT NEW.stripe_object_id)
    BEGIN
      DELETE FROM plan_alone_carry;
    END`,
  },
  {
    name: 'plan_alone_document_deleted_with_traces',
    sql: `CREATE TRIGGER plan_alone_document_deleted_with_traces AFTER DELETE ON documents
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND EXISTS (SELECT 1 FROM document_traces WHERE doc_key = OLD.doc_key)
    BEGIN
      DELETE FROM plan_alone_carry;
    END`,
  },
  {
    name: 'plan_alone_flight_moved',
    sql: `CREATE TRIGGER plan_alone_flight_moved AFTER UPDATE OF doc_key ON documents_writing
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND OLD.doc_key IS NOT NEW.doc_key
    BEGIN
      DELETE FROM plan_alone_carry;
    END`,
  },
  {
    name: 'plan_alone_transaction_renamed',
    sql: `CREATE TRIGGER plan_alone_transaction_renamed AFTER UPDATE OF id ON balance_transactions
    WHEN EXISTS (SELECT 1 FROM plan_alone_carry) AND OLD.id IS NOT NEW.id
    BEGIN
      DELETE FROM plan_alone_carry;
    END`,
  },
];

/** The balance proof's change log (migrations 17 and 19). */
export const BALANCE_PROOF_TRIGGERS: readonly CarryTrigger[] = [
  {
    name: 'balance_proof_transaction_removed',
    sql: `CREATE TRIGGER balance_proof_transaction_removed AFTER DELETE ON balance_transactions
    WHEN old.created <= (SELECT settled_up_to FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (old.id, 'transaction');
    END`,
  },
  {
    name: 'balance_proof_transaction_added',
    sql: `CREATE TRIGGER balance_proof_transaction_added AFTER INSERT ON balance_transactions
    WHEN new.created <= (SELECT settled_up_to FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (new.id, 'transaction');
    END`,
  },
  {
    name: 'balance_proof_transaction_changed',
    sql: `CREATE TRIGGER balance_proof_transaction_changed AFTER UPDATE ON balance_transactions
    WHEN (old.created <= (SELECT settled_up_to FROM balance_proof_carry) OR new.created <= (SELECT settled_up_to FROM balance_proof_carry))
      AND (old.id IS NOT new.id OR old.created IS NOT new.created
           OR json_extract(old.body, '$.net', '$.currency', '$.type', '$.reporting_category', '$.balance_type', '$.created')
              IS NOT json_extract(new.body, '$.net', '$.currency', '$.type', '$.reporting_category', '$.balance_type', '$.created'))
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (old.id, 'transaction');
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (new.id, 'transaction');
    END`,
  },
  {
    name: 'balance_proof_document_state',
    sql: `CREATE TRIGGER balance_proof_document_state AFTER UPDATE OF state, doc_key ON documents
    WHEN ((old.state = 'written') <> (new.state = 'written') OR (old.doc_key IS NOT new.doc_key AND (old.state = 'written' OR new.state = 'written')))
      AND EXISTS (SELECT 1 FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines)
        SELECT trace_id, 'lines', lines FROM document_traces WHERE (doc_key = old.doc_key OR doc_key = new.doc_key) AND lines IS NOT NULL;
    END`,
  },
  {
    name: 'balance_proof_document_added',
    sql: `CREATE TRIGGER balance_proof_document_added AFTER INSERT ON documents
    WHEN new.state = 'written' AND EXISTS (SELECT 1 FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines)
        SELECT trace_id, 'lines', lines FROM document_traces WHERE doc_key = new.doc_key AND lines IS NOT NULL;
    END`,
  },
  {
    name: 'balance_proof_document_removed',
    sql: `CREATE TRIGGER balance_proof_document_removed AFTER DELETE ON documents
    WHEN old.state = 'written' AND EXISTS (SELECT 1 FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines)
        SELECT trace_id, 'lines', lines FROM document_traces WHERE doc_key = old.doc_key AND lines IS NOT NULL;
    END`,
  },
  {
    name: 'balance_proof_lines_added',
    sql: `CREATE TRIGGER balance_proof_lines_added AFTER INSERT ON document_traces
    WHEN new.lines IS NOT NULL AND EXISTS (SELECT 1 FROM balance_proof_carry)
      AND (SELECT state FROM documents WHERE doc_key = new.doc_key) = 'written'
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines) VALUES (new.trace_id, 'lines', new.lines);
    END`,
  },
  {
    name: 'balance_proof_lines_removed',
    sql: `CREATE TRIGGER balance_proof_lines_removed AFTER DELETE ON document_traces
    WHEN old.lines IS NOT NULL AND EXISTS (SELECT 1 FROM balance_proof_carry)
      AND (SELECT state FROM documents WHERE doc_key = old.doc_key) = 'written'
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines) VALUES (old.trace_id, 'lines', old.lines);
    END`,
  },
  {
    name: 'balance_proof_lines_changed',
    sql: `CREATE TRIGGER balance_proof_lines_changed AFTER UPDATE ON document_traces
    WHEN EXISTS (SELECT 1 FROM balance_proof_carry)
      AND ((SELECT state FROM documents WHERE doc_key = old.doc_key) = 'written' OR (SELECT state FROM documents WHERE doc_key = new.doc_key) = 'written')
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind, lines) SELECT old.trace_id, 'lines', old.lines WHERE old.lines IS NOT NULL;
      INSERT INTO balance_proof_changes (trace_id, kind, lines) SELECT new.trace_id, 'lines', new.lines WHERE new.lines IS NOT NULL;
    END`,
  },
];

/** The drift lists' changes they cannot follow, which make the next check read the history (migrations 16, 18 and 22). */
export const DRIFT_STALE_TRIGGERS: readonly CarryTrigger[] = [
  {
    name: 'drift_document_left_written',
    sql: `CREATE TRIGGER drift_document_left_written AFTER UPDATE OF state, doc_key ON documents
    WHEN old.state IN ('written', 'skipped') AND (new.state IS NOT old.state OR new.doc_key IS NOT old.doc_key)
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written or skipped document left its state') ON CONFLICT DO NOTHING;
    END`,
  },
  {
    name: 'drift_written_document_deleted',
    sql: `CREATE TRIGGER drift_written_document_deleted AFTER DELETE ON documents WHEN old.state IN ('written', 'skipped')
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written or skipped document was deleted') ON CONFLICT DO NOTHING;
    END`,
  },
  {
    name: 'drift_written_trace_deleted',
    sql: `CREATE TRIGGER drift_written_trace_deleted AFTER DELETE ON document_traces
    WHEN EXISTS (SELECT 1 FROM documents d WHERE d.doc_key = old.doc_key AND d.state IN ('written', 'skipped'))
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a written or skipped document lost a trace') ON CONFLICT DO NOTHING;
    END`,
  },
  {
    name: 'drift_trace_moved',
    sql: `CREATE TRIGGER drift_trace_moved AFTER UPDATE OF doc_key, trace_id ON document_traces
    BEGIN
      INSERT INTO drift_lists_stale (reason) VALUES ('a trace row was changed') ON CONFLICT DO NOTHING;
    END`,
  },
];

/** A statement as SQLite keeps it in sqlite_schema, compared with its runs of white space made one space. */
function normalised(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/**
 * True when every one of these triggers exists with this release's statement: only then is their
 * carry trusted. A trigger of the same name but another body (an older release's, one edited by
 * hand) counts as missing: what it records is not what this release's carry reads.
 */
export function triggersPresent(connection: LedgerConnection, triggers: readonly CarryTrigger[]): boolean {
  const stored = connection
    .sql(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(triggers.map((trigger) => trigger.name))) as { name: string; sql: string }[];
  const storedByName = new Map(stored.map((row) => [row.name, normalised(row.sql)]));
  return triggers.every((trigger) => storedByName.get(trigger.name) === normalised(trigger.sql));
}

/**
 * Puts a carry's triggers in place, in the caller's transaction (the one that saves the carry),
 * unless they all are: the set is dropped (a part left by a rebuilt table, a trigger of another
 * body) and created whole, so it is always this release's.
 */
export function putTriggersInPlace(connection: LedgerConnection, triggers: readonly CarryTrigger[]): void {
  if (triggersPresent(connection, triggers)) return;
  connection.exec(triggers.map((trigger) => `DROP TRIGGER IF EXISTS ${trigger.name}; ${trigger.sql};`).join('\n'));
}

/**
 * For a migration that rebuilds a table (create a copy, copy the rows, drop the table, rename the
 * copy): call it first, in the migration. Since SQLite 3.26, ALTER TABLE RENAME checks every
 * trigger and view of the schema after the rename, and a trigger on another table that names the
 * dropped table fails it ("error in trigger plan_alone_left_flight: no such table:
 * main.documents"): on a site's ledger, which has the carries' triggers once its first run saved
 * its carries, rebuilding documents, document_traces, plan_alone_carry, plan_alone_recheck,
 * drift_lists_stale, balance_proof_carry or balance_proof_changes fails, and the ledger would not
 * open until a fixed release. A new ledger has none of them, so only a test that starts from a
 * site's ledger finds it (test/adapters/ledger-migrations.test.ts, "a site's ledger").
 *
 * It drops every carry's triggers and empties every carry, as migration 23 did: the first
 * plan-alone pass, balance proof and drift check after the upgrade read in full and put their
 * triggers back (a carry whose triggers went with the rebuilt table would read in full anyway).
 * Not `PRAGMA legacy_alter_table = ON` around the migrations: it skips that check for every
 * rename, so a rename that really leaves a trigger or view naming a missing table would pass
 * unseen, and with it a rename rewrites other tables' REFERENCES clauses only while foreign keys
 * are on (SQLite's test/altertab2.test), which migration 13's rebuild of documents relies on.
 */
export function dropCarriesBeforeTableRebuild(db: Database.Database): void {
  const triggers = [...PLAN_ALONE_TRIGGERS, ...BALANCE_PROOF_TRIGGERS, ...DRIFT_STALE_TRIGGERS];
  db.exec(`
    ${triggers.map((trigger) => `DROP TRIGGER IF EXISTS ${trigger.name};`).join('\n    ')}
    DELETE FROM plan_alone_carry;
    DELETE FROM plan_alone_recheck;
    DELETE FROM balance_proof_carry;
    DELETE FROM balance_proof_changes;
    DELETE FROM drift_transactions_seen;
    DELETE FROM drift_objects_changed;
    DELETE FROM drift_documents_written;
  `);
}
