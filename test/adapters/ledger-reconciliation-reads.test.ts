import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { DocumentState } from '../../main/core/engine/engine-events.js';
import type { JournalDocument, JournalLine } from '../../main/core/sage/documents.js';
import { bt, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * The reconciliation ledger's reads of journal lines (the payout proof's lines tracing a
 * payout's transactions and its clearing balance, the balance proof's lines on an account)
 * against a plain reading of the journals this test saved, kept here as the test made them:
 * journals in every state, split over several journals, one journal tracing several
 * transactions, daily summaries written and not, lines on other accounts and on traces that are
 * no stored transaction. The queries read the rows the ledger keeps of each journal's lines
 * (document_traces.lines); rows taken from the wrong part of a body, or a state read wrongly, give
 * other rows than this reading.
 */

const CLEARING = '1050-00';
const SALES = '4000-00';
const FEES = '6150-00';
/** Accounts whose text JSON escapes or that are not ASCII (the reads once searched the bodies' text). */
const ODD_ACCOUNTS = ['1050"00', '1050\\00', '1050-\u00e900', '1050-\u{1F600}'];
/** Named only in comments: a body holding an account's text need not have a line on it. */
const IN_COMMENTS = '1020-00';
const HOUR = 3_600;

interface Saved {
  docKey: string;
  state: DocumentState;
  /** The lines per transaction: a daily summary's parts' lines, or the journal's own. */
  lines: JournalLine[];
}

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
const saved: Saved[] = [];
const created = new Map<string, number>();
const traceIds: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-reconciliation-reads-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const version = ledger.mappings.saveMapping(mapping());
  const next = random(5);
  const transactions = Array.from({ length: 240 }, (_, index) => bt({ id: `txn_${String(index).padStart(4, '0')}`, created: T0 + index * HOUR, amount: 1_000 + index }));
  ledger.objects.upsertBalanceTransactions(transactions, null);
  for (const transaction of transactions) {
    created.set(transaction.id, transaction.created);
    traceIds.push(transaction.id);
  }
  // Traces no stored transaction has: asked for, and booked on clearing.
  traceIds.push('txn_gone_1', 'txn_gone_2');

  let sageKey = 0;
  const line = (acctNo: string, cents: number, traceId: string): JournalLine => ({ acctNo, amount: (cents / 100).toFixed(3), comment: `${traceId} ${acctNo}`, traceId });
  const booking = (traceId: string, cents: number): JournalLine[] => [line(CLEARING, cents, traceId), line(FEES, 30, traceId), line(SALES, -cents - 30, traceId)];
  const journal = (key: string, lines: JournalLine[]): JournalDocument => ({ type: 'journal', key, postDate: '2026-03-10', stripeObjectId: key, description: key, lines });
  const save = (document: JournalDocument, state: DocumentState, perTransaction: JournalLine[]): void => {
    ledger.documents.savePlan(document.key, [document], version, state === 'shadow' ? 'shadow' : 'planned');
    if (state === 'writing' || state === 'written') ledger.documents.markWriting(document.key);
    if (state === 'written') ledger.documents.markWritten(document.key, { docKey: document.key, sageTable: 'tglJournalHdr', sageKey: ++sageKey, sageNumber: `GJ-${sageKey}`, batchKey: 1 });
    if (state === 'failed') ledger.documents.markFailed(document.key, { errorClass: 'data', message: 'account inactive', nextAttemptAt: null, dead: false });
    if (state === 'skipped') expect(ledger.documents.skipDocuments([document.key], 'booked by hand')).toBe(1);
    saved.push({ docKey: document.key, state, lines: perTransaction });
  };
  const states: DocumentState[] = ['written', 'written', 'written', 'planned', 'writing', 'failed', 'skipped', 'shadow'];
  const parts: { written: { key: string; stripeObjectId: string; lines: JournalLine[] }[]; planned: { key: string; stripeObjectId: string; lines: JournalLine[] }[] } = { written: [], planned: [] };
  for (const [index, traceId] of traceIds.entries()) {
    const roll = next();
    const cents = 500 + Math.floor(next() * 90_000);
    const key = `doc_${String(index).padStart(4, '0')}`;
    if (roll < 0.1) {
      // Split over two journals of their own (the second in another state).
      save(journal(`${key}_a`, booking(traceId, cents - 100)), 'written', booking(traceId, cents - 100));
      save(journal(`${key}_b`, booking(traceId, 100)), states[Math.floor(next() * states.length)]!, booking(traceId, 100));
    } else if (roll < 0.2 && index + 1 < traceIds.length) {
      // One journal tracing this transaction and the next one's fee.
      const lines = [...booking(traceId, cents), line(FEES, 45, traceIds[index + 1]!), line(CLEARING, -45, traceIds[index + 1]!)];
      save(journal(key, lines), states[Math.floor(next() * states.length)]!, lines);
    } else if (roll < 0.3) {
      parts.written.push({ key, stripeObjectId: key, lines: booking(traceId, cents) });
    } else if (roll < 0.35) {
      parts.planned.push({ key, stripeObjectId: key, lines: booking(traceId, cents) });
    } else if (roll < 0.4) {
      continue;
    } else {
      save(journal(key, booking(traceId, cents)), states[Math.floor(next() * states.length)]!, booking(traceId, cents));
    }
  }
  for (const [index, account] of ODD_ACCOUNTS.entries()) {
    const lines = [line(account, 1_000 + index, `txn_${String(index).padStart(4, '0')}`), line(SALES, -1_000 - index, `txn_${String(index).padStart(4, '0')}`)];
    save(journal(`odd_${index}`, lines), 'written', lines);
  }
  const mentions = [{ ...line(SALES, 700, 'txn_0007'), comment: `transfer to ${IN_COMMENTS}` }, line(CLEARING, -700, 'txn_0007')];
  save(journal('mentions', mentions), 'written', mentions);
  // A daily summary's own lines trace the summary; its parts carry the per-transaction lines.
  for (const [name, state] of [['written', 'written'], ['planned', 'planned']] as const) {
    const summaryKey = `daily:charges:${name}`;
    const total = parts[name].reduce((sum, part) => sum + Math.round(Number(part.lines[0]!.amount) * 100), 0);
    const document = { ...journal(summaryKey, [line(CLEARING, total, summaryKey), line(SALES, -total, summaryKey)]), summary: { kind: 'charges', day: '2026-03-10', parts: parts[name] } } as JournalDocument;
    save(document, state, parts[name].flatMap((part) => part.lines));
  }
});

