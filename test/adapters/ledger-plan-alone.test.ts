import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { RULE_SKIP_PREFIX } from '../../main/core/rules/rule-skip.js';
import type { JournalDocument, SageRef } from '../../main/core/sage/documents.js';
import { clearingJournal } from '../support/clearing-journal.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { bt, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * The money spine's "plan alone" pass (balanceTransactionsToPlanAlone) reads only the
 * transactions whose answer may have changed since the last pass, carried in the ledger
 * (migration-plan-alone-carry.ts). Its answer must be the whole history's: here, after every
 * step of random sequences of what the engine and the window do to the ledger, against the
 * answer read from the tables by this test's own SQL over every transaction.
 */

/**
 * Every transaction no document claims, in the order they happened: none of its trace rows
 * belongs to another object's document, to a document written, skipped or in flight, or to one
 * planned with the mapping version asked. Written here from the schema, not from the ledger's code.
 */
const EXPECTED = `
  SELECT id, body FROM balance_transactions
  WHERE id NOT IN (
    SELECT t.trace_id FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
    WHERE d.stripe_object_id <> t.trace_id OR d.state = 'written' OR d.state = 'skipped'
       OR d.doc_key IN (SELECT doc_key FROM documents_writing) OR d.mapping_version = ?)
  ORDER BY json_extract(body, '$.created'), id`;

const HOUR = 3_600;

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
/** The test's own reading connection (WAL: it reads what is committed). */
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-plan-alone-'));
  file = join(dir, 'ledger.sqlite');
  ledger = new SqliteLedger(file);
  reader = new Database(file, { readonly: true });
});

