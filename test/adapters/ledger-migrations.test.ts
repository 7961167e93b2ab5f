import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BALANCE_PROOF_TRIGGERS, dropCarriesBeforeTableRebuild, DRIFT_STALE_TRIGGERS, PLAN_ALONE_TRIGGERS } from '../../main/adapters/ledger/carry-triggers.js';
import { v20PlanAloneTriggers } from '../../main/adapters/ledger/migration-plan-alone-triggers.js';
import { LEDGER_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../main/adapters/ledger/migrations.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { checkDrift } from '../../main/core/engine/drift-checks.js';
import type { RunContext } from '../../main/core/engine/engine-context.js';
import type { SageDocument } from '../../main/core/sage/documents.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';
import { bt, charge, mapping, T0 } from '../core/fixtures/stripe.js';

/*
 * Standing rule for upgrade cases: start from a site's ledger (`siteLedgerAt`), not only from a
 * new one. Once a site's first run saved its carries, its ledger has the carries' triggers
 * (carry-triggers.ts), which a new ledger has not since migration 23; a migration that passes on
 * a new ledger can fail on them at a site, and the ledger would not open until a fixed release
 * ("a site's ledger" below: a table rebuilt by copy, drop and rename). Every migration after 23
 * is run from one by that describe's last case; a case of a migration's own builds its older
 * ledger with `siteLedgerAt` too, and adds its own rows.
 */

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-ledger-'));
  file = join(dir, 'ledger.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function tables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
}

describe('ledger migrations', () => {
  it('has one migration per schema version', () => {
    expect(LEDGER_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(LEDGER_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
  });

  it('a fresh file migrates to the current version with WAL and foreign keys on', () => {
    const ledger = new SqliteLedger(file);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(tables(db)).toEqual(
        expect.arrayContaining(['runs', 'cursors', 'stripe_objects', 'balance_transactions', 'payouts_itemised', 'documents', 'mappings', 'events', 'object_issues']),
      );
      // Foreign keys are a setting of the ledger's own connection: a plan under a mapping version never saved is refused.
      const customer = { type: 'customer', key: 'cus_1:customer', stripeObjectId: 'cus_1', custId: 'S00000000001' } as unknown as SageDocument;
      expect(() => ledger.documents.savePlan('cus_1', [customer], 99, 'planned')).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
      ledger.close();
    }
  });

  it('migrating an already-current database is a no-op that keeps its data', () => {
    const first = new SqliteLedger(file);
    first.runs.setCursor('events', 'evt_1');
    first.close();
    const raw = new Database(file);
    const schema = raw.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    migrate(raw);
    expect(raw.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    raw.close();

    const again = new SqliteLedger(file);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
      expect(again.runs.getCursor('events')).toBe('evt_1');
      expect(check.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    } finally {
      check.close();
      again.close();
    }
  });

  it('upgrades a database left at version 0 step by step', () => {
    const db = new Database(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
      expect(tables(db)).toContain('documents');
    } finally {
      db.close();
    }
  });

  it('refuses a ledger written by a newer version and keeps its schema and version', () => {
    const db = new Database(file);
    db.pragma(`user_version = ${LEDGER_SCHEMA_VERSION + 1}`);
    db.exec('CREATE TABLE future_table (x INTEGER)');
    db.close();
    expect(() => new SqliteLedger(file)).toThrow(new RegExp(`newer version of Stripe Sync \\(schema ${LEDGER_SCHEMA_VERSION + 1}, this version knows up to ${LEDGER_SCHEMA_VERSION}\\); update the app`));
    const check = new Database(file);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION + 1);
      expect(tables(check)).toEqual(['future_table']);
    } finally {
      check.close();
    }
  });
});

describe('migration 2: document traces', () => {
  it('records which balance transactions the journals of an older ledger book', () => {
    const db = new Database(file);
    MIGRATIONS[0]!(db);
    db.pragma('user_version = 1');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'now')`).run();
    const journal = {
      type: 'journal',
      key: 'ch_1:txn_1',
      lines: [
        { acctNo: '1050-00', amount: '9.700', comment: 'net', traceId: 'txn_1' },
        { acctNo: '4000-00', amount: '-10.000', comment: 'sale', traceId: 'txn_1' },
        { acctNo: '6150-00', amount: '0.300', comment: 'fee', traceId: 'txn_1' },
      ],
    };
    db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at)
       VALUES ('ch_1:txn_1', 'ch_1', 'journal', 'written', '1|x', ?, 1, 'now')`,
    ).run(JSON.stringify(journal));
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
    expect(db.prepare('SELECT doc_key, trace_id FROM document_traces').all()).toEqual([{ doc_key: 'ch_1:txn_1', trace_id: 'txn_1' }]);
    db.close();
    const ledger = new SqliteLedger(file);
    expect(ledger.documents.isTraceBooked('txn_1')).toBe(true);
    expect(ledger.documents.isTraceBooked('txn_2')).toBe(false);
    ledger.close();
  });
});

describe('migrations 3 and 4: drift findings and metadata write-backs', () => {
  it('an older ledger gains the tables, and written customers become pending write-backs until marked', () => {
    const db = new Database(file);
    MIGRATIONS[0]!(db);
    MIGRATIONS[1]!(db);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'now')`).run();
    const customer = { type: 'customer', key: 'cus_1:customer', stripeObjectId: 'cus_1', custId: 'S00000000001' };
    db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at, sage_table, sage_key, sage_number)
       VALUES ('cus_1:customer', 'cus_1', 'customer', 'written', '0|cus_1', ?, 1, 'now', 'tarCustomer', 7, 'S00000000001')`,
    ).run(JSON.stringify(customer));
    db.close();
    const ledger = new SqliteLedger(file);
    try {
      const check = new Database(file, { readonly: true });
      expect(tables(check)).toEqual(expect.arrayContaining(['drift_findings', 'metadata_write_backs']));
      check.close();
      expect(ledger.documents.pendingWriteBacks(10).map((doc) => doc.docKey)).toEqual(['cus_1:customer']);
      ledger.documents.markWrittenBack('cus_1:customer');
      ledger.documents.markWrittenBack('cus_1:customer');
      expect(ledger.documents.pendingWriteBacks(10)).toEqual([]);
    } finally {
      ledger.close();
    }
  });
});

