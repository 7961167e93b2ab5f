import type { ForeignKeySpec, TableSpec } from './table-spec.js';

/**
 * The Accounts Receivable tables the AR payment flow reads or writes (issue #21). Sources are
 * named per table (docs/sage-sources.md); where no public source has a table's name or
 * columns, the table is shaped from its verified neighbour and marked UNVERIFIED: the writer
 * never relies on those guesses, it writes the tables and columns the site's own captured
 * cash receipt shows (main/adapters/sage/ar-receipt-template.ts).
 */

function fk(columns: string, references: string, referencedColumn = columns): ForeignKeySpec {
  return { columns: [columns], references, referencedColumns: [referencedColumn] };
}

const MONEY = 'decimal(15,3) NN';
const companyFk = fk('CompanyID', 'tsmCompany');

/**
 * The columns of a posted AR document exactly as S7 scaffolds tarInvoice from a live mas500_app;
 * the pending tarPendInvoice takes the same (D: Sage pairs pending and posted tables, sage500.md §3.6).
 */
const INVOICE_COLUMNS: readonly string[] = [
  'InvcKey int NN', `AuthOvrdAmt ${MONEY}`, `Balance ${MONEY}`, `BalanceHC ${MONEY}`, 'BatchKey int NN', 'BillToAddrKey int NN',
  'BillToCustAddrKey int', 'ClosingPostDate datetime', 'ClosingTranDate datetime', 'CommPlanKey int', 'CompanyID varchar(3) NN',
  'ConfirmToCntctKey int', `CostOfSales ${MONEY}`, 'CreateDate datetime', 'CreateType smallint NN', 'CreateUserID varchar(30)',
  'CurrExchRate float NN =1', 'CurrExchSchdKey int', 'CurrID varchar(3) NN', 'CustClassKey int NN', 'CustKey int NN',
  'CustPONo varchar(15)', `DiscAmt ${MONEY}`, 'DiscDate datetime', `DiscTakenAmt ${MONEY}`, 'DueDate datetime', 'FOBKey int',
  `HandlAmt ${MONEY}`, 'ImportLogKey int', 'InDispute smallint NN', 'InvcFormKey int', 'NextApplEntryNo int =1', 'PmtTermsKey int',
  'PostDate datetime NN', 'PrimarySperKey int', 'Printed smallint NN =1', 'ReasonCodeKey int', 'RecurInvoiceKey int',
  `RetntAmt ${MONEY}`, 'RetntPct decimal(5,4)', `SalesAmt ${MONEY}`, `ShipAmt ${MONEY}`, 'ShipMethKey int', 'ShipToAddrKey int NN',
  'ShipToCustAddrKey int', 'ShipZoneKey int', 'SourceModule smallint NN =5', 'Status smallint NN =1', `STaxAmt ${MONEY}`,
  'STaxCalc smallint NN =1', 'STaxTranKey int', `TradeDiscAmt ${MONEY}`, `TranAmt ${MONEY}`, `TranAmtHC ${MONEY}`,
  'TranCmnt varchar(50)', 'TranDate datetime NN', 'TranID varchar(13) NN', 'TranNo varchar(10) NN', 'Transmitted smallint NN',
  'TranType int NN', 'UpdateCounter int NN', 'UpdateDate datetime', 'UpdateUserID varchar(30)', 'VoucherKey int',
];

