import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BALANCE_PROOF_TRIGGERS, DRIFT_STALE_TRIGGERS, PLAN_ALONE_TRIGGERS } from '../../main/adapters/ledger/carry-triggers.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { PRODUCT_RELEASE } from '../../main/app/product-release.js';
import { proveBalanceAfterRun } from '../../main/core/engine/balance-proof-step.js';
import { checkDrift } from '../../main/core/engine/drift-checks.js';
import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../../main/core/engine/engine-context.js';
import type { StripeBalance } from '../../main/core/stripe/objects.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * The carries' triggers are created with their first carry (carry-triggers.ts): a new ledger's
 * backfill runs none of them until its plan-alone pass, balance proof and drift check save their
 * carries, and the drift lists' writer-side records wait for the first check's mark
 * (drift-change-records.ts). The same Stripe account (one seed) is synced into two ledgers: a new
 * one, and one whose every trigger was in place before its first run, as every ledger's was
 * before migration 23. Sage's refunds account is inactive, so the refunds are refused and stay
 * out of Sage: the drift checks find them and the balance proof lists them.
 *
 * After the backfill and after each quarter hour of activity since: both ledgers hold the same
 * documents, findings, proof and carries; and the new ledger's carried answers (the drift lists
 * brought up to date from their mark, the findings, the plan-alone pass, the balance proof from
 * its carry) equal a rebuild from the history on a copy of the ledger with every carry removed.
 * The two ledgers run the same code, so only the rebuild can find a carry that misses a change.
 */