describe('migrations 9 to 11: the plan queue, the PaymentIntent column, key tables without rowid, indexes as the queries use them', () => {
  const bt = (id: string) => JSON.stringify({ id, object: 'balance_transaction', amount: 100, created: 100 });

  /** A ledger as the release before left it (schema 8), with rows in every table the migrations rebuild. */
  function ledgerAtVersion8(): void {
    const db = new Database(file);
    for (let version = 0; version < 8; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 8');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'now')`).run();
    const object = db.prepare(
      `INSERT INTO stripe_objects (id, kind, created, body, body_hash, planned_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'now')`,
    );
    const charge = (id: string, created: number, paymentIntent: unknown) => JSON.stringify({ id, object: 'charge', created, payment_intent: paymentIntent });
    object.run('ch_planned', 'charge', 100, charge('ch_planned', 100, 'pi_1'), 'v2', 'v2');
    object.run('ch_changed', 'charge', 101, charge('ch_changed', 101, { id: 'pi_2', object: 'payment_intent' }), 'v3', 'v2');
    object.run('ch_new', 'charge', 102, charge('ch_new', 102, null), 'v1', null);
    object.run('po_new', 'payout', 99, JSON.stringify({ id: 'po_new', object: 'payout', created: 99 }), 'v1', null);
    const document = db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, attempts, error_class, last_error, next_attempt_at,
                              skip_reason, sage_table, sage_key, sage_number, batch_key, updated_at)
       VALUES (@key, @object, @type, @state, @sortKey, @body, 1, @attempts, @errorClass, @lastError, NULL, @skipReason, @sageTable, @sageKey, @sageNumber, @batchKey, 'then')`,
    );
    const none = { attempts: 0, errorClass: null, lastError: null, skipReason: null, sageTable: null, sageKey: null, sageNumber: null, batchKey: null };
    const journalBody = (key: string, traceId: string) => JSON.stringify({ type: 'journal', key, postDate: '2026-03-10', lines: [{ acctNo: '1050-00', amount: '1.000', comment: 'x', traceId }] });
    document.run({ ...none, key: 'ch_planned:txn_1', object: 'ch_planned', type: 'journal', state: 'written', sortKey: '1|a', body: journalBody('ch_planned:txn_1', 'txn_1'), attempts: 1, sageTable: 'tglTransaction', sageKey: 7, sageNumber: 'GJ-7', batchKey: 3 });
    document.run({ ...none, key: 'ch_changed:txn_2', object: 'ch_changed', type: 'journal', state: 'writing', sortKey: '1|b', body: journalBody('ch_changed:txn_2', 'txn_2'), attempts: 2 });
    document.run({ ...none, key: 'ch_new:txn_3', object: 'ch_new', type: 'journal', state: 'failed', sortKey: '1|c', body: journalBody('ch_new:txn_3', 'txn_3'), attempts: 1, errorClass: 'transient', lastError: 'timeout' });
    document.run({ ...none, key: 'cus_1:customer', object: 'cus_1', type: 'customer', state: 'written', sortKey: '0|cus_1', body: JSON.stringify({ type: 'customer', key: 'cus_1:customer' }), sageTable: 'tarCustomer', sageKey: 9, sageNumber: 'C9' });
    document.run({ ...none, key: 'cus_2:customer', object: 'cus_2', type: 'customer', state: 'skipped', sortKey: '0|cus_2', body: JSON.stringify({ type: 'customer', key: 'cus_2:customer' }), skipReason: 'keyed by hand' });
    const trace = db.prepare('INSERT INTO document_traces (doc_key, trace_id) VALUES (?, ?)');
    trace.run('ch_planned:txn_1', 'txn_1');
    trace.run('ch_changed:txn_2', 'txn_2');
    trace.run('ch_new:txn_3', 'txn_3');
    db.prepare(`INSERT INTO metadata_write_backs (doc_key, done_at) VALUES ('cus_1:customer', NULL)`).run();
    db.prepare(`INSERT INTO invoice_payments (charge_id, invoice_id) VALUES ('pi_2', 'in_1'), ('ch_planned', 'in_2')`).run();
    db.prepare(`INSERT INTO credit_note_refunds (refund_id, credit_note_id) VALUES ('re_1', 'cn_1')`).run();
    db.prepare(`INSERT INTO payouts_itemised (payout_id, read_at) VALUES ('po_old', 'then')`).run();
    const transaction = db.prepare('INSERT INTO balance_transactions (id, source_id, payout_id, body) VALUES (?, ?, ?, ?)');
    transaction.run('txn_2', 'ch_changed', 'po_old', bt('txn_2'));
    transaction.run('txn_1', 'ch_planned', 'po_old', bt('txn_1'));
    transaction.run('txn_3', 'ch_new', null, bt('txn_3'));
    db.prepare(`INSERT INTO cursors (name, value) VALUES ('events', 'evt_9')`).run();
    const event = db.prepare(`INSERT INTO events (id, type, created, object_id, applied_at) VALUES (?, 'charge.updated', ?, ?, 'then')`);
    event.run('evt_2', 200, 'ch_planned');
    event.run('evt_1', 200, 'ch_planned');
    event.run('evt_0', 150, 'ch_planned');
    event.run('evt_3', 100, 'ch_new');
    db.prepare(`INSERT INTO related_objects (id, kind, body) VALUES ('prod_1', 'product', '{"id":"prod_1","object":"product","name":"Widget"}')`).run();
    db.close();
  }

  it('upgrades a ledger in place: what was unplanned is queued, documents keep their states, Sage references and traces', () => {
    ledgerAtVersion8();
    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.objects.objectsToPlan(10, null).map((stored) => stored.id)).toEqual(['po_new', 'ch_changed', 'ch_new']);
      expect(ledger.objects.objectsToPlan(10, null, 'charge').map((stored) => stored.id)).toEqual(['ch_changed', 'ch_new']);
      expect(ledger.objects.objectsToPlan(10, { created: 101, id: 'ch_changed' }).map((stored) => stored.id)).toEqual(['ch_new']);

      expect(ledger.documents.countDocuments()).toEqual({ planned: 0, writing: 1, written: 2, failed: 1, dead: 0, skipped: 1, shadow: 0 });
      const written = ledger.documents.getDocument('ch_planned:txn_1')!;
      expect([written.state, written.attempts, written.ref]).toEqual(['written', 1, { docKey: 'ch_planned:txn_1', sageTable: 'tglTransaction', sageKey: 7, sageNumber: 'GJ-7', batchKey: 3 }]);
      const failed = ledger.documents.getDocument('ch_new:txn_3')!;
      expect([failed.state, failed.errorClass, failed.lastError]).toEqual(['failed', 'transient', 'timeout']);
      expect(ledger.documents.getDocument('ch_changed:txn_2')?.state).toBe('writing');
      expect(ledger.documents.getDocument('cus_2:customer')?.skipReason).toBe('keyed by hand');
      expect(ledger.documents.isTraceBooked('txn_1')).toBe(true);
      expect(ledger.documents.isTraceBooked('txn_2')).toBe(false);
      expect(ledger.documents.documentsTracing('txn_3').map((stored) => stored.docKey)).toEqual(['ch_new:txn_3']);
      expect(ledger.documents.pendingWriteBacks(10).map((stored) => stored.docKey)).toEqual(['cus_1:customer']);

      // The PaymentIntent column was filled from the bodies, whether the intent was expanded or not.
      expect(ledger.objects.chargesPayingInvoice('in_1')).toEqual(['ch_changed']);
      expect(ledger.objects.chargesPayingInvoice('in_2')).toEqual(['ch_planned']);
      expect(ledger.objects.invoiceForCharge('ch_planned')).toBe('in_2');
      expect(ledger.objects.creditNoteForRefund('re_1')).toBe('cn_1');
      expect(ledger.objects.isPayoutItemised('po_old')).toBe(true);
      expect(ledger.objects.payoutItemsAfter('po_old', null, 10).map((item) => item.id)).toEqual(['txn_1', 'txn_2']);
      expect(ledger.objects.payoutItemsAfter('po_old', 'txn_1', 10).map((item) => item.id)).toEqual(['txn_2']);
      expect(ledger.objects.balanceTransactionsOfSource('ch_new')).toEqual([{ transaction: JSON.parse(bt('txn_3')), payoutId: null }]);
      expect(ledger.runs.getCursor('events')).toBe('evt_9');
      expect(ledger.objects.eventIdsForObject('ch_planned')).toEqual(['evt_0', 'evt_1', 'evt_2']);
      expect(ledger.related.getRelatedObject('prod_1')).toEqual({ id: 'prod_1', object: 'product', name: 'Widget' });
    } finally {
      ledger.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const definition = (table: string) => (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).get(table) as { sql: string }).sql;
      // related_objects is a rowid table again since migration 23 (its own case below).
      for (const table of ['document_traces', 'invoice_payments', 'credit_note_refunds', 'payouts_itemised', 'cursors', 'metadata_write_backs']) {
        expect(definition(table)).toMatch(/WITHOUT ROWID$/);
      }
      expect(definition('stripe_objects')).not.toMatch(/planned_hash|body_hash/);
      const plan = (query: string) => (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all('x') as { detail: string }[]).map((row) => row.detail).join('; ');
      expect(plan('SELECT id, type, created FROM events WHERE object_id = ? ORDER BY created, id')).toBe('SEARCH events USING INDEX events_object (object_id=?)');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('after the upgrade, planning empties the queue, a changed body joins it again and an unchanged one does not', () => {
    ledgerAtVersion8();
    const ledger = new SqliteLedger(file);
    try {
      ledger.objects.markPlanned(['po_new', 'ch_changed', 'ch_new']);
      expect(ledger.objects.objectsToPlan(10, null)).toEqual([]);
      const stored = ledger.objects.getObject('ch_new')!.object;
      expect(ledger.objects.upsertObjects([stored])).toBe(0);
      expect(ledger.objects.objectsToPlan(10, null)).toEqual([]);
      expect(ledger.objects.upsertObjects([{ ...stored, description: 'changed' } as typeof stored])).toBe(1);
      expect(ledger.objects.objectsToPlan(10, null).map((row) => row.id)).toEqual(['ch_new']);
      expect(ledger.objects.replanObjects(['ch_planned', 'ch_new', 'ch_unknown'])).toBe(2);
      expect(ledger.objects.objectsToPlan(10, null).map((row) => row.id)).toEqual(['ch_planned', 'ch_new']);
    } finally {
      ledger.close();
    }
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = ON');
      // A document's trace must still name a document: the rebuilt table keeps its reference.
      expect(() => db.prepare(`INSERT INTO document_traces (doc_key, trace_id) VALUES ('no_such_document', 'txn_9')`).run()).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });
});

describe('migration 12: payout items as rows of their own', () => {
  const bt = (id: string, source: string | null) => ({ id, object: 'balance_transaction', amount: 100, created: 100, source });

  /** A ledger at schema 11: transactions in two payouts (one still being itemised), one in none. */
  function ledgerAtVersion11(): void {
    const db = new Database(file);
    for (let version = 0; version < 11; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 11');
    db.prepare(`INSERT INTO payouts_itemised (payout_id, read_at) VALUES ('po_done', 'then')`).run();
    const transaction = db.prepare('INSERT INTO balance_transactions (id, source_id, payout_id, body) VALUES (?, ?, ?, ?)');
    for (const [id, source, payout] of [
      ['txn_b', 'ch_1', 'po_done'],
      ['txn_a', 'ch_2', 'po_done'],
      ['txn_c', 'ch_1', 'po_half'],
      ['txn_d', 'ch_3', null],
    ] as const) {
      transaction.run(id, source, payout, JSON.stringify(bt(id, source)));
    }
    db.close();
  }

  it('every transaction keeps its payout; the transaction rows lose the column and index, and are not rewritten to join a payout', () => {
    ledgerAtVersion11();
    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.objects.payoutItems('po_done')?.map((item) => item.id)).toEqual(['txn_a', 'txn_b']);
      expect(ledger.objects.payoutItemsAfter('po_done', 'txn_a', 10).map((item) => item.id)).toEqual(['txn_b']);
      // A payout whose list was not read to the end has its items, and is still not itemised.
      expect(ledger.objects.payoutItems('po_half')).toBeNull();
      expect(ledger.objects.payoutItemsAfter('po_half', null, 10).map((item) => item.id)).toEqual(['txn_c']);
      expect(ledger.objects.balanceTransactionsOfSource('ch_1').map(({ transaction, payoutId }) => [transaction.id, payoutId])).toEqual([
        ['txn_b', 'po_done'],
        ['txn_c', 'po_half'],
      ]);
      expect(ledger.objects.balanceTransactionsOfSource('ch_3').map(({ payoutId }) => payoutId)).toEqual([null]);

      // Read again from the history (no payout) and from the rest of the payout's list.
      ledger.objects.upsertBalanceTransactions([bt('txn_c', 'ch_1'), bt('txn_d', 'ch_3')] as never, null);
      ledger.objects.addPayoutItems([bt('txn_c', 'ch_1'), bt('txn_e', null)] as never, 'po_half');
      ledger.objects.markPayoutItemised('po_half');
      expect(ledger.objects.payoutItems('po_half')?.map((item) => item.id)).toEqual(['txn_c', 'txn_e']);
      expect(ledger.objects.balanceTransactionsOfSource('ch_3').map(({ payoutId }) => payoutId)).toEqual([null]);
    } finally {
      ledger.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('balance_transactions')`).all() as { name: string }[]).map((row) => row.name);
      // (`created` is migration 17's.)
      expect(columns).toEqual(['id', 'source_id', 'body', 'created']);
      expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'balance_transactions_payout_id'`).get()).toBeUndefined();
      expect((db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'payout_items'`).get() as { sql: string }).sql).toMatch(/WITHOUT ROWID$/);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM payout_items WHERE payout_id = ? AND id > ? ORDER BY id`).all('po', '') as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
      expect(plan).toMatch(/^SEARCH payout_items USING PRIMARY KEY \(payout_id=\? AND id>\?\)$/);
    } finally {
      db.close();
    }
  });
});

describe('migration 13: documents in flight as rows of their own, the documents table with its checks as comparisons', () => {
  const journal = (key: string, traceId: string) =>
    JSON.stringify({ type: 'journal', key, postDate: '2026-03-10', stripeObjectId: key.split(':')[0], lines: [{ acctNo: '1050-00', amount: '1.000', comment: 'x', traceId }] });
  const customer = (key: string) => JSON.stringify({ type: 'customer', key, stripeObjectId: key.split(':')[0] });

  /** A ledger as the release before left it (schema 12), with a document in every state, their traces and write-backs. */
  function ledgerAtVersion12(): void {
    const db = new Database(file);
    for (let version = 0; version < 12; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 12');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'now')`).run();
    const document = db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, attempts, error_class, last_error, next_attempt_at,
                              skip_reason, sage_table, sage_key, sage_number, batch_key, updated_at)
       VALUES (@key, @object, @type, @state, @sortKey, @body, 1, @attempts, @errorClass, @lastError, @nextAttemptAt, @skipReason, @sageTable, @sageKey, @sageNumber, @batchKey, @updatedAt)`,
    );
    type Columns = { attempts: number; errorClass: string | null; lastError: string | null; nextAttemptAt: string | null; skipReason: string | null; sageTable: string | null; sageKey: number | null; sageNumber: string | null; batchKey: number | null; updatedAt: string };
    const none: Columns = { attempts: 0, errorClass: null, lastError: null, nextAttemptAt: null, skipReason: null, sageTable: null, sageKey: null, sageNumber: null, batchKey: null, updatedAt: 'then' };
    const row = (key: string, state: string, sortKey: string, more: Partial<Columns> = {}) =>
      document.run({ ...none, key, object: key.split(':')[0], type: key.endsWith(':customer') ? 'customer' : 'journal', state, sortKey, body: key.endsWith(':customer') ? customer(key) : journal(key, `txn_${key.split(':')[0]}`), ...more });
    row('cus_w:customer', 'written', '0|cus_w', { attempts: 1, sageTable: 'tarCustomer', sageKey: 9, sageNumber: 'C9' });
    row('cus_i:customer', 'writing', '0|cus_i', { attempts: 1, updatedAt: 'started' });
    row('w:1', 'written', '1|2026-03-10|w:1', { attempts: 1, sageTable: 'tglTransaction', sageKey: 7, sageNumber: 'GJ-7', batchKey: 3 });
    row('i:1', 'writing', '1|2026-03-10|i:1', { attempts: 3, errorClass: 'transient', lastError: 'timeout', updatedAt: 'started' });
    row('p:1', 'planned', '1|2026-03-11|p:1', { errorClass: 'waiting', lastError: 'waits for its payout' });
    row('f:1', 'failed', '1|2026-03-12|f:1', { attempts: 1, errorClass: 'transient', lastError: 'timeout', nextAttemptAt: '2026-03-10T00:00:00.000Z' });
    row('d:1', 'dead', '1|2026-03-13|d:1', { attempts: 5, errorClass: 'transient', lastError: 'timeout' });
    row('s:1', 'skipped', '1|2026-03-14|s:1', { skipReason: 'keyed by hand' });
    row('h:1', 'shadow', '1|2026-03-15|h:1');
    const trace = db.prepare('INSERT INTO document_traces (doc_key, trace_id) VALUES (?, ?)');
    for (const key of ['w:1', 'i:1', 'p:1', 'f:1', 'd:1', 's:1', 'h:1']) trace.run(key, `txn_${key.split(':')[0]}`);
    db.prepare(`INSERT INTO metadata_write_backs (doc_key, done_at) VALUES ('cus_w:customer', NULL)`).run();
    db.close();
  }

  it('every document keeps its state, attempts, time, error, skip and Sage references; a writing one is in flight and is settled as before', () => {
    ledgerAtVersion12();
    const ledger = new SqliteLedger(file, { now: () => 'later' });
    try {
      const documents = ledger.documents;
      expect(documents.countDocuments()).toEqual({ planned: 1, writing: 2, written: 2, failed: 1, dead: 1, skipped: 1, shadow: 1 });
      expect(documents.documentsInState('writing', 10).map((doc) => [doc.docKey, doc.state, doc.attempts, doc.updatedAt, doc.errorClass, doc.lastError])).toEqual([
        ['cus_i:customer', 'writing', 1, 'started', null, null],
        ['i:1', 'writing', 3, 'started', 'transient', 'timeout'],
      ]);
      expect(documents.getDocument('w:1')).toMatchObject({ state: 'written', attempts: 1, updatedAt: 'then', ref: { docKey: 'w:1', sageTable: 'tglTransaction', sageKey: 7, sageNumber: 'GJ-7', batchKey: 3 } });
      expect(documents.getDocument('p:1')).toMatchObject({ state: 'planned', attempts: 0, errorClass: 'waiting', lastError: 'waits for its payout' });
      expect(documents.getDocument('d:1')).toMatchObject({ state: 'dead', attempts: 5 });
      expect(documents.getDocument('s:1')).toMatchObject({ state: 'skipped', skipReason: 'keyed by hand' });
      expect(documents.getDocument('h:1')?.state).toBe('shadow');
      expect(documents.documentsToWrite('2026-03-11T00:00:00.000Z', 10).map((doc) => doc.docKey)).toEqual(['p:1', 'f:1']);
      expect(documents.documentsNotWritten(10).map((doc) => doc.docKey)).toEqual(['p:1', 'f:1', 'd:1', 'h:1']);
      expect(documents.failedDocuments().map((doc) => doc.docKey)).toEqual(['f:1', 'd:1']);
      expect(documents.isTraceBooked('txn_w')).toBe(true);
      expect(documents.isTraceBooked('txn_i')).toBe(false);
      expect(documents.documentsTracing('txn_i').map((doc) => doc.state)).toEqual(['writing']);
      expect(documents.pendingWriteBacks(10).map((doc) => doc.docKey)).toEqual(['cus_w:customer']);
      // What recovery does with them: one was in Sage, the other goes back to planned, each counting the attempt it was on.
      documents.markWritten('i:1', { docKey: 'i:1', sageTable: 'tglTransaction', sageKey: 8, sageNumber: 'GJ-8', batchKey: 4 });
      documents.requeue(['cus_i:customer']);
      expect(documents.getDocument('i:1')).toMatchObject({ state: 'written', attempts: 3, errorClass: null, ref: { sageKey: 8 } });
      expect(documents.getDocument('cus_i:customer')).toMatchObject({ state: 'planned', attempts: 1 });
      expect(documents.countDocuments()).toEqual({ planned: 2, writing: 0, written: 3, failed: 1, dead: 1, skipped: 1, shadow: 1 });
    } finally {
      ledger.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect((db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'documents'`).get() as { sql: string }).sql).not.toMatch(/ IN \(/);
      const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
      expect(indexes).toEqual(['documents_due', 'documents_object']);
      // The tables referencing it were built anew and name it, clustered as before.
      const referencing = db
        .prepare(`SELECT m.name, m.sql FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f."table" = 'documents' ORDER BY m.name`)
        .all() as { name: string; sql: string }[];
      expect(referencing.map((table) => [table.name, /WITHOUT ROWID$/.test(table.sql)])).toEqual([
        ['document_traces', true],
        ['documents_writing', true],
        ['metadata_write_backs', true],
      ]);
      expect(db.prepare(`SELECT name FROM sqlite_schema WHERE sql LIKE '%rebuilt%'`).all()).toEqual([]);
      // The rows kept their order (the documents' rowids), and traces and write-backs still need their document.
      expect((db.prepare('SELECT doc_key FROM documents ORDER BY rowid').all() as { doc_key: string }[]).map((row) => row.doc_key)).toEqual([
        'cus_w:customer', 'cus_i:customer', 'w:1', 'i:1', 'p:1', 'f:1', 'd:1', 's:1', 'h:1',
      ]);
    } finally {
      db.close();
    }
    const writable = new Database(file);
    try {
      writable.pragma('foreign_keys = ON');
      expect(() => writable.prepare(`DELETE FROM documents WHERE doc_key = 'w:1'`).run()).toThrow(/FOREIGN KEY/);
      expect(() => writable.prepare(`DELETE FROM documents WHERE doc_key = 'cus_w:customer'`).run()).toThrow(/FOREIGN KEY/);
    } finally {
      writable.close();
    }
  });
});

