import { SageWriteError } from '../../core/ports/sage-target.js';
import { AmountError, parseSageAmount } from '../../core/money/sage-amount.js';
import type { SageRef, SalesOrderDocument } from '../../core/sage/documents.js';
import {
  API_RET_SUCCESS,
  BLANK_INVALID_REFERENCE_NO,
  SETUP_STEP_SO_OPEN,
  STAGING_PROCESSED,
  STEP_PARAM_TYPE_INVALID_REFERENCE,
  TRAN_NO_LENGTH,
  TRAN_TYPE_SALES_ORDER,
} from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { datetime, int, money, numberColumn, quantity, smallint, textColumn, unitPrice, varchar } from './sql-params.js';
import type { BatchStep, SagePort, SqlParam, SqlSession } from './sql-port.js';
import {
  INSERT_STG_SALES_ORDER,
  INSERT_STG_SO_LINE,
  RESERVE_TRAN_NO,
  SELECT_ORDER_BY_COMMENT,
  SELECT_ORDER_NUMBER_USED,
  SELECT_RESERVED_TRAN_NO,
  SELECT_STEP_PARAM_NO,
  SELECT_STG_ORDER_STATUS,
} from './statements.js';
import { failureError, processStatusOf, runStagingApi, type StepParameterValue } from './staging-session.js';
import { siteText, type SiteUnicodeColumns } from './unicode-columns.js';
import { multiRowInserts } from './many-rows.js';
import { findXref, insertXref } from './xref-store.js';

export interface SalesOrderWriterOptions {
  companyId: string;
  userId: string;
  /** Default warehouse for the lines (StgSalesOrder.DfltWarehouseID); null lets Sage default it. */
  warehouseId: string | null;
}

/** Numbers already taken by hand are skipped; this many in a row means the counter is wrong. */
const MAX_SKIPPED_NUMBERS = 100;

/**
 * Creates Open sales orders through Sage's API (StgSalesOrder/StgSOLine → spSOapiSalesOrdIns,
 * source S2, docs/sage-sources.md). TranCmnt identifies our order, so a retry after a crash finds an order that
 * committed before its xref row.
 *
 * S2 passes the staged TranNo to spsoCreateSalesOrder as the order number and fails a new order
 * without one, so the number is taken the way Sage numbers orders: the next tciTranTypeCompany
 * number for TranType 801, zero-padded to 10, in the staging transaction.
 */
export class SalesOrderWriter {
  constructor(
    private readonly port: SagePort,
    private readonly options: SalesOrderWriterOptions,
    private readonly unicode: SiteUnicodeColumns,
  ) {}

  /** `tranCmnt` as written (unicode-columns.ts), so the lookup compares the text Sage holds. */
  private async findOrder(session: SqlSession, doc: SalesOrderDocument, tranCmnt: SqlParam): Promise<{ soKey: number; tranNo: string } | null> {
    const row = (
      await session.query(SELECT_ORDER_BY_COMMENT, {
        companyId: varchar(3, this.options.companyId),
        tranType: int(TRAN_TYPE_SALES_ORDER),
        custId: varchar(12, doc.custId),
        tranCmnt,
      })
    )[0];
    return row ? { soKey: numberColumn(row, 'SOKey'), tranNo: textColumn(row, 'TranNo') ?? '' } : null;
  }

  /**
   * S2: `SELECT @BlankInvalidReference = CONVERT(SMALLINT, pv.ParamValue), @SetupStepKey =
   * sp.SetupStepKey FROM tsmMigrateStepParam sp INNER JOIN tsmMigrateStepParamValue pv ON … WHERE
   * pv.MigrateSessionKey = @iSessionKey AND sp.ParamType = 2`. So the session gets the value of
   * step 2100600's ParamType-2 parameter (its ParamNo read from the site), and that value is the
   * smallint flag, not the step key. Without that parameter every order would come out Closed.
   */
  private async openOrderStep(): Promise<StepParameterValue> {
    const row = (
      await this.port.query(SELECT_STEP_PARAM_NO, { setupStepKey: int(SETUP_STEP_SO_OPEN), paramType: smallint(STEP_PARAM_TYPE_INVALID_REFERENCE) })
    )[0];
    if (!row) {
      throw new SageWriteError(
        `Sage has no invalid-reference parameter (tsmMigrateStepParam ParamType ${STEP_PARAM_TYPE_INVALID_REFERENCE}) for the Open sales-order step ${SETUP_STEP_SO_OPEN}; spSOapiSalesOrdIns would create the orders Closed`,
        'configuration',
        'tsmMigrateStepParam.ParamType',
      );
    }
    return { setupStepKey: SETUP_STEP_SO_OPEN, paramNo: numberColumn(row, 'ParamNo'), value: BLANK_INVALID_REFERENCE_NO };
  }