afterEach(() => {
  reader.close();
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function expected(version: number): { id: string; body: string }[] {
  return reader.prepare(EXPECTED).all(version) as { id: string; body: string }[];
}

function pass(version: number): { id: string; body: string }[] {
  return ledger.reconciliation.balanceTransactionsToPlanAlone(version).map((transaction) => ({ id: transaction.id, body: JSON.stringify(transaction) }));
}

/** Whether the next pass may read the candidates only: something is carried for this version. */
function carried(version: number): boolean {
  return reader.prepare('SELECT 1 FROM plan_alone_carry WHERE mapping_version = ?').get(version) !== undefined;
}

/** The transactions named for the next pass, as the test's own connection reads them. */
function recheck(): string[] {
  return reader.prepare('SELECT id FROM plan_alone_recheck ORDER BY id').pluck().all() as string[];
}

/** A change made by another connection (a hand edit, a repair, another program): none of the ledger's writers. */
function edit(sql: string, ...params: unknown[]): number {
  const writer = new Database(file);
  try {
    writer.pragma('foreign_keys = OFF');
    return writer.prepare(sql).run(...params).changes;
  } finally {
    writer.close();
  }
}

function documentState(docKey: string): string | null {
  const row = reader.prepare(`SELECT CASE WHEN EXISTS (SELECT 1 FROM documents_writing w WHERE w.doc_key = d.doc_key) THEN 'writing' ELSE d.state END AS state FROM documents d WHERE d.doc_key = ?`).get(docKey) as
    | { state: string }
    | undefined;
  return row?.state ?? null;
}

let sageKey = 0;
function ref(docKey: string): SageRef {
  sageKey++;
  return { docKey, sageTable: 'tglJournalHdr', sageKey, sageNumber: `GJ-${sageKey}`, batchKey: 1 };
}

describe('the plan-alone pass over random sequences', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`answers as the whole history does after every step (seed ${seed})`, () => {
      const next = random(seed);
      const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(next() * items.length)]);
      let version = ledger.mappings.saveMapping(mapping());
      const transactions: StripeBalanceTransaction[] = [];
      const documents = new Map<string, JournalDocument>();
      let stored = 0;
      let passes = 0;
      let carriedPasses = 0;
      let latest = T0;

      const store = (): void => {
        const count = 1 + Math.floor(next() * 3);
        const page: StripeBalanceTransaction[] = [];
        for (let index = 0; index < count; index++) {
          // A third arrive late: created before transactions already stored.
          const created = next() < 0.33 ? T0 + Math.floor(next() * (latest - T0 + 1)) : (latest += HOUR);
          page.push(bt({ id: `txn_${seed}_${String(stored++).padStart(4, '0')}`, created, amount: 1_000 + stored, type: pick(['stripe_fee', 'adjustment', 'topup', 'charge'] as const)! }));
        }
        ledger.objects.upsertBalanceTransactions(page, null);
        transactions.push(...page);
      };
      const restore = (): void => {
        // A transaction read again with another body (Stripe's description changed): its row is updated.
        const transaction = pick(transactions);
        if (!transaction) return;
        const changed = { ...transaction, description: `changed at step ${stored}-${next()}` };
        ledger.objects.upsertBalanceTransactions([changed], null);
        transactions[transactions.indexOf(transaction)] = changed;
      };
      const planOwn = (transaction: StripeBalanceTransaction): void => {
        const document = clearingJournal(`${transaction.id}:${transaction.id}`, transaction.id, [transaction.id], 100 + Math.floor(next() * 3));
        ledger.documents.savePlan(transaction.id, [document], version, next() < 0.2 ? 'shadow' : 'planned');
        documents.set(document.key, document);
      };
      const planOther = (): void => {
        // Another object's journal tracing one to three transactions; planned again with other traces at times.
        const objectId = `ch_${seed}_${Math.floor(next() * 12)}`;
        const traced = new Set<string>();
        for (let index = 0, count = 1 + Math.floor(next() * 3); index < count; index++) {
          const transaction = pick(transactions);
          if (transaction) traced.add(transaction.id);
        }
        if (traced.size === 0) return;
        const document = clearingJournal(`${objectId}:journal`, objectId, [...traced], 100 + Math.floor(next() * 3));
        ledger.documents.savePlan(objectId, [document], version, next() < 0.2 ? 'shadow' : 'planned');
        documents.set(document.key, document);
      };
      const inState = (...states: string[]): string[] => [...documents.keys()].filter((docKey) => states.includes(documentState(docKey) ?? 'gone'));

      const steps: [weight: number, step: () => void][] = [
        [4, store],
        [1, restore],
        [3, () => {
          const transaction = pick(transactions);
          if (transaction) planOwn(transaction);
        }],
        [3, planOther],
        [2, () => {
          const docKey = pick(inState('planned', 'failed', 'dead', 'shadow'));
          if (docKey) ledger.documents.withdrawDocuments([docKey]);
        }],
        [3, () => {
          const docKey = pick(inState('planned', 'failed'));
          if (docKey) ledger.documents.markWriting(docKey);
        }],
        [3, () => {
          const docKey = pick(inState('writing'));
          if (!docKey) return;
          const outcome = next();
          if (outcome < 0.5) ledger.documents.markWritten(docKey, ref(docKey));
          else if (outcome < 0.75) ledger.documents.markFailed(docKey, { errorClass: 'transient', message: 'Sage was busy', nextAttemptAt: null, dead: next() < 0.3 });
          else ledger.documents.requeue([docKey]);
        }],
        [1, () => {
          const docKey = pick(inState('planned', 'failed', 'dead', 'shadow'));
          if (docKey) ledger.documents.skipDocuments([docKey], next() < 0.5 ? 'booked by hand' : `${RULE_SKIP_PREFIX}"no fees"`);
        }],
        [1, () => {
          const docKey = pick(inState('planned', 'failed', 'dead', 'shadow'));
          if (docKey) ledger.documents.recordFoundInSage([{ document: documents.get(docKey)!, ref: ref(docKey) }], version);
        }],
        [1, () => void ledger.documents.retryDocuments({ all: true })],
        [1, () => void ledger.documents.releaseShadowDocuments()],
        [1, () => {
          version = ledger.mappings.saveMapping(mapping({ timeZone: pick(['America/New_York', 'Europe/London', 'Asia/Tokyo', 'UTC'])! }));
        }],
        [1, () => {
          ledger.close();
          ledger = new SqliteLedger(file);
        }],
        [1, () => {
          // A change in place that none of the ledger's writers makes (migration-plan-alone-triggers.ts).
          const docKey = pick([...documents.keys()]);
          const transaction = pick(transactions);
          if (!docKey || !transaction) return;
          const edits: (() => void)[] = [
            () => void edit('UPDATE OR IGNORE document_traces SET trace_id = ? WHERE doc_key = ? AND trace_id = (SELECT MIN(trace_id) FROM document_traces WHERE doc_key = ?)', transaction.id, docKey, docKey),
            () => void edit('UPDATE documents SET stripe_object_id = ? WHERE doc_key = ?', next() < 0.5 ? transaction.id : `ch_${seed}_moved`, docKey),
            () => void edit('UPDATE OR IGNORE documents_writing SET doc_key = ? WHERE doc_key = (SELECT doc_key FROM documents_writing LIMIT 1)', docKey),
            () => {
              const renamed = { ...transaction, id: `${transaction.id}_renamed` };
              const changes = edit(`UPDATE balance_transactions SET id = ?, body = json_set(body, '$.id', ?) WHERE id = ?`, renamed.id, renamed.id, transaction.id);
              if (changes === 1) transactions[transactions.indexOf(transaction)] = renamed;
            },
          ];
          pick(edits)!();
        }],
        [4, () => {
          const want = expected(version);
          if (carried(version)) carriedPasses++;
          passes++;
          const draw = next();
          if (draw < 0.15) {
            // A pass whose run fails before it commits: what it carried goes with it.
            expect(() =>
              ledger.inTransaction(() => {
                expect(pass(version)).toEqual(want);
                throw new Error('the run failed');
              }),
            ).toThrow('the run failed');
            return;
          }
          // As the engine: most get their journal; the rest stay unplanned (a PlanningError leaves only an issue).
          const planSome = (answer: readonly { id: string }[]): void => {
            for (const { id } of answer) if (next() < 0.7) planOwn(transactions.find((transaction) => transaction.id === id)!);
          };
          if (draw < 0.6) {
            ledger.inTransaction(() => {
              const answer = pass(version);
              expect(answer).toEqual(want);
              planSome(answer);
            });
            return;
          }
          // The pass committed before the plans: what it named for the next pass is its answer, nothing older.
          const answer = ledger.inTransaction(() => pass(version));
          expect(answer).toEqual(want);
          expect(recheck()).toEqual(want.map(({ id }) => id).sort());
          ledger.inTransaction(() => planSome(answer));
        }],
      ];
      const total = steps.reduce((sum, [weight]) => sum + weight, 0);
      for (let step = 0; step < 400; step++) {
        let draw = next() * total;
        const chosen = steps.find(([weight]) => (draw -= weight) < 0) ?? steps[steps.length - 1]!;
        chosen[1]();
      }
      expect(pass(version)).toEqual(expected(version));
      // The sequences did carry the pass (not only the whole history read each time).
      expect(carriedPasses).toBeGreaterThan(passes / 2);
    });
  }
});

