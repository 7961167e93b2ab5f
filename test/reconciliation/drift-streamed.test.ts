import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { checkDrift } from '../../main/core/engine/drift-checks.js';
import type { RunContext } from '../../main/core/engine/engine-context.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripeBalanceTransaction, StripeCharge } from '../../main/core/stripe/objects.js';
import { bt, charge, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * The drift checks read the ledger a page at a time (500 rows) and store each finding as it is
 * found (issue #19: memory independent of the history). On a ledger with several pages of each
 * list, and runs of charges created in the same second across page boundaries, the stored
 * findings must be exactly the transactions and charges a plain reading of the facts names:
 * none lost or repeated at a page boundary.
 */

const DAY = 86_400;
const NOW = T0 + 10 * DAY;
/** Past the one-day grace period of both checks (reconciliation/drift.ts). */
const OLD = NOW - 2 * DAY;
const RECENT = NOW - 3_600;

/** Deterministic pseudo-random numbers, so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

let dir: string;
let ledger: SqliteLedger;
let clock: string;
let version: number;
let documents = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-drift-streamed-'));
  clock = '2026-03-20T10:00:00.000Z';
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'), { now: () => clock });
  version = ledger.mappings.saveMapping(mapping());
  documents = 0;
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const journal = (key: string, objectId: string, traceId: string): JournalDocument => ({
  type: 'journal',
  key,
  postDate: '2026-03-10',
  stripeObjectId: objectId,
  description: key,
  lines: [
    { acctNo: '1050-00', amount: '1.000', comment: 'net', traceId },
    { acctNo: '4000-00', amount: '-1.000', comment: 'sale', traceId },
  ],
});

/** A journal booking `traceId`, planned and (when `written`) written to Sage. */
function book(objectId: string, traceId: string, written: boolean): string {
  const key = `doc_${String(++documents).padStart(5, '0')}`;
  ledger.documents.savePlan(objectId, [journal(key, objectId, traceId)], version, 'planned');
  if (written) ledger.documents.markWritten(key, { docKey: key, sageTable: 'tglJournal', sageKey: documents, sageNumber: `GJ-${documents}`, batchKey: 1 });
  return key;
}

describe('the drift checks streamed from the ledger', () => {
  it('name every unbooked transaction and every charge without booked fees, across page boundaries', () => {
    const next = random(23);
    const transactions: StripeBalanceTransaction[] = [];
    const expectedTransactions = new Set<string>();
    for (let index = 0; index < 2_600; index++) {
      const roll = next();
      const created = roll < 0.15 ? RECENT : OLD - Math.floor(next() * 5 * DAY);
      const type = roll > 0.95 ? { type: 'payout' as const, reporting_category: 'payout' } : {};
      const transaction = bt({ id: `txn_${Math.floor(next() * 1e9).toString(36)}_${index}`, amount: 100 + index, created, ...type });
      transactions.push(transaction);
      const booking = next();
      // Booked: a written journal traces it. Planned only, or nothing at all: not in Sage.
      if (booking < 0.4) book(`obj_${index}`, transaction.id, true);
      else if (booking < 0.6) book(`obj_${index}`, transaction.id, false);
      if (booking >= 0.4 && created < NOW - DAY && transaction.type !== 'payout') expectedTransactions.add(transaction.id);
    }
    ledger.objects.upsertBalanceTransactions(transactions, null);

    const charges: StripeCharge[] = [];
    const expectedCharges = new Set<string>();
    for (let index = 0; index < 1_600; index++) {
      // 700 charges in one second: the (created, id) pages must step through them.
      const created = index < 700 ? OLD : index < 1_400 ? OLD - 1 - Math.floor(next() * 3 * DAY) : RECENT;
      const roll = next();
      const status = roll < 0.1 ? 'failed' : 'succeeded';
      const withTransaction = roll >= 0.2;
      const id = `ch_${Math.floor(next() * 1e9).toString(36)}_${index}`;
      const transactionId = withTransaction ? `txn_of_${id}` : null;
      charges.push(charge({ id, created, status, balance_transaction: transactionId }));
      const booked = withTransaction && next() < 0.6;
      if (transactionId && booked) book(id, transactionId, true);
      if (status === 'succeeded' && created < NOW - DAY && !booked) expectedCharges.add(id);
    }
    ledger.objects.upsertObjects(charges);

    const stored = checkDrift({ ledger, nowSeconds: () => NOW } as unknown as RunContext);
    const findings = ledger.reconciliation.driftFindings();
    const named = (kind: string): string[] => findings.filter((finding) => finding.kind === kind).map((finding) => finding.objectId);
    expect(expectedTransactions.size).toBeGreaterThan(1_000);
    expect(expectedCharges.size).toBeGreaterThan(500);
    expect(named('transaction-not-in-sage').sort()).toEqual([...expectedTransactions].sort());
    expect(named('charge-without-fees').sort()).toEqual([...expectedCharges].sort());
    expect(stored).toBe(findings.length);
    expect(findings.length).toBe(expectedTransactions.size + expectedCharges.size);
  });

  it('lists every written journal whose object changed after writing once, across page boundaries', () => {
    const objects = Array.from({ length: 1_150 }, (_, index) => charge({ id: `ch_${String(index).padStart(5, '0')}`, created: OLD }));
    ledger.objects.upsertObjects(objects);
    const keys = objects.map((object, index) => ({ key: book(object.id, `txn_${index}`, index % 5 !== 0), index }));
    clock = '2026-03-20T11:00:00.000Z';
    // Two objects in three change after their journals were written.
    ledger.objects.upsertObjects(objects.filter((_, index) => index % 3 !== 0).map((object) => ({ ...object, description: 'changed later' })));
    const expected = keys.filter(({ index }) => index % 5 !== 0 && index % 3 !== 0).map(({ key }) => key);
    ledger.reconciliation.bringDriftListsUpToDate();
    const listed = [...ledger.reconciliation.writtenJournalsOfChangedObjects()].map((document) => document.docKey);
    expect(expected.length).toBeGreaterThan(600);
    expect(listed.sort()).toEqual(expected.sort());
  });
});
