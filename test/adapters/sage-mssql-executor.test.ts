import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { KEEP_ALIVE_MS, LOCK_POOL_SETTINGS, MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { AppLockLostError } from '../../main/adapters/sage/sql-port.js';
import { FakeMssqlPool } from './fake-mssql-pool.js';
import { buildExecText, classifyMssqlError, formatDateTime, mssqlType, mssqlValue } from '../../main/adapters/sage/mssql-mapping.js';
import { int, money, nvarchar, quantity, smallint, varchar } from '../../main/adapters/sage/sql-params.js';

function sqlError(props: Record<string, unknown>): Error {
  return Object.assign(new Error('boom'), props);
}

describe('mssql executor pure parts', () => {
  it('declares Sage column types: varchar (nvarchar only when asked), decimal(15,3) money', () => {
    const varcharType = mssqlType(varchar(12, 'S000001')) as unknown as { type: unknown; length: number };
    expect(varcharType.type).toBe(sql.VarChar);
    expect(varcharType.length).toBe(12);
    // Only where the site declares the column nvarchar (unicode-columns.ts).
    const nvarcharType = mssqlType(nvarchar(40, 'Zażółć')) as unknown as { type: unknown; length: number };
    expect([nvarcharType.type, nvarcharType.length]).toEqual([sql.NVarChar, 40]);
    expect((mssqlType(int(1)) as unknown as { type: unknown }).type).toBe(sql.Int);
    expect((mssqlType(smallint(1)) as unknown as { type: unknown }).type).toBe(sql.SmallInt);
    const decimal = mssqlType(money('-12.340')) as unknown as { type: unknown; precision: number; scale: number };
    expect([decimal.type, decimal.precision, decimal.scale]).toEqual([sql.Decimal, 15, 3]);
    const qty = mssqlType(quantity('1')) as unknown as { precision: number; scale: number };
    expect([qty.precision, qty.scale]).toEqual([16, 8]);
    expect((mssqlType({ type: 'datetime', value: null }) as unknown as { type: unknown }).type).toBe(sql.DateTime);
  });

  it('sends business dates as the same wall-clock time and reads them back as text', () => {
    const value = mssqlValue({ type: 'datetime', value: '2026-11-26' });
    expect(value).toEqual(new Date('2026-11-26T00:00:00Z'));
    expect(formatDateTime(new Date('2026-11-26T13:45:07Z'))).toBe('2026-11-26 13:45:07');
    expect(mssqlValue(money('-12.340'))).toBe('-12.340');
    expect(() => mssqlValue({ type: 'datetime', value: '26/11/2026' })).toThrow(/not a Sage date/);
  });

  it('builds positional EXEC text with OUTPUT markers', () => {
    expect(
      buildExecText('spGetNextSurrogateKey', [
        { name: 'iTableName', param: varchar(30, 'tarCustomer') },
        { name: 'oNewKey', param: int(null), output: true },
      ]),
    ).toBe('EXEC spGetNextSurrogateKey @p1, @p2 OUTPUT');
    expect(buildExecText('spNoArgs', [])).toBe('EXEC spNoArgs');
    expect(
      buildExecText(
        'spGetNextBatch',
        [
          { name: '_iCompanyID', param: varchar(3, 'SOA') },
          { name: '_oBatchKey', param: int(null), output: true },
        ],
        'name',
      ),
    ).toBe('EXEC spGetNextBatch @_iCompanyID = @p1, @_oBatchKey = @p2 OUTPUT');
    expect(() => buildExecText('spGetNextBatch', [{ name: 'x; DROP', param: int(1) }], 'name')).toThrow(/not a parameter name/);
    expect(() => buildExecText('sp; DROP TABLE tarCustomer', [])).toThrow(/not a procedure name/);
  });

  it('classifies SQL Server errors', () => {
    expect(classifyMssqlError(sqlError({ number: 1205 }))).toBe('transient');
    expect(classifyMssqlError(sqlError({ code: 'ETIMEOUT' }))).toBe('transient');
    for (const code of ['ESOCKET', 'ECONNRESET', 'ECONNCLOSED']) expect(classifyMssqlError(sqlError({ code }))).toBe('unavailable');
    for (const number of [1105, 9002]) expect(classifyMssqlError(sqlError({ number }))).toBe('unavailable');
    for (const number of [2627, 2601, 547, 515, 8152]) expect(classifyMssqlError(sqlError({ number }))).toBe('constraint');
    for (const number of [229, 230]) expect(classifyMssqlError(sqlError({ number }))).toBe('permission');
    for (const number of [208, 207, 2812]) expect(classifyMssqlError(sqlError({ number }))).toBe('missing-object');
    expect(classifyMssqlError(sqlError({ code: 'EREQUEST', originalError: { info: { number: 547 } } }))).toBe('constraint');
    expect(classifyMssqlError(sqlError({ code: 'EREQUEST', originalError: sqlError({ code: 'ECONNRESET' }) }))).toBe('unavailable');
    expect(classifyMssqlError(sqlError({ number: 50000 }))).toBe('other');
    expect(classifyMssqlError('not an error')).toBe('other');
  });
});

const surrogateKeyArgs = [
  { name: 'iTableName', param: varchar(30, 'tarCustomer') },
  { name: 'oNewKey', param: int(null), output: true },
];

describe('mssql executor against a fake pool (no SQL Server here)', () => {
  it('binds by parameter name when asked, by position otherwise', async () => {
    const pool = new FakeMssqlPool();
    const executor = new MssqlExecutor(pool, () => Promise.resolve(new FakeMssqlPool()));
    await executor.procedure('spGetNextSurrogateKey', surrogateKeyArgs, 'name');
    await executor.procedure('spARapiCustomerIns', surrogateKeyArgs);
    expect(pool.executed.map((entry) => entry.text)).toEqual([
      'SET XACT_ABORT OFF; EXEC spGetNextSurrogateKey @iTableName = @p1, @oNewKey = @p2 OUTPUT',
      'SET XACT_ABORT OFF; EXEC spARapiCustomerIns @p1, @p2 OUTPUT',
    ]);
  });

  it('leaves no pooled connection with XACT_ABORT ON after a commit or a rollback', async () => {
    const pool = new FakeMssqlPool();
    const executor = new MssqlExecutor(pool, () => Promise.resolve(new FakeMssqlPool()));
    await executor.transaction(async (tx) => {
      await tx.execute('INSERT INTO tglBatch (BatchKey) VALUES (1)');
    });
    await expect(
      executor.transaction(async () => {
        throw new Error('the writer gives up');
      }),
    ).rejects.toThrow('the writer gives up');
    // ON travels at the head of the transaction's first request, not in a round trip of its own.
    expect(pool.executed.find((entry) => entry.text.includes('INSERT INTO tglBatch'))).toMatchObject({ text: 'SET XACT_ABORT ON; INSERT INTO tglBatch (BatchKey) VALUES (1)', xactAbort: true });
    expect(pool.connections.length).toBeGreaterThan(0);
    for (const connection of pool.connections) expect(connection.xactAbort, `connection ${connection.id}`).toBe(false);
  });

  it('runs a Sage procedure with XACT_ABORT OFF even on a connection the server aborted a transaction on', async () => {
    const pool = new FakeMssqlPool();
    const executor = new MssqlExecutor(pool, () => Promise.resolve(new FakeMssqlPool()));
    pool.failOn = 'tglJournalDetl';
    await expect(
      executor.transaction(async (tx) => {
        await tx.execute('INSERT INTO tglJournalDetl (JrnlHdrKey) VALUES (1)');
      }),
    ).rejects.toThrow(/fake failure/);
    // mssql handed the aborted transaction's connection back with XACT_ABORT still ON.
    expect(pool.peekIdle()?.xactAbort).toBe(true);
    pool.failOn = null;
    await executor.procedure('spARapiCustomerIns', surrogateKeyArgs);
    const call = pool.executed.find((entry) => entry.text.includes('spARapiCustomerIns'));
    expect(call?.xactAbort).toBe(false);
  });

  it('keeps the single-writer lock on a connection that is never closed for idleness, and keeps it busy', () => {
    // mssql's default idleTimeoutMillis (30 s) with min 0 would close the lock's session.
    expect(LOCK_POOL_SETTINGS.min).toBe(1);
    expect(LOCK_POOL_SETTINGS.max).toBe(1);
    expect(LOCK_POOL_SETTINGS.idleTimeoutMillis).toBeGreaterThan(24 * 3600 * 1000);
    expect(KEEP_ALIVE_MS).toBeLessThan(30_000);
  });

  it('proves the lock before each write chunk and writes nothing once it was lost', async () => {
    const pool = new FakeMssqlPool();
    const lockPool = new FakeMssqlPool();
    const executor = new MssqlExecutor(pool, () => Promise.resolve(lockPool));
    const lock = await executor.acquireAppLock('StripeSync:SOA');
    await executor.transaction((tx) => tx.execute('INSERT INTO tglBatch (BatchKey) VALUES (1)'));
    expect(lockPool.executed.filter((entry) => entry.text.startsWith('SELECT APPLOCK_MODE'))).toHaveLength(1);

    lockPool.dropIdleConnections();
    let wrote = false;
    await expect(
      executor.transaction(async (tx) => {
        wrote = true;
        await tx.execute('INSERT INTO tglBatch (BatchKey) VALUES (2)');
      }),
    ).rejects.toThrow(AppLockLostError);
    expect(wrote).toBe(false);
    expect(pool.executed.filter((entry) => entry.text.includes('VALUES (2)'))).toHaveLength(0);
    await lock.release();
  });

  it('after the lock is released, transactions no longer ask for it', async () => {
    const pool = new FakeMssqlPool();
    const lockPool = new FakeMssqlPool();
    const executor = new MssqlExecutor(pool, () => Promise.resolve(lockPool));
    const lock = await executor.acquireAppLock('StripeSync:SOA');
    await lock.release();
    await executor.transaction((tx) => tx.execute('INSERT INTO tglBatch (BatchKey) VALUES (1)'));
    expect(lockPool.executed.filter((entry) => entry.text.startsWith('SELECT APPLOCK_MODE'))).toHaveLength(0);
  });
});
