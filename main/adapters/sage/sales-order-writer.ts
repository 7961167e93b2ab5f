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
import { runBatch, type SagePort, type SqlParam, type SqlParams, type SqlSession } from './sql-port.js';
import {
  INSERT_STG_SALES_ORDER,
  INSERT_STG_SO_LINE,
  RESERVE_TRAN_NO,
  SELECT_ORDER_BY_COMMENT,
  SELECT_ORDER_NUMBER_USED,
  SELECT_RESERVED_TRAN_NO,
  SELECT_STEP_PARAM_NO,
  SELECT_STG_ORDER_STATUS,
  SELECT_STG_ORDER_STATUSES,
  SELECT_ORDERS_BY_COMMENT,
  SELECT_ORDER_BY_TRAN_NO,
  RESERVE_TRAN_NOS,
  SELECT_RESERVED_TRAN_NOS,
  INSERT_XREF,
} from './statements.js';
import { failureError, processStatusOf, readFailures, rowFailure, runStagingApi, sessionFinishedStep, type StepParameterValue } from './staging-session.js';
import { siteText, type SiteText, type SiteUnicodeColumns } from './unicode-columns.js';
import { multiRowInserts, selectByKeys } from './many-rows.js';
import { findXref, insertXref, xrefParams } from './xref-store.js';

export type SalesOrderOutcome = { ref: SageRef } | { error: unknown };