  /** The next free order number from tciTranTypeCompany, reserved until the staging transaction commits. */
  private async nextOrderNumber(tx: SqlSession, what: string): Promise<string> {
    const counter = { companyId: varchar(3, this.options.companyId), tranType: int(TRAN_TYPE_SALES_ORDER) };
    for (let attempt = 0; attempt < MAX_SKIPPED_NUMBERS; attempt += 1) {
      if ((await tx.execute(RESERVE_TRAN_NO, counter)) === 0) {
        throw new SageWriteError(
          `${what}: company ${this.options.companyId} has no numbering for sales orders (tciTranTypeCompany TranType ${TRAN_TYPE_SALES_ORDER})`,
          'configuration',
          'tciTranTypeCompany.NextTranNo',
        );
      }
      const reserved = numberColumn((await tx.query(SELECT_RESERVED_TRAN_NO, counter))[0] ?? {}, 'TranNo');
      const tranNo = String(reserved).padStart(TRAN_NO_LENGTH, '0');
      if ((await tx.query(SELECT_ORDER_NUMBER_USED, { ...counter, tranNo: varchar(TRAN_NO_LENGTH, tranNo) })).length === 0) return tranNo;
    }
    throw new SageWriteError(
      `${what}: the next ${MAX_SKIPPED_NUMBERS} sales-order numbers after tciTranTypeCompany.NextTranNo are all used (tsoSalesOrdLog); correct the counter in Sage`,
      'configuration',
      'tciTranTypeCompany.NextTranNo',
    );
  }

  async write(doc: SalesOrderDocument, warn?: (message: string) => void): Promise<SageRef> {
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

    // Staged text becomes tsoSalesOrder/tsoSOLine text: Unicode only when Sage keeps it so end to end.
    const unicode = await this.unicode.get();
    const comment = siteText(unicode, ['StgSalesOrder.TranCmnt', 'tsoSalesOrder.TranCmnt'], 50, doc.comment, what);
    const descriptions = doc.lines.map((line) => siteText(unicode, ['StgSOLine.Description', 'tsoSOLine.Description'], 40, line.description, what));
    for (const text of [comment, ...descriptions]) if (text.note) warn?.(`${what}: ${text.note}`);

    if (!(await this.findOrder(this.port, doc, comment.param))) {
      const stepParameter = await this.openOrderStep();
      const outcome = await runStagingApi(this.port, { companyId, userId, stepParameter, procedureName: 'spSOapiSalesOrdIns' }, async (tx, sessionKey) => {
        const stagingTranNo = varchar(TRAN_NO_LENGTH, await this.nextOrderNumber(tx, what));
        const warehouseId = varchar(6, doc.warehouseId ?? this.options.warehouseId);
        const header: BatchStep = {
          kind: 'execute',
          sql: INSERT_STG_SALES_ORDER,
          params: { sessionKey: int(sessionKey), tranNo: stagingTranNo, tranDate: datetime(doc.tranDate), custId: varchar(12, doc.custId), tranCmnt: comment.param, warehouseId },
        };
        const lines = doc.lines.map((line, index) => ({
          sessionKey: int(sessionKey),
          tranNo: stagingTranNo,
          lineNo: int(index + 1),
          itemId: varchar(30, line.itemId),
          description: descriptions[index]!.param,
          quantity: quantity(line.quantity),
          unitPrice: unitPrice(line.unitPrice),
          extAmt: money(line.extAmount),
          warehouseId,
        }));
        const steps = [header, ...multiRowInserts(INSERT_STG_SO_LINE, lines)];
        return steps;
      });
      const status = processStatusOf(await this.port.query(SELECT_STG_ORDER_STATUS, { sessionKey: int(outcome.sessionKey) }));
      if (outcome.retVal !== API_RET_SUCCESS || outcome.failedRecs !== 0 || status !== STAGING_PROCESSED) {
        throw await failureError(this.port, outcome, what);
      }
    }
    return this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      const order = await this.findOrder(tx, doc, comment.param);
      if (!order) throw new Error(`${what} was reported inserted but is not in tsoSalesOrder`);
      const ref: SageRef = { docKey: doc.key, sageTable: 'tsoSalesOrder', sageKey: order.soKey, sageNumber: order.tranNo, batchKey: null };
      await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'sales_order' }, ref);
      return ref;
    });
  }
}
