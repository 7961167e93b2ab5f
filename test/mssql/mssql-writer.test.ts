import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { journalCodesFor } from '../../main/adapters/sage/journal-codes.js';
import { runPreflight, type PreflightItem } from '../../main/adapters/sage/preflight.js';
import { rehearse } from '../../main/adapters/sage/rehearsal.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import type { SagePort } from '../../main/adapters/sage/sql-port.js';
import { DEFAULT_CHART } from '../../main/core/mapping/default-mapping.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { customer, journal, salesOrder, TODAY } from '../adapters/sage-fixtures.js';
import { procedureScripts } from './tsql-procedures.js';
import { tsqlSchema, tsqlSeed } from './tsql-schema.js';

/**
 * The mssql executor and the writer against a real SQL Server, in a database of their own
 * built from the T-SQL scripts (schema, the sandbox's seed, procedure emulations). Runs only
 * when S5SYNC_TEST_MSSQL holds a connection string (CI: a SQL Server service container on
 * Linux, the sql-server job of .github/workflows/windows.yml); otherwise it reports itself skipped, never passed.
 */
const connectionString = process.env.S5SYNC_TEST_MSSQL;

describe.skipIf(!connectionString)('writer on a real SQL Server (S5SYNC_TEST_MSSQL)', () => {
  const database = `s5sync_test_${process.pid}_${Date.now()}`;
  let admin: sql.ConnectionPool;
  let pool: sql.ConnectionPool;
  let port: SagePort;
  const site = { companyId: 'SOA', journalId: 'GJ', journalCodes: journalCodesFor(null), customers: { enabled: false, custClassId: 'RETAIL' }, salesOrders: { enabled: false, itemIds: [], warehouseId: 'MAIN' } };
  const preflight = (): Promise<PreflightItem[]> =>
    runPreflight(port, { companyId: 'SOA', userId: 'stripe', accounts: DEFAULT_CHART.map((account) => account.acctNo), today: TODAY, site });
  const count = async (table: string): Promise<number> => Number((await port.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.['n']);

  beforeAll(async () => {
    const base = sql.ConnectionPool.parseConnectionString(connectionString!);
    admin = await new sql.ConnectionPool(base).connect();
    await admin.request().batch(`CREATE DATABASE ${database}`);
    const config: sql.config = { ...base, database };
    pool = await new sql.ConnectionPool(config).connect();
    for (const statement of tsqlSchema()) await pool.request().batch(statement);
    const dir = mkdtempSync(join(tmpdir(), 'mssql-seed-'));
    createSandbox(join(dir, 'seed.sqlite'), { today: TODAY });
    const seed = new Database(join(dir, 'seed.sqlite'), { readonly: true });
    const inserts = tsqlSeed(seed);
    seed.close();
    rmSync(dir, { recursive: true, force: true });
    for (const statement of inserts) await pool.request().batch(statement);
    for (const script of procedureScripts()) await pool.request().batch(script.text);
    port = new MssqlExecutor(pool, () => new sql.ConnectionPool({ ...config, pool: { max: 1, min: 0 } }).connect());
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    await admin?.request().batch(`ALTER DATABASE ${database} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ${database}`);
    await admin?.close();
  });

  it('passes the site checks: every procedure the writer calls exists with the parameters it passes', async () => {
    const failed = (await preflight()).filter((item) => !item.passed);
    expect(failed.map((item) => `${item.id}: ${item.detail}`)).toEqual([]);
  });

  it('creates a customer through spARapiCustomerIns, in every table Sage fills, and a retry finds it', async () => {
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
    const ref = await writer.write(customer('MSADA'), { runId: 1 });
    expect(ref).toMatchObject({ sageTable: 'tarCustomer', sageNumber: 'MSADA' });
    const key = { key: { type: 'int' as const, value: ref.sageKey } };
    expect(await port.query('SELECT c.CustName, c.CreateType, c.CreateUserID, a.AddrLine1, a.AddrLine2, a.AddrLine3, a.City, a.StateID, a.CountryID, k.Name, k.EMailAddr FROM tarCustomer c INNER JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey INNER JOIN tciContact k ON k.CntctKey = c.PrimaryCntctKey WHERE c.CustKey = @key', key)).toEqual([
      { CustName: 'Ada Lovelace Ltd', CreateType: 7, CreateUserID: 'stripe', AddrLine1: '12 Analytical Way', AddrLine2: 'Suite 3', AddrLine3: '', City: 'Springfield', StateID: 'IL', CountryID: 'USA', Name: 'Ada Lovelace', EMailAddr: 'ada@example.com' },
    ]);
    expect(await port.query('SELECT COUNT(*) AS n FROM tarCustDocTrnsmit WHERE CustKey = @key', key)).toEqual([{ n: 7 }]);
    expect(await port.query('SELECT COUNT(*) AS n FROM tarCustStatus WHERE CustKey = @key', key)).toEqual([{ n: 1 }]);
    expect(await port.query('SELECT a.CustAddrID, a.CurrID FROM tarCustAddr a INNER JOIN tarCustomer c ON c.PrimaryAddrKey = a.AddrKey WHERE c.CustKey = @key', key)).toEqual([{ CustAddrID: 'MSADA', CurrID: 'USD' }]);
    expect(await new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' }).write(customer('MSADA'), { runId: 2 })).toEqual(ref);
    expect(await count("tarCustomer WHERE CustID = 'MSADA'")).toBe(1);
  });

  it("updates that customer's name, address and e-mail through the site's Data Import job, and refuses an unknown class with Sage's message", async () => {
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });
    await writer.write(customer('MSUPD'), { runId: 1 });
    const update = customer('MSUPD', { action: 'update', basedOn: 'customer:cus_MSUPD', key: 'cus_MSUPD:customer-update:1', custName: 'Ada Lovelace plc', addrLines: ['1 Difference Engine Rd'], city: 'Chicago', postalCode: '60606', email: 'ada@newmail.example' });
    await writer.write(update, { runId: 2 });
    expect(await port.query("SELECT c.CustName, c.UpdateCounter, a.AddrLine1, a.AddrLine2, a.City, a.PostalCode, k.EMailAddr FROM tarCustomer c INNER JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey INNER JOIN tciContact k ON k.CntctKey = c.PrimaryCntctKey WHERE c.CustID = 'MSUPD'")).toEqual([
      { CustName: 'Ada Lovelace plc', UpdateCounter: 1, AddrLine1: '1 Difference Engine Rd', AddrLine2: '', City: 'Chicago', PostalCode: '60606', EMailAddr: 'ada@newmail.example' },
    ]);
    const rejected = await writer.write(customer('MSBAD', { custClassId: 'NOSUCH' }), { runId: 3 }).then(() => null, (error: unknown) => error);
    expect(rejected).toMatchObject({ errorClass: 'data', message: expect.stringMatching(/^Customer MSBAD: Sage rejected it: Customer class NOSUCH does not exist in company SOA \(tarCustClass\) \(tdmMigrationLogWrk, session \d+\)$/) });
    expect(await count("tarCustomer WHERE CustID = 'MSBAD'")).toBe(0);
  });

  it('creates an Open sales order through spSOapiSalesOrdIns, numbered from tciTranTypeCompany, and a retry finds it', async () => {
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
    await writer.write(customer('MSSO'), { runId: 1 });
    const ref = await writer.write(salesOrder('so:mssql', 'MSSO'), { runId: 1 });
    expect(ref).toMatchObject({ sageTable: 'tsoSalesOrder' });
    const key = { key: { type: 'int' as const, value: ref.sageKey } };
    expect(await port.query('SELECT Status, TranNo, TranAmt, TranCmnt FROM tsoSalesOrder WHERE SOKey = @key', key)).toEqual([{ Status: 1, TranNo: ref.sageNumber, TranAmt: '60.000', TranCmnt: 'Stripe so:mssql' }]);
    expect(ref.sageNumber).toMatch(/^\d{10}$/);
    expect(await port.query('SELECT l.SOLineNo, l.Description, l.Status, d.ExtAmt FROM tsoSOLine l INNER JOIN tsoSOLineDist d ON d.SOLineKey = l.SOLineKey WHERE l.SOKey = @key ORDER BY l.SOLineNo', key)).toEqual([
      { SOLineNo: 1, Description: 'Pro plan', Status: 1, ExtAmt: '50.000' },
      { SOLineNo: 2, Description: 'Setup fee', Status: 1, ExtAmt: '10.000' },
    ]);
    expect(await new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' }).write(salesOrder('so:mssql', 'MSSO'), { runId: 2 })).toEqual(ref);
    expect(await count("tsoSalesOrder WHERE TranCmnt = 'Stripe so:mssql'")).toBe(1);
  });

  it('writes a balanced journal into a pending batch, and a retry finds it instead of writing it again', async () => {
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });
    const ref = await writer.write(journal('je:mssql'), { runId: 1 });
    const lines = await port.query(
      'SELECT a.GLAcctNo, d.PostAmt, d.PostCmnt FROM tglJournalDetl d INNER JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE d.JrnlHdrKey = @key ORDER BY d.EntryNo',
      { key: { type: 'int', value: ref.sageKey } },
    );
    expect(lines).toEqual([
      { GLAcctNo: '101000', PostAmt: '96.800', PostCmnt: 'Payout po_1Abc' },
      { GLAcctNo: '615000', PostAmt: '3.200', PostCmnt: 'Stripe fees po_1Abc' },
      { GLAcctNo: '105000', PostAmt: '-100.000', PostCmnt: 'Clearing po_1Abc' },
    ]);
    expect(await port.query('SELECT Status, PostStatus FROM tciBatchLog WHERE BatchKey = @key', { key: { type: 'int', value: ref.batchKey } })).toEqual([{ Status: 4, PostStatus: 0 }]);
    expect(await count('tglJournalLog')).toBe(1);
    expect(await new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' }).write(journal('je:mssql'), { runId: 2 })).toEqual(ref);
    expect(await count('tglJournalHdr')).toBe(1);
  });

  it('rehearses a journal and rolls everything back', async () => {
    const before = [await count('tglJournalHdr'), await count('tciBatchLog'), await count('tciStripeXref_STRIPE')];
    const steps = await rehearse(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' }, { journal: journal('rehearsal:journal'), customer: null, salesOrder: null });
    expect(steps.map((step) => [step.kind, step.passed])).toEqual([['gl-batch', true], ['rollback', true]]);
    expect([await count('tglJournalHdr'), await count('tciBatchLog'), await count('tciStripeXref_STRIPE')]).toEqual(before);
  });

  it('fails the check, naming the fix, once PostCmnt is shortened to 30 characters', async () => {
    await pool.request().batch('ALTER TABLE tglJournalDetl ALTER COLUMN PostCmnt varchar(30) NULL');
    const item = (await preflight()).find((candidate) => candidate.id === 'column:tglJournalDetl.PostCmnt');
    expect(item).toMatchObject({ passed: false, detail: 'tglJournalDetl.PostCmnt is varchar(30) on this database; the sync sends text of up to 50 characters' });
  });
});
