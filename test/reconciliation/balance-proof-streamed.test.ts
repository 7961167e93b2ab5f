import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { proveBalance } from '../../main/core/reconciliation/balance-proof.js';
import type { JournalDocument, JournalLine } from '../../main/core/sage/documents.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { bt, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * The balance proof reads the history one trace at a time from the ledger (issue #19: memory
 * independent of the history). On a ledger with thousands of transactions, booked in every way
 * the proof must tell apart, its totals and listed transactions must be what a plain reckoning
 * of the same facts gives (integer thousandths, computed here without the product's code).
 */

const CLEARING = '1050-00';
const SALES = '4000-00';
const FROM = T0 - 30 * 86_400;
const UP_TO = T0;
const COUNT = 3_000;

type Booking = 'exact' | 'split' | 'wrong' | 'missing' | 'summary' | 'planned-only';

interface Fact {
  transaction: StripeBalanceTransaction;
  booking: Booking;
  /** Thousandths on the clearing account in written journals. */
  booked: number;
}

/** Deterministic pseudo-random numbers (a linear congruential generator), so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const thousandths = (text: string): number => Math.round(Number(text) * 1000);
const text = (value: number): string => `${value < 0 ? '-' : ''}${Math.floor(Math.abs(value) / 1000)}.${String(Math.abs(value) % 1000).padStart(3, '0')}`;

let dir: string;
let ledger: SqliteLedger;
const facts: Fact[] = [];
/** Lines on clearing whose trace is no transaction in the window (thousandths by trace). */
const strays = new Map<string, number>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-proof-streamed-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const version = ledger.mappings.saveMapping(mapping());
  const next = random(19);
  const bookings: Booking[] = ['exact', 'exact', 'exact', 'split', 'wrong', 'missing', 'summary', 'planned-only'];
  // Ids beyond ASCII order differently in UTF-8 (SQLite) and UTF-16 (JavaScript): the merge must not lose them.
  const oddIds = ['txn_\u00e9t\u00e9', 'txn_\u{1F600}', 'txn_\uFFFD', 'txn_ZZ', 'txn_'];
  const transactions = Array.from({ length: COUNT }, (_, index) => {
    const id = index < oddIds.length ? oddIds[index]! : `txn_${Math.floor(next() * 1e9).toString(36)}${index}`;
    const created = FROM - 86_400 + Math.floor(next() * 32 * 86_400);
    const roll = index < oddIds.length ? 0.5 : next();
    const kind = roll < 0.05 ? { type: 'issuing_transaction', reporting_category: 'issuing_transaction' } : roll < 0.1 ? { currency: 'eur' } : roll < 0.3 ? { type: 'refund', reporting_category: 'refund' } : {};
    const amount = (roll < 0.3 && roll >= 0.1 ? -1 : 1) * (100 + Math.floor(next() * 50_000));
    return bt({ id, created, amount, fee: Math.floor(next() * 90), ...kind });
  });
  ledger.objects.upsertBalanceTransactions(transactions, null);

  const summaryParts: { key: string; stripeObjectId: string; lines: JournalLine[] }[] = [];
  let documents = 0;
  const write = (objectId: string, document: JournalDocument, written: boolean): void => {
    ledger.documents.savePlan(objectId, [document], version, 'planned');
    if (written) ledger.documents.markWritten(document.key, { docKey: document.key, sageTable: 'tglJournal', sageKey: ++documents, sageNumber: `GJ-${documents}`, batchKey: 1 });
  };
  const journal = (key: string, lines: JournalLine[]): JournalDocument => ({ type: 'journal', key, postDate: '2026-03-10', stripeObjectId: key, description: key, lines });
  const pair = (traceId: string, amount: number): JournalLine[] => [
    { acctNo: CLEARING, amount: text(amount), comment: 'net', traceId },
    { acctNo: SALES, amount: text(-amount), comment: 'sale', traceId },
  ];
  // U+FFFD sorts before U+1F600 in UTF-8 and after it in UTF-16: one booked, the other not, so a merge in the wrong order splits a trace.
  const oddBookings: Booking[] = ['exact', 'exact', 'missing', 'wrong', 'exact'];
  for (const [index, transaction] of transactions.entries()) {
    const booking = oddBookings[index] ?? bookings[Math.floor(next() * bookings.length)]!;
    const net = transaction.net * 10;
    const key = `doc_${facts.length}`;
    let booked = 0;
    if (booking === 'exact') write(key, journal(key, pair(transaction.id, net)), true);
    if (booking === 'split') write(key, journal(key, [...pair(transaction.id, net - 7_000), ...pair(transaction.id, 7_000)]), true);
    if (booking === 'wrong') write(key, journal(key, pair(transaction.id, net + 10)), true);
    if (booking === 'planned-only') write(key, journal(key, pair(transaction.id, net)), false);
    if (booking === 'summary') summaryParts.push({ key, stripeObjectId: key, lines: pair(transaction.id, net) });
    if (booking === 'exact' || booking === 'split' || booking === 'summary') booked = net;
    if (booking === 'wrong') booked = net + 10;
    facts.push({ transaction, booking, booked });
  }
  // A daily summary's own lines trace the summary; its parts carry the per-transaction lines.
  const summaryTotal = summaryParts.reduce((sum, part) => sum + thousandths(part.lines[0]!.amount), 0);
  write('daily:charges:2026-03-10', { ...journal('daily:charges:2026-03-10', pair('daily:charges:2026-03-10', summaryTotal)), summary: { kind: 'charges', day: '2026-03-10', parts: summaryParts } } as JournalDocument, true);
  for (let index = 0; index < 40; index++) {
    const traceId = `txn_gone_${index}`;
    const amount = 1_000 + index * 10;
    write(`stray_${index}`, journal(`stray_${index}`, pair(traceId, amount)), true);
    strays.set(traceId, amount);
  }
});

