import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { JournalDocument, JournalLine, SageRef } from '../../main/core/sage/documents.js';
import { bt, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * A journal's lines are kept beside its traces (document_traces.lines, migration 14), which the
 * reconciliation's reads of lines on an account use instead of the bodies; they must follow the
 * body through every change the ledger makes to it: saved new, saved again (replaced), saved
 * twice in one call, withdrawn, found in Sage with another body, and never replaced once
 * written. The expectations are the lines as this test wrote them, read back through the reads
 * the balance and payout proofs use and straight from the table.
 */

const CLEARING = '1050-00';
const SALES = '4000-00';

let dir: string;
let file: string;
let ledger: SqliteLedger;
let version: number;
let sageKey = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-journal-lines-'));
  file = join(dir, 'ledger.sqlite');
  ledger = new SqliteLedger(file);
  version = ledger.mappings.saveMapping(mapping());
  ledger.objects.upsertBalanceTransactions([bt({ id: 'txn_1', created: T0, amount: 1_000 }), bt({ id: 'txn_2', created: T0 + 60, amount: 100 })], null);
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function line(acctNo: string, amount: string, traceId: string): JournalLine {
  return { acctNo, amount, comment: `${traceId} on ${acctNo}`, traceId };
}

function journal(key: string, lines: JournalLine[]): JournalDocument {
  return { type: 'journal', key, postDate: '2026-03-10', stripeObjectId: key, description: key, lines };
}

function ref(docKey: string): SageRef {
  sageKey++;
  return { docKey, sageTable: 'tglJournalHdr', sageKey, sageNumber: `GJ-${sageKey}`, batchKey: 1 };
}

function write(docKey: string): void {
  ledger.documents.markWritingAll([docKey]);
  ledger.documents.markWrittenAll([{ docKey, ref: ref(docKey) }]);
}

/** The trace rows of a document, as (trace, its [account, amount] pairs or null), read straight from the file. */
function rowsOf(docKey: string): [string, [string, string][] | null][] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT trace_id, lines FROM document_traces WHERE doc_key = ? ORDER BY trace_id').raw(true).all(docKey) as [string, string | null][];
    return rows.map(([traceId, lines]) => [traceId, lines === null ? null : (JSON.parse(lines) as [string, string][])]);
  } finally {
    db.close();
  }
}

const clearingLines = () =>
  ledger.reconciliation
    .writtenLinesOnAccount(CLEARING)
    .map((entry) => `${entry.traceId} ${entry.amount}`)
    .sort();

