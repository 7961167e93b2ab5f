import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_SCHEMA_VERSION, MIGRATIONS } from '../../main/adapters/ledger/migrations.js';
import { v6OneStepPayoutJournals } from '../../main/adapters/ledger/migration-one-step-payout-journals.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { payoutReport, listPayoutRows } from '../../main/app/payout-queries.js';
import { checkDrift } from '../../main/core/engine/drift-checks.js';
import type { RunContext } from '../../main/core/engine/engine-context.js';
import { ledgerPlanningContext } from '../../main/core/engine/ledger-planning-context.js';
import { planPayout } from '../../main/core/posting/payout-plan.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripePayout } from '../../main/core/stripe/objects.js';
import { bt, mapping, payout, T0 } from '../core/fixtures/stripe.js';

/**
 * A ledger carried over from the release before payouts in transit, where `<payout>:<its
 * transaction>` was one journal from clearing to the bank, opened by this release
 * (migration-one-step-payout-journals.ts). The ledger is built with the old rows (bodies
 * written out here as the old planner wrote them, not produced by today's planner) and set
 * back to the schema version that release left, then opened as the app opens it.
 */

const CLEARING = '1050-00';
const BANK = '1010-00';
const IN_TRANSIT = '1020-00';
const DAY = 86_400;
/** The schema version the earlier release left: the one before this migration. */
const OLD_VERSION = MIGRATIONS.indexOf(v6OneStepPayoutJournals);

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-one-step-'));
  file = join(dir, 'ledger.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A 100.00 USD standard payout, created at T0, paid on arrival two days later (2026-03-12 UTC). */
function paidPayout(id: string, status: StripePayout['status'] = 'paid'): { payout: StripePayout; transaction: ReturnType<typeof bt> } {
  const transaction = bt({ id: `txn_${id}`, amount: -10_000, type: 'payout', reporting_category: 'payout', source: `po_${id}`, created: T0 });
  return { payout: payout({ id: `po_${id}`, status, balance_transaction: transaction.id, arrival_date: 1_773_273_600 }), transaction };
}

/** The one journal the earlier release wrote for a payout: clearing credited, bank debited, on the arrival date. */
function oneStepJournal(payoutId: string, transactionId: string): JournalDocument {
  return {
    type: 'journal',
    key: `${payoutId}:${transactionId}`,
    postDate: '2026-03-11',
    stripeObjectId: payoutId,
    description: `Stripe payout ${payoutId}`,
    lines: [
      { acctNo: CLEARING, amount: '-100.000', comment: `${payoutId} payout`, traceId: transactionId },
      { acctNo: BANK, amount: '100.000', comment: `${payoutId} payout`, traceId: transactionId },
    ],
  };
}

/**
 * Builds the old ledger as the earlier release left it: the schema up to the version before the
 * migration (later migrations have not run either), and its rows written with plain SQL, as that
 * release wrote them: payouts stored and planned, their journals in the given states.
 */
function oldLedger(rows: { id: string; state: 'written' | 'planned' | 'skipped' | 'in-transit-written' }[]): void {
  const db = new Database(file);
  try {
    for (let version = 0; version < OLD_VERSION; version++) MIGRATIONS[version]!(db);
    db.pragma(`user_version = ${OLD_VERSION}`);
    const at = '2026-03-12T12:00:00.000Z';
    db.prepare('INSERT INTO mappings (version, body, saved_at) VALUES (1, ?, ?)').run(JSON.stringify(mapping()), at);
    for (const row of rows) {
      const { payout: stored, transaction } = paidPayout(row.id);
      db.prepare(`INSERT INTO stripe_objects (id, kind, created, body, body_hash, planned_hash, updated_at) VALUES (?, 'payout', ?, ?, 'old', 'old', ?)`).run(stored.id, stored.created, JSON.stringify(stored), at);
      db.prepare('INSERT INTO balance_transactions (id, source_id, payout_id, body) VALUES (?, ?, NULL, ?)').run(transaction.id, stored.id, JSON.stringify(transaction));
      const journal =
        row.state === 'in-transit-written'
          ? {
              ...oneStepJournal(stored.id, transaction.id),
              description: `Stripe payout ${stored.id} in transit`,
              lines: [
                { acctNo: CLEARING, amount: '-100.000', comment: `${stored.id} in transit`, traceId: transaction.id },
                { acctNo: IN_TRANSIT, amount: '100.000', comment: `${stored.id} in transit`, traceId: transaction.id },
              ],
            }
          : oneStepJournal(stored.id, transaction.id);
      const written = row.state === 'written' || row.state === 'in-transit-written';
      db.prepare(
        `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, skip_reason, sage_table, sage_key, sage_number, batch_key, updated_at)
         VALUES (?, ?, 'journal', ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
      ).run(
        journal.key,
        stored.id,
        written ? 'written' : row.state,
        `1|${journal.postDate}|${journal.key}`,
        JSON.stringify(journal),
        row.state === 'skipped' ? 'keyed by hand in Sage' : null,
        written ? 'tglBatch' : null,
        written ? 501 : null,
        written ? 'GJ 000501' : null,
        written ? 77 : null,
        at,
      );
      db.prepare('INSERT INTO document_traces (doc_key, trace_id) VALUES (?, ?)').run(journal.key, transaction.id);
    }
  } finally {
    db.close();
  }
}

/** The same old ledger brought to the current schema by every migration except this one. */
function withoutTheMigration(): void {
  const db = new Database(file);
  try {
    for (let version = OLD_VERSION + 1; version < LEDGER_SCHEMA_VERSION; version++) MIGRATIONS[version]!(db);
    db.pragma(`user_version = ${LEDGER_SCHEMA_VERSION}`);
  } finally {
    db.close();
  }
}

/** What the engine does with a stored payout: plan it with the ledger's look-ups and save the plan. */
function planAgain(ledger: SqliteLedger, payoutToPlan: StripePayout): void {
  const current = ledger.mappings.currentMapping()!;
  ledger.documents.savePlan(payoutToPlan.id, planPayout(payoutToPlan, ledgerPlanningContext(ledger, current.mapping)), current.version, 'planned');
}

const toWrite = (ledger: SqliteLedger) => ledger.documents.documentsToWrite('9999-12-31T00:00:00.000Z', 100);

function sum(amounts: readonly string[]): number {
  return amounts.reduce((total, amount) => total + Math.round(Number(amount) * 1000), 0) / 1000;
}

describe('ledger migration: payout journals from before payouts in transit', () => {
  it('a written one-step journal counts as the arrival: nothing more is written, in transit stays at zero, the payout reads reconciled', () => {
    oldLedger([{ id: 'A', state: 'written' }]);
    const ledger = new SqliteLedger(file);
    try {
      const { payout: stored } = paidPayout('A');
      planAgain(ledger, stored);
      expect(toWrite(ledger)).toEqual([]);
      expect(ledger.reconciliation.writtenLinesOnAccount(IN_TRANSIT)).toEqual([]);
      expect(sum(ledger.reconciliation.writtenLinesOnAccount(CLEARING).map((line) => line.amount))).toBe(-100);
      expect(sum(ledger.reconciliation.writtenLinesOnAccount(BANK).map((line) => line.amount))).toBe(100);
      expect(ledger.reconciliation.paidPayoutsNotBookedAfterArrival(T0 + 30 * DAY)).toEqual([]);
      const [row] = listPayoutRows(ledger, {});
      expect(row).toMatchObject({ payoutId: 'po_A', status: 'reconciled', sageBatch: 'GJ 000501' });
      expect(payoutReport(ledger, 'po_A', mapping())?.sageBankAmount).toBe('100.000');
    } finally {
      ledger.close();
    }
  });

  it('a payout that changes after the migration is not reported as drift: its one journal is what the earlier release booked', async () => {
    oldLedger([{ id: 'A', state: 'written' }]);
    const ledger = new SqliteLedger(file);
    try {
      // Stripe updates the payout later (its metadata): the drift check plans it again from today's rules.
      await new Promise((done) => setTimeout(done, 5));
      ledger.objects.upsertObjects([{ ...paidPayout('A').payout, metadata: { note: 'later' } }]);
      ledger.reconciliation.bringDriftListsUpToDate();
      expect([...ledger.reconciliation.writtenJournalsOfChangedObjects()].map((doc) => doc.docKey).sort()).toEqual(['po_A:arrived', 'po_A:txn_A']);
      checkDrift({ ledger, nowSeconds: () => T0 + 30 * DAY } as unknown as RunContext);
      expect(ledger.reconciliation.driftFindings().filter((finding) => finding.objectId === 'po_A')).toEqual([]);
    } finally {
      ledger.close();
    }
  });

  it('a payout Stripe fails after the one-step journal takes the money back from the bank, not from in transit', () => {
    oldLedger([{ id: 'A', state: 'written' }]);
    const ledger = new SqliteLedger(file);
    try {
      const { payout: stored } = paidPayout('A');
      const failure = bt({ id: 'txn_A_failure', amount: 10_000, type: 'payout_failure', reporting_category: 'payout_reversal', source: 'po_A', created: T0 + 5 * DAY });
      ledger.objects.upsertBalanceTransactions([failure], null);
      planAgain(ledger, { ...stored, status: 'failed', failure_balance_transaction: failure.id });
      const planned = toWrite(ledger).map((doc) => doc.document as JournalDocument);
      expect(planned.map((doc) => doc.key)).toEqual(['po_A:txn_A_failure']);
      expect(planned[0]!.lines.map((line) => [line.acctNo, line.amount]).sort()).toEqual([
        [BANK, '-100.000'],
        [CLEARING, '100.000'],
      ]);
    } finally {
      ledger.close();
    }
  });

  it('an unwritten one-step journal is planned again with today’s meaning: through in transit, then the bank', () => {
    oldLedger([{ id: 'B', state: 'planned' }]);
    const ledger = new SqliteLedger(file);
    try {
      // The migration asked for the payout to be planned again.
      expect(ledger.objects.objectsToPlan(10, null).map((stored) => stored.id)).toEqual(['po_B']);
      planAgain(ledger, paidPayout('B').payout);
      const planned = toWrite(ledger).map((doc) => doc.document as JournalDocument);
      const lines = planned.flatMap((doc) => doc.lines.map((line) => [doc.key, line.acctNo, line.amount]));
      expect(lines.sort()).toEqual(
        [
          ['po_B:arrived', BANK, '100.000'],
          ['po_B:arrived', IN_TRANSIT, '-100.000'],
          ['po_B:txn_B', CLEARING, '-100.000'],
          ['po_B:txn_B', IN_TRANSIT, '100.000'],
        ].sort(),
      );
    } finally {
      ledger.close();
    }
  });

  it('a one-step journal a user skipped (keyed by hand) keeps the whole payout skipped, arrival included', () => {
    oldLedger([{ id: 'D', state: 'skipped' }]);
    const ledger = new SqliteLedger(file);
    try {
      planAgain(ledger, paidPayout('D').payout);
      expect(toWrite(ledger)).toEqual([]);
      expect(ledger.documents.getDocument('po_D:arrived')).toMatchObject({ state: 'skipped', skipReason: 'keyed by hand in Sage' });
    } finally {
      ledger.close();
    }
  });

  it('a journal of creation written by the in-transit release (same schema version) is left as it is', () => {
    oldLedger([{ id: 'C', state: 'in-transit-written' }]);
    const ledger = new SqliteLedger(file);
    try {
      expect(ledger.documents.getDocument('po_C:arrived')).toBeNull();
      planAgain(ledger, paidPayout('C').payout);
      expect(toWrite(ledger).map((doc) => doc.docKey)).toEqual(['po_C:arrived']);
    } finally {
      ledger.close();
    }
  });

  it('without the migration the same old ledger would write a second bank deposit and leave in transit short', () => {
    oldLedger([{ id: 'A', state: 'written' }]);
    withoutTheMigration();
    const ledger = new SqliteLedger(file);
    try {
      planAgain(ledger, paidPayout('A').payout);
      const arrival = toWrite(ledger).map((doc) => doc.document as JournalDocument);
      expect(arrival.map((doc) => doc.key)).toEqual(['po_A:arrived']);
      expect(arrival[0]!.lines.find((line) => line.acctNo === IN_TRANSIT)?.amount).toBe('-100.000');
    } finally {
      ledger.close();
    }
  });
});