describe("migration 14: journal lines beside the journals' traces", () => {
  const CLEARING = '1050-00';
  const line = (acctNo: string, amount: string, traceId: string) => ({ acctNo, amount, comment: `${traceId} ${acctNo}`, traceId });
  const journalBody = (key: string, lines: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'journal', key, postDate: '2026-03-10', stripeObjectId: key, description: key, lines, ...extra });
  const states = ['planned', 'writing', 'written', 'failed', 'dead', 'skipped', 'shadow'] as const;

  /**
   * A ledger at schema 12 (so migration 13 moves the one being written in flight first): a
   * journal in every state (each on clearing for its own transaction),
   * a written daily summary whose own lines trace the summary and whose parts carry the
   * per-transaction lines (traced only by its own lines, as migration 2 traced journals), a
   * written arrival recorded with no lines (migration 6), a customer.
   */
  function journalsAtVersion12(): void {
    const db = new Database(file);
    for (let version = 0; version < 12; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 12');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'now')`).run();
    const document = db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, sage_key, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, 'then')`,
    );
    const trace = db.prepare('INSERT INTO document_traces (doc_key, trace_id) VALUES (?, ?)');
    const transaction = db.prepare('INSERT INTO balance_transactions (id, source_id, body) VALUES (?, NULL, ?)');
    for (const [index, state] of states.entries()) {
      const key = `ch_${state}`;
      const txn = `txn_${state}`;
      document.run(key, key, 'journal', state, `1|${key}`, journalBody(key, [line(CLEARING, `${index + 1}.000`, txn), line('4000-00', `-${index + 1}.000`, txn)]), state === 'written' ? index : null);
      trace.run(key, txn);
      transaction.run(txn, JSON.stringify({ id: txn, object: 'balance_transaction', created: 100 + index }));
    }
    const parts = [
      { key: 'ch_a', stripeObjectId: 'ch_a', lines: [line(CLEARING, '10.000', 'txn_a'), line('4000-00', '-10.000', 'txn_a')] },
      { key: 'ch_b', stripeObjectId: 'ch_b', lines: [line(CLEARING, '20.000', 'txn_b'), line('4000-00', '-20.000', 'txn_b')] },
    ];
    const summaryKey = 'daily:charges:2026-03-10';
    const summaryLines = [line(CLEARING, '30.000', summaryKey), line('4000-00', '-30.000', summaryKey)];
    document.run(summaryKey, 'ch_a', 'journal', 'written', `1|${summaryKey}`, journalBody(summaryKey, summaryLines, { summary: { kind: 'charges', day: '2026-03-10', parts } }), 20);
    // Traced as migration 2 traced a journal, by its own lines only: its parts' transactions have no trace row yet.
    trace.run(summaryKey, summaryKey);
    document.run('po_1:arrived', 'po_1', 'journal', 'written', '1|po_1:arrived', journalBody('po_1:arrived', []), 21);
    document.run('cus_1:customer', 'cus_1', 'customer', 'written', '0|cus_1', JSON.stringify({ type: 'customer', key: 'cus_1:customer' }), 22);
    db.close();
  }

  it("fills every journal's trace rows with its lines, a summary's from its parts; the reads find the written lines and the unwritten stay withdrawable", () => {
    journalsAtVersion12();
    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.documents.countDocuments()).toEqual({ planned: 1, writing: 1, written: 4, failed: 1, dead: 1, skipped: 1, shadow: 1 });
      expect(
        ledger.reconciliation
          .writtenLinesOnAccount(CLEARING)
          .map((entry) => `${entry.traceId} ${entry.amount}`)
          .sort(),
      ).toEqual(['txn_a 10.000', 'txn_b 20.000', 'txn_written 3.000']);
      expect(ledger.reconciliation.writtenLinesOnAccount('4000-00')).toHaveLength(3);
      expect([...ledger.reconciliation.tracesOnAccount(CLEARING, null, 1_000)].map((trace) => [trace.traceId, trace.booked])).toEqual([
        ['txn_a', ['10.000']],
        ['txn_b', ['20.000']],
        ['txn_dead', []],
        ['txn_failed', []],
        ['txn_planned', []],
        ['txn_shadow', []],
        ['txn_skipped', []],
        ['txn_writing', []],
        ['txn_written', ['3.000']],
      ]);
      expect(ledger.reconciliation.writtenAmountsOnAccountUpTo(CLEARING, 102, 'none')).toEqual(['3.000']);
      // Written later (its lines were filled while it was writing), and withdrawn: the rows follow.
      ledger.documents.markWrittenAll([{ docKey: 'ch_writing', ref: { docKey: 'ch_writing', sageTable: 'tglTransaction', sageKey: 30, sageNumber: 'GJ-30', batchKey: 1 } }]);
      // (txn_a and txn_b are no stored transaction: not counted up to a time.)
      expect(ledger.reconciliation.writtenAmountsOnAccountUpTo(CLEARING, 1_000, 'none').sort()).toEqual(['2.000', '3.000']);
      expect(ledger.documents.withdrawDocuments(['ch_planned', 'ch_failed', 'ch_dead', 'ch_shadow'])).toBe(4);
    } finally {
      ledger.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT doc_key, trace_id, lines FROM document_traces ORDER BY doc_key, trace_id').raw(true).all();
      expect(rows).toEqual([
        ['ch_skipped', 'txn_skipped', JSON.stringify([[CLEARING, '6.000'], ['4000-00', '-6.000']])],
        ['ch_writing', 'txn_writing', JSON.stringify([[CLEARING, '2.000'], ['4000-00', '-2.000']])],
        ['ch_written', 'txn_written', JSON.stringify([[CLEARING, '3.000'], ['4000-00', '-3.000']])],
        ['daily:charges:2026-03-10', 'daily:charges:2026-03-10', null],
        ['daily:charges:2026-03-10', 'txn_a', JSON.stringify([[CLEARING, '10.000'], ['4000-00', '-10.000']])],
        ['daily:charges:2026-03-10', 'txn_b', JSON.stringify([[CLEARING, '20.000'], ['4000-00', '-20.000']])],
      ]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

/** Every transaction no document claims, at mapping `version`, read here from the schema (the plan-alone pass's full read, as plain SQL). */
function unclaimed(db: Database.Database, version: number): string[] {
  return db
    .prepare(
      `SELECT id FROM balance_transactions WHERE id NOT IN (
         SELECT t.trace_id FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
         WHERE d.stripe_object_id <> t.trace_id OR d.state IN ('written', 'skipped') OR d.doc_key IN (SELECT doc_key FROM documents_writing) OR d.mapping_version = ?)
       ORDER BY json_extract(body, '$.created'), id`,
    )
    .pluck()
    .all(version) as string[];
}

describe('migration 15: the plan-alone pass carried from run to run', () => {
  /**
   * A ledger at schema 14 under mapping 2: transactions whose own journals (of mapping 1) are
   * planned, written, skipped and in flight, one traced by a charge's failed journal, one with
   * no journal at all.
   */
  function ledgerAtVersion14(): void {
    const db = new Database(file);
    for (let version = 0; version < 14; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 14');
    db.exec(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'then'), (2, '{}', 'now')`);
    const transaction = db.prepare(`INSERT INTO balance_transactions (id, source_id, body) VALUES (?, NULL, ?)`);
    const document = db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at) VALUES (?, ?, 'journal', ?, ?, '{}', 1, 'then')`,
    );
    const trace = db.prepare(`INSERT INTO document_traces (doc_key, trace_id, lines) VALUES (?, ?, NULL)`);
    const own = [
      ['txn_planned', 'planned'],
      ['txn_written', 'written'],
      ['txn_skipped', 'skipped'],
      ['txn_writing', 'planned'],
    ] as const;
    for (const [index, id] of ['txn_planned', 'txn_written', 'txn_skipped', 'txn_writing', 'txn_charged', 'txn_alone'].entries()) {
      transaction.run(id, JSON.stringify({ id, object: 'balance_transaction', type: 'adjustment', created: 200 - index }));
    }
    for (const [id, state] of own) {
      document.run(`${id}:${id}`, id, state, `1|${id}`);
      trace.run(`${id}:${id}`, id);
    }
    db.prepare(`INSERT INTO documents_writing (doc_key, started_at) VALUES ('txn_writing:txn_writing', 'then')`).run();
    document.run('ch_1:journal', 'ch_1', 'failed', '1|ch_1');
    trace.run('ch_1:journal', 'txn_charged');
    db.close();
  }

  it('the first pass after the upgrade reads every transaction; the next read what changed and answer the same', () => {
    ledgerAtVersion14();
    const ledger = new SqliteLedger(file);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM plan_alone_carry').pluck().get()).toBe(0);
      const ids = (): string[] => ledger.reconciliation.balanceTransactionsToPlanAlone(2).map((transaction) => transaction.id);
      expect(unclaimed(db, 2)).toEqual(['txn_alone', 'txn_planned']);
      expect(ids()).toEqual(['txn_alone', 'txn_planned']);
      expect(db.prepare('SELECT mapping_version, transactions_up_to, last_transaction_id FROM plan_alone_carry').raw(true).all()).toEqual([[2, 6, 'txn_alone']]);
      // The journal in flight leaves it unwritten and the charge's is withdrawn: their transactions are to plan alone now.
      ledger.documents.requeue(['txn_writing:txn_writing']);
      expect(ledger.documents.withdrawDocuments(['ch_1:journal'])).toBe(1);
      expect(unclaimed(db, 2)).toEqual(['txn_alone', 'txn_charged', 'txn_writing', 'txn_planned']);
      expect(ids()).toEqual(['txn_alone', 'txn_charged', 'txn_writing', 'txn_planned']);
    } finally {
      db.close();
      ledger.close();
    }
  });
});

describe("migration 16: the drift checks' lists", () => {
  const DAY = 86_400;
  const line = (acctNo: string, amount: string, traceId: string) => ({ acctNo, amount, comment: traceId, traceId });
  const journalBody = (key: string, objectId: string, traceId: string) =>
    JSON.stringify({ type: 'journal', key, postDate: '2026-03-10', stripeObjectId: objectId, description: key, lines: [line('1050-00', '1.000', traceId), line('4000-00', '-1.000', traceId)] });

  /**
   * A ledger at schema 15 with one of each finding the drift checks make from their lists, all
   * stored before the lists and their triggers existed: an adjustment no journal books, a
   * succeeded charge whose transaction is booked only by a failed journal, and a charge stored
   * again after its journal was written; and, booked or planned, what is no finding.
   */
  function ledgerAtVersion15(): void {
    const db = new Database(file);
    for (let version = 0; version < 15; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 15');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, 'then')`).run(JSON.stringify(mapping()));
    const object = db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, updated_at) VALUES (?, 'charge', ?, ?, ?)`);
    const transaction = db.prepare('INSERT INTO balance_transactions (id, source_id, body) VALUES (?, ?, ?)');
    const document = db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at) VALUES (?, ?, 'journal', ?, ?, ?, 1, ?)`,
    );
    const trace = db.prepare('INSERT INTO document_traces (doc_key, trace_id, lines) VALUES (?, ?, ?)');
    const store = (id: string, transactionId: string, updatedAt: string, state: string | null, writtenAt = '2026-03-20T10:00:00.000Z'): void => {
      object.run(id, T0, JSON.stringify(charge({ id, created: T0, balance_transaction: transactionId })), updatedAt);
      transaction.run(transactionId, id, JSON.stringify(bt({ id: transactionId, amount: 100, created: T0, source: id })));
      if (state === null) return;
      document.run(`doc_${id}`, id, state, `1|doc_${id}`, journalBody(`doc_${id}`, id, transactionId), writtenAt);
      trace.run(`doc_${id}`, transactionId, JSON.stringify([['1050-00', '1.000'], ['4000-00', '-1.000']]));
    };
    transaction.run('txn_adjustment', null, JSON.stringify(bt({ id: 'txn_adjustment', amount: -50, created: T0, type: 'adjustment', reporting_category: 'adjustment' })));
    store('ch_failed_journal', 'txn_failed_journal', '2026-03-20T09:00:00.000Z', 'failed');
    store('ch_changed', 'txn_changed', '2026-03-20T11:00:00.000Z', 'written');
    store('ch_booked', 'txn_booked', '2026-03-20T09:00:00.000Z', 'written');
    db.close();
  }

  it('the first check after the upgrade builds the lists from the history: every finding made before the lists existed is found', () => {
    ledgerAtVersion15();
    const ledger = new SqliteLedger(file);
    try {
      checkDrift({ ledger, nowSeconds: () => T0 + 10 * DAY } as unknown as RunContext);
      expect(
        ledger.reconciliation
          .driftFindings()
          .map((finding) => `${finding.kind} ${finding.objectId}`)
          .sort(),
      ).toEqual([
        'charge-without-fees ch_failed_journal',
        'object-changed-after-writing ch_changed',
        'transaction-not-in-sage txn_adjustment',
        'transaction-not-in-sage txn_failed_journal',
      ]);
      // Built once: the next check follows what changed.
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    } finally {
      ledger.close();
    }
  });
});

