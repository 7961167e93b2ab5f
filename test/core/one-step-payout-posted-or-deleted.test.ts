import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { findJournalsInSage } from '../../main/adapters/sage/journals-in-sage.js';
import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../../main/core/engine/engine-context.js';
import { writePlannedDocuments } from '../../main/core/engine/write-pass.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripePayout } from '../../main/core/stripe/objects.js';
import { openFixture, TODAY, type SandboxFixture } from '../adapters/sage-fixtures.js';
import { BANK, CLEARING, IN_TRANSIT, writeOldOneStepJournals } from '../reliability/old-one-step-journals.js';

/**
 * Issue #14: a rebuilt ledger meets the earlier release's one-step payout journal (clearing →
 * bank, under today's key of the journal of creation) after a user posted its batch, or after
 * its lines were deleted. Posted, its lines are in posted GL (tglTransaction) and no longer
 * pending; the sync reads them there by the xref's batch and journal number and adopts the
 * journal exactly as with pending lines. With no lines anywhere, the finding is kept in the
 * ledger, so the payout's arrival, planned only in a later run once its tie-out passes, is parked
 * for the user instead of written. The old journals are put into the sandbox by plain SQL
 * (old-one-step-journals.ts); the bank is read back from Sage's own tables.
 */

let dir: string;
let ledger: SqliteLedger;
let fx: SandboxFixture;
const NOW = Date.parse(`${TODAY}T20:00:00Z`);
const PAYOUT_CENTS = 73_125;
const CREATED = Math.floor(Date.parse(`${TODAY}T15:00:00Z`) / 1000);
const PAYOUT: StripePayout = {
  id: 'po_Old',
  object: 'payout',
  amount: PAYOUT_CENTS,
  currency: 'usd',
  arrival_date: CREATED + 1_800,
  automatic: false,
  method: 'instant',
  status: 'paid',
  type: 'bank_account',
  balance_transaction: 'txn_Created',
  failure_balance_transaction: null,
  failure_code: null,
  failure_message: null,
  reconciliation_status: 'not_applicable',
  description: null,
  metadata: {},
  created: CREATED,
};
const CREATION_KEY = 'po_Old:txn_Created';
const ARRIVAL_KEY = 'po_Old:arrived';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-one-step-posted-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  fx = openFixture();
  ledger.objects.upsertObjects([PAYOUT]);
});