describe("a backfill without the carries' triggers", () => {
  let fresh: SimulatedBooks;
  let alwaysTriggered: SimulatedBooks;

  /** Sage's refunds account (4900-00, kept unmasked) made inactive (tglAccount.Status 2), as a bookkeeper may. */
  function refundsAccountInactive(books: SimulatedBooks): void {
    const sage = new Database(books.sandboxPath);
    try {
      expect(sage.prepare(`UPDATE tglAccount SET Status = 2 WHERE GLAcctNo = '490000'`).run().changes).toBe(1);
    } finally {
      sage.close();
    }
  }

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
    for (const books of [fresh, alwaysTriggered]) refundsAccountInactive(books);
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
      // Not the last transaction's id: which transaction got the last rowid depends on the order the reads' pages arrived in.
      planAloneCarry: books.ledgerSql('SELECT mapping_version, transactions_up_to FROM plan_alone_carry'),
      planAloneRecheck: books.ledgerSql('SELECT id FROM plan_alone_recheck ORDER BY id'),
      triggers: books.ledgerSql(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`),
    };
  }

  /** A copy of the books' ledger file, as the last run left it. */
  function copyOfLedger(books: SimulatedBooks): string {
    const from = join(books.dir, 'data', 'ledger.sqlite');
    const to = join(mkdtempSync(join(tmpdir(), 's5sync-carry-copy-')), 'ledger.sqlite');
    copyFileSync(from, to);
    if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
    return to;
  }

  const DRIFT_LISTS = ['drift_unbooked_transactions', 'drift_unbooked_charges', 'drift_changed_journals'];

  /** The carried answers of one ledger file, or (`rebuilt`) the answers read from the history with every carry removed first. */
  async function answers(path: string, rebuilt: boolean, balance: StripeBalance, nowSeconds: number) {
    if (rebuilt) {
      const raw = new Database(path);
      try {
        raw.exec('DELETE FROM drift_transactions_seen; DELETE FROM plan_alone_carry; DELETE FROM plan_alone_recheck; DELETE FROM balance_proof_carry; DELETE FROM balance_proof_changes;');
      } finally {
        raw.close();
      }
    }
    const ledger = new SqliteLedger(path);
    try {
      const mapping = ledger.mappings.currentMapping()!;
      let fullProofReads = 0;
      const tracesOnAccount = ledger.reconciliation.tracesOnAccount.bind(ledger.reconciliation);
      ledger.reconciliation.tracesOnAccount = (acctNo, from, upTo) => {
        fullProofReads++;
        return tracesOnAccount(acctNo, from, upTo);
      };
      const context = {
        runId: 1,
        ledger,
        stripe: { balance: async () => balance },
        sage: {},
        clock: { now: () => nowSeconds * 1000, sleep: async () => undefined },
        options: { ...DEFAULT_ENGINE_OPTIONS, release: PRODUCT_RELEASE },
        emit: () => undefined,
        nowSeconds: () => nowSeconds,
        counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
      } as unknown as RunContext;
      const driftRead = ledger.reconciliation.bringDriftListsUpToDate();
      checkDrift(context);
      const planAlone = ledger.reconciliation.balanceTransactionsToPlanAlone(mapping.version).map((transaction) => transaction.id);
      const { checkedAt: _checkedAt, ...proof } = await proveBalanceAfterRun(context, mapping.mapping);
      const raw = new Database(path, { readonly: true });
      try {
        const lists = Object.fromEntries(DRIFT_LISTS.map((table) => [table, raw.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw(true).all()]));
        const findings = ledger.reconciliation.driftFindings().map((finding) => `${finding.kind} ${finding.objectId}: ${finding.message}`);
        return { driftRead, fullProofReads, answers: { lists, findings, planAlone, proof } };
      } finally {
        raw.close();
      }
    } finally {
      ledger.close();
    }
  }

  /** Stripe's balance as the simulator answers GET /v1/balance. */
  async function stripeBalance(books: SimulatedBooks): Promise<StripeBalance> {
    const response = await fetch(`${books.simulator.apiBase}/v1/balance`, { headers: { Authorization: `Bearer ${books.simulator.apiKey}` } });
    expect(response.ok).toBe(true);
    return (await response.json()) as StripeBalance;
  }

  /** The new ledger's carried answers against a rebuild from its history, each on a copy of the ledger. */
  async function expectCarriedAsRebuilt(): Promise<{ findings: string[]; proofItems: number }> {
    const balance = await stripeBalance(fresh);
    const nowSeconds = fresh.simulator.now();
    const carried = await answers(copyOfLedger(fresh), false, balance, nowSeconds);
    const rebuilt = await answers(copyOfLedger(fresh), true, balance, nowSeconds);
    // Each side read as it says: the carried one from its mark and carry, the rebuilt one from the history.
    expect(carried.driftRead).toBe('changes');
    expect(carried.fullProofReads).toBe(0);
    expect(rebuilt.driftRead).toBe('history');
    expect(rebuilt.fullProofReads).toBeGreaterThan(0);
    expect(carried.answers).toEqual(rebuilt.answers);
    return { findings: carried.answers.findings, proofItems: carried.answers.proof.items.length };
  }

  it('gives the same documents, findings, proof and carries as a ledger that always had them, and as a rebuild from the history, run after run', async () => {
    expect((await fresh.sync()).outcome).not.toBe('failed');
    expect((await alwaysTriggered.sync()).outcome).not.toBe('failed');
    const afterBackfill = state(fresh);
    expect(afterBackfill.documents.length).toBeGreaterThan(100);
    expect(afterBackfill.proofCarry).toHaveLength(1);
    expect(afterBackfill.triggers).toHaveLength(PLAN_ALONE_TRIGGERS.length + BALANCE_PROOF_TRIGGERS.length + DRIFT_STALE_TRIGGERS.length);
    expect(afterBackfill).toEqual(state(alwaysTriggered));
    // The refused refunds are findings and proof items (else this test could not fail on them).
    const first = await expectCarriedAsRebuilt();
    expect(first.findings.filter((finding) => finding.startsWith('transaction-not-in-sage')).length).toBeGreaterThan(0);
    expect(first.proofItems).toBeGreaterThan(0);
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
      const each = await expectCarriedAsRebuilt();
      expect(each.findings.length).toBeGreaterThan(0);
      expect(each.proofItems).toBeGreaterThan(0);
    }
  }, 300_000);
});
