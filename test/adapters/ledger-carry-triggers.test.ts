import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BALANCE_PROOF_TRIGGERS } from '../../main/adapters/ledger/migration-balance-proof-carry.js';
import { PLAN_ALONE_TRIGGERS } from '../../main/adapters/ledger/migration-plan-alone-triggers.js';
import { LEDGER_SCHEMA_VERSION, migrate } from '../../main/adapters/ledger/migrations.js';
import { DRIFT_STALE_TRIGGERS } from '../../main/adapters/ledger/sqlite-reconciliation-ledger.js';

/**
 * A carry (what one run keeps for the next so it reads only what changed) is trusted only while
 * the triggers that log its changes are all in place; without them it falls back to reading the
 * history, every time. A migration that rebuilds a table (copy, drop, rename) drops that table's
 * triggers without an error: this fails CI instead, at the schema the release ships.
 *
 * Each carry: the list its ledger code checks, and the prefix its triggers are named with, so a
 * trigger added under the prefix but left out of the list is found too.
 */
const CARRIES: readonly { carry: string; prefix: string; triggers: readonly string[] }[] = [
  { carry: "the money spine's plan-alone pass", prefix: 'plan_alone_', triggers: PLAN_ALONE_TRIGGERS },
  { carry: 'the balance proof', prefix: 'balance_proof_', triggers: BALANCE_PROOF_TRIGGERS },
  { carry: "the drift checks' lists", prefix: 'drift_', triggers: DRIFT_STALE_TRIGGERS },
];

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-carry-triggers-'));
  db = new Database(join(dir, 'ledger.sqlite'));
  migrate(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`the carries' triggers at schema ${LEDGER_SCHEMA_VERSION}`, () => {
  for (const { carry, prefix, triggers } of CARRIES) {
    it(`${carry}: every trigger it checks for exists, and every trigger named ${prefix}… is one it checks for`, () => {
      expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
      const present = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, length(?)) = ? ORDER BY name`).pluck().all(prefix, prefix);
      expect(present).toEqual([...triggers].sort());
    });
  }
});