describe('when the plan-alone pass reads the whole history again, or names a transaction for the next pass', () => {
  /** Three transactions, each with its own journal planned with `version` (so none is to plan alone), and one pass that carries that. */
  function threePlanned(version: number): StripeBalanceTransaction[] {
    const transactions = [1, 2, 3].map((index) => bt({ id: `txn_${index}`, created: T0 + index * HOUR, amount: 1_000 * index, type: 'stripe_fee' }));
    ledger.objects.upsertBalanceTransactions(transactions, null);
    for (const transaction of transactions) ledger.documents.savePlan(transaction.id, [clearingJournal(`${transaction.id}:${transaction.id}`, transaction.id, [transaction.id])], version, 'planned');
    expect(pass(version)).toEqual([]);
    expect(carried(version)).toBe(true);
    return transactions;
  }

  it('after a mapping change: every transaction whose own journal is unwritten and planned with the old mapping', () => {
    const first = ledger.mappings.saveMapping(mapping());
    threePlanned(first);
    ledger.documents.markWriting('txn_1:txn_1');
    ledger.documents.markWritten('txn_1:txn_1', ref('txn_1:txn_1'));
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    expect(pass(second).map((transaction) => transaction.id)).toEqual(['txn_2', 'txn_3']);
    expect(pass(second)).toEqual(expected(second));
  });

  it('a journal leaving flight unwritten, planned with an older mapping, by a requeue that leaves its row as it was', () => {
    const first = ledger.mappings.saveMapping(mapping());
    threePlanned(first);
    ledger.documents.markWriting('txn_2:txn_2');
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    // In flight it is claimed; the others' journals are of the old mapping.
    expect(pass(second).map((transaction) => transaction.id)).toEqual(['txn_1', 'txn_3']);
    for (const id of ['txn_1', 'txn_3']) ledger.documents.savePlan(id, [clearingJournal(`${id}:${id}`, id, [id], 200)], second, 'planned');
    expect(pass(second)).toEqual([]);
    ledger.documents.requeue(['txn_2:txn_2']);
    expect(pass(second).map((transaction) => transaction.id)).toEqual(['txn_2']);
  });

  it("a journal's own row leaving skipped for a state that claims only by mapping version, whatever writes it", () => {
    const first = ledger.mappings.saveMapping(mapping());
    threePlanned(first);
    expect(ledger.documents.skipDocuments(['txn_3:txn_3'], 'booked by hand')).toBe(1);
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    expect(pass(second).map((transaction) => transaction.id)).toEqual(['txn_1', 'txn_2']);
    for (const id of ['txn_1', 'txn_2']) ledger.documents.savePlan(id, [clearingJournal(`${id}:${id}`, id, [id], 200)], second, 'planned');
    expect(pass(second)).toEqual([]);
    // No writer of the ledger un-skips a journal but by planning it again (which replaces its
    // traces); one that changed the row alone must be seen too.
    const writer = new Database(file);
    try {
      writer.prepare(`UPDATE documents SET state = 'planned', skip_reason = NULL WHERE doc_key = 'txn_3:txn_3'`).run();
    } finally {
      writer.close();
    }
    expect(pass(second).map((transaction) => transaction.id)).toEqual(['txn_3']);
  });

  it('when the rowid the pass carried holds another transaction (rowids renumbered): the whole history', () => {
    const version = ledger.mappings.saveMapping(mapping());
    threePlanned(version);
    // The ledger never deletes a transaction; a file changed by hand (a row deleted, the rest
    // renumbered as VACUUM may) gives a new transaction a rowid the pass has already seen.
    const writer = new Database(file);
    try {
      writer.exec(`DELETE FROM balance_transactions WHERE id = 'txn_1'; UPDATE balance_transactions SET rowid = rowid - 1;`);
    } finally {
      writer.close();
    }
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_4', created: T0, amount: 4_000, type: 'stripe_fee' })], null);
    expect(reader.prepare(`SELECT rowid FROM balance_transactions WHERE id = 'txn_4'`).pluck().get()).toBe(3);
    expect(pass(version).map((transaction) => transaction.id)).toEqual(['txn_4']);
  });
});

