import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { buildExecText, classifyMssqlError, formatDateTime, mssqlType, mssqlValue } from '../../main/adapters/sage/mssql-mapping.js';
import { int, money, quantity, smallint, varchar } from '../../main/adapters/sage/sql-params.js';

function sqlError(props: Record<string, unknown>): Error {
  return Object.assign(new Error('boom'), props);
}

describe('mssql executor pure parts', () => {
  it('declares Sage column types: varchar never nvarchar, decimal(15,3) money', () => {
    const varcharType = mssqlType(varchar(12, 'S000001')) as unknown as { type: unknown; length: number };
    expect(varcharType.type).toBe(sql.VarChar);
    expect(varcharType.length).toBe(12);
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
    expect(() => buildExecText('sp; DROP TABLE tarCustomer', [])).toThrow(/not a procedure name/);
  });

  it('classifies SQL Server errors', () => {
    expect(classifyMssqlError(sqlError({ number: 1205 }))).toBe('transient');
    for (const code of ['ETIMEOUT', 'ESOCKET', 'ECONNRESET', 'ECONNCLOSED']) expect(classifyMssqlError(sqlError({ code }))).toBe('transient');
    for (const number of [2627, 2601, 547, 515, 8152]) expect(classifyMssqlError(sqlError({ number }))).toBe('constraint');
    for (const number of [229, 230]) expect(classifyMssqlError(sqlError({ number }))).toBe('permission');
    for (const number of [208, 207, 2812]) expect(classifyMssqlError(sqlError({ number }))).toBe('missing-object');
    expect(classifyMssqlError(sqlError({ code: 'EREQUEST', originalError: { info: { number: 547 } } }))).toBe('constraint');
    expect(classifyMssqlError(sqlError({ code: 'EREQUEST', originalError: sqlError({ code: 'ECONNRESET' }) }))).toBe('transient');
    expect(classifyMssqlError(sqlError({ number: 50000 }))).toBe('other');
    expect(classifyMssqlError('not an error')).toBe('other');
  });
});
