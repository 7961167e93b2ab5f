import { SageWriteError } from '../../core/ports/sage-target.js';
import { AmountError, parseSageAmount } from '../../core/money/sage-amount.js';
import type { SageRef, SalesOrderDocument } from '../../core/sage/documents.js';
import { API_RET_SUCCESS, SETUP_STEP_SO_OPEN, STAGING_PROCESSED, TRAN_TYPE_SALES_ORDER } from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { datetime, int, money, numberColumn, quantity, textColumn, unitPrice, varchar } from './sql-params.js';
import type { SagePort, SqlSession } from './sql-port.js';
import { INSERT_STG_SALES_ORDER, INSERT_STG_SO_LINE, SELECT_ORDER_BY_COMMENT, SELECT_STG_ORDER_STATUS } from './statements.js';
import { failureError, processStatusOf, runStagingApi } from './staging-session.js';
import { findXref, insertXref } from './xref-store.js';

export interface SalesOrderWriterOptions {
  companyId: string;
  userId: string;
  /** Default warehouse for the lines (StgSalesOrder.DfltWarehouseID); null lets Sage default it. */
  warehouseId: string | null;
}

/**
 * Creates Open sales orders through Sage's API (StgSalesOrder/StgSOLine → spSOapiSalesOrdIns
 * with SetupStepKey 2100600, reference §4.2). TranCmnt identifies our order, so a retry after a
 * crash finds an order that committed before its xref row.
 */
export class SalesOrderWriter {
  constructor(
    private readonly port: SagePort,
    private readonly options: SalesOrderWriterOptions,
  ) {}

  private async findOrder(session: SqlSession, doc: SalesOrderDocument): Promise<{ soKey: number; tranNo: string } | null> {
    const row = (
      await session.query(SELECT_ORDER_BY_COMMENT, {
        companyId: varchar(3, this.options.companyId),
        tranType: int(TRAN_TYPE_SALES_ORDER),
        custId: varchar(12, doc.custId),
        tranCmnt: varchar(50, doc.comment),
      })
    )[0];
    return row ? { soKey: numberColumn(row, 'SOKey'), tranNo: textColumn(row, 'TranNo') ?? '' } : null;
  }

  async write(doc: SalesOrderDocument): Promise<SageRef> {
    const { companyId, userId } = this.options;
    const existing = await findXref(this.port, companyId, doc.key);
    if (existing) return existing;
    const what = `Sales order ${doc.key}`;
    checkLength(doc.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(doc.comment, 50, 'tsoSalesOrder.TranCmnt', what);
    checkLength(doc.custId, 12, 'tarCustomer.CustID', what);
    if (doc.lines.length === 0) throw new SageWriteError(`${what} has no lines (StgSOLine)`, 'data', 'tsoSOLine');
    doc.lines.forEach((line) => {
      checkLength(line.itemId, 30, 'timItem.ItemID', what);
      checkLength(line.description, 40, 'tsoSOLine.Description', what);
      try {
        parseSageAmount(line.extAmount);
      } catch (error) {
        if (error instanceof AmountError) throw new SageWriteError(`${what}: ${error.message}`, 'data', 'tsoSOLineDist.ExtAmt');
        throw error;
      }
    });

    if (!(await this.findOrder(this.port, doc))) {
      const outcome = await runStagingApi(this.port, { companyId, userId, setupStepKey: SETUP_STEP_SO_OPEN, procedureName: 'spSOapiSalesOrdIns' }, async (tx, sessionKey) => {
        // Links header and lines inside this session; Sage numbers the order from tciTranTypeCompany.
        const stagingTranNo = varchar(10, String(sessionKey));
        const warehouseId = varchar(6, this.options.warehouseId);
        await tx.execute(INSERT_STG_SALES_ORDER, {
          sessionKey: int(sessionKey),
          tranNo: stagingTranNo,
          tranDate: datetime(doc.tranDate),
          custId: varchar(12, doc.custId),
          tranCmnt: varchar(50, doc.comment),
          warehouseId,
        });
        for (const [index, line] of doc.lines.entries()) {
          await tx.execute(INSERT_STG_SO_LINE, {
            sessionKey: int(sessionKey),
            tranNo: stagingTranNo,
            lineNo: int(index + 1),
            itemId: varchar(30, line.itemId),
            description: varchar(40, line.description),
            quantity: quantity(line.quantity),
            unitPrice: unitPrice(line.unitPrice),
            extAmt: money(line.extAmount),
            warehouseId,
          });
        }
      });
      const status = processStatusOf(await this.port.query(SELECT_STG_ORDER_STATUS, { sessionKey: int(outcome.sessionKey) }));
      if (outcome.retVal !== API_RET_SUCCESS || outcome.failedRecs !== 0 || status !== STAGING_PROCESSED) {
        throw await failureError(this.port, outcome, what);
      }
    }
    return this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      const order = await this.findOrder(tx, doc);
      if (!order) throw new Error(`${what} was reported inserted but is not in tsoSalesOrder`);
      const ref: SageRef = { docKey: doc.key, sageTable: 'tsoSalesOrder', sageKey: order.soKey, sageNumber: order.tranNo, batchKey: null };
      await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'sales_order' }, ref);
      return ref;
    });
  }
}
