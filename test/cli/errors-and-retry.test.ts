import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { main } from '../../main/cli/s5sync.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { SageDocument } from '../../main/core/sage/documents.js';
import type { AnySyncedObject } from '../../main/core/stripe/objects.js';

/**
 * `s5sync errors` and `s5sync retry` do what the Errors view does: records that could not be
 * planned are grouped by their problem (not listed one by one), and retrying them plans them
 * again. The ledger state is read back from the file, not through the code under test.
 */

const testKey = ['sk', 'test', 'cli0000000000000000000'].join('_');
let dir: string;
let configPath: string;

const stateTooLong = (id: string): string => `state "Saskatchewan" of customer ${id} is longer than Sage's 3 characters (StateID)`;
const SAGE_REFUSED = 'Sage refused the customer: tarCustomer.CustID already exists';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-cli-errors-'));
  configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ dataDir: '.', stripe: { apiKey: testKey }, sage: { kind: 'sandbox', path: 'sage.sqlite' } }));
  const ledger = new SqliteLedger(join(dir, LEDGER_FILE_NAME));
  try {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    const customers = ['cus_A1', 'cus_B2', 'cus_C3'].map((id, n) => ({ id, object: 'customer', created: 1_700_000_000 + n }) as unknown as AnySyncedObject);
    ledger.objects.upsertObjects(customers);
    ledger.objects.markPlanned(customers.map((customer) => customer.id));
    for (const id of ['cus_A1', 'cus_B2']) ledger.objects.setObjectIssue({ objectId: id, errorClass: 'data', message: stateTooLong(id) });
    const document = { type: 'customer', key: 'cus_C3:customer' } as unknown as SageDocument;
    ledger.documents.savePlan('cus_C3', [document], version, 'planned');
    ledger.documents.markWriting('cus_C3:customer');
    ledger.documents.markFailed('cus_C3:customer', { errorClass: 'data', message: SAGE_REFUSED, nextAttemptAt: null, dead: false });
  } finally {
    ledger.close();
  }
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main([...args, '--config', configPath], (line) => lines.push(line));
  return { code, lines };
}

/** Objects the next run plans: queued in objects_to_plan (ledger migration 9). */
function objectsToReplan(): string[] {
  const db = new Database(join(dir, LEDGER_FILE_NAME), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM objects_to_plan ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

function documentState(docKey: string): string {
  const db = new Database(join(dir, LEDGER_FILE_NAME), { readonly: true });
  try {
    return (db.prepare('SELECT state FROM documents WHERE doc_key = ?').get(docKey) as { state: string }).state;
  } finally {
    db.close();
  }
}

describe('s5sync errors', () => {
  it('groups records with the same problem under one cause, as the Errors view does, each with its retry line', async () => {
    const { code, lines } = await cli('errors');
    expect(code).toBe(0);
    const headers = lines.filter((line) => !line.startsWith(' '));
    expect(headers).toEqual([`data: ${SAGE_REFUSED}`, "data: state a value of customer is longer than Sage's 3 characters (StateID)"]);
    const planningGroup = lines.slice(lines.indexOf(headers[1]!));
    expect(planningGroup.filter((line) => line.includes('object:'))).toEqual([
      `  object:cus_A1 (failed, 0 attempts): ${stateTooLong('cus_A1')}`,
      `  object:cus_B2 (failed, 0 attempts): ${stateTooLong('cus_B2')}`,
    ]);
    expect(planningGroup).toContain(`  retry: s5sync retry --cause "state a value of customer is longer than Sage's 3 characters (StateID)" --config <file>`);
  });
});

describe('s5sync status', () => {
  it('prints the same error groups as the Errors view and `s5sync errors`, with counts and example records', async () => {
    const { lines } = await cli('status');
    const from = lines.findIndex((line) => line.startsWith('errors (as the Errors view groups them'));
    expect(lines.slice(from + 1)).toEqual([
      `  data: ${SAGE_REFUSED} (1 record: cus_C3:customer)`,
      "  data: state a value of customer is longer than Sage's 3 characters (StateID) (2 records: object:cus_A1, object:cus_B2)",
    ]);
    const errors = await cli('errors');
    const causes = errors.lines.filter((line) => !line.startsWith(' ')).map((line) => line.replace(/^data: /, ''));
    expect(causes).toEqual([SAGE_REFUSED, "state a value of customer is longer than Sage's 3 characters (StateID)"]);
  });

  it('lists documents held back for another one with what each waits for, which the error groups do not show', async () => {
    const note = 'waits for po_Z9:txn_Zcreated, which Sage refused: account 1059-00 is not in tglAccount; it is written as soon as that journal of creation is';
    const ledger = new SqliteLedger(join(dir, LEDGER_FILE_NAME));
    try {
      const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
      const journal = (key: string) => ({ type: 'journal', key, postDate: '2026-11-02', lines: [] }) as unknown as SageDocument;
      ledger.documents.savePlan('po_Z9', [journal('po_Z9:arrived'), journal('po_Z9:other')], version, 'planned');
      ledger.documents.noteWaiting([{ docKey: 'po_Z9:arrived', note }]);
    } finally {
      ledger.close();
    }
    const { lines } = await cli('status');
    const from = lines.findIndex((line) => line.startsWith('held back'));
    expect(lines.slice(from)).toEqual(['held back, waiting for another document (1 record; written as soon as it is):', `  po_Z9:arrived: ${note}`]);
    expect(lines.filter((line) => line.includes('po_Z9:other'))).toEqual([]);
  });
});

describe('s5sync retry', () => {
  it('plans again a record that could not be planned, by its object: key', async () => {
    expect(objectsToReplan()).toEqual([]);
    const { code, lines } = await cli('retry', 'object:cus_A1');
    expect(code).toBe(0);
    expect(lines).toEqual(['1 record(s) queued again; they are planned and written on the next sync']);
    expect(objectsToReplan()).toEqual(['cus_A1']);
    expect(documentState('cus_C3:customer')).toBe('failed');
  });

  it('by the cause `s5sync errors` printed, plans again every record of the group', async () => {
    const { code } = await cli('retry', '--cause', "state a value of customer is longer than Sage's 3 characters (StateID)");
    expect(code).toBe(0);
    expect(objectsToReplan()).toEqual(['cus_A1', 'cus_B2']);
  });

  it('--all queues the refused document and plans the unplanned records again', async () => {
    const { lines } = await cli('retry', '--all');
    expect(lines[0]).toMatch(/^3 record\(s\) queued again/);
    expect(objectsToReplan()).toEqual(['cus_A1', 'cus_B2']);
    expect(documentState('cus_C3:customer')).toBe('planned');
  });
});
