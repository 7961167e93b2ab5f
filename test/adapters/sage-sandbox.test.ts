import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_TABLES, moneyColumnNames, tableDdl } from '../../main/simulators/sage-sandbox/ddl.js';
import { SANDBOX_USER_ID } from '../../main/simulators/sage-sandbox/seed.js';
import { int, money, smallint, varchar } from '../../main/adapters/sage/sql-params.js';
import { SqlExecutionError } from '../../main/adapters/sage/sql-port.js';
import { DEFAULT_CHART } from '../../main/core/mapping/default-mapping.js';
import { journal, openFixture, type SandboxFixture } from './sage-fixtures.js';

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

async function failure(promise: Promise<unknown>): Promise<SqlExecutionError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SqlExecutionError);
  return error as SqlExecutionError;
}

const INSERT_ADDRESS = 'INSERT INTO tciAddress (AddrKey, AddrName, AddrLine1, AddrLine2, AddrLine3, AddrLine4, AddrLine5, StateID) VALUES (@key, @name, @line, @line, @line, @line, @line, @state)';

describe('Sage 500 sandbox schema and seed', () => {
  it('declares Sage types: varchar lengths, money as integer thousandths, deferred FKs, no AUTOINCREMENT', () => {
    const ddl = ALL_TABLES.map(tableDdl).join('\n');
    expect(ddl).not.toMatch(/AUTOINCREMENT/);
    const customerDdl = tableDdl(ALL_TABLES.find((table) => table.name === 'tarCustomer')!);
    expect(customerDdl).toContain('CustID TEXT NOT NULL CHECK (length(CustID) <= 12) /* varchar(12) */');
    expect(customerDdl).toContain('CreditLimit INTEGER NOT NULL /* decimal(15,3), stored as integer thousandths */');
    expect(customerDdl).toContain('FOREIGN KEY (CustClassKey) REFERENCES tarCustClass (CustClassKey) DEFERRABLE INITIALLY DEFERRED');
    expect(customerDdl).toContain('UNIQUE (CompanyID, CustID)');
    expect(moneyColumnNames().has('PostAmt')).toBe(true);
    expect(moneyColumnNames().has('QtyOrd')).toBe(false);
  });

  it('seeds one company with what the writer needs', () => {
    const q = (sql: string): unknown[] => fx.raw.prepare(sql).all();
    expect(q('SELECT CompanyID, CurrID FROM tsmCompany')).toEqual([{ CompanyID: 'SOA', CurrID: 'USD' }]);
    expect(q('SELECT ModuleNo FROM tsmCompanyModule WHERE Active = 1 ORDER BY ModuleNo')).toEqual([{ ModuleNo: 3 }, { ModuleNo: 5 }, { ModuleNo: 8 }]);
    expect(q("SELECT COUNT(*) AS n FROM tglFiscalPeriod WHERE Status = 1 AND FiscYear IN ('2025', '2026')")).toEqual([{ n: 24 }]);
    expect(q('SELECT COUNT(*) AS n FROM tglAccount WHERE Status = 1 AND PostingType = 1')).toEqual([{ n: DEFAULT_CHART.length }]);
    expect(q('SELECT BatchType FROM tciBatchTypCompany ORDER BY BatchType')).toEqual([301, 501, 503, 504].map((BatchType) => ({ BatchType })));
    expect(q('SELECT UserID FROM tsmUser')).toEqual([{ UserID: SANDBOX_USER_ID }]);
    expect(q("SELECT EndDate FROM tglFiscalPeriod WHERE FiscYear = '2024' OR (FiscYear = '2026' AND FiscPer = 2)")).toEqual([{ EndDate: '2026-02-28 00:00:00' }]);
    // Surrogate keys continue after the seeded rows.
    expect(q("SELECT NextKey FROM tciSurrogateKey WHERE TableName = 'tglAccount'")).toEqual([{ NextKey: DEFAULT_CHART.length + 1 }]);
  });

  it('enforces varchar lengths, NOT NULL and CHECKs as constraint failures', async () => {
    const tooLong = await failure(fx.port.execute(INSERT_ADDRESS, { key: int(900), name: varchar(40, 'x'), line: varchar(40, ''), state: varchar(3, 'ILLINOIS') }));
    expect(tooLong.kind).toBe('constraint');
    expect(tooLong.message).toMatch(/CHECK constraint failed: length\(StateID\) <= 3/);
    const missing = await failure(fx.port.execute(INSERT_ADDRESS, { key: int(901), name: varchar(40, null), line: varchar(40, ''), state: varchar(3, 'IL') }));
    expect(missing.message).toMatch(/NOT NULL constraint failed: tciAddress.AddrName/);
    const badStatus = await failure(fx.port.execute('UPDATE tglAccount SET Status = 9 WHERE GLAcctKey = 1'));
    expect(badStatus.kind).toBe('constraint');
  });

  it('checks deferred foreign keys at commit and rolls the whole transaction back', async () => {
    const error = await failure(
      fx.port.transaction(async (tx) => {
        await tx.execute(INSERT_ADDRESS, { key: int(902), name: varchar(40, 'x'), line: varchar(40, ''), state: varchar(3, 'IL') });
        await tx.execute('INSERT INTO tarCustStatus (CustKey) VALUES (@custKey)', { custKey: int(4242) });
      }),
    );
    expect(error.kind).toBe('constraint');
    expect(error.message).toMatch(/FOREIGN KEY constraint failed/);
    expect(fx.raw.prepare('SELECT COUNT(*) AS n FROM tciAddress').get()).toEqual({ n: 0 });
  });

  it('converts money both ways and maps missing objects', async () => {
    await fx.port.execute('UPDATE tarCustClass SET CreditLimit = @limit', { limit: money('-1234.5') });
    expect(fx.raw.prepare('SELECT CreditLimit FROM tarCustClass').get()).toEqual({ CreditLimit: -1234500 });
    expect(await fx.port.query('SELECT CreditLimit, ISNULL(NULL, 7) AS Fallback FROM tarCustClass')).toEqual([{ CreditLimit: '-1234.500', Fallback: 7 }]);
    expect((await failure(fx.port.query('SELECT NoSuchColumn FROM tarCustomer'))).kind).toBe('missing-object');
    expect((await failure(fx.port.query('SELECT 1 FROM tglPosting'))).kind).toBe('missing-object');
    expect((await failure(fx.port.procedure('spglGeneralJrnlPostAll', []))).kind).toBe('missing-object');
  });

  it('answers INFORMATION_SCHEMA with the same statement text as SQL Server', async () => {
    const columns = await fx.port.query("SELECT COLUMN_NAME, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'tglJournalDetl' AND COLUMN_NAME IN ('PostAmt', 'PostCmnt')");
    expect(columns).toEqual([{ COLUMN_NAME: 'PostAmt', IS_NULLABLE: 'NO' }, { COLUMN_NAME: 'PostCmnt', IS_NULLABLE: 'YES' }]);
    expect(await fx.port.query("SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'spGetNextBatch'")).toEqual([{ ROUTINE_NAME: 'spGetNextBatch' }]);
  });

  it('never interleaves concurrent callers with an open transaction', async () => {
    const events: string[] = [];
    const tx = fx.port.transaction(async (session) => {
      events.push('tx start');
      await session.execute('UPDATE tglJournal SET NextJrnlNo = NextJrnlNo + 1');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('tx end');
      throw new Error('abandon');
    });
    const read = fx.port.query('SELECT NextJrnlNo FROM tglJournal').then((rows) => {
      events.push('read');
      return rows;
    });
    await expect(tx).rejects.toThrow('abandon');
    expect(await read).toEqual([{ NextJrnlNo: 1 }]);
    expect(events).toEqual(['tx start', 'tx end', 'read']);
  });

  it('hands out surrogate keys and GL batches like the Sage procedures', async () => {
    const key = (table: string) => fx.port.procedure('spGetNextSurrogateKey', [
      { name: 'iTableName', param: varchar(30, table) },
      { name: 'oNewKey', param: int(null), output: true },
    ], 'name');
    expect(await key('tarCustomer')).toEqual({ oNewKey: 1 });
    expect(await key('tarCustomer')).toEqual({ oNewKey: 2 });
    const batchArgs = (batchType: number) => [
      { name: '_iCompanyID', param: varchar(3, 'SOA') },
      { name: '_iModuleNo', param: smallint(3) },
      { name: '_iBatchType', param: int(batchType) },
      { name: '_iUserID', param: varchar(30, 'stripe') },
      { name: '_iDefBatchCmnt', param: varchar(50, 'test') },
      { name: '_iPostDate', param: { type: 'datetime' as const, value: '2026-11-26' } },
      { name: '_oBatchKey', param: int(null), output: true },
      { name: '_oNextBatchNo', param: int(null), output: true },
      { name: '_oRetVal', param: int(null), output: true },
    ];
    const batch = async (batchType: number) => {
      const result = await fx.port.procedure('spGetNextBatch', batchArgs(batchType), 'name');
      return { batchKey: result['_oBatchKey'], batchNo: result['_oNextBatchNo'], retVal: result['_oRetVal'] };
    };
    expect(await batch(301)).toEqual({ batchKey: 1, batchNo: 1, retVal: 1 });
    expect(await batch(399)).toEqual({ batchKey: null, batchNo: null, retVal: 3 });
    expect(fx.raw.prepare('SELECT BatchID, Status, PostStatus, CreateType FROM tciBatchLog').all()).toEqual([{ BatchID: 'GLJE-000001', Status: 4, PostStatus: 0, CreateType: 1 }]);
  });

  it('takes spGetNextBatch and spGetNextSurrogateKey by parameter name only, and the staging APIs by position only', async () => {
    const batchArgs = [
      { name: '_iCompanyID', param: varchar(3, 'SOA') },
      { name: '_iModuleNo', param: smallint(3) },
      { name: '_iBatchType', param: int(301) },
      { name: '_oBatchKey', param: int(null), output: true },
    ];
    // A positional call would rest on a guessed parameter order (S6 and S8 call it by name: docs/sage-sources.md).
    await expect(fx.port.procedure('spGetNextBatch', batchArgs)).rejects.toThrow(/call it by parameter name/);
    await expect(fx.port.procedure('spGetNextBatch', [...batchArgs, { name: '_iBatchNo', param: int(1) }], 'name')).rejects.toThrow(
      /has no parameter named @_iBatchNo/,
    );
    await expect(fx.port.procedure('spGetNextSurrogateKey', [{ name: 'iTableName', param: varchar(30, 'tarCustomer') }])).rejects.toThrow(/by parameter name/);
    await expect(fx.port.procedure('spARapiCustomerIns', [{ name: 'oContinue', param: smallint(0), output: true }], 'name')).rejects.toThrow(/call it by position/);
    expect(fx.raw.prepare('SELECT COUNT(*) AS n FROM tciBatchLog').get()).toEqual({ n: 0 });
  });

  it("refuses what the login was not granted with SQL Server's error 229, naming the permission and object", async () => {
    const deny = (object: string, permission: string): void => {
      fx.raw.prepare('INSERT INTO sandbox_permission_denied (ObjectName, Permission) VALUES (?, ?)').run(object, permission);
    };
    deny('tglJournalDetl', 'INSERT');
    await expect(fx.writer.write(journal('je:denied'), { runId: 1 })).rejects.toThrow(
      /Sage rejected the write: The INSERT permission was denied on the object 'tglJournalDetl', database '\w+', schema 'dbo'\. \(the SQL login lacks a permission/,
    );
    // The journal's whole transaction rolled back: no header without its lines.
    expect(fx.raw.prepare('SELECT COUNT(*) AS n FROM tglJournalHdr').get()).toEqual({ n: 0 });

    deny('spGetNextSurrogateKey', 'EXECUTE');
    const execute = await failure(fx.port.procedure('spGetNextSurrogateKey', [{ name: 'iTableName', param: varchar(30, 'tarCustomer') }, { name: 'oNewKey', param: int(null), output: true }], 'name'));
    expect(execute).toMatchObject({ kind: 'permission', message: expect.stringMatching(/^The EXECUTE permission was denied on the object 'spGetNextSurrogateKey', database '\w+', schema 'dbo'\.$/) });

    deny('TARCUSTOMER', 'select');
    const select = await failure(fx.port.query('SELECT c.CustKey FROM tsmCompany s INNER JOIN tarCustomer c ON c.CompanyID = s.CompanyID'));
    expect(select).toMatchObject({ kind: 'permission', message: expect.stringContaining("The SELECT permission was denied on the object 'tarCustomer'") });
    // What was granted still works.
    expect(await fx.port.query('SELECT CompanyID FROM tsmCompany')).toEqual([{ CompanyID: 'SOA' }]);
  });
});
