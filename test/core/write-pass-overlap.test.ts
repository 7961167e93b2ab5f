import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../../main/core/engine/engine-context.js';
import { writePlannedDocuments } from '../../main/core/engine/write-pass.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { SageUnavailableError, SageWriteError, type WriteOutcome } from '../../main/core/ports/sage-target.js';
import type { JournalDocument, SageDocument } from '../../main/core/sage/documents.js';
import { payout } from './fixtures/stripe.js';

/**
 * The write pass records a chunk's outcome while Sage works on the next chunk (write-pass.ts,
 * SentChunk), and reads the next page while Sage works on the current one. What must not change:
 * a chunk is marked "writing" before Sage gets it, Sage gets a chunk only after the one before
 * answered, and an answer that stops the pass or pauses a kind keeps the next chunk from Sage,
 * unmarked (planned, its attempts untouched). Sage here answers after a timer, as a server does.
 */

let dir: string;
let ledger: SqliteLedger;
const NOW = Date.parse('2026-11-20T12:00:00Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-write-overlap-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

interface SentChunkSeen {
  keys: string[];
  /** States of this chunk's documents when Sage got it. */
  ownStates: Set<string>;
  /** States of the chunk before's documents when Sage got this one, and when Sage answered it. */
  beforeAtStart: Set<string>;
  beforeAtAnswer: Set<string>;
}

/** A Sage that takes a few milliseconds per chunk; `answer` decides each document's outcome (written by default). */
function slowSage(sent: SentChunkSeen[], answer: (doc: SageDocument, chunk: number) => WriteOutcome | null = () => null) {
  const states = (keys: readonly string[]): Set<string> => new Set(keys.map((key) => ledger.documents.getDocument(key)?.state ?? 'missing'));
  return {
    writeMany: async (documents: readonly SageDocument[]): Promise<WriteOutcome[]> => {
      const keys = documents.map((doc) => doc.key);
      const before = sent.at(-1)?.keys ?? [];
      const seen: SentChunkSeen = { keys, ownStates: states(keys), beforeAtStart: states(before), beforeAtAnswer: new Set() };
      sent.push(seen);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.beforeAtAnswer = states(before);
      return documents.map(
        (doc, index) => answer(doc, sent.length) ?? { ref: { docKey: doc.key, sageTable: 'tglJournalHdr', sageKey: index + 1, sageNumber: String(index + 1), batchKey: 1 } },
      );
    },
    journalsInSage: async () => new Map(),
  };
}

function runContext(sage: ReturnType<typeof slowSage>): RunContext {
  return {
    runId: 1,
    ledger,
    stripe: {},
    sage,
    clock: { now: () => NOW, sleep: async () => undefined },
    options: { ...DEFAULT_ENGINE_OPTIONS, writeBackMetadata: false },
    emit: () => undefined,
    nowSeconds: () => Math.floor(NOW / 1000),
    counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
    sageUnavailable: null,
    arPayments: null,
  } as unknown as RunContext;
}

/** Charge journals ch_000… and refund journals re_000…: keys sort charges first, so chunks of 200 cut where the counts say. */
function planJournals(charges: number, refunds: number): void {
  const journal = (id: string): JournalDocument => ({
    type: 'journal',
    key: `${id}:txn_${id}`,
    postDate: '2026-11-19',
    stripeObjectId: id,
    description: id,
    lines: [
      { acctNo: '1050-00', amount: '10.000', comment: id, traceId: `txn_${id}` },
      { acctNo: '4000-00', amount: '-10.000', comment: id, traceId: `txn_${id}` },
    ],
  });
  const ids = [
    ...Array.from({ length: charges }, (_, index) => `ch_${String(index).padStart(3, '0')}`),
    ...Array.from({ length: refunds }, (_, index) => `re_${String(index).padStart(3, '0')}`),
  ];
  const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
  ledger.documents.savePlans(
    ids.map((id) => ({ objectId: id, documents: [journal(id)] })),
    version,
    'planned',
  );
}

const keysOf = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, index) => `${prefix}_${String(from + index).padStart(3, '0')}:txn_${prefix}_${String(from + index).padStart(3, '0')}`);

