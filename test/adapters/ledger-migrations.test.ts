import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../main/adapters/ledger/migrations.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { SageDocument } from '../../main/core/sage/documents.js';

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
