import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BALANCE_PROOF_TRIGGERS, DRIFT_STALE_TRIGGERS, PLAN_ALONE_TRIGGERS, type CarryTrigger } from '../../main/adapters/ledger/carry-triggers.js';
import { LEDGER_SCHEMA_VERSION } from '../../main/adapters/ledger/migrations.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { clearingJournal } from '../support/clearing-journal.js';
import { bt, charge, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * A carry (what one run keeps for the next so it reads only what changed) is trusted only while
 * the triggers that log its changes are all in place, each with this release's statement; they
 * are created with the first carry and kept from then on (carry-triggers.ts): none on a new
 * ledger, so a backfill runs none for the rows it stores, plans and writes; each set created in
 * the transaction that saves its carry. A trigger dropped (its table rebuilt) or of another body:
 * the carry then reads in full, and the full read puts the set back.
 *
 * Each carry: its trigger set, the prefix its triggers are named with (so a trigger added under
 * the prefix but left out of the set is found too), the table that holds it, and how the ledger
 * saves it.
 */
const CARRIES: readonly {
  carry: string;
  prefix: string;
  triggers: readonly CarryTrigger[];
  /** The table the carry is saved in (one row). */
  table: string;
  save: (ledger: SqliteLedger) => void;
  /** Whether the next read trusts the carry (`raw`: another connection, to hide a change from a carried read). */
  trusted: (ledger: SqliteLedger, raw: Database.Database) => boolean;
}[] = [
  {
    carry: "the money spine's plan-alone pass",
    prefix: 'plan_alone_',
    triggers: PLAN_ALONE_TRIGGERS,
    table: 'plan_alone_carry',
    save: (ledger) => ledger.reconciliation.balanceTransactionsToPlanAlone(1),
    trusted: (ledger, raw) => {
      // A transaction no document claims, behind the carried rowid: only a full read finds it.
      raw.prepare('INSERT INTO balance_transactions (id, source_id, created, body) VALUES (?, NULL, ?, ?)').run('txn_probe', T0, JSON.stringify(bt({ id: 'txn_probe', amount: 5, created: T0, type: 'adjustment' })));
      raw.exec(`UPDATE plan_alone_carry SET transactions_up_to = (SELECT MAX(rowid) FROM balance_transactions), last_transaction_id = 'txn_probe'`);
      return !ledger.reconciliation.balanceTransactionsToPlanAlone(1).some((transaction) => transaction.id === 'txn_probe');
    },
  },
  {
    carry: 'the balance proof',
    prefix: 'balance_proof_',
    triggers: BALANCE_PROOF_TRIGGERS,
    table: 'balance_proof_carry',
    save: (ledger) => ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: T0, body: '{}' }, 0),
    trusted: (ledger) => ledger.reconciliation.balanceProofCarry() !== null,
  },
  {
    carry: "the drift checks' lists",
    prefix: 'drift_',
    triggers: DRIFT_STALE_TRIGGERS,
    table: 'drift_transactions_seen',
    save: (ledger) => ledger.reconciliation.bringDriftListsUpToDate(),
    trusted: (ledger) => ledger.reconciliation.bringDriftListsUpToDate() === 'changes',
  },
];

const SAGE_REF = { sageTable: 'tglJournal', sageKey: 1, sageNumber: 'GJ-1', batchKey: 1 };

let dir: string;
let file: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-carry-triggers-'));
  file = join(dir, 'ledger.sqlite');
  ledger = new SqliteLedger(file);
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The triggers named with `prefix`, read by a connection of its own. */
function triggersNamed(prefix: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, length(?)) = ? ORDER BY name`).pluck().all(prefix, prefix) as string[];
  } finally {
    db.close();
  }
}

/** The statement SQLite keeps for the trigger named `name`. */
function storedStatement(name: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(name) as string;
  } finally {
    db.close();
  }
}

function names(triggers: readonly CarryTrigger[]): string[] {
  return triggers.map((trigger) => trigger.name).sort();
}

/** What a backfill's first run does before any carry: objects and transactions stored, a journal planned, sent and written. */
function backfillWrites(): void {
  const version = ledger.mappings.saveMapping(mapping());
  ledger.objects.upsertObjects([charge({ id: 'ch_a', created: T0, balance_transaction: 'txn_a' })]);
  ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_a', amount: 100, created: T0, source: 'ch_a' })], null);
  ledger.documents.savePlan('ch_a', [clearingJournal('doc_a', 'ch_a', ['txn_a'])], version, 'planned');
  ledger.documents.markWriting('doc_a');
  ledger.documents.markWrittenAll([{ docKey: 'doc_a', ref: { docKey: 'doc_a', ...SAGE_REF } }]);
}

function rows(table: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table}`).raw(true).all();
  } finally {
    db.close();
  }
}

