import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customer, openFixture, salesOrder, type SandboxFixture, rowCount, sageWriteRejection, stagingApiArgs } from './sage-fixtures.js';

let fx: SandboxFixture;
beforeEach(async () => {
  fx = openFixture();
  await fx.writer.write(customer('S000010'), { runId: 1 });
});
afterEach(async () => {
  await fx.close();
});

const count = (table: string): number => rowCount(fx.raw, table);

const rejection = sageWriteRejection;

describe('SageWriter sales orders through StgSalesOrder and spSOapiSalesOrdIns', () => {
  it('creates an Open order numbered from tciTranTypeCompany, with lines and distributions', async () => {
    const ref = await fx.writer.write(salesOrder('so:in_1', 'S000010'), { runId: 1 });
    expect(ref).toMatchObject({ sageTable: 'tsoSalesOrder', sageNumber: '0000000001', batchKey: null });
    expect(
      fx.raw
        .prepare(
          `SELECT o.TranNo, o.TranID, o.TranType, o.Status, o.TranAmt, o.SalesAmt, o.OpenAmt, o.TranCmnt, o.TranDate, c.CustID, l.TranStatus
           FROM tsoSalesOrder o JOIN tarCustomer c ON c.CustKey = o.CustKey JOIN tsoSalesOrdLog l ON l.SOKey = o.SOKey WHERE o.SOKey = ?`,
        )
        .get(ref.sageKey),
    ).toEqual({
      TranNo: '0000000001', TranID: 'SO-0000000001', TranType: 801, Status: 1, TranAmt: 60000, SalesAmt: 60000, OpenAmt: 60000,
      TranCmnt: 'Stripe so:in_1', TranDate: '2026-11-26 00:00:00', CustID: 'S000010', TranStatus: 2,
    });
    expect(
      fx.raw
        .prepare(
          `SELECT l.SOLineNo, i.ItemID, u.UnitMeasID, l.UnitPrice, d.QtyOrd, d.ExtAmt, w.WhseID, g.GLAcctNo
           FROM tsoSOLine l JOIN tsoSOLineDist d ON d.SOLineKey = l.SOLineKey JOIN timItem i ON i.ItemKey = l.ItemKey
           JOIN tciUnitMeasure u ON u.UnitMeasKey = l.UnitMeasKey JOIN timWarehouse w ON w.WhseKey = d.WhseKey
           JOIN tglAccount g ON g.GLAcctKey = d.GLAcctKey ORDER BY l.SOLineNo`,
        )
        .all(),
    ).toEqual([
      { SOLineNo: 1, ItemID: 'STRIPE-SALE', UnitMeasID: 'EA', UnitPrice: '25.00000', QtyOrd: '2.00000000', ExtAmt: 50000, WhseID: 'MAIN', GLAcctNo: '400000' },
      { SOLineNo: 2, ItemID: 'STRIPE-SALE', UnitMeasID: 'EA', UnitPrice: '10.00000', QtyOrd: '1.00000000', ExtAmt: 10000, WhseID: 'MAIN', GLAcctNo: '400000' },
    ]);
    expect(fx.raw.prepare('SELECT NextTranNo FROM tciTranTypeCompany WHERE TranType = 801').get()).toEqual({ NextTranNo: 2 });
    // S2 takes the step key only through the ParamType-2 parameter (here ParamNo 2), whose value is a smallint flag.
    expect(fx.raw.prepare('SELECT SetupStepKey, ParamNo, ParamValue FROM tsmMigrateStepParamValue').all()).toEqual([
      { SetupStepKey: 2100600, ParamNo: 2, ParamValue: '0' },
    ]);
  });

  it('numbers the order from tciTranTypeCompany, never from the session key, skipping a number Sage already used', async () => {
    fx.raw.prepare('UPDATE tciTranTypeCompany SET NextTranNo = 41 WHERE TranType = 801').run();
    // An order keyed in Sage with number 41 whose counter was not moved.
    fx.raw
      .prepare("INSERT INTO tsoSalesOrdLog (SOKey, CompanyID, TranType, TranNo, TranNoRel, TranDate, TranAmtHC, TranStatus) VALUES (900, 'SOA', 801, '0000000041', '0000000041', '2026-11-25 00:00:00', 0, 2)")
      .run();
    const ref = await fx.writer.write(salesOrder('so:in_6', 'S000010'), { runId: 1 });
    expect(ref.sageNumber).toBe('0000000042');
    expect(fx.raw.prepare('SELECT TranNo, TranNoRel FROM tsoSalesOrder WHERE SOKey = ?').get(ref.sageKey)).toEqual({ TranNo: '0000000042', TranNoRel: '0000000042' });
    expect(fx.raw.prepare('SELECT NextTranNo FROM tciTranTypeCompany WHERE TranType = 801').get()).toEqual({ NextTranNo: 43 });
    const second = await fx.writer.write(salesOrder('so:in_7', 'S000010'), { runId: 1 });
    expect(second.sageNumber).toBe('0000000043');
  });

  it('refuses to stage orders when Sage has no invalid-reference parameter for the Open step', async () => {
    fx.raw.prepare('DELETE FROM tsmMigrateStepParam WHERE SetupStepKey = 2100600 AND ParamType = 2').run();
    const error = await rejection(fx.writer.write(salesOrder('so:in_8', 'S000010'), { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['configuration', 'tsmMigrateStepParam.ParamType']);
    expect(error.message).toContain('would create the orders Closed');
    expect(count('StgSalesOrder')).toBe(0);
  });

  it('is idempotent, also when the xref row was lost after the order committed', async () => {
    const first = await fx.writer.write(salesOrder('so:in_2', 'S000010'), { runId: 1 });
    expect(await fx.writer.write(salesOrder('so:in_2', 'S000010'), { runId: 1 })).toEqual(first);
    fx.raw.prepare("DELETE FROM tciStripeXref_STRIPE WHERE DocKey = 'so:in_2'").run();
    expect(await fx.writer.write(salesOrder('so:in_2', 'S000010'), { runId: 2 })).toEqual(first);
    expect([count('tsoSalesOrder'), count('StgSalesOrder')]).toEqual([1, 1]);
  });

  it('reports an unknown item, naming ItemID, and leaves no order behind', async () => {
    const doc = salesOrder('so:in_3', 'S000010');
    doc.lines[1] = { ...doc.lines[1]!, itemId: 'NO-SUCH-ITEM' };
    const error = await rejection(fx.writer.write(doc, { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'ItemID']);
    expect(error.message).toContain('Item NO-SUCH-ITEM does not exist in company SOA (timItem)');
    expect([count('tsoSalesOrder'), count('tsoSalesOrdLog'), count('tsoSOLine')]).toEqual([0, 0, 0]);
  });

  it('reports an unknown customer', async () => {
    const error = await rejection(fx.writer.write(salesOrder('so:in_4', 'S999999'), { runId: 1 }));
    expect(error.sageField).toBe('CustID');
    expect(error.message).toContain('Customer S999999 does not exist in company SOA (tarCustomer)');
  });

  it('reports an inactive Sales Order module as a configuration problem', async () => {
    fx.raw.prepare('UPDATE tsmCompanyModule SET Active = 0 WHERE ModuleNo = 8').run();
    const error = await rejection(fx.writer.write(salesOrder('so:in_5', 'S000010'), { runId: 1 }));
    expect(error.errorClass).toBe('configuration');
    expect(error.message).toContain('Module 8 is not active for company SOA (tsmCompanyModule)');
  });
});

describe('the sandbox spSOapiSalesOrdIns reads the step key as S2 does', () => {
  const stageAndCall = async (stepRow: { paramNo: number; value: string } | null) => {
    fx.raw.prepare("INSERT INTO tsmMigrateSession (MigrateSessionKey, CompanyID, UserID, SetupStepKey, LastCompProcessMode, LastCompProcessNo) VALUES (77, 'SOA', 'stripe', 2100600, 1, 0)").run();
    if (stepRow) {
      fx.raw.prepare('INSERT INTO tsmMigrateStepParamValue (MigrateSessionKey, SetupStepKey, ParamNo, ParamValue) VALUES (77, 2100600, ?, ?)').run(stepRow.paramNo, stepRow.value);
    }
    fx.raw
      .prepare("INSERT INTO StgSalesOrder (RowKey, SessionKey, TranNo, TranDate, CustID, DfltWarehouseID) VALUES (1, 77, '0000000500', '2026-11-26 00:00:00', 'S000010', 'MAIN')")
      .run();
    fx.raw
      .prepare("INSERT INTO StgSOLine (RowKey, SessionKey, TranNo, SOLineNo, ItemID, QtyOrd, UnitPrice, ExtAmt) VALUES (1, 77, '0000000500', 1, 'STRIPE-SALE', '1', '5', 5000)")
      .run();
    return fx.port.procedure('spSOapiSalesOrdIns', stagingApiArgs(77));
  };
  const orderStatus = () => fx.raw.prepare("SELECT Status FROM tsoSalesOrder WHERE TranNo = '0000000500'").get();

  it('creates an Open order through the ParamType-2 parameter, numbered with the staged TranNo', async () => {
    await stageAndCall({ paramNo: 2, value: '0' });
    expect(orderStatus()).toEqual({ Status: 1 });
  });

  it('ignores tsmMigrateSession.SetupStepKey and a parameter of another type: the order comes out Closed', async () => {
    await stageAndCall({ paramNo: 1, value: '2100600' });
    expect(orderStatus()).toEqual({ Status: 4 });
  });

  it('fails the call when the ParamType-2 value does not convert to smallint, as CONVERT(SMALLINT, …) does', async () => {
    await expect(stageAndCall({ paramNo: 2, value: '2100600' })).rejects.toThrow(/overflowed an INT2 column/);
    expect(orderStatus()).toBeUndefined();
  });
});