afterEach(async () => {
  ledger.close();
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

function runContext(): RunContext {
  return {
    runId: 1,
    ledger,
    stripe: {},
    sage: fx.writer,
    clock: { now: () => NOW, sleep: async () => undefined },
    options: DEFAULT_ENGINE_OPTIONS,
    emit: () => undefined,
    nowSeconds: () => Math.floor(NOW / 1000),
    counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
    sageUnavailable: null,
    arPayments: null,
  } as unknown as RunContext;
}

const amount = (thousandths: number): string => `${thousandths < 0 ? '-' : ''}${Math.floor(Math.abs(thousandths) / 1000)}.${String(Math.abs(thousandths) % 1000).padStart(3, '0')}`;

function journal(key: string, lines: [string, number][]): JournalDocument {
  return {
    type: 'journal',
    key,
    postDate: TODAY,
    stripeObjectId: PAYOUT.id,
    description: key,
    lines: lines.map(([acctNo, thousandths]) => ({ acctNo, amount: amount(thousandths), comment: key, traceId: 'txn_Created' })),
  };
}

const creation = journal(CREATION_KEY, [['1020-00', PAYOUT_CENTS * 10], ['1050-00', -PAYOUT_CENTS * 10]]);
const arrival = journal(ARRIVAL_KEY, [['1010-00', PAYOUT_CENTS * 10], ['1020-00', -PAYOUT_CENTS * 10]]);

/** The bank's lines in Sage, pending and posted, read from Sage's own tables. */
function bankRows(): { amount: number; date: string; posted: number }[] {
  return fx.raw
    .prepare(
      `SELECT d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date, 0 AS posted FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = @acct
       UNION ALL SELECT t.PostAmt, substr(t.TranDate, 1, 10), 1 FROM tglTransaction t JOIN tglAccount a ON a.GLAcctKey = t.GLAcctKey WHERE a.GLAcctNo = @acct
       ORDER BY 2, 1`,
    )
    .all({ acct: BANK }) as { amount: number; date: string; posted: number }[];
}

function pendingRows(acctNo: string): number {
  return (fx.raw.prepare('SELECT COUNT(*) AS n FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?').get(acctNo) as { n: number }).n;
}

describe('the one-step journal of a payout, posted or deleted', () => {
  it('posted: read from tglTransaction and adopted as with pending lines; the arrival planned later is recorded, not written: one deposit', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    writeOldOneStepJournals(fx.path, [{ docKey: CREATION_KEY, payoutId: PAYOUT.id, amount: PAYOUT_CENTS * 10, day: TODAY, lines: 'posted' }]);
    ledger.documents.savePlan(PAYOUT.id, [creation], version, 'planned');
    await writePlannedDocuments(runContext());
    // Its tie-out passes in a later run: the arrival is planned then.
    ledger.documents.savePlan(PAYOUT.id, [creation, arrival], version, 'planned');
    await writePlannedDocuments(runContext());

    expect(bankRows()).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY, posted: 1 }]);
    expect(pendingRows(IN_TRANSIT)).toBe(0);
    expect(ledger.documents.getDocument(CREATION_KEY)).toMatchObject({
      state: 'written',
      document: { lines: [{ acctNo: '1010-00', amount: amount(PAYOUT_CENTS * 10) }, { acctNo: '1050-00', amount: amount(-PAYOUT_CENTS * 10) }] },
    });
    expect(ledger.documents.getDocument(ARRIVAL_KEY)).toMatchObject({ state: 'written', document: { lines: [] } });
    expect(ledger.documents.getDocument(ARRIVAL_KEY)?.document).toMatchObject({ description: expect.stringMatching(/found in Sage, posted \(tglTransaction\)$/) });
  });

  it('deleted: the finding is kept, the arrival planned in a later run is parked, and written only when the user retries it', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    writeOldOneStepJournals(fx.path, [{ docKey: CREATION_KEY, payoutId: PAYOUT.id, amount: PAYOUT_CENTS * 10, day: TODAY, lines: 'none' }]);
    ledger.documents.savePlan(PAYOUT.id, [creation], version, 'planned');
    await writePlannedDocuments(runContext());
    expect(ledger.documents.getDocument(CREATION_KEY)?.state).toBe('written');

    ledger.documents.savePlan(PAYOUT.id, [creation, arrival], version, 'planned');
    await writePlannedDocuments(runContext());
    const parked = ledger.documents.getDocument(ARRIVAL_KEY)!;
    expect(parked).toMatchObject({ state: 'failed', errorClass: 'data' });
    expect(parked.lastError).toMatch(/^Sage already holds po_Old:txn_Created \(journal \d+, batch key \d+\) but none of its lines are pending in tglJournalDetl nor posted in tglTransaction/);
    expect(bankRows()).toEqual([]);

    // Replanned unchanged, it stays parked; retried by the user (the journal did not reach the bank), it is written.
    ledger.documents.savePlan(PAYOUT.id, [creation, arrival], version, 'planned');
    await writePlannedDocuments(runContext());
    expect(ledger.documents.getDocument(ARRIVAL_KEY)?.state).toBe('failed');
    ledger.documents.retryDocuments({ docKeys: [ARRIVAL_KEY] });
    await writePlannedDocuments(runContext());
    expect(ledger.documents.getDocument(ARRIVAL_KEY)?.state).toBe('written');
    expect(bankRows()).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY, posted: 0 }]);
  });

  it('deleted, and the payout failed in a later run: its failure journal from payouts in transit is parked like the arrival, and written only when the user retries it', async () => {
    const failedPayout: StripePayout = { ...PAYOUT, method: 'standard', status: 'failed', failure_balance_transaction: 'txn_Failed' };
    ledger.objects.upsertObjects([failedPayout]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    // The failure takes the payout back from payouts in transit to clearing.
    const failure = journal('po_Old:txn_Failed', [['1050-00', PAYOUT_CENTS * 10], ['1020-00', -PAYOUT_CENTS * 10]]);
    writeOldOneStepJournals(fx.path, [{ docKey: CREATION_KEY, payoutId: PAYOUT.id, amount: PAYOUT_CENTS * 10, day: TODAY, lines: 'none' }]);
    ledger.documents.savePlan(PAYOUT.id, [creation], version, 'planned');
    await writePlannedDocuments(runContext());
    expect(ledger.documents.getDocument(CREATION_KEY)?.state).toBe('written');

    // Stripe reports the failure in a later run.
    ledger.documents.savePlan(PAYOUT.id, [creation, failure], version, 'planned');
    await writePlannedDocuments(runContext());
    const parked = ledger.documents.getDocument('po_Old:txn_Failed')!;
    expect(parked).toMatchObject({ state: 'failed', errorClass: 'data' });
    expect(parked.lastError).toMatch(/^Sage already holds po_Old:txn_Created \(journal \d+, batch key \d+\) but none of its lines are pending/);
    expect(pendingRows(IN_TRANSIT)).toBe(0);
    expect(pendingRows(CLEARING)).toBe(0);

    // Retried by the user (the journal did not reach the bank): written from payouts in transit.
    ledger.documents.retryDocuments({ docKeys: ['po_Old:txn_Failed'] });
    await writePlannedDocuments(runContext());
    expect(ledger.documents.getDocument('po_Old:txn_Failed')?.state).toBe('written');
    expect(pendingRows(IN_TRANSIT)).toBe(1);
    expect(bankRows()).toEqual([]);
  });

  it('deleted, the failure planned with its creation: parked in the same pass that records the finding', async () => {
    const failedPayout: StripePayout = { ...PAYOUT, method: 'standard', status: 'failed', failure_balance_transaction: 'txn_Failed' };
    ledger.objects.upsertObjects([failedPayout]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    const failure = journal('po_Old:txn_Failed', [['1050-00', PAYOUT_CENTS * 10], ['1020-00', -PAYOUT_CENTS * 10]]);
    writeOldOneStepJournals(fx.path, [{ docKey: CREATION_KEY, payoutId: PAYOUT.id, amount: PAYOUT_CENTS * 10, day: TODAY, lines: 'none' }]);
    ledger.documents.savePlan(PAYOUT.id, [creation, failure], version, 'planned');
    await writePlannedDocuments(runContext());

    expect(ledger.documents.getDocument(CREATION_KEY)?.state).toBe('written');
    expect(ledger.documents.getDocument('po_Old:txn_Failed')).toMatchObject({ state: 'failed', errorClass: 'data', lastError: expect.stringMatching(/^Sage already holds po_Old:txn_Created /) });
    expect(pendingRows(IN_TRANSIT)).toBe(0);
    expect(pendingRows(CLEARING)).toBe(0);
  });

  it('posted lines count only for the xref\'s batch and journal number, and only when they balance', async () => {
    const written = writeOldOneStepJournals(fx.path, [
      { docKey: 'po_A:txn_A', payoutId: 'po_A', amount: 10_000, day: TODAY, lines: 'posted' },
      { docKey: 'po_B:txn_B', payoutId: 'po_B', amount: 20_000, day: TODAY, lines: 'none' },
      { docKey: 'po_C:txn_C', payoutId: 'po_C', amount: 30_000, day: TODAY, lines: 'posted' },
    ]);
    // po_B's number under po_A's batch: not po_B's (another batch); po_C's posting lost a line: it does not balance.
    const a = written.get('po_A:txn_A')!;
    const b = written.get('po_B:txn_B')!;
    const c = written.get('po_C:txn_C')!;
    fx.raw.prepare('UPDATE tglTransaction SET JrnlNo = ? WHERE BatchKey = ? AND PostAmt < 0').run(b.jrnlNo, a.batchKey);
    fx.raw.prepare('INSERT INTO tglTransaction SELECT glTranKey + 100, AcctRefKey, BatchKey, CreateType, CreateDate, CurrExchRate, CurrID, ExtCmnt, FiscPer, FiscYear, GLAcctKey, JrnlKey, JrnlNo, PostAmt, PostAmtHC, PostCmnt, PostDate, PostQty, SourceModuleNo, TranDate, TranKey, TranNo, TranType FROM tglTransaction WHERE BatchKey = ? AND PostAmt < 0').run(a.batchKey);
    fx.raw.prepare('DELETE FROM tglTransaction WHERE BatchKey = ? AND PostAmt < 0').run(c.batchKey);

    const found = await findJournalsInSage(fx.port, 'SOA', ['po_A:txn_A', 'po_B:txn_B', 'po_C:txn_C']);
    // po_A: its bank line alone is left under its number: unbalanced, so not read either.
    expect(found.get('po_A:txn_A')).toMatchObject({ lines: [], posted: false });
    expect(found.get('po_B:txn_B')).toMatchObject({ lines: [], posted: false });
    expect(found.get('po_C:txn_C')).toMatchObject({ lines: [], posted: false });

    fx.raw.prepare('UPDATE tglTransaction SET JrnlNo = ? WHERE BatchKey = ?').run(a.jrnlNo, a.batchKey);
    fx.raw.prepare('DELETE FROM tglTransaction WHERE BatchKey = ? AND glTranKey > 100').run(a.batchKey);
    const again = await findJournalsInSage(fx.port, 'SOA', ['po_A:txn_A', 'po_B:txn_B']);
    expect(again.get('po_A:txn_A')).toMatchObject({
      posted: true,
      lines: [
        { acctNo: '101000', amount: '10.000', tranDate: TODAY },
        { acctNo: '105000', amount: '-10.000', tranDate: TODAY },
      ],
    });
    expect(again.get('po_B:txn_B')).toMatchObject({ lines: [], posted: false });
  });
});