describe(`the carries' triggers at schema ${LEDGER_SCHEMA_VERSION}`, () => {
  it('a new ledger has none of them, and a backfill with nothing carried creates none and records nothing for the drift lists', () => {
    backfillWrites();
    for (const { prefix } of CARRIES) expect(triggersNamed(prefix)).toEqual([]);
    // The writers' records for the drift lists wait for a check's mark (drift-change-records.ts).
    expect(rows('drift_objects_changed')).toEqual([]);
    expect(rows('drift_documents_written')).toEqual([]);
  });

  for (const { carry, prefix, triggers, table, save, trusted } of CARRIES) {
    it(`${carry}: saving the carry puts every trigger of its set in place, and every trigger named ${prefix}… is one of them`, () => {
      backfillWrites();
      save(ledger);
      expect(triggersNamed(prefix)).toEqual(names(triggers));
      for (const other of CARRIES.filter((each) => each.prefix !== prefix)) expect(triggersNamed(other.prefix)).toEqual([]);
    });

    it(`${carry}: saved in a transaction that is rolled back, neither the carry nor its triggers remain`, () => {
      backfillWrites();
      expect(() =>
        ledger.inTransaction(() => {
          save(ledger);
          throw new Error('the run failed');
        }),
      ).toThrow('the run failed');
      expect(rows(table)).toEqual([]);
      expect(triggersNamed(prefix)).toEqual([]);
    });

    it(`${carry}: one trigger dropped (a rebuilt table): the carry is not trusted, and the full read puts the set back`, () => {
      backfillWrites();
      save(ledger);
      const raw = new Database(file);
      try {
        raw.exec(`DROP TRIGGER ${triggers[triggers.length - 1]!.name}`);
        expect(trusted(ledger, raw)).toBe(false);
        save(ledger);
        expect(triggersNamed(prefix)).toEqual(names(triggers));
        // With the set back, the carry is trusted again.
        raw.exec(`DELETE FROM balance_transactions WHERE id = 'txn_probe'`);
        save(ledger);
        expect(trusted(ledger, raw)).toBe(true);
      } finally {
        raw.close();
      }
    });

    it(`${carry}: one trigger of the same name but another body (another release's, a hand edit): the carry is not trusted, and the full read puts this release's statement back`, () => {
      backfillWrites();
      save(ledger);
      const changed = triggers[0]!;
      const raw = new Database(file);
      try {
        raw.exec(`DROP TRIGGER ${changed.name}; ${changed.sql.replace(/BEGIN[\s\S]*END$/, 'BEGIN SELECT 1; END')}`);
        expect(trusted(ledger, raw)).toBe(false);
        save(ledger);
        expect(storedStatement(changed.name)).toBe(changed.sql);
        raw.exec(`DELETE FROM balance_transactions WHERE id = 'txn_probe'`);
        save(ledger);
        expect(trusted(ledger, raw)).toBe(true);
      } finally {
        raw.close();
      }
    });
  }

  it('a trigger stored with other white space is the same statement: the carry is trusted', () => {
    backfillWrites();
    ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: T0, body: '{}' }, 0);
    const reformatted = BALANCE_PROOF_TRIGGERS[0]!;
    const raw = new Database(file);
    try {
      raw.exec(`DROP TRIGGER ${reformatted.name}; ${reformatted.sql.replace(/\s+/g, '\n  ')}`);
    } finally {
      raw.close();
    }
    expect(storedStatement(reformatted.name)).not.toBe(reformatted.sql);
    expect(ledger.reconciliation.balanceProofCarry()).not.toBeNull();
  });

  it("a writer whose snapshot began before another connection's first check cannot write: its record is not left out unseen", () => {
    backfillWrites();
    // `s5sync retry` beside the tray app: two connections to one ledger file.
    const other = new SqliteLedger(file);
    try {
      let failure: unknown = null;
      try {
        ledger.inTransaction(() => {
          ledger.objects.getObject('ch_a'); // the snapshot starts here: no mark yet
          expect(other.reconciliation.bringDriftListsUpToDate()).toBe('history'); // the mark, committed
          ledger.objects.upsertObjects([charge({ id: 'ch_b', created: T0, balance_transaction: null })]);
        });
      } catch (error) {
        failure = error;
      }
      expect((failure as { code?: string } | null)?.code).toBe('SQLITE_BUSY_SNAPSHOT');
      expect(rows('drift_objects_changed')).toEqual([]);
      // Written again from the newest snapshot, the record is made.
      ledger.objects.upsertObjects([charge({ id: 'ch_b', created: T0, balance_transaction: null })]);
      expect(rows('drift_objects_changed')).toEqual([['ch_b']]);
    } finally {
      other.close();
    }
  });

  it('the drift records are written once a check has left its mark', () => {
    backfillWrites();
    ledger.reconciliation.bringDriftListsUpToDate();
    ledger.objects.upsertObjects([charge({ id: 'ch_b', created: T0, balance_transaction: null })]);
    const version = ledger.mappings.saveMapping(mapping());
    ledger.documents.savePlan('ch_b', [clearingJournal('doc_b', 'ch_b', [])], version, 'planned');
    ledger.documents.markWriting('doc_b');
    ledger.documents.markWrittenAll([{ docKey: 'doc_b', ref: { docKey: 'doc_b', ...SAGE_REF } }]);
    expect(rows('drift_objects_changed')).toEqual([['ch_b']]);
    expect(rows('drift_documents_written')).toEqual([['doc_b']]);
  });
});
