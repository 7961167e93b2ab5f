import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../../main/core/engine/engine-context.js';
import { writePlannedDocuments } from '../../main/core/engine/write-pass.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { SageDocument } from '../../main/core/sage/documents.js';
import type { AnySyncedObject } from '../../main/core/stripe/objects.js';

/**
 * A Stripe sale written as a pending AR invoice and a cash receipt applied to it: when the
 * invoice failed transiently, the two come due at their own retry times. The receipt must not
 * go to Sage before its invoice (the writer would find nothing to apply it to and park it for
 * good); it waits, and goes with or after the invoice.
 */

let dir: string;
let ledger: SqliteLedger;
let now = Date.parse('2026-11-20T12:00:00Z');
const sent: string[][] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-receipt-waits-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  sent.length = 0;
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function runContext(): RunContext {
  return {
    runId: 1,
    ledger,
    stripe: {},
    sage: {
      writeMany: async (documents: readonly SageDocument[]) => {
        sent.push(documents.map((doc) => doc.key));
        return documents.map((doc) => ({ ref: { docKey: doc.key, sageTable: 'tarPendInvoice', sageKey: 1, sageNumber: '1', batchKey: 1 } }));
      },
      journalsInSage: async () => new Map(),
    },
    clock: { now: () => now, sleep: async () => undefined },
    options: DEFAULT_ENGINE_OPTIONS,
    emit: () => undefined,
    nowSeconds: () => Math.floor(now / 1000),
    counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
    sageUnavailable: null,
    arPayments: null,
  } as unknown as RunContext;
}

const lines = [
  { acctNo: '1050-00', amount: '42.000', comment: 'sale', traceId: 'txn_sale' },
  { acctNo: '4000-00', amount: '-42.000', comment: 'sale', traceId: 'txn_sale' },
];
const invoice = { type: 'journal', key: 'ch_sale:ar-invoice', postDate: '2026-11-20', stripeObjectId: 'ch_sale', description: 'AR invoice', lines } as unknown as SageDocument;
const receipt = {
  type: 'journal',
  key: 'ch_sale:txn_sale',
  postDate: '2026-11-20',
  stripeObjectId: 'ch_sale',
  description: 'cash receipt',
  lines,
  arReceipt: { custId: 'ADA', amount: '42.000', cashAcctNo: '1050-00', comment: 'Stripe ch_sale', applyTo: null, applyToOwnInvoice: { docKey: 'ch_sale:ar-invoice', amount: '42.000' }, matchedBy: 'Stripe sale' },
} as unknown as SageDocument;