afterAll(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const sorted = <T>(rows: T[]): string[] => rows.map((row) => JSON.stringify(row)).sort();

describe('the reconciliation ledger read over journal lines', () => {
  it('has journals of every kind this test means to read', () => {
    const states = new Set(saved.map((document) => document.state));
    expect([...states].sort()).toEqual(['failed', 'planned', 'shadow', 'skipped', 'writing', 'written']);
    expect(saved.filter((document) => document.docKey.startsWith('daily:')).map((document) => document.lines.length)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(saved.find((document) => document.docKey === 'daily:charges:written')!.lines.length).toBeGreaterThan(30);
  });

  it('linesOnAccountTracing gives the lines on the account of journals in any state but skipped that trace the ids asked, only those lines', () => {
    for (const account of [CLEARING, FEES, '9999-00', IN_COMMENTS, ...ODD_ACCOUNTS]) {
      for (const asked of [traceIds.slice(0, 100), traceIds.slice(100), ['txn_0003', 'txn_0003', 'txn_gone_1', 'txn_none', 'daily:charges:written'], []]) {
        const wanted = new Set(asked);
        const expected = saved
          .filter((document) => document.state !== 'skipped')
          .flatMap((document) => document.lines.filter((line) => line.acctNo === account && wanted.has(line.traceId)).map((line) => ({ traceId: line.traceId, amount: line.amount })));
        expect(sorted(ledger.reconciliation.linesOnAccountTracing(account, asked))).toEqual(sorted(expected));
      }
    }
  });

  it('writtenLinesOnAccount gives every written line per transaction on the account, with its trace', () => {
    for (const account of [CLEARING, FEES, '9999-00', IN_COMMENTS, ...ODD_ACCOUNTS]) {
      const expected = saved
        .filter((document) => document.state === 'written')
        .flatMap((document) => document.lines.filter((line) => line.acctNo === account).map((line) => ({ traceId: line.traceId, amount: line.amount })));
      expect(sorted(ledger.reconciliation.writtenLinesOnAccount(account))).toEqual(sorted(expected));
      if (ODD_ACCOUNTS.includes(account)) expect(expected).toHaveLength(1);
    }
  });

  it('writtenAmountsOnAccountUpTo gives the written amounts on the account of stored transactions created up to the time, one left out', () => {
    for (const [upTo, exclude] of [
      [T0 + 120 * HOUR, 'txn_0050'],
      [T0 + 500 * HOUR, 'none'],
      [T0 - 1, 'none'],
    ] as const) {
      const expected = saved
        .filter((document) => document.state === 'written')
        .flatMap((document) => document.lines)
        .filter((line) => line.acctNo === CLEARING && line.traceId !== exclude && created.has(line.traceId) && created.get(line.traceId)! <= upTo)
        .map((line) => line.amount);
      expect(ledger.reconciliation.writtenAmountsOnAccountUpTo(CLEARING, upTo, exclude).sort()).toEqual(expected.sort());
    }
  });
});