interface PreparedOrder {
  doc: SalesOrderDocument;
  what: string;
  comment: SiteText;
  descriptions: SiteText[];
}

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

  /** Sage's own checks the API would make too, and the texts as the site's columns take them. */
  private async prepare(doc: SalesOrderDocument, warn?: (message: string) => void): Promise<PreparedOrder> {
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
    return { doc, what, comment, descriptions };
  }

  /** The staging rows of one order: its StgSalesOrder row and its StgSOLine rows. */
  private stagedRows(order: PreparedOrder, sessionKey: number, tranNo: string): { header: SqlParams; lines: SqlParams[] } {
    const { doc } = order;
    const stagingTranNo = varchar(TRAN_NO_LENGTH, tranNo);
    const warehouseId = varchar(6, doc.warehouseId ?? this.options.warehouseId);
    return {
      header: { sessionKey: int(sessionKey), tranNo: stagingTranNo, tranDate: datetime(doc.tranDate), custId: varchar(12, doc.custId), tranCmnt: order.comment.param, warehouseId },
      lines: doc.lines.map((line, index) => ({
        sessionKey: int(sessionKey),
        tranNo: stagingTranNo,
        lineNo: int(index + 1),
        itemId: varchar(30, line.itemId),
        description: order.descriptions[index]!.param,
        quantity: quantity(line.quantity),
        unitPrice: unitPrice(line.unitPrice),
        extAmt: money(line.extAmount),
        warehouseId,
      })),
    };
  }

  async write(doc: SalesOrderDocument, warn?: (message: string) => void): Promise<SageRef> {
    const { companyId, userId } = this.options;
    const existing = await findXref(this.port, companyId, doc.key);
    if (existing) return existing;
    const order = await this.prepare(doc, warn);
    const { what, comment } = order;
    if (!(await this.findOrder(this.port, doc, comment.param))) {
      const stepParameter = await this.openOrderStep();
      const outcome = await runStagingApi(this.port, { companyId, userId, stepParameter, procedureName: 'spSOapiSalesOrdIns' }, async (tx, sessionKey) => {
        const { header, lines } = this.stagedRows(order, sessionKey, await this.nextOrderNumber(tx, what));
        return [{ kind: 'execute', sql: INSERT_STG_SALES_ORDER, params: header }, ...multiRowInserts(INSERT_STG_SO_LINE, lines)];
      });
      const status = processStatusOf(await this.port.query(SELECT_STG_ORDER_STATUS, { sessionKey: int(outcome.sessionKey) }));
      if (outcome.retVal !== API_RET_SUCCESS || outcome.failedRecs !== 0 || status !== STAGING_PROCESSED) {
        throw await failureError(this.port, outcome, what);
      }
    }
    return this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      const found = await this.findOrder(tx, doc, comment.param);
      if (!found) throw new Error(`${what} was reported inserted but is not in tsoSalesOrder`);
      const ref: SageRef = { docKey: doc.key, sageTable: 'tsoSalesOrder', sageKey: found.soKey, sageNumber: found.tranNo, batchKey: null };
      await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'sales_order' }, ref);
      return ref;
    });
  }

  /**
   * A chunk's new orders through ONE staging session: their numbers reserved as one block of
   * tciTranTypeCompany, their StgSalesOrder and StgSOLine rows as multi-row inserts,
   * spSOapiSalesOrdIns called while it has rows left, each order's outcome read back by TranNo,
   * and the xref rows of the created ones written in one transaction. S2 processes and logs each
   * order on its own, so a rejected order gets its own tdmMigrationLogWrk message and the others
   * are created. An order Sage already holds (by its comment: a run before a crash) and one whose
   * comment repeats in the chunk go one by one through `write`.
   */
  async writeMany(docs: readonly SalesOrderDocument[], warn?: (message: string) => void): Promise<SalesOrderOutcome[]> {
    const outcomes = new Map<SalesOrderDocument, SalesOrderOutcome>();
    const ready: PreparedOrder[] = [];
    for (const doc of docs) {
      try {
        ready.push(await this.prepare(doc, warn));
      } catch (error) {
        outcomes.set(doc, { error });
      }
    }
    const identity = (custId: string, comment: string): string => `${custId.trim().toUpperCase()}\u0000${comment.trim().toUpperCase()}`;
    const held = ready.length === 0 ? new Set<string>() : await this.heldOrders(ready);
    const alone: SalesOrderDocument[] = [];
    const together: PreparedOrder[] = [];
    for (const order of ready) {
      const id = identity(order.doc.custId, order.comment.text);
      if (held.has(id) || together.some((other) => identity(other.doc.custId, other.comment.text) === id)) alone.push(order.doc);
      else together.push(order);
    }
    if (together.length > 0) {
      try {
        for (const [doc, outcome] of await this.insertTogether(together)) outcomes.set(doc, outcome);
      } catch {
        // Without the session's outcome nothing is known: each goes alone, and finds an order that committed by its comment.
        alone.push(...together.map((order) => order.doc));
      }
    }
    for (const doc of docs.filter((candidate) => alone.includes(candidate))) {
      try {
        outcomes.set(doc, { ref: await this.write(doc, warn) });
      } catch (error) {
        outcomes.set(doc, { error });
      }
    }
    return docs.map((doc) => outcomes.get(doc)!);
  }

  /** The (CustID, comment) of the chunk's orders Sage already holds. */
  private async heldOrders(orders: readonly PreparedOrder[]): Promise<Set<string>> {
    const { sql, params } = selectByKeys(SELECT_ORDERS_BY_COMMENT, 'so.TranCmnt', 'tranCmnt', orders.map((order) => order.comment.param));
    const rows = await this.port.query(sql, { ...params, companyId: varchar(3, this.options.companyId), tranType: int(TRAN_TYPE_SALES_ORDER) });
    return new Set(rows.map((row) => `${(textColumn(row, 'CustID') ?? '').trim().toUpperCase()}\u0000${(textColumn(row, 'TranCmnt') ?? '').trim().toUpperCase()}`));
  }

  /** Order numbers for `count` orders: one block from tciTranTypeCompany, a number already used (keyed by hand) replaced one by one. */
  private async nextOrderNumbers(tx: SqlSession, count: number, what: string): Promise<string[]> {
    const counter = { companyId: varchar(3, this.options.companyId), tranType: int(TRAN_TYPE_SALES_ORDER) };
    if ((await tx.execute(RESERVE_TRAN_NOS, { ...counter, count: int(count) })) === 0) {
      throw new SageWriteError(
        `${what}: company ${this.options.companyId} has no numbering for sales orders (tciTranTypeCompany TranType ${TRAN_TYPE_SALES_ORDER})`,
        'configuration',
        'tciTranTypeCompany.NextTranNo',
      );
    }
    const first = numberColumn((await tx.query(SELECT_RESERVED_TRAN_NOS, { ...counter, count: int(count) }))[0] ?? {}, 'FirstTranNo');
    const numbers = Array.from({ length: count }, (_, index) => String(first + index).padStart(TRAN_NO_LENGTH, '0'));
    const { sql, params } = selectByKeys(SELECT_ORDER_NUMBER_USED, 'TranNo', 'tranNo', numbers.map((tranNo) => varchar(TRAN_NO_LENGTH, tranNo)));
    const used = new Set((await tx.query(sql, { ...params, ...counter })).map((row) => (textColumn(row, 'TranNo') ?? '').trim()));
    const result: string[] = [];
    for (const tranNo of numbers) result.push(used.has(tranNo) ? await this.nextOrderNumber(tx, what) : tranNo);
    return result;
  }

  private async insertTogether(orders: readonly PreparedOrder[]): Promise<Map<SalesOrderDocument, SalesOrderOutcome>> {
    const { companyId, userId } = this.options;
    const stepParameter = await this.openOrderStep();
    const numbers = new Map<PreparedOrder, string>();
    const outcome = await runStagingApi(
      this.port,
      { companyId, userId, stepParameter, procedureName: 'spSOapiSalesOrdIns' },
      async (tx, sessionKey) => {
        const tranNos = await this.nextOrderNumbers(tx, orders.length, `Sales order ${orders[0]!.doc.key}`);
        const rows = orders.map((order, index) => {
          numbers.set(order, tranNos[index]!);
          return this.stagedRows(order, sessionKey, tranNos[index]!);
        });
        return [...multiRowInserts(INSERT_STG_SALES_ORDER, rows.map((row) => row.header)), ...multiRowInserts(INSERT_STG_SO_LINE, rows.flatMap((row) => row.lines))];
      },
      true,
    );
    const statuses = new Map((await this.port.query(SELECT_STG_ORDER_STATUSES, { sessionKey: int(outcome.sessionKey) })).map((row) => [(textColumn(row, 'TranNo') ?? '').trim(), numberColumn(row, 'ProcessStatus')]));
    const failures = outcome.retVal === API_RET_SUCCESS && outcome.failedRecs === 0 ? [] : await readFailures(this.port, outcome.sessionKey);
    const results = new Map<SalesOrderDocument, SalesOrderOutcome>();
    const created = orders.filter((order) => statuses.get(numbers.get(order)!) === STAGING_PROCESSED);
    for (const order of orders.filter((candidate) => !created.includes(candidate))) {
      results.set(order.doc, { error: rowFailure(failures, outcome, numbers.get(order)!, order.what) });
    }
    // Created orders have no xref row yet: their comments were free before the session and this writer holds the single-writer lock.
    const refs = await this.port.transaction(async (tx) => {
      const made = new Map<SalesOrderDocument, SageRef>();
      if (created.length > 0) {
        const { sql, params } = selectByKeys(SELECT_ORDER_BY_TRAN_NO, 'TranNo', 'tranNo', created.map((order) => varchar(TRAN_NO_LENGTH, numbers.get(order)!)));
        const rows = await tx.query(sql, { ...params, companyId: varchar(3, companyId), tranType: int(TRAN_TYPE_SALES_ORDER) });
        const byTranNo = new Map(rows.map((row) => [(textColumn(row, 'TranNo') ?? '').trim(), numberColumn(row, 'SOKey')]));
        for (const order of created) {
          const tranNo = numbers.get(order)!;
          const soKey = byTranNo.get(tranNo);
          if (soKey === undefined) throw new Error(`${order.what} was reported inserted but is not in tsoSalesOrder`);
          made.set(order.doc, { docKey: order.doc.key, sageTable: 'tsoSalesOrder', sageKey: soKey, sageNumber: tranNo, batchKey: null });
        }
      }
      await runBatch(tx, [
        ...(created.length > 0 ? multiRowInserts(INSERT_XREF, created.map((order) => xrefParams({ companyId, stripeObjectId: order.doc.stripeObjectId, stripeObjectType: 'sales_order' }, made.get(order.doc)!))) : []),
        sessionFinishedStep(outcome.sessionKey),
      ]);
      return made;
    });
    for (const [doc, ref] of refs) results.set(doc, { ref });
    return results;
  }
}
