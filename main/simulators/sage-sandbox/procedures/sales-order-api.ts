import type Database from 'better-sqlite3';
import { localDateTime } from '../tsql-dialect.js';
import { LOG_FAILURE, LOG_SUCCESS, StagingRowError, writeMigrationLog } from './migration-log.js';
import type { EmulatedProcedure } from './procedure-types.js';
import { stagingApi, type StagingApiCall } from './staging-api.js';
import { nextSurrogateKey } from './surrogate-key.js';
import { preparedStatement } from './prepared-statements.js';

const AR_MODULE = 5;
const SO_MODULE = 8;
const SALES_ORDER_TRAN_TYPE = 801;
/** SetupStepKey 2100600 makes new orders Open; anything else, or none, Closed (S2). */
const OPEN_ORDER_STEP_KEY = 2_100_600;
const SO_STATUS_OPEN = 1;
const SO_STATUS_CLOSED = 4;
const LOG_TRAN_STATUS_PENDING = 2;
const CREATE_TYPE_MIGRATE = 7;

type StagingRow = Record<string, string | number | null>;

interface ResolvedLine {
  rowKey: number;
  lineNo: number;
  itemKey: number;
  description: string | null;
  unitMeasKey: number;
  quantity: string;
  unitPrice: string;
  /** Integer thousandths, as the sandbox stores decimal(15,3). */
  extAmt: number;
  whseKey: number;
  glAcctKey: number | null;
}

interface ResolvedOrder {
  tranDate: string;
  custKey: number;
  custClassKey: number;
  billToAddrKey: number;
  pmtTermsKey: number | null;
  currId: string;
  lines: ResolvedLine[];
}

