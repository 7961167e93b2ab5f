import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customer, openFixture, salesOrder, type SandboxFixture, rowCount, sageWriteRejection } from './sage-fixtures.js';

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
    expect(fx.raw.prepare('SELECT SetupStepKey FROM tsmMigrateStepParamValue').get()).toEqual({ SetupStepKey: 2100600 });
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
    expect(fx.raw.prepare('SELECT NextTranNo FROM tciTranTypeCompany WHERE TranType = 801').get()).toEqual({ NextTranNo: 1 });
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