describe("journal lines kept beside the journal's traces", () => {
  it('a re-planned unwritten journal has only its new lines, and they count once it is written', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1', [line(CLEARING, '10.000', 'txn_1'), line(SALES, '-10.000', 'txn_1')])], version, 'planned');
    ledger.documents.savePlan('ch_1', [journal('ch_1', [line(CLEARING, '12.000', 'txn_1'), line(CLEARING, '1.000', 'txn_2'), line(SALES, '-13.000', 'txn_1')])], version, 'planned');
    expect(rowsOf('ch_1')).toEqual([
      [
        'txn_1',
        [
          [CLEARING, '12.000'],
          [SALES, '-13.000'],
        ],
      ],
      ['txn_2', [[CLEARING, '1.000']]],
    ]);
    expect(clearingLines()).toEqual([]);
    write('ch_1');
    expect(clearingLines()).toEqual(['txn_1 12.000', 'txn_2 1.000']);
    expect(ledger.reconciliation.writtenAmountsOnAccountUpTo(CLEARING, T0, 'none')).toEqual(['12.000']);
    expect([...ledger.reconciliation.tracesOnAccount(CLEARING, null, T0 + 60)].map((trace) => [trace.traceId, trace.booked])).toEqual([
      ['txn_1', ['12.000']],
      ['txn_2', ['1.000']],
    ]);
  });

  it('the same journal saved twice in one call keeps the later lines', () => {
    ledger.documents.savePlans(
      [
        { objectId: 'ch_1', documents: [journal('ch_1', [line(CLEARING, '10.000', 'txn_1'), line(SALES, '-10.000', 'txn_1')])] },
        { objectId: 'ch_1', documents: [journal('ch_1', [line(CLEARING, '11.000', 'txn_1'), line(SALES, '-11.000', 'txn_1')])] },
      ],
      version,
      'planned',
    );
    write('ch_1');
    expect(clearingLines()).toEqual(['txn_1 11.000']);
    expect(rowsOf('ch_1')).toEqual([
      [
        'txn_1',
        [
          [CLEARING, '11.000'],
          [SALES, '-11.000'],
        ],
      ],
    ]);
  });

  it('a written journal planned again keeps the lines Sage holds', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1', [line(CLEARING, '10.000', 'txn_1'), line(SALES, '-10.000', 'txn_1')])], version, 'planned');
    write('ch_1');
    ledger.documents.savePlan('ch_1', [journal('ch_1', [line(CLEARING, '99.000', 'txn_1'), line(SALES, '-99.000', 'txn_1')])], version, 'planned');
    expect(clearingLines()).toEqual(['txn_1 10.000']);
  });

  it('a withdrawn journal takes its lines with it; a written one is not withdrawn', () => {
    ledger.documents.savePlans(
      [
        { objectId: 'ch_1', documents: [journal('ch_1', [line(CLEARING, '10.000', 'txn_1'), line(SALES, '-10.000', 'txn_1')])] },
        { objectId: 'ch_2', documents: [journal('ch_2', [line(CLEARING, '20.000', 'txn_2'), line(SALES, '-20.000', 'txn_2')])] },
      ],
      version,
      'planned',
    );
    write('ch_2');
    expect(ledger.documents.withdrawDocuments(['ch_1', 'ch_2'])).toBe(1);
    expect(rowsOf('ch_1')).toEqual([]);
    expect(rowsOf('ch_2')).toHaveLength(1);
    // Planned again under the same key after the withdrawal: only the new lines.
    ledger.documents.savePlan('ch_1', [journal('ch_1', [line(CLEARING, '5.000', 'txn_1'), line(SALES, '-5.000', 'txn_1')])], version, 'planned');
    write('ch_1');
    expect(clearingLines()).toEqual(['txn_1 5.000', 'txn_2 20.000']);
  });

  it('a journal found in Sage is recorded with the lines of the body found, replacing an unwritten plan', () => {
    ledger.documents.savePlan('po_1', [journal('po_1:txn_1', [line(CLEARING, '-30.000', 'txn_1'), line('1020-00', '30.000', 'txn_1')])], version, 'planned');
    ledger.documents.recordFoundInSage(
      [
        { document: journal('po_1:txn_1', [line(CLEARING, '-31.000', 'txn_1'), line('1020-00', '31.000', 'txn_1')]), ref: ref('po_1:txn_1') },
        { document: journal('po_2:txn_2', [line(CLEARING, '-7.000', 'txn_2'), line('1020-00', '7.000', 'txn_2')]), ref: ref('po_2:txn_2') },
      ],
      version,
    );
    expect(clearingLines()).toEqual(['txn_1 -31.000', 'txn_2 -7.000']);
    expect(rowsOf('po_1:txn_1')).toEqual([
      [
        'txn_1',
        [
          [CLEARING, '-31.000'],
          ['1020-00', '31.000'],
        ],
      ],
    ]);
  });

  it("a daily summary's lines are its parts' lines, not its own lines on the summary", () => {
    const parts = [
      { key: 'ch_1', stripeObjectId: 'ch_1', lines: [line(CLEARING, '10.000', 'txn_1'), line(SALES, '-10.000', 'txn_1')] },
      { key: 'ch_2', stripeObjectId: 'ch_2', lines: [line(CLEARING, '20.000', 'txn_2'), line(SALES, '-20.000', 'txn_2')] },
    ];
    const summary = {
      ...journal('daily:charges:2026-03-10', [line(CLEARING, '30.000', 'daily:charges:2026-03-10'), line(SALES, '-30.000', 'daily:charges:2026-03-10')]),
      summary: { kind: 'charges', day: '2026-03-10', parts },
    } as JournalDocument;
    ledger.documents.savePlan('daily:charges:2026-03-10', [summary], version, 'planned');
    write('daily:charges:2026-03-10');
    expect(clearingLines()).toEqual(['txn_1 10.000', 'txn_2 20.000']);
    expect(rowsOf('daily:charges:2026-03-10')).toEqual([
      ['ch_1', null],
      ['ch_2', null],
      ['daily:charges:2026-03-10', null],
      [
        'txn_1',
        [
          [CLEARING, '10.000'],
          [SALES, '-10.000'],
        ],
      ],
      [
        'txn_2',
        [
          [CLEARING, '20.000'],
          [SALES, '-20.000'],
        ],
      ],
    ]);
  });

  it('a page of many journals keeps every line', () => {
    const plans = Array.from({ length: 130 }, (_, index) => {
      const key = `ch_${index}`;
      return { objectId: key, documents: [journal(key, [line(CLEARING, `${index}.000`, 'txn_1'), line(SALES, `-${index}.000`, 'txn_1')])] };
    });
    ledger.documents.savePlans(plans, version, 'planned');
    for (const { objectId } of plans) write(objectId);
    const amounts = ledger.reconciliation.writtenLinesOnAccount(CLEARING).map((entry) => Number(entry.amount));
    expect(amounts.sort((a, b) => a - b)).toEqual(Array.from({ length: 130 }, (_, index) => index));
    expect(ledger.reconciliation.writtenLinesOnAccount(SALES)).toHaveLength(130);
  });
});
