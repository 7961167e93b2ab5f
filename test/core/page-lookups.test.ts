import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { PageLookups } from '../../main/core/engine/page-lookups.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { bt, charge, mapping, refund } from './fixtures/stripe.js';

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-page-lookups-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a plan-pass page's look-ups", () => {
  it("answer as the ledger does for the page's charges and refunds, whether read ahead or not", () => {
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', amount: 10_000, source: 'ch_1' }), bt({ id: 'txn_3', amount: -500, source: 're_1' })], null);
    ledger.objects.linkInvoicePayment('pi_1', 'in_1');
    ledger.objects.linkInvoicePayment('ch_2', 'in_2');
    const lookups = new PageLookups(ledger);
    const page = [
      charge({ id: 'ch_1', balance_transaction: 'txn_1', payment_intent: 'pi_1' }),
      charge({ id: 'ch_2', balance_transaction: 'txn_2', payment_intent: null }),
      refund({ id: 're_1', charge: 'ch_2', balance_transaction: 'txn_3' }),
    ];
    lookups.startPage(page);
    for (const id of ['txn_1', 'txn_2', 'txn_3', 'txn_elsewhere']) expect(lookups.balanceTransaction(id)).toEqual(ledger.objects.getBalanceTransaction(id));
    for (const id of ['ch_1', 'pi_1', 'ch_2', 'ch_9']) expect(lookups.invoiceForPayment(id)).toBe(ledger.objects.invoiceForCharge(id));
  });

  it('are read again for the next page: a transaction or link stored since is seen', () => {
    const lookups = new PageLookups(ledger);
    const page = [charge({ id: 'ch_1', balance_transaction: 'txn_1', payment_intent: 'pi_1' })];
    lookups.startPage(page);
    expect(lookups.balanceTransaction('txn_1')).toBeNull();
    expect(lookups.invoiceForPayment('pi_1')).toBeNull();
    ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', amount: 10_000, source: 'ch_1' })], null);
    ledger.objects.linkInvoicePayment('pi_1', 'in_1');
    lookups.startPage(page);
    expect(lookups.balanceTransaction('txn_1')).toMatchObject({ id: 'txn_1', amount: 10_000 });
    expect(lookups.invoiceForPayment('pi_1')).toBe('in_1');
  });

  it("read the page's documents ahead: a charge's keys, its invoice's keys and what traces the charge or its transaction", () => {
    const version = ledger.mappings.saveMapping(mapping());
    const journal = (key: string, traceId: string): JournalDocument => ({
      type: 'journal',
      key,
      postDate: '2026-03-10',
      stripeObjectId: key.split(':')[0]!,
      description: key,
      lines: [
        { acctNo: '1050-00', amount: '10.000', comment: 'net', traceId },
        { acctNo: '4000-00', amount: '-10.000', comment: 'sale', traceId },
      ],
    });
    ledger.objects.linkInvoicePayment('pi_1', 'in_1');
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1'), journal('ch_1:txn_1:ar-receipt', 'txn_1')], version, 'planned');
    ledger.documents.savePlan('in_1', [journal('in_1:paid', 'in_1')], version, 'planned');
    const lookups = new PageLookups(ledger);
    lookups.startPage([charge({ id: 'ch_1', balance_transaction: 'txn_1', payment_intent: 'pi_1' })]);
    // Another connection skips them all: reads answered from what the page read still show them planned.
    const other = new SqliteLedger(join(dir, 'ledger.sqlite'));
    other.documents.skipDocuments(['ch_1:txn_1', 'ch_1:txn_1:ar-receipt', 'in_1:paid'], 'by hand');
    other.close();
    for (const key of ['ch_1:txn_1', 'ch_1:txn_1:ar-receipt', 'in_1:paid']) expect(ledger.documents.getDocument(key)?.state, key).toBe('planned');
    expect(ledger.documents.getDocument('ch_1:txn_1:ar-invoice')).toBeNull();
    expect(ledger.documents.documentsTracing('txn_1').map((stored) => stored.state)).toEqual(['planned', 'planned']);
    expect(ledger.documents.documentsTracing('in_1').map((stored) => stored.state)).toEqual(['planned']);
    expect(ledger.documents.documentsForObject('ch_1').map((stored) => stored.state)).toEqual(['planned', 'planned']);
    // The page is done: reads go to the ledger again.
    lookups.endPage();
    expect(ledger.documents.getDocument('ch_1:txn_1')?.state).toBe('skipped');
  });
});