describe('a Stripe sale\'s cash receipt and its own AR invoice', () => {
  it('holds the receipt back while its invoice waits for a retry, then sends it with the invoice', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlan('ch_sale', [invoice, receipt], version, 'planned');
    ledger.documents.markFailed('ch_sale:ar-invoice', { errorClass: 'transient', message: 'deadlock victim', nextAttemptAt: '2026-11-20T12:10:00.000Z', dead: false });

    await writePlannedDocuments(runContext());
    expect(sent).toEqual([]);
    expect(ledger.documents.getDocument('ch_sale:txn_sale')?.state).toBe('planned');

    now = Date.parse('2026-11-20T12:11:00Z');
    await writePlannedDocuments(runContext());
    expect(sent.flat().sort()).toEqual(['ch_sale:ar-invoice', 'ch_sale:txn_sale']);
    expect(ledger.documents.getDocument('ch_sale:ar-invoice')?.state).toBe('written');
    expect(ledger.documents.getDocument('ch_sale:txn_sale')?.state).toBe('written');
  });

  it('parks the receipt, naming its invoice, when the user skipped the invoice: it would wait forever', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlan('ch_sale', [invoice, receipt], version, 'planned');
    ledger.documents.skipDocuments(['ch_sale:ar-invoice'], 'keyed by hand');

    await writePlannedDocuments(runContext());
    expect(sent).toEqual([]);
    expect(ledger.documents.getDocument('ch_sale:txn_sale')).toMatchObject({
      state: 'failed',
      errorClass: 'data',
      lastError: expect.stringContaining('the AR invoice written for its sale, ch_sale:ar-invoice, which was skipped (keyed by hand), so this sync never writes it'),
    });
    // Retryable: back to planned, parked again while the invoice stays skipped.
    expect(ledger.documents.retryDocuments({ docKeys: ['ch_sale:txn_sale'] })).toBe(1);
    await writePlannedDocuments(runContext());
    expect(sent).toEqual([]);
    expect(ledger.documents.getDocument('ch_sale:txn_sale')?.state).toBe('failed');
  });

  it('holds the receipt and plans its charge again when its invoice is no longer in the ledger (withdrawn when the sale changed form)', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    // The charge as the ledger stores it, already planned: only the receipt's invoice is gone.
    ledger.objects.upsertObjects([{ id: 'ch_sale', object: 'charge', created: 1_795_000_000, amount: 4_200, currency: 'usd', payment_intent: null } as unknown as AnySyncedObject]);
    ledger.objects.markPlanned(['ch_sale']);
    ledger.documents.savePlan('ch_sale', [receipt], version, 'planned');
    expect(ledger.objects.objectsToPlan(10, null).map((object) => object.id)).toEqual([]);

    await writePlannedDocuments(runContext());
    expect(sent).toEqual([]);
    expect(ledger.documents.getDocument('ch_sale:txn_sale')).toMatchObject({
      state: 'planned',
      errorClass: 'waiting',
      lastError: expect.stringContaining('ch_sale:ar-invoice, which is no longer planned (the sale changed form); its payment is planned again with the next sync'),
    });
    // A retry of the same receipt could never be written: the charge is planned again instead, as the sale now stands.
    expect(ledger.objects.objectsToPlan(10, null).map((object) => object.id)).toEqual(['ch_sale']);
  });

  it('holds the receipt while Sage refuses its invoice, and says so on the receipt with the invoice key and Sage\'s words', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    ledger.documents.savePlan('ch_sale', [invoice, receipt], version, 'planned');
    ledger.documents.markFailed('ch_sale:ar-invoice', { errorClass: 'data', message: 'Sage has no customer ADA', nextAttemptAt: null, dead: false });

    await writePlannedDocuments(runContext());
    expect(sent).toEqual([]);
    expect(ledger.documents.getDocument('ch_sale:txn_sale')).toMatchObject({
      state: 'planned',
      errorClass: 'waiting',
      lastError: 'waits for its AR invoice ch_sale:ar-invoice, which Sage refused: Sage has no customer ADA; retry the invoice; it is written with or after that invoice, never alone',
    });
  });

  it('sends a held receipt in the same pass once a later page wrote its invoice', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    // The receipt sorts first (an earlier day); a full page of other journals puts its invoice on the next page.
    const fillers = Array.from({ length: 200 }, (_, index) => ({
      ...(invoice as object),
      key: `ch_f${String(index).padStart(3, '0')}:txn`,
      stripeObjectId: `ch_f${index}`,
      lines: lines.map((entry) => ({ ...entry, traceId: `txn_f${index}` })),
    })) as unknown as SageDocument[];
    ledger.documents.savePlan('ch_sale', [{ ...(invoice as object), postDate: '2026-11-21' } as unknown as SageDocument, { ...(receipt as object), postDate: '2026-11-19' } as unknown as SageDocument], version, 'planned');
    for (const filler of fillers) ledger.documents.savePlan(filler.stripeObjectId, [filler], version, 'planned');

    await writePlannedDocuments(runContext());
    const order = sent.flat();
    expect(order.indexOf('ch_sale:ar-invoice')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('ch_sale:txn_sale')).toBeGreaterThan(order.indexOf('ch_sale:ar-invoice'));
    expect(ledger.documents.getDocument('ch_sale:txn_sale')?.state).toBe('written');
  });
});
