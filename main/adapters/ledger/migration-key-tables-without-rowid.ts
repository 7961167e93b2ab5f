import type Database from 'better-sqlite3';

/**
 * The ledger's small key tables as WITHOUT ROWID tables (issue #19, item 5): a table declared
 * with a text primary key keeps its rows in one B-tree and the key in a second, so every insert
 * wrote two; clustered on the key, it writes one. Same columns, keys, references and rows.
 */
const REBUILDS: readonly { table: string; columns: string; definition: string; indexes: string }[] = [
  {
    table: 'document_traces',
    columns: 'doc_key, trace_id',
    definition: 'doc_key TEXT NOT NULL REFERENCES documents (doc_key), trace_id TEXT NOT NULL, PRIMARY KEY (doc_key, trace_id)',
    indexes: 'CREATE INDEX document_traces_trace ON document_traces (trace_id);',
  },
  {
    table: 'invoice_payments',
    columns: 'charge_id, invoice_id',
    definition: 'charge_id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL',
    indexes: 'CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id);',
  },
  {
    table: 'credit_note_refunds',
    columns: 'refund_id, credit_note_id',
    definition: 'refund_id TEXT PRIMARY KEY, credit_note_id TEXT NOT NULL',
    indexes: '',
  },
  {
    table: 'payouts_itemised',
    columns: 'payout_id, read_at',
    definition: 'payout_id TEXT PRIMARY KEY, read_at TEXT NOT NULL',
    indexes: '',
  },
  {
    table: 'cursors',
    columns: 'name, value',
    definition: 'name TEXT PRIMARY KEY, value TEXT NOT NULL',
    indexes: '',
  },
  {
    table: 'related_objects',
    columns: 'id, kind, body',
    definition: "id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('payment_intent', 'product')), body TEXT NOT NULL",
    indexes: '',
  },
  {
    table: 'metadata_write_backs',
    columns: 'doc_key, done_at',
    definition: 'doc_key TEXT PRIMARY KEY REFERENCES documents (doc_key), done_at TEXT',
    indexes: 'CREATE INDEX metadata_write_backs_pending ON metadata_write_backs (doc_key) WHERE done_at IS NULL;',
  },
];

export function v10KeyTablesWithoutRowid(db: Database.Database): void {
  for (const { table, columns, definition, indexes } of REBUILDS) {
    db.exec(`
      CREATE TABLE ${table}_clustered (${definition}) WITHOUT ROWID;
      INSERT INTO ${table}_clustered (${columns}) SELECT ${columns} FROM ${table};
      DROP TABLE ${table};
      ALTER TABLE ${table}_clustered RENAME TO ${table};
      ${indexes}
    `);
  }
}
