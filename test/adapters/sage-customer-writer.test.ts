import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerDocument } from '../../main/core/sage/documents.js';
import { customer, openFixture, type SandboxFixture, rowCount, sageWriteRejection, stagingApiArgs } from './sage-fixtures.js';

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

const count = (table: string): number => rowCount(fx.raw, table);

const rejection = sageWriteRejection;

/** spARapiCustomerIns's positional arguments for one call on a session (S1 in docs/sage-sources.md). */
/** A customer update staged as StgCustomer Action 2 (the tests vary one field at a time). */
const update = (custId: string, overrides: Partial<CustomerDocument> = {}): CustomerDocument =>
  customer(custId, {
    action: 'update',
    basedOn: `customer:cus_${custId}`,
    key: `cus_${custId}:customer-update:1`,
    custName: 'Ada Lovelace plc',
    addrLines: ['1 Difference Engine Rd'],
    city: 'Chicago',
    stateId: 'IL',
    postalCode: '60606',
    email: 'ada@newmail.example',
    ...overrides,
  });

describe('SageWriter customers through StgCustomer and spARapiCustomerIns', () => {
  it('creates the six customer tables in Sage order with class defaults, and the xref row', async () => {
    const ref = await fx.writer.write(customer('S000001'), { runId: 1 });
    expect(ref).toMatchObject({ sageTable: 'tarCustomer', sageNumber: 'S000001', batchKey: null });

    const row = fx.raw
      .prepare(
        `SELECT c.CustKey, c.CustName, c.Status, c.CreateType, c.CreateUserID, k.CustClassID, a.AddrLine1, a.AddrLine2, a.AddrLine3,
                a.City, a.StateID, t.EMailAddr, t.Name, t.EntityType, ca.CustAddrID, p.PmtTermsID, s.STaxSchdID, g.GLAcctNo AS SalesAcct
         FROM tarCustomer c
         JOIN tarCustClass k ON k.CustClassKey = c.CustClassKey
         JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey
         JOIN tciContact t ON t.CntctKey = c.PrimaryCntctKey
         JOIN tarCustAddr ca ON ca.AddrKey = c.DfltBillToAddrKey AND ca.AddrKey = c.DfltShipToAddrKey
         JOIN tciPaymentTerms p ON p.PmtTermsKey = ca.PmtTermsKey
         JOIN tciSTaxSchedule s ON s.STaxSchdKey = ca.STaxSchdKey
         JOIN tglAccount g ON g.GLAcctKey = c.DfltSalesAcctKey
         WHERE c.CompanyID = 'SOA' AND c.CustID = 'S000001'`,
      )
      .get();
    expect(row).toEqual({
      CustKey: ref.sageKey, CustName: 'Ada Lovelace Ltd', Status: 1, CreateType: 7, CreateUserID: 'stripe', CustClassID: 'RETAIL',
      AddrLine1: '12 Analytical Way', AddrLine2: 'Suite 3', AddrLine3: '', City: 'Springfield', StateID: 'IL',
      EMailAddr: 'ada@example.com', Name: 'Ada Lovelace', EntityType: 501, CustAddrID: 'S000001', PmtTermsID: 'NET30',
      STaxSchdID: 'NONTAX', SalesAcct: '400000',
    });
    expect(fx.raw.prepare('SELECT AgeCurntAmt, HighestBal FROM tarCustStatus WHERE CustKey = ?').get(ref.sageKey)).toEqual({ AgeCurntAmt: 0, HighestBal: 0 });
    expect(count('tarCustDocTrnsmit')).toBe(7);
    expect(fx.raw.prepare('SELECT ProcessStatus FROM StgCustomer').all()).toEqual([{ ProcessStatus: 1 }]);
    expect(fx.raw.prepare('SELECT EntityID, Status, Comment FROM tdmMigrationLogWrk').all()).toEqual([
      { EntityID: 'S000001', Status: 3, Comment: 'Customer S000001 inserted' },
    ]);
    const session = fx.raw.prepare('SELECT CompanyID, UserID, LastCompProcessTime FROM tsmMigrateSession').get() as Record<string, unknown>;
    expect(session).toMatchObject({ CompanyID: 'SOA', UserID: 'stripe' });
    expect(session['LastCompProcessTime']).not.toBeNull();
    expect(fx.raw.prepare('SELECT MigrateSourceVersionNo FROM tsmCompanySetup').get()).toEqual({ MigrateSourceVersionNo: 'Any' });
  });

  it('is idempotent and finds customers by CustID or e-mail', async () => {
    const first = await fx.writer.write(customer('S000002'), { runId: 1 });
    expect(await fx.writer.write(customer('S000002'), { runId: 2 })).toEqual(first);
    expect(count('tarCustomer')).toBe(1);
    expect(count('StgCustomer')).toBe(1);
    const match = { custId: 'S000002', custKey: first.sageKey, custName: 'Ada Lovelace Ltd' };
    expect(await fx.writer.findCustomer({ custId: 'S000002' })).toEqual(match);
    expect(await fx.writer.findCustomer({ email: 'ADA@example.com ' })).toEqual(match);
    expect(await fx.writer.findCustomer({ email: 'nobody@example.com' })).toBeNull();
  });

  it('after a crash between the customer commit and the xref, only writes the xref', async () => {
    await fx.writer.write(customer('S000003'), { runId: 1 });
    fx.raw.prepare('DELETE FROM tciStripeXref_STRIPE').run(); // the lost xref row
    const ref = await fx.writer.write(customer('S000003'), { runId: 2 });
    expect(ref.sageNumber).toBe('S000003');
    expect([count('tarCustomer'), count('StgCustomer'), count('tciStripeXref_STRIPE')]).toEqual([1, 1, 1]);
  });

  it('reports an unknown customer class from tdmMigrationLogWrk, naming the field', async () => {
    const error = await rejection(fx.writer.write(customer('S000004', { custClassId: 'WHOLESALE' }), { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'CustClassID']);
    expect(error.message).toContain('Customer class WHOLESALE does not exist in company SOA (tarCustClass)');
    expect([count('tarCustomer'), count('tciAddress'), count('tciStripeXref_STRIPE')]).toEqual([0, 0, 0]);
    expect(fx.raw.prepare('SELECT ProcessStatus FROM StgCustomer').get()).toEqual({ ProcessStatus: 2 });
  });

  it('maps the Stripe country to the site\'s tsmCountry id and keeps only a tsmStateProvince state in StateID', async () => {
    const address = (custKey: number) =>
      fx.raw.prepare('SELECT a.AddrLine1, a.AddrLine2, a.AddrLine3, a.StateID, a.CountryID FROM tciAddress a JOIN tarCustomer c ON c.PrimaryAddrKey = a.AddrKey WHERE c.CustKey = ?').get(custKey);
    const us = await fx.writer.write(customer('S000005', { countryId: 'US', stateId: 'il' }), { runId: 1 });
    expect(address(us.sageKey)).toMatchObject({ StateID: 'IL', CountryID: 'USA' });
    // Japan has no tsmStateProvince rows: the prefecture goes on the next address line.
    const jp = await fx.writer.write(customer('S000006', { countryId: 'JP', stateId: 'Tokyo', addrLines: ['1-1 Chiyoda'] }), { runId: 1 });
    expect(address(jp.sageKey)).toEqual({ AddrLine1: '1-1 Chiyoda', AddrLine2: 'Tokyo', AddrLine3: '', StateID: null, CountryID: 'JPN' });
    // A US "state" Sage does not have goes the same way.
    const county = await fx.writer.write(customer('S000007', { countryId: 'US', stateId: 'XY' }), { runId: 1 });
    expect(address(county.sageKey)).toMatchObject({ AddrLine3: 'XY', StateID: null, CountryID: 'USA' });
  });

  it('reports a country the site\'s tsmCountry does not have, before staging', async () => {
    const error = await rejection(fx.writer.write(customer('S000008', { countryId: 'BR' }), { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'tciAddress.CountryID']);
    expect(error.message).toContain('tsmCountry has no BR or BRA');
    expect(count('StgCustomer')).toBe(0);
  });

  it('the sandbox API refuses a CountryID or StateID that is not a tsmCountry / tsmStateProvince row', async () => {
    await fx.port.transaction(async (tx) => {
      await tx.execute("INSERT INTO tsmMigrateSession (MigrateSessionKey, CompanyID, UserID, LastCompProcessMode, LastCompProcessNo) VALUES (50, 'SOA', 'stripe', 1, 0)");
      await tx.execute("INSERT INTO StgCustomer (RowKey, SessionKey, CustID, CustName, CustClassID, CountryID, StateID) VALUES (1, 50, 'S000009', 'Ada', 'RETAIL', 'US', 'IL')");
      await tx.execute("INSERT INTO StgCustomer (RowKey, SessionKey, CustID, CustName, CustClassID, CountryID, StateID) VALUES (2, 50, 'S000019', 'Ada', 'RETAIL', 'JPN', 'TKY')");
    });
    await fx.port.procedure('spARapiCustomerIns', stagingApiArgs(50));
    expect(fx.raw.prepare('SELECT ColumnID, Comment FROM tdmMigrationLogWrk WHERE SessionKey = 50 AND Status = 1 ORDER BY rowid').all()).toEqual([
      { ColumnID: 'CountryID', Comment: 'Country US does not exist (tsmCountry)' },
      { ColumnID: 'StateID', Comment: 'State TKY does not exist for country JPN in company SOA (tsmStateProvince)' },
    ]);
    expect(count('tarCustomer')).toBe(0);
  });

  it('never takes a CustID a Sage user created for one of ours', async () => {
    await fx.writer.write(customer('S000030'), { runId: 1 });
    // A Sage user keyed customer S000031 by hand (not through our staging sessions).
    fx.raw.prepare("UPDATE tarCustomer SET CustID = 'S000031', CreateUserID = 'mary' WHERE CustID = 'S000030'").run();
    fx.raw.prepare("DELETE FROM tciStripeXref_STRIPE").run();
    const error = await rejection(fx.writer.write(customer('S000031'), { runId: 2 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'tarCustomer.CustID']);
    expect(error.message).toContain('CustID S000031 already belongs to a Sage customer Stripe Sync did not create');
    expect(count('tciStripeXref_STRIPE')).toBe(0);
  });

  it('rejects a CustID longer than 12 characters before staging', async () => {
    const error = await rejection(fx.writer.write(customer('S0000000000001'), { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'tarCustomer.CustID']);
    expect(count('StgCustomer')).toBe(0);
  });

  it('processes 125 rows per call and asks to be called again (@oContinue)', async () => {
    const sessionKey = 900;
    fx.raw.prepare("INSERT INTO tsmMigrateSession (MigrateSessionKey, CompanyID, UserID, LastCompProcessMode, LastCompProcessNo) VALUES (?, 'SOA', 'stripe', 1, 0)").run(sessionKey);
    const stage = fx.raw.prepare("INSERT INTO StgCustomer (SessionKey, CustID, CustName, CustClassID) VALUES (?, ?, 'Bulk', 'RETAIL')");
    for (let n = 1; n <= 130; n += 1) stage.run(sessionKey, `B${String(n).padStart(5, '0')}`);
    stage.run(sessionKey, 'B00001'); // a duplicate CustID fails on its own
    const args = (processed: number, failed: number, total: number) => stagingApiArgs(sessionKey, { rptOption: 3, processed, failed, total });
    const first = await fx.port.procedure('spARapiCustomerIns', args(0, 0, 0));
    expect(first).toEqual({ oContinue: 1, oRecsProcessed: 125, oFailedRecs: 0, oTotalRecs: 131, _oRetVal: 1 });
    const second = await fx.port.procedure('spARapiCustomerIns', args(125, 0, 131));
    expect(second).toEqual({ oContinue: 0, oRecsProcessed: 131, oFailedRecs: 1, oTotalRecs: 131, _oRetVal: 1 });
    expect(count('tarCustomer')).toBe(130);
    // @iRptOption 3 logs failures only.
    expect(fx.raw.prepare('SELECT EntityID, ColumnID, Status, Duplicate FROM tdmMigrationLogWrk').all()).toEqual([
      { EntityID: 'B00001', ColumnID: 'CustID', Status: 1, Duplicate: 1 },
    ]);
  });

  it('answers a parameter error for an unknown session', async () => {
    const result = await fx.port.procedure('spARapiCustomerIns', stagingApiArgs(12345));
    expect(result['_oRetVal']).toBe(3);
  });
});

describe('SageWriter customer updates through StgCustomer Action 2', () => {
  const primary = (custId: string): unknown =>
    fx.raw
      .prepare(
        `SELECT c.CustName, c.UpdateUserID, c.UpdateCounter, a.AddrName, a.AddrLine1, a.AddrLine2, a.City, a.PostalCode, t.Name, t.EMailAddr
         FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey JOIN tciContact t ON t.CntctKey = c.PrimaryCntctKey
         WHERE c.CompanyID = 'SOA' AND c.CustID = ?`,
      )
      .get(custId);

  it('lands in tarCustomer, the primary tciAddress and tciContact, with an xref row for the update', async () => {
    const inserted = await fx.writer.write(customer('S000010'), { runId: 1 });
    const ref = await fx.writer.write(update('S000010'), { runId: 2 });
    expect(ref).toEqual({ docKey: 'cus_S000010:customer-update:1', sageTable: 'tarCustomer', sageKey: inserted.sageKey, sageNumber: 'S000010', batchKey: null });
    expect(primary('S000010')).toEqual({
      CustName: 'Ada Lovelace plc', UpdateUserID: 'stripe', UpdateCounter: 1, AddrName: 'Ada Lovelace plc', AddrLine1: '1 Difference Engine Rd',
      AddrLine2: '', City: 'Chicago', PostalCode: '60606', Name: 'Ada Lovelace', EMailAddr: 'ada@newmail.example',
    });
    expect([count('tarCustomer'), count('tciAddress'), count('tciContact'), count('tciStripeXref_STRIPE')]).toEqual([1, 1, 1, 2]);
    expect(fx.raw.prepare('SELECT Action, ProcessStatus FROM StgCustomer ORDER BY RowKey').all()).toEqual([
      { Action: 1, ProcessStatus: 1 },
      { Action: 2, ProcessStatus: 1 },
    ]);
    expect(fx.raw.prepare('SELECT Comment FROM tdmMigrationLogWrk ORDER BY rowid DESC LIMIT 1').get()).toEqual({ Comment: 'Customer S000010 updated' });
  });

  it('is idempotent, and after a crash before the xref row does not stage the update again', async () => {
    await fx.writer.write(customer('S000011'), { runId: 1 });
    const first = await fx.writer.write(update('S000011'), { runId: 2 });
    expect(await fx.writer.write(update('S000011'), { runId: 3 })).toEqual(first);
    fx.raw.prepare("DELETE FROM tciStripeXref_STRIPE WHERE DocKey = 'cus_S000011:customer-update:1'").run(); // the lost xref row
    expect(await fx.writer.write(update('S000011'), { runId: 4 })).toEqual(first);
    expect([count('StgCustomer'), count('tciStripeXref_STRIPE')]).toEqual([2, 2]);
    expect(primary('S000011')).toMatchObject({ UpdateCounter: 1, EMailAddr: 'ada@newmail.example' });
  });

  it('rejects a too-long field from tdmMigrationLogWrk, naming the Sage field, and changes nothing', async () => {
    await fx.writer.write(customer('S000012'), { runId: 1 });
    const error = await rejection(fx.writer.write(update('S000012', { city: 'Chicago Heights Township' }), { runId: 2 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'City']);
    expect(error.message).toContain("City 'Chicago Heights Township' is longer than 20 characters (tciAddress.City)");
    expect(primary('S000012')).toMatchObject({ CustName: 'Ada Lovelace Ltd', UpdateCounter: 0, EMailAddr: 'ada@example.com' });
    expect(count('tciStripeXref_STRIPE')).toBe(1);
  });

  it('reports a customer that does not exist in Sage', async () => {
    const error = await rejection(fx.writer.write(update('S000013'), { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'CustID']);
    expect(error.message).toContain('Customer S000013 does not exist in company SOA (tarCustomer)');
  });

  it('adds the primary contact when the customer was created without one', async () => {
    await fx.writer.write(customer('S000014', { contactName: null, email: null }), { runId: 1 });
    expect(count('tciContact')).toBe(0);
    await fx.writer.write(update('S000014', { contactName: null }), { runId: 2 });
    expect(primary('S000014')).toMatchObject({ Name: 'Ada Lovelace plc', EMailAddr: 'ada@newmail.example' });
    expect(fx.raw.prepare("SELECT ca.DfltCntctKey = c.PrimaryCntctKey AS linked FROM tarCustomer c JOIN tarCustAddr ca ON ca.AddrKey = c.PrimaryAddrKey WHERE c.CustID = 'S000014'").get()).toEqual({ linked: 1 });
  });
});

describe('customer updates and the Data Import job (S1)', () => {
  const primary = (custId: string): unknown =>
    fx.raw
      .prepare(
        `SELECT c.CustName, c.UpdateCounter, a.AddrLine1, a.City, a.PostalCode, t.Name, t.EMailAddr
         FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey JOIN tciContact t ON t.CntctKey = c.PrimaryCntctKey
         WHERE c.CompanyID = 'SOA' AND c.CustID = ?`,
      )
      .get(custId);

  it('link the session to the site\'s Data Import job for StgCustomer', async () => {
    await fx.writer.write(customer('S000015'), { runId: 1 });
    await fx.writer.write(update('S000015'), { runId: 2 });
    expect(fx.raw.prepare('SELECT j.DataTrnsfrJobDefKey FROM tdiDataTrnsfrJobExecute j JOIN StgCustomer s ON s.SessionKey = j.SessionKey WHERE s.Action = 2').all()).toEqual([
      { DataTrnsfrJobDefKey: 1 },
    ]);
  });

  it('are refused per record, changing nothing, when no Data Import job allows the columns', async () => {
    fx.raw.prepare("UPDATE tdiDataTrnsfrColumnMap SET AllowUpdate = 0 WHERE InternalColumnName = 'EMailAddr'").run();
    await fx.writer.write(customer('S000010'), { runId: 1 });
    const error = await rejection(fx.writer.write(update('S000010'), { runId: 2 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'tdiDataTrnsfrColumnMap']);
    expect(error.message).toContain('no Data Import job in Sage allows updating the customer columns');
    expect(primary('S000010')).toMatchObject({ CustName: 'Ada Lovelace Ltd', UpdateCounter: 0, EMailAddr: 'ada@example.com' });
    expect(fx.raw.prepare('SELECT COUNT(*) AS n FROM StgCustomer WHERE Action = 2').get()).toEqual({ n: 0 });
    expect(count('tciStripeXref_STRIPE')).toBe(1);
  });

  it('an update whose fields Sage already holds is recorded without staging anything', async () => {
    const inserted = await fx.writer.write(customer('S000011'), { runId: 1 });
    const same = update('S000011', { custName: 'Ada Lovelace Ltd', addrLines: ['12 Analytical Way', 'Suite 3'], city: 'Springfield', postalCode: '62701', email: 'ada@example.com' });
    const ref = await fx.writer.write(same, { runId: 2 });
    expect(ref).toMatchObject({ sageTable: 'tarCustomer', sageKey: inserted.sageKey });
    expect(count('StgCustomer')).toBe(1);
  });

  const stageUpdate = async (sessionKey: number, custId: string, allowed: readonly string[]) => {
    await fx.port.transaction(async (tx) => {
      await tx.execute(`INSERT INTO tsmMigrateSession (MigrateSessionKey, CompanyID, UserID, LastCompProcessMode, LastCompProcessNo) VALUES (${sessionKey}, 'SOA', 'stripe', 1, 0)`);
      await tx.execute(
        `INSERT INTO StgCustomer (RowKey, SessionKey, Action, CustID, CustName, AddrLine1, City, StateID, PostalCode, CountryID, EMailAddr)
         VALUES (${sessionKey}, ${sessionKey}, 2, '${custId}', 'Ada Lovelace plc', '1 Difference Engine Rd', 'Chicago', 'IL', '60606', 'USA', 'ada@newmail.example')`,
      );
      if (allowed.length === 0) return;
      await tx.execute(`INSERT INTO tdiDataTrnsfrJobExecute (SessionKey, DataTrnsfrJobDefKey) VALUES (${sessionKey}, 7)`);
      await tx.execute("INSERT INTO tdiDataTrnsfrJobDefStep (DataTrnsfrJobDefStepKey, DataTrnsfrJobDefKey, InternalTableName) VALUES (70, 7, 'StgCustomer')");
      for (const column of allowed) await tx.execute(`INSERT INTO tdiDataTrnsfrColumnMap (DataTrnsfrJobDefStepKey, InternalColumnName, AllowUpdate) VALUES (70, '${column}', 1)`);
    });
    return fx.port.procedure('spARapiCustomerIns', stagingApiArgs(sessionKey));
  };

  it('the sandbox API fails an update row when the session has no Data Import job columns (S1)', async () => {
    await fx.writer.write(customer('S000012'), { runId: 1 });
    await stageUpdate(60, 'S000012', []);
    expect(fx.raw.prepare('SELECT ProcessStatus FROM StgCustomer WHERE RowKey = 60').get()).toEqual({ ProcessStatus: 2 });
    expect(fx.raw.prepare('SELECT ColumnID, Comment FROM tdmMigrationLogWrk WHERE SessionKey = 60 AND Status = 1').get()).toMatchObject({
      ColumnID: 'Action',
      Comment: expect.stringContaining('tdiDataTrnsfrColumnMap') as unknown,
    });
    expect(primary('S000012')).toMatchObject({ UpdateCounter: 0, City: 'Springfield' });
  });

  it('the sandbox API changes only the columns the session\'s job allows', async () => {
    await fx.writer.write(customer('S000013'), { runId: 1 });
    await stageUpdate(61, 'S000013', ['City', 'EMailAddr']);
    expect(primary('S000013')).toEqual({
      CustName: 'Ada Lovelace Ltd', UpdateCounter: 1, AddrLine1: '12 Analytical Way', City: 'Chicago', PostalCode: '62701', Name: 'Ada Lovelace', EMailAddr: 'ada@newmail.example',
    });
  });
});
