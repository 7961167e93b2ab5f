import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { listActivity } from '../../main/app/activity-queries.js';
import { listPayoutRows } from '../../main/app/payout-queries.js';
import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../../main/core/engine/engine-context.js';
import { writePlannedDocuments } from '../../main/core/engine/write-pass.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { SageWriteError, type SageTarget } from '../../main/core/ports/sage-target.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripePayout } from '../../main/core/stripe/objects.js';
import { openFixture, TODAY, type SandboxFixture } from '../adapters/sage-fixtures.js';
import { BANK, IN_TRANSIT, writeOldOneStepJournals } from '../reliability/old-one-step-journals.js';

/**
 * Issue #14: a rebuilt ledger against a Sage database where the release before payouts in
 * transit booked a payout in one journal, clearing → bank, under today's key of the journal of
 * creation. Documents come due in `1|postDate|docKey` order, so a payout created and arriving the
 * same day (an instant payout) has its arrival `po_…:arrived` due before its creation
 * `po_…:txn_…`, and a failure whose `txn_` id sorts first likewise. Here 199 sales of that day come
 * first, so a write chunk (200) ends between them. The one-step journal is put into the sandbox by
 * plain SQL (old-one-step-journals.ts); the real writer writes to the sandbox; the bank and payouts
 * in transit are read back from tglJournalDetl and compared with what the payout alone says.
 */

let dir: string;
let ledger: SqliteLedger;
let fx: SandboxFixture;
const NOW = Date.parse(`${TODAY}T20:00:00Z`);
const PAYOUT_CENTS = 50_000;
/** The business day of NOW in the default mapping's time zone (America/Chicago): TODAY. */
const CREATED = Math.floor(Date.parse(`${TODAY}T15:00:00Z`) / 1000);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-payout-waits-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  fx = openFixture();
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

function payout(id: string, overrides: Partial<StripePayout>): StripePayout {
  return {
    id,
    object: 'payout',
    amount: PAYOUT_CENTS,
    currency: 'usd',
    arrival_date: CREATED + 1_800,
    automatic: false,
    method: 'instant',
    status: 'paid',
    type: 'bank_account',
    balance_transaction: 'txn_Zcreated',
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    reconciliation_status: 'not_applicable',
    description: null,
    metadata: {},
    created: CREATED,
    ...overrides,
  };
}

function journal(key: string, objectId: string, lines: [string, string][]): JournalDocument {
  return {
    type: 'journal',
    key,
    postDate: TODAY,
    stripeObjectId: objectId,
    description: key,
    lines: lines.map(([acctNo, amount]) => ({ acctNo, amount, comment: key, traceId: key.slice(key.indexOf(':') + 1) })),
  };
}

/** 199 sales of the day, whose keys sort before any payout's. */
function salesOfTheDay(): { objectId: string; documents: JournalDocument[] }[] {
  return Array.from({ length: 199 }, (_, index) => {
    const id = `ch_${String(index).padStart(3, '0')}`;
    return { objectId: id, documents: [journal(`${id}:txn_${id}`, id, [['1050-00', '10.000'], ['4000-00', '-10.000']])] };
  });
}

/** Every pending GL line on an account, read from Sage's own tables. */
function glRows(acctNo: string): { amount: number; date: string }[] {
  return fx.raw
    .prepare('SELECT d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ? ORDER BY d.TranDate, d.PostAmt')
    .all(acctNo) as { amount: number; date: string }[];
}