function text(row: StagingRow, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

function resolveLine(db: Database.Database, call: StagingApiCall, order: StagingRow, line: StagingRow, dfltSalesAcctKey: number | null): ResolvedLine {
  const itemId = text(line, 'ItemID');
  const item = itemId
    ? (preparedStatement(db, 'SELECT ItemKey, SalesUnitMeasKey, ShortDesc FROM timItem WHERE CompanyID = ? AND ItemID = ?').get(call.companyId, itemId) as
        | { ItemKey: number; SalesUnitMeasKey: number; ShortDesc: string | null }
        | undefined)
    : undefined;
  if (!item) throw new StagingRowError('ItemID', itemId, `Item ${itemId ?? '(blank)'} does not exist in company ${call.companyId} (timItem)`);
  const whseId = text(line, 'WarehouseID') ?? text(order, 'DfltWarehouseID');
  const whse = whseId
    ? (preparedStatement(db, 'SELECT WhseKey FROM timWarehouse WHERE CompanyID = ? AND WhseID = ?').get(call.companyId, whseId) as { WhseKey: number } | undefined)
    : undefined;
  if (!whse) throw new StagingRowError('WarehouseID', whseId, `Warehouse ${whseId ?? '(blank)'} does not exist in company ${call.companyId} (timWarehouse)`);
  const unitId = text(line, 'UnitMeasID');
  let unitMeasKey = item.SalesUnitMeasKey;
  if (unitId) {
    const unit = preparedStatement(db, 'SELECT UnitMeasKey FROM tciUnitMeasure WHERE CompanyID = ? AND UnitMeasID = ?').get(call.companyId, unitId) as
      | { UnitMeasKey: number }
      | undefined;
    if (!unit) throw new StagingRowError('UnitMeasID', unitId, `Unit of measure ${unitId} does not exist in company ${call.companyId} (tciUnitMeasure)`);
    unitMeasKey = unit.UnitMeasKey;
  }
  const glAcctNo = text(line, 'GLAcctNo');
  let glAcctKey = dfltSalesAcctKey;
  if (glAcctNo) {
    // The API strips the account mask before the lookup (sources S1, S2, S9, S10, docs/sage-sources.md).
    const account = preparedStatement(db, 'SELECT GLAcctKey FROM tglAccount WHERE CompanyID = ? AND GLAcctNo = ? AND Status = 1').get(
      call.companyId,
      glAcctNo.replace(/[^0-9A-Za-z]/g, ''),
    ) as { GLAcctKey: number } | undefined;
    if (!account) throw new StagingRowError('GLAcctNo', glAcctNo, `GL account ${glAcctNo} does not exist or is inactive in company ${call.companyId} (tglAccount)`);
    glAcctKey = account.GLAcctKey;
  }
  const extAmt = line['ExtAmt'];
  if (typeof extAmt !== 'number') throw new StagingRowError('ExtAmt', null, 'ExtAmt is required (tsoSOLineDist.ExtAmt)');
  return {
    rowKey: Number(line['RowKey']),
    lineNo: Number(line['SOLineNo']),
    itemKey: item.ItemKey,
    description: text(line, 'Description') ?? item.ShortDesc,
    unitMeasKey,
    quantity: text(line, 'QtyOrd') ?? '1',
    unitPrice: text(line, 'UnitPrice') ?? '0',
    extAmt,
    whseKey: whse.WhseKey,
    glAcctKey,
  };
}

function resolveOrder(db: Database.Database, call: StagingApiCall, order: StagingRow, lines: StagingRow[]): ResolvedOrder {
  const custId = text(order, 'CustID');
  const customer = custId
    ? (preparedStatement(db, 'SELECT CustKey, CustClassKey, DfltBillToAddrKey, DfltSalesAcctKey FROM tarCustomer WHERE CompanyID = ? AND CustID = ?')
        .get(call.companyId, custId) as { CustKey: number; CustClassKey: number; DfltBillToAddrKey: number; DfltSalesAcctKey: number | null } | undefined)
    : undefined;
  if (!customer) throw new StagingRowError('CustID', custId, `Customer ${custId ?? '(blank)'} does not exist in company ${call.companyId} (tarCustomer)`);
  const tranDate = text(order, 'TranDate');
  if (!tranDate) throw new StagingRowError('TranDate', null, 'TranDate is required (tsoSalesOrder.TranDate)');
  const company = preparedStatement(db, 'SELECT CurrID FROM tsmCompany WHERE CompanyID = ?').get(call.companyId) as { CurrID: string };
  const currId = text(order, 'CurrID') ?? company.CurrID;
  // The sandbox company has no multicurrency (tglOptions.UseMultCurr = 0).
  if (currId !== company.CurrID) throw new StagingRowError('CurrID', currId, `Currency ${currId} is not the home currency ${company.CurrID} of company ${call.companyId}`);
  const custAddr = preparedStatement(db, 'SELECT PmtTermsKey FROM tarCustAddr WHERE AddrKey = ?').get(customer.DfltBillToAddrKey) as { PmtTermsKey: number | null };
  if (lines.length === 0) throw new StagingRowError('SOLineNo', null, `Sales order ${text(order, 'TranNo') ?? ''} has no lines (StgSOLine)`);
  return {
    tranDate,
    custKey: customer.CustKey,
    custClassKey: customer.CustClassKey,
    billToAddrKey: customer.DfltBillToAddrKey,
    pmtTermsKey: custAddr.PmtTermsKey,
    currId,
    lines: lines.map((line) => resolveLine(db, call, order, line, customer.DfltSalesAcctKey)),
  };
}

interface OrderKeys {
  soKey: number;
  lineKeys: { soLineKey: number; distKey: number }[];
}

/**
 * The order number is the staged TranNo: S2 passes it to spsoCreateSalesOrder as the order's
 * number and fails a new order without one; tsoSalesOrder is unique on (CompanyID, TranType, TranNoRel).
 */
function stagedTranNo(db: Database.Database, companyId: string, stg: StagingRow): string {
  const tranNo = text(stg, 'TranNo');
  if (!tranNo) throw new StagingRowError('TranNo', null, 'TranNo is required for a new sales order (StgSalesOrder.TranNo)');
  const used = preparedStatement(db, 'SELECT 1 FROM tsoSalesOrdLog WHERE CompanyID = ? AND TranType = ? AND TranNo = ?').get(companyId, SALES_ORDER_TRAN_TYPE, tranNo);
  if (used) throw new StagingRowError('TranNo', tranNo, `Sales order ${tranNo} already exists in company ${companyId} (tsoSalesOrdLog)`, true);
  return tranNo;
}

function insertOrder(db: Database.Database, call: StagingApiCall, stg: StagingRow, order: ResolvedOrder, keys: OrderKeys): string {
  const now = localDateTime();
  const tranNo = stagedTranNo(db, call.companyId, stg);
  const status = call.setupStepKey === OPEN_ORDER_STEP_KEY ? SO_STATUS_OPEN : SO_STATUS_CLOSED;
  const total = order.lines.reduce((sum, line) => sum + BigInt(line.extAmt), 0n);
  // Integer thousandths; decimal(15,3) fits a safe integer.
  const amount = Number(total);
  preparedStatement(db,
    'INSERT INTO tsoSalesOrdLog (SOKey, CompanyID, TranType, TranNo, TranNoRel, TranDate, TranAmtHC, TranStatus) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(keys.soKey, call.companyId, SALES_ORDER_TRAN_TYPE, tranNo, tranNo, order.tranDate, amount, LOG_TRAN_STATUS_PENDING);
  preparedStatement(db,
    `INSERT INTO tsoSalesOrder (SOKey, BillToCustAddrKey, CompanyID, CreateType, CreateDate, CreateUserID, CreditApprovedAmt, CrHold,
       CurrExchRate, CurrID, CustClassKey, CustKey, CustPONo, DfltWhseKey, FreightAmt, Hold, NextLineNo, OpenAmt, OpenAmtHC,
       PmtTermsKey, RequireSOAck, SalesAmt, SalesAmtHC, Status, STaxAmt, TradeDiscAmt, TranAmt, TranAmtHC, TranCmnt, TranDate,
       TranID, TranNo, TranNoChngOrd, TranNoRel, TranNoRelChngOrd, TranType, UpdateCounter, UserFld1, UserFld2, UserFld3, UserFld4)
     VALUES (@SOKey, @BillTo, @CompanyID, @CreateType, @Now, @UserID, 0, 0, 1, @CurrID, @CustClassKey, @CustKey, @CustPONo, @Whse, 0,
       0, @NextLineNo, @Amt, @Amt, @PmtTermsKey, 0, @Amt, @Amt, @Status, 0, 0, @Amt, @Amt, @TranCmnt, @TranDate, @TranID, @TranNo,
       @TranNo, @TranNo, @TranNo, @TranType, 0, @UserFld1, @UserFld2, @UserFld3, @UserFld4)`,
  ).run({
    SOKey: keys.soKey, BillTo: order.billToAddrKey, CompanyID: call.companyId, CreateType: CREATE_TYPE_MIGRATE, Now: now,
    UserID: call.userId, CurrID: order.currId, CustClassKey: order.custClassKey, CustKey: order.custKey, CustPONo: text(stg, 'CustPONo'),
    Whse: order.lines[0]?.whseKey ?? null, NextLineNo: order.lines.length + 1, Amt: amount, PmtTermsKey: order.pmtTermsKey,
    Status: status, TranCmnt: text(stg, 'TranCmnt'), TranDate: order.tranDate,
    // TranID format: S4 builds 'SO-' + TranNo; copy the site's format (sources S4, S8, docs/sage-sources.md).
    TranID: `SO-${tranNo}`, TranNo: tranNo, TranType: SALES_ORDER_TRAN_TYPE,
    UserFld1: text(stg, 'UserFld1'), UserFld2: text(stg, 'UserFld2'), UserFld3: text(stg, 'UserFld3'), UserFld4: text(stg, 'UserFld4'),
  });
  const insertLine = preparedStatement(db,
    `INSERT INTO tsoSOLine (SOLineKey, SOKey, SOLineNo, ItemKey, OrigItemKey, Description, UnitMeasKey, UnitPrice, Status, CreateDate, CreateUserID)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDist = preparedStatement(db,
    `INSERT INTO tsoSOLineDist (SOLineDistKey, SOLineKey, GLAcctKey, QtyOrd, QtyOpenToShip, OrigOrdered, ExtAmt, WhseKey, OrigWhseKey,
       ShipToAddrKey, ShipToCustAddrKey, Status, RequestDate)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  order.lines.forEach((line, index) => {
    const lineKeys = keys.lineKeys[index]!;
    insertLine.run(lineKeys.soLineKey, keys.soKey, line.lineNo, line.itemKey, line.itemKey, line.description, line.unitMeasKey, line.unitPrice, status, now, call.userId);
    insertDist.run(
      lineKeys.distKey, lineKeys.soLineKey, line.glAcctKey, line.quantity, line.quantity, line.quantity, line.extAmt, line.whseKey,
      line.whseKey, order.billToAddrKey, order.billToAddrKey, status, order.tranDate,
    );
  });
  return tranNo;
}

function processOrderRow(db: Database.Database, call: StagingApiCall, rowKey: number): boolean {
  const stg = preparedStatement(db, 'SELECT * FROM StgSalesOrder WHERE RowKey = ?').get(rowKey) as StagingRow;
  const stagingTranNo = text(stg, 'TranNo');
  const lines = preparedStatement(db, 'SELECT * FROM StgSOLine WHERE SessionKey = ? AND TranNo = ? AND ProcessStatus = 0 ORDER BY SOLineNo')
    .all(call.sessionKey, stagingTranNo) as StagingRow[];
  const setStatus = (status: number): void => {
    preparedStatement(db, 'UPDATE StgSalesOrder SET ProcessStatus = ? WHERE RowKey = ?').run(status, rowKey);
    preparedStatement(db, 'UPDATE StgSOLine SET ProcessStatus = ? WHERE SessionKey = ? AND TranNo = ? AND ProcessStatus = 0').run(status, call.sessionKey, stagingTranNo);
  };
  try {
    const order = resolveOrder(db, call, stg, lines);
    const keys: OrderKeys = {
      soKey: nextSurrogateKey(db, 'tsoSalesOrdLog'),
      lineKeys: order.lines.map(() => ({ soLineKey: nextSurrogateKey(db, 'tsoSOLine'), distKey: nextSurrogateKey(db, 'tsoSOLineDist') })),
    };
    const tranNo = db.transaction(() => {
      const assigned = insertOrder(db, call, stg, order, keys);
      setStatus(1);
      return assigned;
    }).immediate();
    writeMigrationLog(db, call.sessionKey, call.reportOption, {
      entityId: tranNo, columnId: null, columnValue: null, status: LOG_SUCCESS, comment: `Sales order ${tranNo} inserted`,
    });
    return true;
  } catch (error) {
    const rowError = error instanceof StagingRowError ? error : new StagingRowError('TranNo', stagingTranNo, `Sales order insert failed: ${String(error)}`);
    setStatus(2);
    writeMigrationLog(db, call.sessionKey, call.reportOption, {
      entityId: stagingTranNo, columnId: rowError.columnId, columnValue: rowError.columnValue, status: LOG_FAILURE, comment: rowError.message,
    });
    return false;
  }
}

/** spSOapiSalesOrdIns: the sales-order insert API (source S2, docs/sage-sources.md). Sales tax and freight are not calculated. */
export const spSOapiSalesOrdIns: EmulatedProcedure = stagingApi({ stagingTable: 'StgSalesOrder', requiredModules: [AR_MODULE, SO_MODULE], processRow: processOrderRow });
