import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BALANCE_PROOF_TRIGGERS, DRIFT_STALE_TRIGGERS, PLAN_ALONE_TRIGGERS } from '../../main/adapters/ledger/carry-triggers.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * The carries' triggers exist only while their carry does (carry-triggers.ts): a new ledger's
 * backfill runs none of them until its plan-alone pass, balance proof and drift check save their
 * carries. Here the same Stripe account (one seed) synced into two ledgers: a new one, and one
 * whose every trigger was in place before its first run, as every ledger's was before migration
 * 23. After the backfill and after each quarter hour of activity since, both must hold the same
 * documents and lines, drift findings, balance proof and carries.
 */
describe("a backfill without the carries' triggers", () => {
  let fresh: SimulatedBooks;
  let alwaysTriggered: SimulatedBooks;

  beforeAll(async () => {
    fresh = await openBooks({ seed: 11, days: 12 }, 's5sync-carry-fresh-');
    alwaysTriggered = await openBooks({ seed: 11, days: 12 }, 's5sync-carry-always-');
    mkdirSync(join(alwaysTriggered.dir, 'data'), { recursive: true });
    const path = join(alwaysTriggered.dir, 'data', 'ledger.sqlite');
    new SqliteLedger(path).close();
    const db = new Database(path);
    try {
      for (const trigger of [...PLAN_ALONE_TRIGGERS, ...BALANCE_PROOF_TRIGGERS, ...DRIFT_STALE_TRIGGERS]) db.exec(trigger.sql);
    } finally {
      db.close();
    }
  });
  afterAll(async () => {
    await fresh.close();
    await alwaysTriggered.close();
  });

  /** What the books hold that the carries decide, as rows. */
  function state(books: SimulatedBooks) {
    return {
      documents: books.ledgerSql('SELECT doc_key, stripe_object_id, type, state, body, skip_reason FROM documents ORDER BY doc_key'),
      traces: books.ledgerSql('SELECT doc_key, trace_id, lines FROM document_traces ORDER BY doc_key, trace_id'),
      findings: books.ledgerSql('SELECT kind, object_id, message FROM drift_findings ORDER BY kind, object_id'),
      proof: books.ledgerSql(`SELECT name, value FROM cursors WHERE name LIKE 'balance-proof:%' ORDER BY name`),
      proofCarry: books.ledgerSql('SELECT settled_up_to, body FROM balance_proof_carry'),
      planAloneCarry: books.ledgerSql('SELECT mapping_version, transactions_up_to, last_transaction_id FROM plan_alone_carry'),
      planAloneRecheck: books.ledgerSql('SELECT id FROM plan_alone_recheck ORDER BY id'),
      triggers: books.ledgerSql(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`),
    };
  }

  it('gives the same documents, findings, proof and carries as a ledger that always had them, run after run', async () => {
    expect((await fresh.sync()).outcome).not.toBe('failed');
    expect((await alwaysTriggered.sync()).outcome).not.toBe('failed');
    const afterBackfill = state(fresh);
    expect(afterBackfill.documents.length).toBeGreaterThan(100);
    expect(afterBackfill.proofCarry).toHaveLength(1);
    expect(afterBackfill.triggers).toHaveLength(PLAN_ALONE_TRIGGERS.length + BALANCE_PROOF_TRIGGERS.length + DRIFT_STALE_TRIGGERS.length);
    expect(afterBackfill).toEqual(state(alwaysTriggered));
    // The triggers are created once: an ordinary run changes no schema (its statements stay prepared).
    const schemaVersion = (): unknown[] => fresh.ledgerSql('PRAGMA schema_version');
    const afterBackfillSchema = schemaVersion();
    for (let quarter = 0; quarter < 4; quarter++) {
      for (const books of [fresh, alwaysTriggered]) {
        books.simulator.advanceSeconds(900);
        expect((await books.sync()).outcome).not.toBe('failed');
      }
      expect(state(fresh)).toEqual(state(alwaysTriggered));
      expect(schemaVersion()).toEqual(afterBackfillSchema);
    }
  }, 240_000);
});