afterAll(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the balance proof streamed from the ledger', () => {
  it('equals a plain reckoning of the same transactions and clearing lines', () => {
    const inWindow = (fact: Fact): boolean => fact.transaction.created >= FROM && fact.transaction.created <= UP_TO;
    const counts = (fact: Fact): boolean => inWindow(fact) && fact.transaction.currency === 'usd' && fact.transaction.type !== 'issuing_transaction';
    // A line whose transaction the proof does not count (outside the window, another currency, another balance) is a stray too.
    const expectedStrays = new Map(strays);
    for (const fact of facts) if (!counts(fact) && fact.booked !== 0) expectedStrays.set(fact.transaction.id, fact.booked);
    const bookedTotal = facts.reduce((sum, fact) => sum + fact.booked, 0) + [...strays.values()].reduce((sum, amount) => sum + amount, 0);
    const listedTransactions = facts.filter((fact) => counts(fact) && fact.booked !== fact.transaction.net * 10);
    const stripeBalance = 123_456_78; // cents
    const opening = 1_000_000; // thousandths
    const expectedItems = [
      ...listedTransactions.map((fact) => ({ id: fact.transaction.id, difference: fact.transaction.net * 10 - fact.booked, booked: fact.booked })),
      ...[...expectedStrays].map(([id, amount]) => ({ id, difference: -amount, booked: amount })),
    ];
    const listed = expectedItems.reduce((sum, item) => sum + item.difference, 0);
    const difference = stripeBalance * 10 - opening - bookedTotal;

    const proof = proveBalance({
      balance: { object: 'balance', available: [{ amount: stripeBalance, currency: 'usd' }], pending: [], livemode: false },
      homeCurrency: 'usd',
      clearingAccount: CLEARING,
      clearing: ledger.reconciliation.tracesOnAccount(CLEARING, FROM, UP_TO),
      opening: () => BigInt(opening),
      cutoff: UP_TO,
      checkedAt: '2026-03-11T00:00:00.000Z',
      reasonNotBooked: (transaction) => `${transaction.id} waits`,
      inTransitAccount: '1020-00',
      payouts: [],
      inTransitLines: [],
      reasonPayoutDiffers: () => 'waits',
    });

    expect(listedTransactions.length).toBeGreaterThan(500);
    expect(expectedStrays.size).toBeGreaterThan(40);
    expect(thousandths(proof.booked)).toBe(bookedTotal);
    expect(thousandths(proof.difference)).toBe(difference);
    expect(thousandths(proof.unexplained)).toBe(difference - listed);
    expect(proof.items.map((item) => ({ id: item.balanceTransactionId, difference: thousandths(item.difference), booked: thousandths(item.booked) })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
      expectedItems.sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    // Listed in date order, then by id: the order the report prints.
    const order = proof.items.map((item) => [item.created, item.balanceTransactionId] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    expect(proof.items.find((item) => item.balanceTransactionId === listedTransactions.find((fact) => fact.booked === 0)!.transaction.id)?.reason).toMatch(/ waits$/);
    expect(proof.holds).toBe(false);
  });

  it('reads every trace once, each transaction with all its lines, beyond ASCII too', () => {
    const seen = new Map<string, number>();
    for (const trace of ledger.reconciliation.tracesOnAccount(CLEARING, null, UP_TO + 10 * 86_400)) {
      seen.set(trace.traceId, (seen.get(trace.traceId) ?? 0) + 1);
      const fact = facts.find((entry) => entry.transaction.id === trace.traceId);
      if (fact) expect(trace.booked.reduce((sum, amount) => sum + thousandths(amount), 0)).toBe(fact.booked);
    }
    expect([...seen.values()].every((times) => times === 1)).toBe(true);
    for (const id of ['txn_\u00e9t\u00e9', 'txn_\u{1F600}', 'txn_\uFFFD', 'txn_ZZ', 'txn_']) expect(seen.has(id)).toBe(true);
    expect(seen.size).toBe(COUNT + strays.size);
  });
});
