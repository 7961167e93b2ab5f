import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_SCHEMA_VERSION } from '../../main/adapters/ledger/migrations.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { checkDrift } from '../../main/core/engine/drift-checks.js';
import { beforeGoLiveReason } from '../../main/core/engine/go-live.js';
import { ruleSkipReason } from '../../main/core/rules/rule-skip.js';
import type { RunContext } from '../../main/core/engine/engine-context.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripeCharge } from '../../main/core/stripe/objects.js';
import { bt, charge, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * The drift checks read lists carried from one check to the next and brought up to date from
 * what changed since (migration-drift-lists.ts). After every check, over long varied sequences
 * of runs, the findings must be exactly the ones a plain reading of the facts gives: here a
 * model the test keeps of what it stored, planned, wrote, skipped, failed and withdrew, with the
 * findings worked out from it by hand (no SQL, no ledger read): a transaction a written or a
 * skipped document traces is no drift (a skip keeps it out of Sage on purpose). And where the
 * lists cannot follow a change (a written or skipped document leaving its state), the check
 * reads the history again.
 */

const DAY = 86_400;

/** Deterministic pseudo-random numbers, so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

let dir: string;
let file: string;
let ledger: SqliteLedger;
let clockMs: number;

const open = (): SqliteLedger => new SqliteLedger(file, { now: () => new Date(clockMs).toISOString() });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-drift-lists-'));
  file = join(dir, 'ledger.sqlite');
  clockMs = Date.parse('2026-03-20T10:00:00.000Z');
  ledger = open();
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A balanced journal with two lines per transaction it books. */
const journal = (key: string, objectId: string, traceIds: readonly string[]): JournalDocument => ({
  type: 'journal',
  key,
  postDate: '2026-03-10',
  stripeObjectId: objectId,
  description: key,
  lines: traceIds.flatMap((traceId) => [
    { acctNo: '1050-00', amount: '1.000', comment: 'net', traceId },
    { acctNo: '4000-00', amount: '-1.000', comment: 'sale', traceId },
  ]),
});

const check = (nowSeconds: number): void => {
  checkDrift({ ledger, nowSeconds: () => nowSeconds } as unknown as RunContext);
};

const found = (): string[] =>
  ledger.reconciliation
    .driftFindings()
    .map((finding) => `${finding.kind} ${finding.objectId}`)
    .sort();

interface ModelDocument {
  objectId: string;
  traces: string[];
  state: 'planned' | 'failed' | 'written' | 'skipped';
  /** Skipped by a business rule (planned again by a new plan with another body), not before go-live. */
  byRule: boolean;
  /** The clock when it was recorded written. */
  writtenAt: number;
}

describe('the drift lists carried between checks', () => {
  it.each([5, 17, 29])('give after every check exactly the findings worked out by hand, over varied runs (seed %i)', (seed) => {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
    let version = ledger.mappings.saveMapping(mapping());
    let nowSeconds = T0 + 10 * DAY;
    let serial = 0;
    const transactions = new Map<string, { created: number; type: 'charge' | 'payout' | 'adjustment' }>();
    const charges = new Map<string, StripeCharge>();
    /** When each object was last stored with a new body. */
    const storedAt = new Map<string, number>();
    const documents = new Map<string, ModelDocument>();
    const tick = (): void => {
      clockMs += 1_000;
    };
    const storeTransaction = (id: string, created: number, type: 'charge' | 'payout' | 'adjustment', source: string | null): void => {
      transactions.set(id, { created, type });
      ledger.objects.upsertBalanceTransactions([bt({ id, amount: 100, created, type, reporting_category: type, source })], null);
      tick();
    };
    const storeCharge = (stored: StripeCharge): void => {
      charges.set(stored.id, stored);
      storedAt.set(stored.id, clockMs);
      ledger.objects.upsertObjects([stored]);
      tick();
    };
    /** Anywhere from an hour to three days old: a transaction or charge stored late is past its grace at once. */
    const createdRecently = (): number => nowSeconds - Math.floor(next() * 3 * DAY);
    /** Booked, or kept out of Sage on purpose. */
    const booked = (traceId: string): boolean =>
      [...documents.values()].some((document) => (document.state === 'written' || document.state === 'skipped') && document.traces.includes(traceId));
    /** A skipped document left its state since the last check: the lists cannot follow it. */
    let skipLeft = false;
    const expected = (): string[] => {
      const before = nowSeconds - DAY;
      const findings = new Set<string>();
      for (const [id, transaction] of transactions) {
        if (transaction.type !== 'payout' && transaction.created < before && !booked(id)) findings.add(`transaction-not-in-sage ${id}`);
      }
      for (const document of documents.values()) {
        const changedAt = storedAt.get(document.objectId);
        if (document.state === 'written' && changedAt !== undefined && changedAt > document.writtenAt) findings.add(`object-changed-after-writing ${document.objectId}`);
      }
      for (const stored of charges.values()) {
        if (stored.status === 'succeeded' && stored.created < before && (stored.balance_transaction === null || !booked(stored.balance_transaction as string))) {
          findings.add(`charge-without-fees ${stored.id}`);
        }
      }
      return [...findings].sort();
    };
    const waiting = (): string[] => [...documents].filter(([, document]) => document.state === 'planned' || document.state === 'failed').map(([key]) => key);

    const operations: (() => void)[] = [
      // Transactions of their own: adjustments, and payouts' own (never drift), some seen late.
      () => {
        for (let count = 1 + Math.floor(next() * 3); count > 0; count--) storeTransaction(`txn_${++serial}`, createdRecently(), next() < 0.15 ? 'payout' : 'adjustment', null);
      },
      // A charge: succeeded or failed; its transaction stored with it, not yet shown (null) or never stored.
      () => {
        const id = `ch_${++serial}`;
        const roll = next();
        const transactionId = roll < 0.15 ? null : `txn_${id}`;
        const created = createdRecently();
        storeCharge(charge({ id, created, status: next() < 0.85 ? 'succeeded' : 'failed', balance_transaction: transactionId }));
        if (transactionId && roll < 0.85) storeTransaction(transactionId, created, 'charge', id);
      },
      // A journal planned for some transactions (a charge's own, or others).
      () => {
        const stored = pick([...charges.values()]);
        const traces = stored?.balance_transaction && next() < 0.7 ? [stored.balance_transaction as string] : [];
        for (let count = Math.floor(next() * 3); count > 0; count--) {
          const other = pick([...transactions.keys()]);
          if (other && !traces.includes(other)) traces.push(other);
        }
        if (traces.length === 0) return;
        const key = `doc_${++serial}`;
        const objectId = stored?.id ?? `obj_${serial}`;
        ledger.documents.savePlan(objectId, [journal(key, objectId, traces)], version, 'planned');
        documents.set(key, { objectId, traces, state: 'planned', byRule: false, writtenAt: 0 });
        tick();
      },
      // Some waiting journals written to Sage.
      () => {
        const keys = [...new Set([pick(waiting()), pick(waiting())].filter((key): key is string => key !== undefined))];
        if (keys.length === 0) return;
        ledger.documents.markWritingAll(keys);
        tick();
        ledger.documents.markWrittenAll(keys.map((key, index) => ({ docKey: key, ref: { docKey: key, sageTable: 'tglJournal', sageKey: index, sageNumber: key, batchKey: 1 } })));
        for (const key of keys) Object.assign(documents.get(key)!, { state: 'written', writtenAt: clockMs });
        tick();
      },
      // Waiting journals skipped: dated before go-live, or by a business rule.
      () => {
        const keys = [...new Set([pick(waiting()), pick(waiting())].filter((key): key is string => key !== undefined))];
        if (keys.length === 0) return;
        const byRule = next() < 0.5;
        expect(ledger.documents.skipDocuments(keys, byRule ? ruleSkipReason('no fees on test charges') : beforeGoLiveReason('2026-03-01'))).toBe(keys.length);
        for (const key of keys) Object.assign(documents.get(key)!, { state: 'skipped', byRule });
        tick();
      },
      // A skipped journal's object planned again with another body: a rule's skip is replaced by
      // the new plan (with other traces), a skip before go-live is kept.
      () => {
        const key = pick([...documents].filter(([, document]) => document.state === 'skipped').map(([skipped]) => skipped));
        if (!key) return;
        const document = documents.get(key)!;
        const traces = [pick([...transactions.keys()])!];
        ledger.documents.savePlan(document.objectId, [{ ...journal(key, document.objectId, traces), description: `planned again ${++serial}` }], version, 'planned');
        if (document.byRule) {
          Object.assign(document, { state: 'planned', byRule: false, traces });
          skipLeft = true;
        }
        tick();
      },
      // A write that fails: the journal books nothing.
      () => {
        const key = pick(waiting());
        if (!key) return;
        ledger.documents.markWritingAll([key]);
        ledger.documents.markFailed(key, { errorClass: 'transient', message: 'Sage is busy', nextAttemptAt: null, dead: false });
        documents.get(key)!.state = 'failed';
        tick();
      },
      // A waiting journal withdrawn (its object was planned again without it).
      () => {
        const key = pick(waiting());
        if (!key) return;
        expect(ledger.documents.withdrawDocuments([key])).toBe(1);
        documents.delete(key);
        tick();
      },
      // An old charge stored again with a new body: refunded later, settled (its transaction
      // shown at last) or succeeded after all.
      () => {
        const stored = pick([...charges.values()]);
        if (!stored) return;
        const changed = { ...stored, description: `changed ${++serial}` };
        if (changed.balance_transaction === null && next() < 0.5) {
          changed.balance_transaction = `txn_${stored.id}`;
          if (!transactions.has(changed.balance_transaction)) storeTransaction(changed.balance_transaction, stored.created, 'charge', stored.id);
        }
        if (changed.status === 'failed' && next() < 0.5) changed.status = 'succeeded';
        storeCharge(changed);
      },
      // The mapping saved again: later plans carry the new version.
      () => {
        version = ledger.mappings.saveMapping(mapping({ timeZone: next() < 0.5 ? 'America/Chicago' : 'Europe/London' }));
        tick();
      },
      // The app restarts: the lists are in the ledger file.
      () => {
        ledger.close();
        ledger = open();
      },
    ];

    let previous: string[] = [];
    const seen = { resolvedByWrite: 0, resolvedBySkip: 0, changedAfterWriting: 0, pastGrace: 0 };
    for (let run = 0; run < 60; run++) {
      for (let count = 2 + Math.floor(next() * 6); count > 0; count--) pick(operations)!();
      nowSeconds += 600 + Math.floor(next() * 4 * 3_600);
      clockMs += 600_000;
      // The first check builds the lists from the history, and so does one after a skipped
      // document left its state; every other one follows the changes.
      expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe(run === 0 || skipLeft ? 'history' : 'changes');
      skipLeft = false;
      check(nowSeconds);
      const findings = found();
      expect(findings).toEqual(expected());
      for (const finding of previous) {
        const [kind, id] = finding.split(' ') as [string, string];
        const tracing = [...documents.values()].filter((document) => document.traces.includes(id));
        if (findings.includes(finding) || kind !== 'transaction-not-in-sage') continue;
        if (tracing.some((document) => document.state === 'written')) seen.resolvedByWrite++;
        else if (tracing.some((document) => document.state === 'skipped')) seen.resolvedBySkip++;
      }
      for (const finding of findings) {
        if (previous.includes(finding)) continue;
        if (finding.startsWith('object-changed-after-writing')) seen.changedAfterWriting++;
        else seen.pastGrace++;
      }
      previous = findings;
    }
    // The sequences did what they are here for: findings resolved by a later write or skip, found when an old object changed, or when time passed.
    expect(seen.resolvedByWrite).toBeGreaterThan(0);
    expect(seen.resolvedBySkip).toBeGreaterThan(0);
    expect(seen.changedAfterWriting).toBeGreaterThan(0);
    expect(seen.pastGrace).toBeGreaterThan(0);
  });

  /**
   * A journal is recorded written at the clock's time, normally after its object was last
   * stored; with the PC's clock set back, the written time can come before the object's last
   * change, and the history's read names the journal as changed after writing. The change was
   * seen by an earlier check while the journal was only planned: the journal's own recording
   * must bring it to the next check.
   */
  const recordings: [string, (version: number) => void][] = [
    [
      'written by the write pass',
      (version) => {
        ledger.documents.savePlan('ch_b', [journal('doc_b', 'ch_b', ['txn_b'])], version, 'planned');
        ledger.documents.markWrittenAll([{ docKey: 'doc_b', ref: { docKey: 'doc_b', sageTable: 'tglJournal', sageKey: 2, sageNumber: 'GJ-2', batchKey: 1 } }]);
      },
    ],
    ['found in Sage already', (version) => ledger.documents.recordFoundInSage([{ document: journal('doc_b', 'ch_b', ['txn_b']), ref: { docKey: 'doc_b', sageTable: 'tglJournal', sageKey: 2, sageNumber: 'GJ-2', batchKey: 1 } }], version)],
  ];

  it.each(recordings)('bring a journal %s at a time before its object last changed (the clock set back) to the next check', (_, record) => {
    const version = ledger.mappings.saveMapping(mapping());
    const nowSeconds = T0 + 10 * DAY;
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_b', amount: 100, created: T0, source: 'ch_b' })], null);
    ledger.objects.upsertObjects([charge({ id: 'ch_b', created: T0, balance_transaction: 'txn_b' })]);
    clockMs += 10_000;
    ledger.objects.upsertObjects([charge({ id: 'ch_b', created: T0, balance_transaction: 'txn_b', description: 'changed' })]);
    check(nowSeconds);
    expect(found()).toEqual(['charge-without-fees ch_b', 'transaction-not-in-sage txn_b']);
    clockMs -= 5_000;
    record(version);
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    check(nowSeconds);
    expect(found()).toEqual(['object-changed-after-writing ch_b']);
  });

  /**
   * A journal found in Sage replaces its unwritten plan: its traces are cleared before it is
   * recorded written, so no written journal loses a trace and the next check follows the
   * changes; a journal already written is left as it is, traces and all. The balance proof's
   * change log still hears of the written lines.
   */
  it('follow a journal found in Sage over its unwritten plan without reading the history, and leave a written one as it is', () => {
    const version = ledger.mappings.saveMapping(mapping());
    const nowSeconds = T0 + 10 * DAY;
    ledger.objects.upsertObjects([charge({ id: 'ch_f', created: T0, balance_transaction: 'txn_f' })]);
    ledger.objects.upsertBalanceTransactions(['txn_f', 'txn_g'].map((id) => bt({ id, amount: 100, created: T0, type: 'adjustment', reporting_category: 'adjustment' })), null);
    ledger.documents.savePlan('ch_f', [journal('doc_f', 'ch_f', ['txn_f', 'txn_g'])], version, 'planned');
    check(nowSeconds);
    expect(found()).toEqual(['charge-without-fees ch_f', 'transaction-not-in-sage txn_f', 'transaction-not-in-sage txn_g']);
    ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: T0 - DAY, body: '{}' }, 0);
    const ref = { docKey: 'doc_f', sageTable: 'tglJournal', sageKey: 7, sageNumber: 'GJ-7', batchKey: 1 };
    ledger.documents.recordFoundInSage([{ document: journal('doc_f', 'ch_f', ['txn_f']), ref }], version);
    expect(ledger.reconciliation.balanceProofChanges('1050-00').lineTraceIds).toContain('txn_f');
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    check(nowSeconds);
    expect(found()).toEqual(['transaction-not-in-sage txn_g']);
    // Found again with other traces: the written journal keeps the ones it has.
    ledger.documents.recordFoundInSage([{ document: journal('doc_f', 'ch_f', ['txn_g']), ref }], version);
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    check(nowSeconds);
    expect(found()).toEqual(['transaction-not-in-sage txn_g']);
  });

  /**
   * An unbooked transaction is past its grace by its `created` column (migration 17, the one
   * the balance proof reads), not by its body parsed; where the column is NULL (a body whose
   * `created` is not a number) the body is compared. Here both cases made by hand: the column
   * moved within the grace (the body left old), and the column emptied.
   */
  it("take an unbooked transaction's time from its created column, and from its body where the column is NULL", () => {
    ledger.mappings.saveMapping(mapping());
    const nowSeconds = T0 + 10 * DAY;
    const adjustment = (id: string) => bt({ id, amount: 100, created: T0, type: 'adjustment', reporting_category: 'adjustment' });
    ledger.objects.upsertBalanceTransactions(['txn_column', 'txn_body'].map(adjustment), null);
    const db = new Database(file);
    try {
      db.prepare(`UPDATE balance_transactions SET created = ? WHERE id = 'txn_column'`).run(nowSeconds - 3_600);
      db.prepare(`UPDATE balance_transactions SET created = NULL WHERE id = 'txn_body'`).run();
    } finally {
      db.close();
    }
    check(nowSeconds);
    expect(found()).toEqual(['transaction-not-in-sage txn_body']);
  });

  /**
   * Balance transactions stored since the last check are found by rowid
   * (migration-drift-rows-seen.ts): a row stored later has a larger one, as long as rowids are
   * not renumbered and the last row is not deleted and its rowid given to the next. When either
   * happens the check reads the history. Here old transactions without a journal, a check, then
   * the rowids renumbered by hand (as a VACUUM after deletes renumbers them) so that the next
   * transaction stored takes a rowid below the last one seen.
   */
  it('read the history again when the rowids of the balance transactions were renumbered', () => {
    ledger.mappings.saveMapping(mapping());
    const nowSeconds = T0 + 10 * DAY;
    const adjustment = (id: string) => bt({ id, amount: 100, created: T0, type: 'adjustment', reporting_category: 'adjustment' });
    ledger.objects.upsertBalanceTransactions(['txn_1', 'txn_2', 'txn_3'].map(adjustment), null);
    check(nowSeconds);
    expect(found()).toHaveLength(3);
    const db = new Database(file);
    try {
      db.prepare('UPDATE balance_transactions SET rowid = rowid - 10').run();
    } finally {
      db.close();
    }
    ledger.objects.upsertBalanceTransactions([adjustment('txn_new')], null);
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
    check(nowSeconds);
    expect(found()).toEqual(['txn_1', 'txn_2', 'txn_3', 'txn_new'].map((id) => `transaction-not-in-sage ${id}`));
  });

  /**
   * A booked transaction never becomes unbooked through the engine (written is a final state),
   * so the lists only ever drop entries a check finds booked. A change that takes a journal out
   * of Sage's side all the same (a migration, a hand edit) must make the next check read the
   * history: here a transaction and a charge booked by one written journal, each change made
   * behind the ledger's back through a connection of its own.
   */
  const edits: [string, (db: Database.Database) => void][] = [
    ['a written journal marked planned again', (db) => db.prepare(`UPDATE documents SET state = 'planned' WHERE doc_key = 'doc_a'`).run()],
    [
      'a written journal re-keyed, its trace rows left under the old key',
      (db) => {
        db.pragma('foreign_keys = OFF');
        db.prepare(`UPDATE documents SET doc_key = 'doc_z' WHERE doc_key = 'doc_a'`).run();
      },
    ],
    [
      'a written journal deleted, its trace rows left behind',
      (db) => {
        db.pragma('foreign_keys = OFF');
        db.prepare(`DELETE FROM documents WHERE doc_key = 'doc_a'`).run();
      },
    ],
    ['a written journal losing its trace row', (db) => db.prepare(`DELETE FROM document_traces WHERE doc_key = 'doc_a'`).run()],
    ['a trace row moved to another transaction', (db) => db.prepare(`UPDATE document_traces SET trace_id = 'txn_other' WHERE doc_key = 'doc_a'`).run()],
  ];

  it.each(edits)('read the history again after %s', (_, edit) => {
    expectHistoryAfter(edit);
  });

  /**
   * A later migration that rebuilds one of those tables drops its triggers with it: the lists
   * would no longer hear of such a change, so the next check reads the history, and puts the
   * triggers back with the lists it builds (carry-triggers.ts). Here each trigger dropped by
   * hand, then the change it records made.
   */
  const droppedTriggers: [string, string, (db: Database.Database) => void][] = [
    ['drift_document_left_written', 'a written journal marked planned again', edits[0]![1]],
    ['drift_written_document_deleted', 'a written journal deleted', edits[2]![1]],
    ['drift_written_trace_deleted', 'a written journal losing its trace row', edits[3]![1]],
    ['drift_trace_moved', 'a trace row moved', edits[4]![1]],
  ];

  it.each(droppedTriggers)('read the history at the next check while trigger %s is missing (%s), which puts it back', (trigger, _, edit) => {
    expectHistoryAfter((db) => {
      db.exec(`DROP TRIGGER ${trigger}`);
      edit(db);
    });
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(trigger)).toBe(1);
    } finally {
      db.close();
    }
  });

  function expectHistoryAfter(edit: (db: Database.Database) => void): void {
    const version = ledger.mappings.saveMapping(mapping());
    const nowSeconds = T0 + 10 * DAY;
    ledger.objects.upsertObjects([charge({ id: 'ch_a', created: T0, balance_transaction: 'txn_a' })]);
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_a', amount: 100, created: T0, source: 'ch_a' })], null);
    clockMs += 1_000;
    ledger.documents.savePlan('ch_a', [journal('doc_a', 'ch_a', ['txn_a'])], version, 'planned');
    ledger.documents.markWrittenAll([{ docKey: 'doc_a', ref: { docKey: 'doc_a', sageTable: 'tglJournal', sageKey: 1, sageNumber: 'GJ-1', batchKey: 1 } }]);
    check(nowSeconds);
    expect(found()).toEqual([]);
    // A later check that only follows the changes has taken the booked transaction and charge off the lists.
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');

    const db = new Database(file);
    try {
      edit(db);
    } finally {
      db.close();
    }
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
    check(nowSeconds);
    expect(found()).toEqual(['charge-without-fees ch_a', 'transaction-not-in-sage txn_a']);
  }

  /**
   * A migration stores rows and records documents written behind the lists' writers (migration
   * 6 recorded one-step payouts' arrivals written in plain SQL). The lists record the schema
   * version they were brought up to date at, and a check at another one reads the history
   * (migration-drift-lists-schema-version.ts): here lists built at the version before this one,
   * then a journal recorded written as such a migration would, with no row on drift_lists_stale.
   */
  it('read the history when they were last brought up to date at another schema version (a migration wrote behind them)', () => {
    const version = ledger.mappings.saveMapping(mapping());
    const nowSeconds = T0 + 10 * DAY;
    ledger.objects.upsertObjects([charge({ id: 'ch_m', created: T0, balance_transaction: 'txn_m' })]);
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_m', amount: 100, created: T0, source: 'ch_m' })], null);
    ledger.documents.savePlan('ch_m', [journal('doc_m', 'ch_m', ['txn_m'])], version, 'planned');
    check(nowSeconds);
    expect(found()).toEqual(['charge-without-fees ch_m', 'transaction-not-in-sage txn_m']);
    const db = new Database(file);
    try {
      db.prepare('UPDATE drift_transactions_seen SET schema_version = ?').run(LEDGER_SCHEMA_VERSION - 1);
      db.prepare(`UPDATE documents SET state = 'written', sage_table = 'tglJournal', sage_key = 1 WHERE doc_key = 'doc_m'`).run();
    } finally {
      db.close();
    }
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('history');
    check(nowSeconds);
    expect(found()).toEqual([]);
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
  });

  it('follow the changes again once the lists are built after such a change', () => {
    expectHistoryAfter(edits[0]![1]);
    expect(ledger.reconciliation.bringDriftListsUpToDate()).toBe('changes');
  });
});