describe("migration 17: the balance transactions' created time as a column, the balance proof's carry and its change log", () => {
  const CLEARING = '1050-00';

  /** A ledger at schema 16: transactions with a numeric, a text and no `created`, a written and a planned journal. */
  function ledgerAtVersion16(): void {
    const db = new Database(file);
    for (let version = 0; version < 16; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 16');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'now')`).run();
    const transaction = db.prepare('INSERT INTO balance_transactions (id, source_id, body) VALUES (?, NULL, ?)');
    const body = (id: string, created: unknown) => JSON.stringify({ id, object: 'balance_transaction', currency: 'usd', type: 'charge', reporting_category: 'charge', net: 1000, created });
    transaction.run('txn_a', body('txn_a', 100));
    transaction.run('txn_b', body('txn_b', 200));
    transaction.run('txn_text', body('txn_text', '150'));
    transaction.run('txn_none', JSON.stringify({ id: 'txn_none', object: 'balance_transaction' }));
    const document = db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at) VALUES (?, ?, 'journal', ?, ?, '{}', 1, 'then')`,
    );
    const trace = db.prepare('INSERT INTO document_traces (doc_key, trace_id, lines) VALUES (?, ?, ?)');
    document.run('ch_a', 'ch_a', 'written', '1|ch_a');
    trace.run('ch_a', 'txn_a', JSON.stringify([[CLEARING, '10.000'], ['4000-00', '-10.000']]));
    document.run('ch_b', 'ch_b', 'planned', '1|ch_b');
    trace.run('ch_b', 'txn_b', JSON.stringify([[CLEARING, '10.000'], ['4000-00', '-10.000']]));
    db.close();
  }

  it('fills created from the bodies (a number only), reads by it through its index, and logs changes only once a carry exists', () => {
    ledgerAtVersion16();
    const ledger = new SqliteLedger(file);
    try {
      const since = ledger.reconciliation.tracesOnAccountSince(CLEARING, null, 1_000, 150, []);
      expect(since.map((trace) => [trace.traceId, trace.booked])).toEqual([['txn_b', []]]);
      expect(ledger.reconciliation.tracesOnAccountSince(CLEARING, null, 1_000, 0, []).map((trace) => [trace.traceId, trace.booked])).toEqual([
        ['txn_a', ['10.000']],
        ['txn_b', []],
      ]);
      expect(ledger.reconciliation.balanceProofCarry()).toBeNull();
      // No carry: nothing is logged.
      ledger.documents.markWritten('ch_b', { docKey: 'ch_b', sageTable: 'tglJournal', sageKey: 2, sageNumber: 'GJ-2', batchKey: 1 });
      expect(ledger.reconciliation.balanceProofChanges(CLEARING)).toEqual({ transactionIds: [], lineTraceIds: [], through: 0 });
      ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: 150, body: '{}' }, 0);
      expect(ledger.reconciliation.balanceProofCarry()).toEqual({ settledUpTo: 150, body: '{}' });
      ledger.documents.markFailed('ch_b', { errorClass: 'sage', message: 'x', nextAttemptAt: null, dead: false });
      ledger.objects.upsertBalanceTransactions([{ id: 'txn_c', object: 'balance_transaction', currency: 'usd', type: 'charge', reporting_category: 'charge', source: null, net: 5, created: 120 } as never], null);
      const changes = ledger.reconciliation.balanceProofChanges(CLEARING);
      expect(changes.transactionIds).toEqual(['txn_c']);
      expect(changes.lineTraceIds).toEqual(['txn_b']);
      ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: 150, body: '{}' }, changes.through);
      expect(ledger.reconciliation.balanceProofChanges(CLEARING)).toEqual({ transactionIds: [], lineTraceIds: [], through: 0 });
    } finally {
      ledger.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT id, created FROM balance_transactions ORDER BY id').raw(true).all()).toEqual([
        ['txn_a', 100],
        ['txn_b', 200],
        ['txn_c', 120],
        ['txn_none', null],
        ['txn_text', null],
      ]);
      const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT id FROM balance_transactions WHERE created > ? AND created <= ?').all(1, 2) as { detail: string }[]).map((row) => row.detail).join('; ');
      expect(plan).toMatch(/USING (COVERING )?INDEX balance_transactions_created/);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('migration 18: the drift lists find rows stored by rowid', () => {
  const DAY = 86_400;

  it("a schema-17 ledger's first check reads the history, and the next find what was stored since by rowid", () => {
    const db = new Database(file);
    for (let version = 0; version < 17; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 17');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, 'then')`).run(JSON.stringify(mapping()));
    const object = db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, updated_at) VALUES (?, 'charge', ?, ?, 'then')`);
    const transaction = db.prepare('INSERT INTO balance_transactions (id, source_id, body) VALUES (?, ?, ?)');
    for (const id of ['ch_unbooked', 'ch_booked']) {
      object.run(id, T0, JSON.stringify(charge({ id, created: T0, balance_transaction: `txn_${id}` })));
      transaction.run(`txn_${id}`, id, JSON.stringify(bt({ id: `txn_${id}`, amount: 100, created: T0, source: id })));
    }
    db.prepare(`INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at) VALUES ('doc_b', 'ch_booked', 'journal', 'written', '1|doc_b', '{}', 1, 'zzz')`).run();
    db.prepare(`INSERT INTO document_traces (doc_key, trace_id, lines) VALUES ('doc_b', 'txn_ch_booked', NULL)`).run();
    // As a check of the schema-17 release leaves it: lists built, nothing stale.
    db.exec('DELETE FROM drift_lists_stale');
    db.close();

    const ledger = new SqliteLedger(file);
    const findings = (): string[] =>
      ledger.reconciliation
        .driftFindings()
        .map((finding) => `${finding.kind} ${finding.objectId}`)
        .sort();
    try {
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
      checkDrift({ ledger, nowSeconds: () => T0 + 10 * DAY } as unknown as RunContext);
      expect(findings()).toEqual(['charge-without-fees ch_unbooked', 'transaction-not-in-sage txn_ch_unbooked']);
      ledger.objects.upsertObjects([charge({ id: 'ch_new', created: T0, balance_transaction: null })]);
      ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_new', amount: 100, created: T0, type: 'adjustment', reporting_category: 'adjustment' })], null);
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
      checkDrift({ ledger, nowSeconds: () => T0 + 10 * DAY } as unknown as RunContext);
      expect(findings()).toEqual(['charge-without-fees ch_new', 'charge-without-fees ch_unbooked', 'transaction-not-in-sage txn_ch_unbooked', 'transaction-not-in-sage txn_new']);
    } finally {
      ledger.close();
    }
  });
});

describe('migration 19: a balance transaction deleted is logged for the balance proof', () => {
  it("a schema-18 ledger's carry is not trusted after the upgrade (a deletion before it went unlogged); once a proof saved one, a transaction of its settled past deleted by hand is logged", () => {
    const db = new Database(file);
    for (let version = 0; version < 18; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 18');
    const body = (id: string, created: number) => JSON.stringify({ id, object: 'balance_transaction', currency: 'usd', type: 'charge', reporting_category: 'charge', net: 1000, created });
    db.prepare('INSERT INTO balance_transactions (id, source_id, created, body) VALUES (?, NULL, ?, ?)').run('txn_old', 100, body('txn_old', 100));
    db.prepare('INSERT INTO balance_transactions (id, source_id, created, body) VALUES (?, NULL, ?, ?)').run('txn_new', 300, body('txn_new', 300));
    db.prepare('INSERT INTO balance_proof_carry (id, settled_up_to, schema_version, body) VALUES (1, 200, 18, ?)').run('{}');
    db.close();
    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.reconciliation.balanceProofCarry()).toBeNull();
      ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: 200, body: '{}' }, 0);
      expect(ledger.reconciliation.balanceProofCarry()).toEqual({ settledUpTo: 200, body: '{}' });
      const raw = new Database(file);
      raw.prepare('DELETE FROM balance_transactions WHERE id IN (?, ?)').run('txn_old', 'txn_new');
      raw.close();
      expect(ledger.reconciliation.balanceProofChanges('1050-00').transactionIds).toEqual(['txn_old']);
    } finally {
      ledger.close();
    }
  });
});

describe('migration 20: the plan-alone triggers made complete and gated', () => {
  const before = MIGRATIONS.indexOf(v20PlanAloneTriggers);

  /**
   * A ledger at the schema before: a transaction claimed by its own journal, one by a charge's,
   * one unclaimed, and the pass's carry of that; then the charge's trace row moved to another
   * transaction by hand, which no trigger of that schema watched, so the carry misses txn_charged.
   */
  function ledgerWithStaleCarry(): void {
    const db = new Database(file);
    for (let version = 0; version < before; version++) MIGRATIONS[version]!(db);
    db.pragma(`user_version = ${before}`);
    db.exec(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'then'), (2, '{}', 'now')`);
    const transaction = db.prepare(`INSERT INTO balance_transactions (id, source_id, body) VALUES (?, NULL, ?)`);
    for (const [index, id] of ['txn_own', 'txn_charged', 'txn_alone'].entries()) transaction.run(id, JSON.stringify({ id, object: 'balance_transaction', type: 'adjustment', created: 100 + index }));
    const document = db.prepare(`INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at) VALUES (?, ?, 'journal', 'planned', ?, '{}', ?, 'then')`);
    document.run('txn_own:txn_own', 'txn_own', '1|txn_own', 2);
    document.run('ch_1:journal', 'ch_1', '1|ch_1', 1);
    db.exec(`INSERT INTO document_traces (doc_key, trace_id, lines) VALUES ('txn_own:txn_own', 'txn_own', NULL), ('ch_1:journal', 'txn_charged', NULL);
      INSERT INTO plan_alone_carry (only_row, mapping_version, transactions_up_to, last_transaction_id) VALUES (1, 2, 3, 'txn_alone');
      INSERT INTO plan_alone_recheck (id) VALUES ('txn_alone');
      UPDATE document_traces SET trace_id = 'txn_own' WHERE doc_key = 'ch_1:journal';`);
    expect(db.prepare('SELECT COUNT(*) FROM plan_alone_carry').pluck().get()).toBe(1);
    db.close();
  }

  it('empties the carry made without them, so the first pass reads every transaction; a change in place then drops the carry', () => {
    ledgerWithStaleCarry();
    const ledger = new SqliteLedger(file);
    const db = new Database(file, { readonly: true });
    try {
      const carry = (): unknown[] => db.prepare('SELECT mapping_version, transactions_up_to, last_transaction_id FROM plan_alone_carry').raw(true).all();
      expect(carry()).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) FROM plan_alone_recheck').pluck().get()).toBe(0);
      const ids = (): string[] => ledger.reconciliation.balanceTransactionsToPlanAlone(2).map((transaction) => transaction.id);
      expect(unclaimed(db, 2)).toEqual(['txn_charged', 'txn_alone']);
      expect(ids()).toEqual(['txn_charged', 'txn_alone']);
      expect(carry()).toEqual([[2, 3, 'txn_alone']]);
      // Since migration 23 the triggers exist with the carry (carry-triggers.ts).
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'plan_alone%' ORDER BY name`).pluck().all()).toEqual(PLAN_ALONE_TRIGGERS.map((trigger) => trigger.name).sort());
      const writer = new Database(file);
      try {
        writer.exec(`UPDATE document_traces SET trace_id = 'txn_alone' WHERE doc_key = 'ch_1:journal'`);
      } finally {
        writer.close();
      }
      expect(carry()).toEqual([]);
      expect(unclaimed(db, 2)).toEqual(['txn_charged']);
      expect(ids()).toEqual(['txn_charged']);
    } finally {
      db.close();
    }
  });
});

describe('migration 21: the drift lists record the schema version they were brought up to date at', () => {
  it("a schema-20 ledger's lists, followed by rowid, are built from the history at the first check after the upgrade; the next follow the changes", () => {
    const db = new Database(file);
    for (let version = 0; version < 20; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 20');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, 'then')`).run(JSON.stringify(mapping()));
    db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, updated_at) VALUES ('ch_a', 'charge', ?, ?, 'then')`).run(T0, JSON.stringify(charge({ id: 'ch_a', created: T0, balance_transaction: 'txn_a' })));
    db.prepare(`INSERT INTO balance_transactions (id, source_id, created, body) VALUES ('txn_a', 'ch_a', ?, ?)`).run(T0, JSON.stringify(bt({ id: 'txn_a', amount: 100, created: T0, source: 'ch_a' })));
    // As a check of the schema-20 release leaves it: the charge and its transaction on the lists,
    // the last transaction seen, nothing stale; then the journal recorded written behind the lists.
    db.exec(`
      DELETE FROM drift_lists_stale;
      INSERT INTO drift_unbooked_charges (id) VALUES ('ch_a');
      INSERT INTO drift_unbooked_transactions (id) VALUES ('txn_a');
      INSERT INTO drift_transactions_seen (only_row, up_to, last_id) SELECT 1, rowid, id FROM balance_transactions;
      INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at) VALUES ('doc_a', 'ch_a', 'journal', 'written', '1|doc_a', '{}', 1, 'zzz');
      INSERT INTO document_traces (doc_key, trace_id, lines) VALUES ('doc_a', 'txn_a', NULL);
    `);
    db.close();

    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
      checkDrift({ ledger, nowSeconds: () => T0 + 10 * 86_400 } as unknown as RunContext);
      expect(ledger.reconciliation.driftFindings()).toEqual([]);
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    } finally {
      ledger.close();
    }
  });
});

describe('migration 22: a skipped document keeps its transactions off the drift lists, and leaving skipped makes the next check read the history', () => {
  it("a schema-21 ledger's skipped history is no drift after the upgrade; a rule's skip planned again puts its transaction back", () => {
    const db = new Database(file);
    for (let version = 0; version < 21; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 21');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, 'then')`).run(JSON.stringify(mapping()));
    for (const id of ['a', 'b']) {
      db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, updated_at) VALUES (?, 'charge', ?, ?, 'then')`).run(`ch_${id}`, T0, JSON.stringify(charge({ id: `ch_${id}`, created: T0, balance_transaction: `txn_${id}` })));
      db.prepare(`INSERT INTO balance_transactions (id, source_id, created, body) VALUES (?, ?, ?, ?)`).run(`txn_${id}`, `ch_${id}`, T0, JSON.stringify(bt({ id: `txn_${id}`, amount: 100, created: T0, source: `ch_${id}` })));
    }
    // As a check of the schema-21 release leaves it: the skipped charges and their transactions on the lists.
    db.exec(`
      DELETE FROM drift_lists_stale;
      INSERT INTO drift_unbooked_charges (id) VALUES ('ch_a'), ('ch_b');
      INSERT INTO drift_unbooked_transactions (id) VALUES ('txn_a'), ('txn_b');
      INSERT INTO drift_transactions_seen (only_row, up_to, last_id, schema_version) SELECT 1, MAX(rowid), 'txn_b', 21 FROM balance_transactions;
      INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, updated_at, skip_reason) VALUES
        ('doc_a', 'ch_a', 'journal', 'skipped', '1|doc_a', '{}', 1, 'then', 'before go-live (2026-03-01): keyed by hand'),
        ('doc_b', 'ch_b', 'journal', 'skipped', '1|doc_b', '{}', 1, 'then', 'skipped by rule "Internal"');
      INSERT INTO document_traces (doc_key, trace_id, lines) VALUES ('doc_a', 'txn_a', NULL), ('doc_b', 'txn_b', NULL);
    `);
    db.close();

    const checkAt = (ledger: SqliteLedger) => checkDrift({ ledger, nowSeconds: () => T0 + 10 * 86_400 } as unknown as RunContext);
    const found = (ledger: SqliteLedger) => ledger.reconciliation.driftFindings().map((finding) => `${finding.kind} ${finding.objectId}`);
    let ledger = new SqliteLedger(file);
    try {
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
      checkAt(ledger);
      expect(found(ledger)).toEqual([]);
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    } finally {
      ledger.close();
    }
    // The rule's skip set back to planned (as a new plan with another body does).
    const raw = new Database(file);
    raw.exec(`UPDATE documents SET state = 'planned', skip_reason = NULL WHERE doc_key = 'doc_b'`);
    raw.close();
    ledger = new SqliteLedger(file);
    try {
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
      checkAt(ledger);
      expect(found(ledger)).toEqual(['charge-without-fees ch_b', 'transaction-not-in-sage txn_b']);
    } finally {
      ledger.close();
    }
  });
});

describe("migration 23: the carries' triggers created with their first carry, not by a migration", () => {
  const CARRY_TRIGGER = `SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'plan_alone%' OR name LIKE 'balance_proof%' OR name LIKE 'drift%') ORDER BY name`;

  /**
   * A ledger at schema 22 as a site's ordinary runs leave it: every carry saved, with its
   * triggers (created by migrations 15 to 22): an unbooked charge and its transaction on the
   * drift lists, the plan-alone pass's carry naming that transaction, the balance proof's carry.
   */
  function ledgerAtVersion22(): void {
    const db = new Database(file);
    for (let version = 0; version < 22; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 22');
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, 'then')`).run(JSON.stringify(mapping()));
    db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, updated_at) VALUES ('ch_a', 'charge', ?, ?, 'then')`).run(T0, JSON.stringify(charge({ id: 'ch_a', created: T0, balance_transaction: 'txn_a' })));
    db.prepare(`INSERT INTO balance_transactions (id, source_id, created, body) VALUES ('txn_a', 'ch_a', ?, ?)`).run(T0, JSON.stringify(bt({ id: 'txn_a', amount: 100, created: T0, source: 'ch_a' })));
    db.exec(`
      DELETE FROM drift_lists_stale;
      INSERT INTO drift_unbooked_charges (id) VALUES ('ch_a');
      INSERT INTO drift_unbooked_transactions (id) VALUES ('txn_a');
      INSERT INTO drift_transactions_seen (only_row, up_to, last_id, schema_version) SELECT 1, rowid, id, 22 FROM balance_transactions;
      INSERT INTO plan_alone_carry (only_row, mapping_version, transactions_up_to, last_transaction_id) SELECT 1, 1, rowid, id FROM balance_transactions;
      INSERT INTO plan_alone_recheck (id) VALUES ('txn_a');
      INSERT INTO balance_proof_carry (id, settled_up_to, schema_version, body) VALUES (1, ${T0 + 3_600}, 22, '{}');
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES ('txn_a', 'transaction');
    `);
    expect(db.prepare(CARRY_TRIGGER).pluck().all()).toHaveLength(21);
    db.close();
  }

  it('drops every carry with its triggers; the first pass, check and proof read in full and put their triggers back, and they record again', () => {
    ledgerAtVersion22();
    const ledger = new SqliteLedger(file);
    const db = new Database(file, { readonly: true });
    const count = (table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    try {
      expect(db.prepare(CARRY_TRIGGER).pluck().all()).toEqual([]);
      for (const table of ['plan_alone_carry', 'plan_alone_recheck', 'balance_proof_carry', 'balance_proof_changes', 'drift_transactions_seen']) expect(count(table)).toBe(0);
      // Nothing carried: a stored object is not recorded for the drift lists, a late transaction not logged.
      ledger.objects.upsertObjects([charge({ id: 'ch_b', created: T0, balance_transaction: null })]);
      ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_b', amount: 200, created: T0 + 60, type: 'adjustment', reporting_category: 'adjustment' })], null);
      expect(count('drift_objects_changed')).toBe(0);
      expect(count('balance_proof_changes')).toBe(0);

      expect(ledger.reconciliation.balanceTransactionsToPlanAlone(1).map((transaction) => transaction.id)).toEqual(['txn_a', 'txn_b']);
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
      checkDrift({ ledger, nowSeconds: () => T0 + 10 * 86_400 } as unknown as RunContext);
      expect(ledger.reconciliation.driftFindings().map((finding) => `${finding.kind} ${finding.objectId}`)).toEqual([
        'charge-without-fees ch_a',
        'charge-without-fees ch_b',
        'transaction-not-in-sage txn_a',
        'transaction-not-in-sage txn_b',
      ]);
      expect(ledger.reconciliation.balanceProofCarry()).toBeNull();
      ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: T0 + 3_600, body: '{}' }, 0);
      expect(db.prepare(CARRY_TRIGGER).pluck().all()).toHaveLength(21);

      ledger.objects.upsertObjects([charge({ id: 'ch_c', created: T0, balance_transaction: null })]);
      ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_c', amount: 300, created: T0 + 120, type: 'adjustment', reporting_category: 'adjustment' })], null);
      expect(db.prepare('SELECT id FROM drift_objects_changed').pluck().all()).toEqual(['ch_c']);
      expect(ledger.reconciliation.balanceProofChanges('1050-00').transactionIds).toEqual(['txn_c']);
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    } finally {
      db.close();
      ledger.close();
    }
  });
});

describe('migration 24: related_objects as a rowid table, its rows appended and only the id in a random page', () => {
  it("a schema-23 ledger's PaymentIntents and Products are read and stored as before, by the key's index", () => {
    const db = new Database(file);
    for (let version = 0; version < 23; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 23');
    const stored: RuleRelatedObject[] = [
      { id: 'pi_b', object: 'payment_intent', metadata: { channel: 'web' }, name: null },
      { id: 'prod_a', object: 'product', metadata: {}, name: 'Widget' },
      { id: 'pi_a', object: 'payment_intent', metadata: {}, name: null },
    ];
    for (const object of stored) db.prepare('INSERT INTO related_objects (id, kind, body) VALUES (?, ?, ?)').run(object.id, object.object, JSON.stringify(object));
    db.close();

    const ledger = new SqliteLedger(file);
    try {
      for (const object of stored) expect(ledger.related.getRelatedObject(object.id)).toEqual(object);
      expect(ledger.related.getRelatedObject('pi_none')).toBeNull();
      const changed: RuleRelatedObject = { id: 'pi_b', object: 'payment_intent', metadata: { channel: 'phone' }, name: null };
      const added: RuleRelatedObject = { id: 'pi_c', object: 'payment_intent', metadata: {}, name: null };
      ledger.related.upsertRelatedObjects([changed, added]);
      expect(ledger.related.getRelatedObject('pi_b')).toEqual(changed);
      expect(ledger.related.getRelatedObject('pi_c')).toEqual(added);
    } finally {
      ledger.close();
    }
    const upgraded = new Database(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
      expect((upgraded.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'related_objects'`).get() as { sql: string }).sql).not.toMatch(/WITHOUT ROWID/);
      // Rows stored after the upgrade are appended: rowids in arrival order, whatever the id.
      expect(upgraded.prepare('SELECT id FROM related_objects ORDER BY rowid').pluck().all().slice(-1)).toEqual(['pi_c']);
      // The lookup is a seek by the key's index, not a scan.
      const plan = (upgraded.prepare('EXPLAIN QUERY PLAN SELECT body FROM related_objects WHERE id = ?').all('x') as { detail: string }[]).map((row) => row.detail);
      expect(plan).toEqual(['SEARCH related_objects USING INDEX sqlite_autoindex_related_objects_1 (id=?)']);
      expect(() => upgraded.prepare(`INSERT INTO related_objects (id, kind, body) VALUES ('ch_x', 'charge', '{}')`).run()).toThrow(/CHECK constraint failed/);
      expect(() => upgraded.prepare(`INSERT INTO related_objects (id, kind, body) VALUES ('pi_a', 'payment_intent', '{}')`).run()).toThrow(/UNIQUE constraint failed/);
      expect(upgraded.prepare('SELECT COUNT(*) FROM related_objects').pluck().get()).toBe(4);
    } finally {
      upgraded.close();
    }
  });
});