describe('a plan-alone pass with nothing changed since the last', () => {
  it('writes nothing to the ledger (an idle poll commits no page for it)', () => {
    const version = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' }), bt({ id: 'txn_2', created: T0 + HOUR, amount: 2_000, type: 'stripe_fee' })], null);
    ledger.documents.savePlan('txn_1', [clearingJournal('txn_1:txn_1', 'txn_1', ['txn_1'])], version, 'planned');
    expect(pass(version).map((transaction) => transaction.id)).toEqual(['txn_2']);
    // data_version moves when another connection commits a change to the file.
    const before = reader.pragma('data_version', { simple: true });
    expect(pass(version).map((transaction) => transaction.id)).toEqual(['txn_2']);
    expect(reader.pragma('data_version', { simple: true })).toBe(before);
    ledger.documents.savePlan('txn_2', [clearingJournal('txn_2:txn_2', 'txn_2', ['txn_2'])], version, 'planned');
    expect(pass(version)).toEqual([]);
    expect(reader.pragma('data_version', { simple: true })).not.toBe(before);
  });
});

describe('changes in place that none of the ledger writers make: the carry is dropped and the next pass reads the whole history', () => {
  /** txn_1 traced by a charge's planned journal, txn_2 by its own: nothing to plan alone, and that carried. */
  function carriedWithChargeJournal(): number {
    const version = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' }), bt({ id: 'txn_2', created: T0 + HOUR, amount: 2_000, type: 'stripe_fee' })], null);
    ledger.documents.savePlan('ch_1', [clearingJournal('ch_1:journal', 'ch_1', ['txn_1'])], version, 'planned');
    ledger.documents.savePlan('txn_2', [clearingJournal('txn_2:txn_2', 'txn_2', ['txn_2'])], version, 'planned');
    expect(pass(version)).toEqual([]);
    expect(carried(version)).toBe(true);
    return version;
  }

  /** After the edit: the answer is the whole history's, txn_1 (read here by the test's own SQL), and the carry was dropped for it. */
  function expectTxn1ToPlanAlone(version: number): void {
    expect(carried(version)).toBe(false);
    expect(expected(version).map(({ id }) => id)).toEqual(['txn_1']);
    expect(pass(version)).toEqual(expected(version));
  }

  it("a trace row moved to another transaction (the charge's claim on txn_1 goes)", () => {
    const version = carriedWithChargeJournal();
    expect(edit(`UPDATE document_traces SET trace_id = 'txn_2' WHERE doc_key = 'ch_1:journal'`)).toBe(1);
    expectTxn1ToPlanAlone(version);
  });

  it('a trace row moved to a document that is not there', () => {
    const version = carriedWithChargeJournal();
    expect(edit(`UPDATE document_traces SET doc_key = 'ch_gone:journal' WHERE doc_key = 'ch_1:journal'`)).toBe(1);
    expectTxn1ToPlanAlone(version);
  });

  it("a document moved to the transaction it traces as its object (a document of the transaction's own claims only by state and version)", () => {
    const first = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' })], null);
    ledger.documents.savePlan('ch_1', [clearingJournal('ch_1:journal', 'ch_1', ['txn_1'])], first, 'planned');
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    expect(pass(second)).toEqual([]);
    expect(edit(`UPDATE documents SET stripe_object_id = 'txn_1' WHERE doc_key = 'ch_1:journal'`)).toBe(1);
    expectTxn1ToPlanAlone(second);
  });

  it('a document moved to another key, its trace rows left under the old one', () => {
    const version = carriedWithChargeJournal();
    expect(edit(`UPDATE documents SET doc_key = 'ch_1:moved' WHERE doc_key = 'ch_1:journal'`)).toBe(1);
    expectTxn1ToPlanAlone(version);
  });

  it('a document deleted with its trace rows left behind', () => {
    const version = carriedWithChargeJournal();
    expect(edit(`DELETE FROM documents WHERE doc_key = 'ch_1:journal'`)).toBe(1);
    expectTxn1ToPlanAlone(version);
  });

  it('a document withdrawn by the ledger (its traces deleted first) keeps the carry: the trace trigger names its transaction', () => {
    const version = carriedWithChargeJournal();
    expect(ledger.documents.withdrawDocuments(['ch_1:journal'])).toBe(1);
    expect(carried(version)).toBe(true);
    expect(recheck()).toEqual(['txn_1']);
    expect(pass(version).map(({ id }) => id)).toEqual(['txn_1']);
  });

  it('an in-flight row moved to another document: the one it leaves is out of flight', () => {
    const first = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' }), bt({ id: 'txn_2', created: T0 + HOUR, amount: 2_000, type: 'stripe_fee' })], null);
    ledger.documents.savePlan('txn_1', [clearingJournal('txn_1:txn_1', 'txn_1', ['txn_1'])], first, 'planned');
    ledger.documents.markWriting('txn_1:txn_1');
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    ledger.documents.savePlan('txn_2', [clearingJournal('txn_2:txn_2', 'txn_2', ['txn_2'])], second, 'planned');
    expect(pass(second)).toEqual([]);
    expect(edit(`UPDATE documents_writing SET doc_key = 'txn_2:txn_2' WHERE doc_key = 'txn_1:txn_1'`)).toBe(1);
    expectTxn1ToPlanAlone(second);
  });

  it("a transaction's id changed: under its new id no document traces it", () => {
    const version = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_0', created: T0, amount: 500, type: 'stripe_fee' }), bt({ id: 'txn_2', created: T0 + HOUR, amount: 2_000, type: 'stripe_fee' })], null);
    for (const id of ['txn_0', 'txn_2']) ledger.documents.savePlan(id, [clearingJournal(`${id}:${id}`, id, [id])], version, 'planned');
    expect(pass(version)).toEqual([]);
    // Not the last row: the pass's check of the last rowid it saw would catch that one.
    expect(edit(`UPDATE balance_transactions SET id = 'txn_1', body = json_set(body, '$.id', 'txn_1') WHERE id = 'txn_0'`)).toBe(1);
    expectTxn1ToPlanAlone(version);
  });

  it("a journal's mapping version changed alone by another program while this one runs the older (the version half of the claim trigger's condition)", () => {
    const first = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' })], null);
    ledger.documents.savePlan('txn_1', [clearingJournal('txn_1:txn_1', 'txn_1', ['txn_1'])], first, 'planned');
    expect(pass(first)).toEqual([]);
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    // Planned again with the newer mapping, state unchanged (planned to planned), its traces left as they were.
    expect(edit(`UPDATE documents SET mapping_version = ? WHERE doc_key = 'txn_1:txn_1'`, second)).toBe(1);
    expect(carried(first)).toBe(true);
    expect(expected(first).map(({ id }) => id)).toEqual(['txn_1']);
    expect(pass(first)).toEqual(expected(first));
  });
});

