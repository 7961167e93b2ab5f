import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { runBatch, SqlExecutionError } from '../../main/adapters/sage/sql-port.js';
import { varchar } from '../../main/adapters/sage/sql-params.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { startSandboxProcess, type SandboxProcess } from '../../bench/sage-sandbox-client.js';
import { journal, TODAY } from './sage-fixtures.js';

/**
 * The bench's Sage sandbox in a process of its own (bench/sage-sandbox-process.ts) must be the
 * same Sage as the sandbox in the engine's process: the writer's journals land row for row,
 * a transaction whose work fails leaves nothing, and a Sage failure keeps its class (the
 * writer decides retry or park by it). Otherwise the bench would measure another product.
 */
let dir: string;
let sandbox: SandboxProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-process-'));
  sandbox = await startSandboxProcess({ path: join(dir, 'sandbox.db'), today: TODAY });
}, 60_000);
afterAll(async () => {
  await sandbox.port.close();
  rmSync(dir, { recursive: true, force: true });
});

function readBack(sql: string, ...params: unknown[]): unknown[] {
  const raw = new Database(join(dir, 'sandbox.db'), { readonly: true });
  try {
    return raw.prepare(sql).all(...params);
  } finally {
    raw.close();
  }
}

describe('the Sage sandbox in its own process', () => {
  it('takes a chunk of journals from the writer and holds their lines by account and amount', async () => {
    const writer = new SageWriter(sandbox.port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
    const documents: JournalDocument[] = [0, 1, 2].map((index) =>
      journal(`po:${index}`, {
        lines: [
          { acctNo: '1010-00', amount: `${90 + index}.000`, comment: 'bank', traceId: `txn_${index}` },
          { acctNo: '6150-00', amount: '2.500', comment: 'fees', traceId: `txn_${index}` },
          { acctNo: '1050-00', amount: `-${92 + index}.500`, comment: 'clearing', traceId: `txn_${index}` },
        ],
      }),
    );
    const outcomes = await writer.writeMany(documents, { runId: 1, warn: () => undefined });
    expect(outcomes.every((outcome) => 'ref' in outcome)).toBe(true);
    // Each line once, on its account, for its amount (the sandbox keeps decimal(15,3) in thousandths, account numbers unmasked).
    const lines = readBack(
      `SELECT a.GLAcctNo AS acct, d.PostAmt AS thousandths FROM tglJournalDetl d
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey ORDER BY a.GLAcctNo, d.PostAmt`,
    );
    expect(lines).toEqual([
      ...[90_000, 91_000, 92_000].map((thousandths) => ({ acct: '101000', thousandths })),
      ...[-94_500, -93_500, -92_500].map((thousandths) => ({ acct: '105000', thousandths })),
      ...[2_500, 2_500, 2_500].map((thousandths) => ({ acct: '615000', thousandths })),
    ]);
  });

  it('rolls back a transaction whose work failed and gives back the work’s own error', async () => {
    const failure = new Error('the work failed after its insert');
    await expect(
      sandbox.port.transaction(async (tx) => {
        await tx.execute('INSERT INTO tmcCurrency (CurrID, CurrDesc, DigitsAfterDecimal) VALUES (@id, @desc, 2)', { id: varchar(3, 'EUR'), desc: varchar(40, 'Euro') });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(readBack(`SELECT CurrID FROM tmcCurrency WHERE CurrID = 'EUR'`)).toEqual([]);
    await sandbox.port.transaction((tx) =>
      tx.execute('INSERT INTO tmcCurrency (CurrID, CurrDesc, DigitsAfterDecimal) VALUES (@id, @desc, 2)', { id: varchar(3, 'GBP'), desc: varchar(40, 'Pound') }),
    );
    expect(readBack(`SELECT CurrID FROM tmcCurrency WHERE CurrID = 'GBP'`)).toEqual([{ CurrID: 'GBP' }]);
  });

  it('gives back a Sage failure as the classified error the writer reads', async () => {
    const duplicate = sandbox.port.execute('INSERT INTO tmcCurrency (CurrID, CurrDesc, DigitsAfterDecimal) VALUES (@id, @desc, 2)', {
      id: varchar(3, 'USD'),
      desc: varchar(40, 'again'),
    });
    await expect(duplicate).rejects.toBeInstanceOf(SqlExecutionError);
    await expect(duplicate).rejects.toMatchObject({ kind: 'constraint' });
  });

  it('runs a batch’s steps in one message, in order, and a failing step fails the transaction with its classified error', async () => {
    const insert = 'INSERT INTO tmcCurrency (CurrID, CurrDesc, DigitsAfterDecimal) VALUES (@id, @desc, 2)';
    await sandbox.port.transaction(async (tx) => {
      expect(tx.batch).toBeDefined();
      await runBatch(tx, [
        { kind: 'execute', sql: insert, params: { id: varchar(3, 'CHF'), desc: varchar(40, 'Franc') } },
        { kind: 'execute', sql: insert, params: { id: varchar(3, 'JPY'), desc: varchar(40, 'Yen') } },
      ]);
    });
    expect(readBack(`SELECT CurrID FROM tmcCurrency WHERE CurrID IN ('CHF', 'JPY') ORDER BY CurrID`)).toEqual([{ CurrID: 'CHF' }, { CurrID: 'JPY' }]);
    const failing = sandbox.port.transaction((tx) =>
      runBatch(tx, [
        { kind: 'execute', sql: insert, params: { id: varchar(3, 'SEK'), desc: varchar(40, 'Krona') } },
        { kind: 'execute', sql: insert, params: { id: varchar(3, 'CHF'), desc: varchar(40, 'again') } },
        { kind: 'execute', sql: insert, params: { id: varchar(3, 'NOK'), desc: varchar(40, 'Krone') } },
      ]),
    );
    await expect(failing).rejects.toBeInstanceOf(SqlExecutionError);
    await expect(failing).rejects.toMatchObject({ kind: 'constraint' });
    expect(readBack(`SELECT CurrID FROM tmcCurrency WHERE CurrID IN ('SEK', 'NOK')`)).toEqual([]);
  });
});