describe("migration 25: a document's error code and a user's reason for accepting Sage's journal", () => {
  it("a schema-24 ledger's failed journal reads with neither; once refused again with the code it is accepted with its reason, which stays", () => {
    const db = new Database(file);
    for (let version = 0; version < 24; version++) MIGRATIONS[version]!(db);
    db.pragma('user_version = 24');
    db.exec(`INSERT INTO mappings (version, body, saved_at) VALUES (1, '{}', 'then')`);
    const body = JSON.stringify({
      type: 'journal',
      key: 'ch_a:txn_a',
      postDate: '2026-03-10',
      stripeObjectId: 'ch_a',
      description: 'Stripe ch_a',
      lines: [
        { acctNo: '1050-00', amount: '10.000', comment: 'net', traceId: 'txn_a' },
        { acctNo: '4000-00', amount: '-10.000', comment: 'sale', traceId: 'txn_a' },
      ],
    });
    db.prepare(
      `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, error_class, last_error, updated_at)
       VALUES ('ch_a:txn_a', 'ch_a', 'journal', 'failed', '1|2026-03-10|ch_a:txn_a', ?, 1, 'data', 'refused before the upgrade', 'then')`,
    ).run(body);
    db.prepare(`INSERT INTO document_traces (doc_key, trace_id, lines) VALUES ('ch_a:txn_a', 'txn_a', NULL)`).run();
    db.close();

    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.documents.getDocument('ch_a:txn_a')).toMatchObject({ state: 'failed', errorClass: 'data', errorCode: null, lastError: 'refused before the upgrade', acceptReason: null });
      const ref = { docKey: 'ch_a:txn_a', sageTable: 'tglJournalHdr', sageKey: 5, sageNumber: '3', batchKey: 8 };
      // Refused before the upgrade: no code, so it cannot be accepted until a run refuses it again.
      expect(ledger.documents.acceptFoundJournals([{ docKey: 'ch_a:txn_a', ref }], 'found-journal-refused', 'entered by hand')).toEqual([]);
      ledger.documents.markFailed('ch_a:txn_a', { errorClass: 'data', errorCode: 'found-journal-refused', message: 'refused again', nextAttemptAt: null, dead: false });
      expect(ledger.documents.acceptFoundJournals([{ docKey: 'ch_a:txn_a', ref }], 'found-journal-refused', 'entered by hand')).toEqual(['ch_a:txn_a']);
    } finally {
      ledger.close();
    }
    const upgraded = new Database(file, { readonly: true });
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
      expect(upgraded.prepare(`SELECT state, error_code, accept_reason, sage_key, sage_number, batch_key FROM documents`).all()).toEqual([
        { state: 'written', error_code: null, accept_reason: 'entered by hand', sage_key: 5, sage_number: '3', batch_key: 8 },
      ]);
    } finally {
      upgraded.close();
    }
  });
});