describe('the write pass works while Sage does', () => {
  it("records a chunk's outcome while Sage writes the next, each chunk marked writing before Sage gets it", async () => {
    planJournals(450, 0);
    const sent: SentChunkSeen[] = [];
    const context = runContext(slowSage(sent));

    await writePlannedDocuments(context);

    expect(sent.map((chunk) => chunk.keys.length)).toEqual([200, 200, 50]);
    for (const chunk of sent) expect(chunk.ownStates).toEqual(new Set(['writing']));
    // The chunk before is still "writing" when Sage gets the next one, and recorded by the time Sage answers it.
    for (const chunk of sent.slice(1)) {
      expect(chunk.beforeAtStart).toEqual(new Set(['writing']));
      expect(chunk.beforeAtAnswer).toEqual(new Set(['written']));
    }
    expect(ledger.documents.countDocuments()).toMatchObject({ written: 450, writing: 0, planned: 0 });
    expect(context.counters.documentsWritten).toBe(450);
  });

  it('a chunk Sage could not take stops the pass: the next chunk never reaches Sage and stays planned, untouched', async () => {
    planJournals(450, 0);
    const sent: SentChunkSeen[] = [];
    const unavailable = new SageUnavailableError('the Sage database is out of space');
    const context = runContext(slowSage(sent, (_doc, chunk) => (chunk === 2 ? { error: unavailable } : null)));

    await writePlannedDocuments(context);

    expect(sent.map((chunk) => chunk.keys.length)).toEqual([200, 200]);
    expect(context.sageUnavailable).toBe(unavailable.message);
    const states = (keys: string[]) => new Set(keys.map((key) => ledger.documents.getDocument(key)!.state));
    expect(states(keysOf('ch', 0, 200))).toEqual(new Set(['written']));
    expect(states(keysOf('ch', 200, 400))).toEqual(new Set(['planned']));
    expect(states(keysOf('ch', 400, 450))).toEqual(new Set(['planned']));
    expect(new Set(keysOf('ch', 400, 450).map((key) => ledger.documents.getDocument(key)!.attempts))).toEqual(new Set([0]));
  });

  it('a transient failure stops the pass after its chunk is recorded; the next chunk stays planned, untouched', async () => {
    planJournals(450, 0);
    const sent: SentChunkSeen[] = [];
    const deadlock = new SageWriteError('deadlock victim', 'transient');
    const context = runContext(slowSage(sent, (doc, chunk) => (chunk === 1 && doc.key === keysOf('ch', 7, 8)[0] ? { error: deadlock } : null)));

    await writePlannedDocuments(context);

    expect(sent).toHaveLength(1);
    expect(ledger.documents.getDocument(keysOf('ch', 7, 8)[0]!)).toMatchObject({ state: 'failed', errorClass: 'transient', attempts: 1 });
    expect(ledger.documents.countDocuments()).toMatchObject({ written: 199, failed: 1, planned: 250, writing: 0 });
    expect(new Set(keysOf('ch', 200, 450).map((key) => ledger.documents.getDocument(key)!.attempts))).toEqual(new Set([0]));
  });

  it('a kind a chunk paused (a configuration failure) is kept out of the next chunk, unmarked', async () => {
    // Chunk 1: 150 charge journals and refunds re_000–re_049; chunk 2: refunds re_050–re_249.
    planJournals(150, 250);
    const sent: SentChunkSeen[] = [];
    const noAccount = new SageWriteError('GL account 4100-00 for refunds does not exist (tglAccount)', 'configuration', 'tglAccount.GLAcctNo');
    const context = runContext(slowSage(sent, (doc) => ((doc as JournalDocument).stripeObjectId.startsWith('re_') ? { error: noAccount } : null)));

    await writePlannedDocuments(context);

    expect(sent).toHaveLength(1);
    expect(ledger.documents.countDocuments()).toMatchObject({ written: 150, failed: 50, planned: 200, writing: 0 });
    expect(new Set(keysOf('re', 50, 250).map((key) => ledger.documents.getDocument(key)!.attempts))).toEqual(new Set([0]));
  });

  it("a writer that throws leaves its chunk writing for recovery, with the chunk before recorded, and the pass throws", async () => {
    planJournals(450, 0);
    const sent: SentChunkSeen[] = [];
    const sage = slowSage(sent);
    const writeMany = sage.writeMany;
    sage.writeMany = async (documents) => {
      if (sent.length === 1) {
        sent.push({ keys: documents.map((doc) => doc.key), ownStates: new Set(), beforeAtStart: new Set(), beforeAtAnswer: new Set() });
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('the connection broke mid-chunk');
      }
      return writeMany(documents);
    };

    await expect(writePlannedDocuments(runContext(sage))).rejects.toThrow('the connection broke mid-chunk');

    expect(sent).toHaveLength(2);
    expect(ledger.documents.countDocuments()).toMatchObject({ written: 200, writing: 200, planned: 50 });
  });

  it("a payout's arrival in the chunk after its creation's goes with that chunk: the creation is recorded before the arrival's chunk is prepared", async () => {
    // Chunk 1: 199 charge journals and the payout's creation, all of 19 November; chunk 2: its
    // arrival on the 21st and 50 refund journals of that day (their keys sort after it).
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.objects.upsertObjects([payout({ id: 'po_overlap', balance_transaction: 'txn_po_overlap' })]);
    const journal = (key: string, stripeObjectId: string, postDate: string, traceId: string): JournalDocument => ({
      type: 'journal',
      key,
      postDate,
      stripeObjectId,
      description: key,
      lines: [
        { acctNo: '1050-00', amount: '10.000', comment: key, traceId },
        { acctNo: '4000-00', amount: '-10.000', comment: key, traceId },
      ],
    });
    const charges = Array.from({ length: 199 }, (_, index) => `ch_${String(index).padStart(3, '0')}`);
    const refunds = Array.from({ length: 50 }, (_, index) => `re_${String(index).padStart(3, '0')}`);
    ledger.documents.savePlans(
      [
        ...charges.map((id) => ({ objectId: id, documents: [journal(`${id}:txn_${id}`, id, '2026-11-19', `txn_${id}`)] })),
        ...refunds.map((id) => ({ objectId: id, documents: [journal(`${id}:txn_${id}`, id, '2026-11-21', `txn_${id}`)] })),
        {
          objectId: 'po_overlap',
          documents: [
            journal('po_overlap:txn_po_overlap', 'po_overlap', '2026-11-19', 'txn_po_overlap'),
            journal('po_overlap:arrived', 'po_overlap', '2026-11-21', 'po_overlap'),
          ],
        },
      ],
      version,
      'planned',
    );
    const sent: SentChunkSeen[] = [];

    await writePlannedDocuments(runContext(slowSage(sent)));

    // Prepared while the creation was still "writing", the arrival was held back and went alone
    // in a third chunk, once the pass went over the held ones again.
    expect(sent.map((chunk) => chunk.keys.length)).toEqual([200, 51]);
    expect(sent[0]!.keys.at(-1)).toBe('po_overlap:txn_po_overlap');
    expect(sent[1]!.keys[0]).toBe('po_overlap:arrived');
    expect(ledger.documents.countDocuments()).toMatchObject({ written: 251, planned: 0, writing: 0 });
  });
});