describe('the plan-alone carry without its triggers', () => {
  it('a later migration that rebuilt documents_writing (copy, drop, rename) dropped its trigger: the next pass reads the whole history', () => {
    const first = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' })], null);
    ledger.documents.savePlan('txn_1', [clearingJournal('txn_1:txn_1', 'txn_1', ['txn_1'])], first, 'planned');
    ledger.documents.markWriting('txn_1:txn_1');
    const second = ledger.mappings.saveMapping(mapping({ timeZone: 'Asia/Tokyo' }));
    expect(pass(second)).toEqual([]);
    ledger.close();
    const writer = new Database(file);
    try {
      writer.pragma('foreign_keys = OFF');
      writer.exec(`BEGIN;
        CREATE TABLE documents_writing_copy (doc_key TEXT PRIMARY KEY REFERENCES documents (doc_key), started_at TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO documents_writing_copy (doc_key, started_at) SELECT doc_key, started_at FROM documents_writing;
        DROP TABLE documents_writing; ALTER TABLE documents_writing_copy RENAME TO documents_writing; COMMIT;`);
      expect(writer.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'plan_alone_left_flight'`).pluck().get()).toBe(0);
    } finally {
      writer.close();
    }
    ledger = new SqliteLedger(file);
    expect(carried(second)).toBe(true);
    // Leaving flight unwritten, with the older mapping: to plan alone, and no trigger named it.
    ledger.documents.requeue(['txn_1:txn_1']);
    expect(recheck()).toEqual([]);
    expect(expected(second).map(({ id }) => id)).toEqual(['txn_1']);
    expect(pass(second)).toEqual(expected(second));
  });
});

describe('the plan-alone triggers while nothing is carried', () => {
  it('name nothing (the first pass reads the whole history anyway); once a pass carries, they do', () => {
    const version = ledger.mappings.saveMapping(mapping());
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000, type: 'stripe_fee' }), bt({ id: 'txn_2', created: T0 + HOUR, amount: 2_000, type: 'stripe_fee' })], null);
    const plan = (): void => {
      ledger.documents.savePlan('ch_1', [clearingJournal('ch_1:journal', 'ch_1', ['txn_1'])], version, 'planned');
      ledger.documents.savePlan('ch_2', [clearingJournal('ch_2:journal', 'ch_2', ['txn_2'])], version, 'planned');
      ledger.documents.markWriting('ch_2:journal');
    };
    const unplan = (): void => {
      // Each of the three naming triggers: a trace removed, a journal leaving flight unwritten, a journal's state changed.
      ledger.documents.withdrawDocuments(['ch_1:journal']);
      ledger.documents.requeue(['ch_2:journal']);
      ledger.documents.markFailed('ch_2:journal', { errorClass: 'sage', message: 'Sage said no', nextAttemptAt: null, dead: false });
    };
    plan();
    unplan();
    expect(carried(version)).toBe(false);
    expect(recheck()).toEqual([]);
    ledger.documents.withdrawDocuments(['ch_2:journal']);
    expect(pass(version).map(({ id }) => id)).toEqual(['txn_1', 'txn_2']);
    plan();
    expect(pass(version)).toEqual([]);
    expect(recheck()).toEqual([]);
    unplan();
    expect(recheck()).toEqual(['ch_2', 'txn_1']);
    expect(pass(version)).toEqual(expected(version));
  });
});