/** Every trigger of every carry, as this release creates them. */
const ALL_CARRY_TRIGGERS = [...PLAN_ALONE_TRIGGERS, ...BALANCE_PROOF_TRIGGERS, ...DRIFT_STALE_TRIGGERS];

/**
 * A site's ledger at schema `version` (23 or later) as its ordinary runs leave it: a charge and its
 * transaction, every carry saved (the plan-alone pass's carry and recheck list, the balance
 * proof's carry and change log, the drift lists' mark with an unbooked charge and transaction),
 * and every carry's triggers in place, as saving the carries puts them.
 */
function siteLedgerAt(path: string, version: number): void {
  const db = new Database(path);
  try {
    db.pragma('foreign_keys = ON');
    for (let each = 0; each < version; each++) db.transaction(() => MIGRATIONS[each]!(db))();
    db.pragma(`user_version = ${version}`);
    db.prepare(`INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, 'then')`).run(JSON.stringify(mapping()));
    db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, updated_at) VALUES ('ch_a', 'charge', ?, ?, 'then')`).run(T0, JSON.stringify(charge({ id: 'ch_a', created: T0, balance_transaction: 'txn_a' })));
    db.prepare(`INSERT INTO balance_transactions (id, source_id, created, body) VALUES ('txn_a', 'ch_a', ?, ?)`).run(T0, JSON.stringify(bt({ id: 'txn_a', amount: 100, created: T0, source: 'ch_a' })));
    db.exec(`
      DELETE FROM drift_lists_stale;
      INSERT INTO drift_unbooked_charges (id) VALUES ('ch_a');
      INSERT INTO drift_unbooked_transactions (id) VALUES ('txn_a');
      INSERT INTO drift_transactions_seen (only_row, up_to, last_id, schema_version) SELECT 1, rowid, id, ${version} FROM balance_transactions;
      INSERT INTO plan_alone_carry (only_row, mapping_version, transactions_up_to, last_transaction_id) SELECT 1, 1, rowid, id FROM balance_transactions;
      INSERT INTO plan_alone_recheck (id) VALUES ('txn_a');
      INSERT INTO balance_proof_carry (id, settled_up_to, schema_version, body) VALUES (1, ${T0 + 3_600}, ${version}, '{}');
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES ('txn_a', 'transaction');
    `);
    for (const trigger of ALL_CARRY_TRIGGERS) db.exec(trigger.sql);
  } finally {
    db.close();
  }
}

/**
 * What a migration that rebuilds `table` does (migrations 10, 13 and 24): a copy with the same
 * definition, the rows copied, the table dropped, the copy renamed, the table's indexes made
 * again. Foreign keys off, as on a connection of its own: what is tested here is SQLite's check
 * of the triggers at the rename.
 */
function rebuildTable(db: Database.Database, table: string): void {
  const definition = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`).pluck().get(table) as string;
  const indexes = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).pluck().all(table) as string[];
  db.exec(definition.replace(/^CREATE TABLE\s+("?)\w+\1/, `CREATE TABLE ${table}_rebuilt`));
  db.exec(`INSERT INTO ${table}_rebuilt SELECT * FROM ${table}; DROP TABLE ${table}; ALTER TABLE ${table}_rebuilt RENAME TO ${table};`);
  for (const index of indexes) db.exec(index);
}

describe("a site's ledger: its carries saved, with their triggers", () => {
  const CARRY_TRIGGER_NAMES = `SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?)) ORDER BY name`;
  const triggerNames = JSON.stringify(ALL_CARRY_TRIGGERS.map((trigger) => trigger.name));

  it('is what this fixture builds: the ledger trusts every carry', () => {
    siteLedgerAt(file, LEDGER_SCHEMA_VERSION);
    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.reconciliation.balanceTransactionsToPlanAlone(1).map((transaction) => transaction.id)).toEqual(['txn_a']);
      expect(ledger.reconciliation.balanceProofCarry()).toEqual({ settledUpTo: T0 + 3_600, body: '{}' });
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    } finally {
      ledger.close();
    }
  });

  it('a migration can rebuild any of its tables once it dropped the carries (dropCarriesBeforeTableRebuild); without, seven fail at the rename', () => {
    siteLedgerAt(file, LEDGER_SCHEMA_VERSION);
    const db = new Database(file);
    try {
      const all = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
      const failed: string[] = [];
      for (const table of all) {
        db.exec('BEGIN');
        try {
          rebuildTable(db, table);
        } catch (error) {
          // SQLite checks every trigger after the rename: one on another table names the dropped one.
          expect(String(error)).toMatch(/error in trigger \w+: no such table: main\.\w+/);
          failed.push(table);
        } finally {
          db.exec('ROLLBACK');
        }
      }
      expect(failed).toEqual(['balance_proof_carry', 'balance_proof_changes', 'document_traces', 'documents', 'drift_lists_stale', 'plan_alone_carry', 'plan_alone_recheck']);

      for (const table of all) {
        db.exec('BEGIN');
        try {
          dropCarriesBeforeTableRebuild(db);
          expect(() => rebuildTable(db, table), table).not.toThrow();
          expect(db.prepare(CARRY_TRIGGER_NAMES).pluck().all(triggerNames)).toEqual([]);
        } finally {
          db.exec('ROLLBACK');
        }
      }
      db.transaction(() => {
        dropCarriesBeforeTableRebuild(db);
        rebuildTable(db, 'documents');
      })();
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }

    // After such a migration: nothing carried, so the first pass, check and proof read in full and put their triggers back.
    const ledger = new SqliteLedger(file);
    const raw = new Database(file, { readonly: true });
    try {
      for (const table of ['plan_alone_carry', 'plan_alone_recheck', 'balance_proof_carry', 'balance_proof_changes', 'drift_transactions_seen', 'drift_objects_changed', 'drift_documents_written']) {
        expect(raw.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
      }
      expect(ledger.reconciliation.balanceTransactionsToPlanAlone(1).map((transaction) => transaction.id)).toEqual(['txn_a']);
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
      expect(ledger.reconciliation.balanceProofCarry()).toBeNull();
      ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: T0 + 3_600, body: '{}' }, 0);
      expect(raw.prepare(CARRY_TRIGGER_NAMES).pluck().all(triggerNames)).toHaveLength(ALL_CARRY_TRIGGERS.length);
    } finally {
      raw.close();
      ledger.close();
    }
  });

  it('every migration after 23 upgrades it (the standing rule above, for each migration to come)', () => {
    for (let version = 23; version < LEDGER_SCHEMA_VERSION; version++) {
      const path = join(dir, `site-at-${version}.sqlite`);
      siteLedgerAt(path, version);
      new SqliteLedger(path).close();
      const db = new Database(path, { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true }), `from ${version}`).toBe(LEDGER_SCHEMA_VERSION);
      } finally {
        db.close();
      }
    }
  });
});