describe("a payout's arrival and failure journals wait for its journal of creation", () => {
  it('an instant payout arriving the day it was created: the arrival waits for the creation, found to be the one-step journal, and the bank gets one deposit', async () => {
    const instant = payout('po_Same', {});
    ledger.objects.upsertObjects([instant]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlans(
      [
        ...salesOfTheDay(),
        {
          objectId: instant.id,
          documents: [
            journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1050-00', '-500.000']]),
            journal('po_Same:arrived', instant.id, [['1010-00', '500.000'], ['1020-00', '-500.000']]),
          ],
        },
      ],
      version,
      'planned',
    );
    writeOldOneStepJournals(fx.path, [{ docKey: 'po_Same:txn_Zcreated', payoutId: instant.id, amount: PAYOUT_CENTS * 10, day: TODAY }]);

    await writePlannedDocuments(runContext());

    expect(glRows(BANK)).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY }]);
    expect(glRows(IN_TRANSIT)).toEqual([]);
    expect(ledger.documents.getDocument('po_Same:arrived')).toMatchObject({ state: 'written', document: { lines: [] } });
  });

  it('a failure whose balance transaction sorts before the creation waits too, and is withdrawn, not written from payouts in transit', async () => {
    const failed = payout('po_Fail', { status: 'failed', failure_balance_transaction: 'txn_Afailed', method: 'standard' });
    ledger.objects.upsertObjects([failed]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlans(
      [
        ...salesOfTheDay(),
        {
          objectId: failed.id,
          documents: [
            journal('po_Fail:txn_Zcreated', failed.id, [['1020-00', '500.000'], ['1050-00', '-500.000']]),
            journal('po_Fail:txn_Afailed', failed.id, [['1050-00', '500.000'], ['1020-00', '-500.000']]),
          ],
        },
      ],
      version,
      'planned',
    );
    writeOldOneStepJournals(fx.path, [{ docKey: 'po_Fail:txn_Zcreated', payoutId: failed.id, amount: PAYOUT_CENTS * 10, day: TODAY }]);

    await writePlannedDocuments(runContext());

    // The deposit the earlier release booked; the failure is planned again from the bank by the next plan pass.
    expect(glRows(BANK)).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY }]);
    expect(glRows(IN_TRANSIT)).toEqual([]);
    expect(ledger.documents.getDocument('po_Fail:txn_Afailed')).toBeNull();
  });

  it('with no old journal in Sage, the arrival held back is written in the same pass, once a later chunk wrote its creation', async () => {
    const instant = payout('po_Same', {});
    ledger.objects.upsertObjects([instant]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlans(
      [
        ...salesOfTheDay(),
        {
          objectId: instant.id,
          documents: [
            journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1050-00', '-500.000']]),
            journal('po_Same:arrived', instant.id, [['1010-00', '500.000'], ['1020-00', '-500.000']]),
          ],
        },
      ],
      version,
      'planned',
    );

    await writePlannedDocuments(runContext());

    const order = fx.raw
      .prepare("SELECT x.DocKey FROM tciStripeXref_STRIPE x JOIN tglJournalHdr h ON h.JrnlHdrKey = x.SageKey WHERE x.DocKey LIKE 'po_%' ORDER BY h.JrnlNo")
      .all();
    expect(order).toEqual([{ DocKey: 'po_Same:txn_Zcreated' }, { DocKey: 'po_Same:arrived' }]);
    expect(glRows(BANK)).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY }]);
    expect(glRows(IN_TRANSIT)).toEqual([
      { amount: -PAYOUT_CENTS * 10, date: TODAY },
      { amount: PAYOUT_CENTS * 10, date: TODAY },
    ]);
  });

  it('an arrival held for a creation Sage refused says so on itself, stays planned, and is written with its creation once that is fixed', async () => {
    const instant = payout('po_Same', { automatic: true });
    ledger.objects.upsertObjects([instant]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    // The creation names an account Sage does not have: Sage refuses it, in a later chunk than the arrival.
    const refused = journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1059-00', '-500.000']]);
    const arrival = journal('po_Same:arrived', instant.id, [['1010-00', '500.000'], ['1020-00', '-500.000']]);
    ledger.documents.savePlans([...salesOfTheDay(), { objectId: instant.id, documents: [refused, arrival] }], version, 'planned');

    await writePlannedDocuments(runContext());

    const creation = ledger.documents.getDocument('po_Same:txn_Zcreated')!;
    expect(creation).toMatchObject({ state: 'failed', errorClass: 'configuration' });
    expect(creation.lastError).toBeTruthy();
    const held = ledger.documents.getDocument('po_Same:arrived')!;
    expect(held).toMatchObject({ state: 'planned', errorClass: 'waiting', attempts: 0, nextAttemptAt: null });
    expect(held.lastError).toBe(`waits for po_Same:txn_Zcreated, which Sage refused: ${creation.lastError}; it is written as soon as that journal of creation is`);
    expect(listActivity(ledger, { kind: 'payout', limit: 10, offset: 0 }, { timeZone: 'America/Chicago', dashboardLinks: false }).rows[0]!.documents).toContainEqual(
      expect.objectContaining({ docKey: 'po_Same:arrived', state: 'planned', waitingNote: held.lastError }),
    );
    expect(listPayoutRows(ledger, {})[0]!.explanation).toContain(`po_Same:arrived ${held.lastError}`);
    expect(glRows(BANK)).toEqual([]);
    expect(glRows(IN_TRANSIT)).toEqual([]);

    // The mapping fixed, the creation is planned again: both are written in one pass and the note is gone.
    ledger.documents.savePlan(instant.id, [journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1050-00', '-500.000']]), arrival], version, 'planned');
    await writePlannedDocuments(runContext());

    expect(ledger.documents.getDocument('po_Same:txn_Zcreated')).toMatchObject({ state: 'written', lastError: null });
    expect(ledger.documents.getDocument('po_Same:arrived')).toMatchObject({ state: 'written', lastError: null });
    expect(glRows(BANK)).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY }]);
    expect(glRows(IN_TRANSIT)).toEqual([
      { amount: -PAYOUT_CENTS * 10, date: TODAY },
      { amount: PAYOUT_CENTS * 10, date: TODAY },
    ]);
  });

  it('a pass that stops after writing the creation leaves the held arrival without a note: it waits for nothing and is written next run', async () => {
    const instant = payout('po_Same', {});
    ledger.objects.upsertObjects([instant]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    const late = journal('zz_late:txn_late', 'zz_late', [['1050-00', '1.000'], ['4000-00', '-1.000']]);
    ledger.documents.savePlans(
      [
        ...salesOfTheDay(),
        {
          objectId: instant.id,
          documents: [
            journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1050-00', '-500.000']]),
            journal('po_Same:arrived', instant.id, [['1010-00', '500.000'], ['1020-00', '-500.000']]),
          ],
        },
        { objectId: 'zz_late', documents: [late] },
      ],
      version,
      'planned',
    );
    // Sage deadlocks on the journal after the creation, in the creation's chunk: the pass stops there.
    const writeMany: SageTarget['writeMany'] = async (docs, options) => {
      const outcomes = await fx.writer.writeMany(docs.filter((doc) => doc.key !== late.key), options);
      return docs.map((doc) => (doc.key === late.key ? { error: new SageWriteError('Transaction was deadlocked', 'transient') } : outcomes.shift()!));
    };
    const sage = new Proxy(fx.writer, { get: (target, name) => (name === 'writeMany' ? writeMany : (Reflect.get(target, name) as unknown)) });

    await writePlannedDocuments({ ...runContext(), sage } as RunContext);

    expect(ledger.documents.getDocument('po_Same:txn_Zcreated')?.state).toBe('written');
    expect(ledger.documents.getDocument('po_Same:arrived')).toMatchObject({ state: 'planned', errorClass: null, lastError: null });
    await writePlannedDocuments(runContext());
    expect(ledger.documents.getDocument('po_Same:arrived')?.state).toBe('written');
  });

  it('in one chunk with its arrival, a creation Sage refuses keeps the arrival back: nothing on payouts in transit', async () => {
    const instant = payout('po_Same', {});
    ledger.objects.upsertObjects([instant]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlan(
      instant.id,
      [
        journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1059-00', '-500.000']]),
        journal('po_Same:arrived', instant.id, [['1010-00', '500.000'], ['1020-00', '-500.000']]),
      ],
      version,
      'planned',
    );

    await writePlannedDocuments(runContext());

    expect(ledger.documents.getDocument('po_Same:txn_Zcreated')?.state).toBe('failed');
    expect(ledger.documents.getDocument('po_Same:arrived')).toMatchObject({ state: 'planned', errorClass: 'waiting', lastError: expect.stringMatching(/^waits for po_Same:txn_Zcreated, which Sage refused: /) });
    expect(glRows(BANK)).toEqual([]);
    expect(glRows(IN_TRANSIT)).toEqual([]);
  });

  it('in one chunk the creation goes to Sage before the arrival that sorts ahead of it', async () => {
    const instant = payout('po_Same', {});
    ledger.objects.upsertObjects([instant]);
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlan(
      instant.id,
      [
        journal('po_Same:txn_Zcreated', instant.id, [['1020-00', '500.000'], ['1050-00', '-500.000']]),
        journal('po_Same:arrived', instant.id, [['1010-00', '500.000'], ['1020-00', '-500.000']]),
      ],
      version,
      'planned',
    );

    await writePlannedDocuments(runContext());

    const order = fx.raw.prepare('SELECT x.DocKey FROM tciStripeXref_STRIPE x JOIN tglJournalHdr h ON h.JrnlHdrKey = x.SageKey ORDER BY h.JrnlNo').all();
    expect(order).toEqual([{ DocKey: 'po_Same:txn_Zcreated' }, { DocKey: 'po_Same:arrived' }]);
    expect(glRows(BANK)).toEqual([{ amount: PAYOUT_CENTS * 10, date: TODAY }]);
    expect(glRows(IN_TRANSIT)).toEqual([
      { amount: -PAYOUT_CENTS * 10, date: TODAY },
      { amount: PAYOUT_CENTS * 10, date: TODAY },
    ]);
  });
});