export const AR_TABLES: readonly TableSpec[] = [
  {
    // The AR module's batch row next to tciBatchLog (S6: spGetNextBatch inserts it for module 5
    // with CashAcctKey = tarOptions.DfltCashAcctKey, Hold/Private/TranCtrl 0, SourceModule 5,
    // BankDepAmt 0). BatchOvrdSegValue's length is UNVERIFIED (S6 names the column only).
    name: 'tarBatch',
    columns: [
      'BatchKey int NN', `BankDepAmt ${MONEY} =0`, 'BatchCmnt varchar(50)', 'BatchOvrdSegValue varchar(15)', 'CashAcctKey int',
      'Hold smallint NN =0 in(0,1)', 'InterCompany smallint NN =0 in(0,1)', 'OrigUserID varchar(30)', 'PostDate datetime NN',
      'Private smallint NN =0 in(0,1)', 'SourceModule smallint NN', 'TranCtrl smallint NN =0', 'UpdateCounter int NN =0',
    ],
    primaryKey: ['BatchKey'],
    foreignKeys: [fk('BatchKey', 'tciBatchLog'), fk('CashAcctKey', 'tglAccount', 'GLAcctKey'), fk('OrigUserID', 'tsmUser', 'UserID')],
  },
  {
    // Posted AR documents (invoices, credit and debit memos), exactly as S7 scaffolds them from a
    // live mas500_app. Read only: the sync matches payments to the open ones and never writes here.
    name: 'tarInvoice',
    columns: INVOICE_COLUMNS,
    primaryKey: ['InvcKey'],
    // S7: XAK1tarInvoice(CompanyID, TranID).
    unique: [['CompanyID', 'TranID']],
    foreignKeys: [companyFk, fk('CustKey', 'tarCustomer'), fk('CurrID', 'tmcCurrency'), fk('CustClassKey', 'tarCustClass')],
  },
  {
    // A pending cash receipt. The table name is UNVERIFIED (docs/sage-sources.md, "Not in any public
    // source"); its columns are the posted payment's (tarCustPmt: CustPmtKey, CompanyID, CustKey,
    // CustClassKey, TranNo, TranID, TranDate, TranAmt, CurrID, CurrExchRate, UnappliedAmt,
    // UnappliedAmtHC, S8 and S11) plus what every pending Sage document carries (BatchKey,
    // TranType, TranAmtHC, TranCmnt, CreateType and audit columns, D from tarInvoice, S7).
    name: 'tarPendCustPmt',
    columns: [
      'CustPmtKey int NN', 'BatchKey int NN', 'CompanyID varchar(3) NN', 'CustKey int NN', 'CustClassKey int NN', 'TranType int NN',
      'TranNo varchar(10) NN', 'TranID varchar(13) NN', 'TranDate datetime NN', `TranAmt ${MONEY}`, `TranAmtHC ${MONEY}`,
      'CurrID varchar(3) NN', 'CurrExchRate float NN =1', `UnappliedAmt ${MONEY}`, `UnappliedAmtHC ${MONEY}`, 'TranCmnt varchar(50)',
      'CreateType smallint NN in(0,1,2,3,4,5,6,7,8)', 'CreateDate datetime', 'CreateUserID varchar(30)', 'UpdateDate datetime',
      'UpdateUserID varchar(30)', 'UpdateCounter int NN =0',
    ],
    primaryKey: ['CustPmtKey'],
    unique: [['CompanyID', 'TranID']],
    foreignKeys: [
      fk('BatchKey', 'tarBatch'), companyFk, fk('CustKey', 'tarCustomer'), fk('CustClassKey', 'tarCustClass'), fk('CurrID', 'tmcCurrency'),
    ],
  },
  {
    // A pending application of a payment to an invoice: the columns of S8's PendingCustomerPaymentAppl
    // entity, which it fills for every application (ApplyFrom*/ApplyTo* are nullable there: it reads
    // them with .Value). The table name is UNVERIFIED (docs/sage-sources.md). SeqNo comes from
    // tciBatchLog.NextSeqNo of the batch, which S8 advances (D: unique within the batch).
    name: 'tarPendCustPmtAppl',
    columns: [
      'BatchKey int NN', 'SeqNo int NN', 'ApplyFromPmtKey int', 'ApplyFromTranID varchar(13)', 'ApplyFromTranDate datetime',
      'ApplyToInvcKey int', 'ApplyToTranID varchar(13)', 'ApplyToTranDate datetime', 'CurrExchRate float NN =1', `PmtAmt ${MONEY}`,
      `PmtAmtIC ${MONEY}`, `DiscTakenAmt ${MONEY}`, `DiscTakenAmtIC ${MONEY}`, `WriteOffAmt ${MONEY}`, `WriteOffAmtIC ${MONEY}`,
      `RealGainLossAmt ${MONEY}`, 'AppliedAtCreation smallint NN in(0,1)', 'UpdateCounter int NN =0', 'CreateUserID varchar(30)',
      'CreateDate datetime',
    ],
    primaryKey: ['BatchKey', 'SeqNo'],
    // ApplyToInvcKey names a posted invoice (tarInvoice) or one still pending in an invoice batch
    // (tarPendInvoice: pending and posted share InvcKey, S6), when the payment is applied to an
    // invoice entered with it; SQLite cannot declare "one of two tables", so a trigger enforces
    // it, as Sage enforces its keys (sage500.md §3 notation).
    foreignKeys: [fk('BatchKey', 'tarBatch')],
    keyTriggers: [{ column: 'ApplyToInvcKey', references: ['tarInvoice', 'tarPendInvoice'], referencedColumn: 'InvcKey' }],
  },
  {
    // A pending AR invoice in an invoice batch (501). The name is V (S6 reads tarPendInvoice.BatchKey
    // and joins tarInvoiceDetl.InvcKey to it); the columns are UNVERIFIED and taken as the posted
    // tarInvoice's (D). The writer relies on none of it: it writes the columns the site's captured
    // invoice shows (main/adapters/sage/ar-invoice-template.ts).
    name: 'tarPendInvoice',
    columns: INVOICE_COLUMNS,
    primaryKey: ['InvcKey'],
    unique: [['CompanyID', 'TranID']],
    foreignKeys: [fk('BatchKey', 'tarBatch'), companyFk, fk('CustKey', 'tarCustomer'), fk('CurrID', 'tmcCurrency'), fk('CustClassKey', 'tarCustClass')],
  },
  {
    // AR invoice lines, pending and posted alike (S6 joins them to tarPendInvoice). Column names
    // from S14 (an older MAS 500); their types and NOT NULLs are UNVERIFIED (D, from the same
    // columns on tarInvoice and tsoSOLine, S7, S4). InvcKey names a pending or a posted invoice, so
    // a trigger enforces it (as ApplyToInvcKey above). The GL account is not here (S14).
    name: 'tarInvoiceDetl',
    columns: [
      'InvoiceLineKey int NN', 'InvcKey int NN', 'SeqNo int NN', 'ItemKey int', 'ItemAliasKey int', 'Description varchar(40)',
      'UnitMeasKey int', 'UnitPrice decimal(15,5) NN', 'UnitPriceOvrd smallint NN in(0,1)', `UnitCost ${MONEY}`, `ExtAmt ${MONEY}`,
      `TradeDiscAmt ${MONEY}`, 'ExtCmnt varchar(255)', 'CmntOnly smallint NN in(0,1)', 'STaxClassKey int', 'SOLineKey int',
      'ShipLineKey int', 'KitInvoiceLineKey int', 'RtrnType smallint NN', 'CommBase smallint NN', 'CommClassKey int', 'CommPlanKey int',
      `CalcCommAmt ${MONEY}`, `ActCommAmt ${MONEY}`, 'ProjID varchar(20)', 'ProjClientID varchar(20)',
    ],
    primaryKey: ['InvoiceLineKey'],
    unique: [['InvcKey', 'SeqNo']],
    foreignKeys: [fk('ItemKey', 'timItem')],
    keyTriggers: [{ column: 'InvcKey', references: ['tarInvoice', 'tarPendInvoice'], referencedColumn: 'InvcKey' }],
  },
  {
    // The GL distribution of an invoice line: which account the line credits. No public source
    // names this table or its columns (sage500.md §3.6, §7 item 2); this sandbox gives it a name
    // and columns of its own, shaped like the sales-order line distribution (tsoSOLineDist, S4),
    // only so the tests have one. The writer never uses these guesses: the table, its key and its
    // amount column come from the site's captured invoice and the site's catalog.
    name: 'tarInvoiceLineDist',
    columns: [
      'InvoiceLineDistKey int NN', 'InvoiceLineKey int NN', 'GLAcctKey int NN', 'AcctRefKey int', `ExtAmt ${MONEY}`, `TradeDiscAmt ${MONEY}`,
      'UpdateCounter int NN =0',
    ],
    primaryKey: ['InvoiceLineDistKey'],
    foreignKeys: [fk('InvoiceLineKey', 'tarInvoiceDetl'), fk('GLAcctKey', 'tglAccount')],
  },
];
