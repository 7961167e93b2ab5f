import type { ForeignKeySpec, TableSpec } from './table-spec.js';

/**
 * The Sage 500 tables the sync reads or writes, with Sage's own table and column names,
 * SQL Server types and NOT NULLs (sources S1, S5, S7, docs/sage-sources.md). Only the subset we use is
 * declared; column lists follow the reference and are marked there when UNVERIFIED.
 * Logical foreign keys (Sage enforces them in triggers) become deferred SQLite FKs.
 */

function fk(columns: string | readonly string[], references: string, referencedColumns?: string | readonly string[]): ForeignKeySpec {
  const from = typeof columns === 'string' ? [columns] : columns;
  const to = referencedColumns === undefined ? from : typeof referencedColumns === 'string' ? [referencedColumns] : referencedColumns;
  return { columns: from, references, referencedColumns: to };
}

const AUDIT = ['CreateDate datetime', 'CreateUserID varchar(30)', 'UpdateDate datetime', 'UpdateUserID varchar(30)', 'UpdateCounter int NN =0'];
const CREATE_TYPE = 'CreateType smallint NN in(0,1,2,3,4,5,6,7,8)';
const COMPANY = 'CompanyID varchar(3) NN';
const companyFk = fk('CompanyID', 'tsmCompany');

/** Address and contact fields as they appear on the staging tables (wider than the target
 * columns: the API, not the INSERT, reports over-long values in tdmMigrationLogWrk). */
const STAGING_ADDRESS = [
  'AddrName varchar(255)', 'AddrLine1 varchar(255)', 'AddrLine2 varchar(255)', 'AddrLine3 varchar(255)',
  'AddrLine4 varchar(255)', 'AddrLine5 varchar(255)', 'City varchar(255)', 'StateID varchar(255)',
  'PostalCode varchar(255)', 'CountryID varchar(255)', 'Residential smallint', 'Phone varchar(255)',
  'PhoneExt varchar(255)', 'Fax varchar(255)', 'FaxExt varchar(255)', 'EMailAddr varchar(255)',
  'Name varchar(255)', 'Title varchar(255)',
];
const STAGING_ROW = ['RowKey int NN', 'SessionKey int NN', 'ProcessStatus smallint NN =0 in(0,1,2)', 'Action smallint NN =1 in(0,1,2,3)'];

export const SAGE_TABLES: readonly TableSpec[] = [
  // system and configuration (sources S1, S6, docs/sage-sources.md)
  { name: 'tmcCurrency', columns: ['CurrID varchar(3) NN', 'CurrDesc varchar(40)', 'DigitsAfterDecimal smallint NN =2'], primaryKey: ['CurrID'] },
  {
    name: 'tsmCompany',
    columns: [COMPANY, 'CompanyName varchar(40) NN', 'CurrID varchar(3) NN'],
    primaryKey: ['CompanyID'],
    foreignKeys: [fk('CurrID', 'tmcCurrency')],
  },
  {
    name: 'tsmCompanyModule',
    columns: [COMPANY, 'ModuleNo smallint NN', 'Active smallint NN in(0,1)'],
    primaryKey: ['CompanyID', 'ModuleNo'],
    foreignKeys: [companyFk],
  },
  {
    name: 'tsmUser',
    columns: ['UserID varchar(30) NN', 'LanguageID int NN =1033', 'SysDateAsBusDate smallint NN =1 in(0,1)', 'UserBusinessDate datetime'],
    primaryKey: ['UserID'],
  },
  // Countries and their states (UNVERIFIED beyond the ids: no public text of these tables).
  { name: 'tsmCountry', columns: ['CountryID varchar(3) NN', 'Description varchar(40)'], primaryKey: ['CountryID'] },
  {
    name: 'tsmStateProvince',
    columns: ['CountryID varchar(3) NN', 'StateID varchar(3) NN', 'Description varchar(40)'],
    primaryKey: ['CountryID', 'StateID'],
    foreignKeys: [fk('CountryID', 'tsmCountry')],
  },
  { name: 'tciSurrogateKey', columns: ['TableName varchar(30) NN', 'NextKey int NN'], primaryKey: ['TableName'] },
  {
    name: 'tciTranTypeCompany',
    columns: [COMPANY, 'TranType int NN', 'NextTranNo int NN'],
    primaryKey: ['CompanyID', 'TranType'],
    foreignKeys: [companyFk],
  },
  {
    name: 'tciBatchTypCompany',
    columns: [COMPANY, 'BatchType int NN', 'NextBatchNo int NN', 'BatchTypeID varchar(7) NN'],
    primaryKey: ['CompanyID', 'BatchType'],
    foreignKeys: [companyFk],
  },
  {
    name: 'tciBatchLog',
    columns: [
      'BatchKey int NN', 'BatchID varchar(15) NN', 'BatchNo int NN', 'BatchType int NN',
      'Status smallint NN in(1,2,3,4,5,6,7)', 'PostStatus smallint NN in(0,100,150,200,250,300,350,400,450,500,999)',
      'OrigUserID varchar(30)', 'SourceCompanyID varchar(3) NN', 'PostCompanyID varchar(3) NN', 'RevrsBatchKey int',
      'BatchTotal decimal(15,3) NN =0', 'NextSeqNo int NN =1', 'BatchCmnt varchar(50)', 'PostDate datetime',
      'RgstrPrinted smallint NN =0 in(0,1)', 'CreateDate datetime', CREATE_TYPE, 'UpdateCounter int NN =0',
    ],
    primaryKey: ['BatchKey'],
    unique: [['SourceCompanyID', 'BatchID']],
    foreignKeys: [fk('SourceCompanyID', 'tsmCompany', 'CompanyID'), fk('OrigUserID', 'tsmUser', 'UserID')],
  },
  {
    name: 'tciErrorLog',
    columns: [
      'SessionID int NN', 'EntryNo int NN', 'BatchKey int', 'StringNo int NN', 'Severity smallint NN in(1,2)',
      'ErrorType smallint NN', 'StringData1 varchar(255)', 'StringData2 varchar(255)', 'StringData3 varchar(255)',
      'StringData4 varchar(255)', 'StringData5 varchar(255)',
    ],
    primaryKey: ['SessionID', 'EntryNo'],
    foreignKeys: [fk('BatchKey', 'tciBatchLog')],
  },
  // general ledger (sources S5, S8, docs/sage-sources.md)
  // An account's type: tglAccount → tglNaturalAcct → tglAcctType → tglAcctCategory, joined so in
  // S5's spglCalcBeginBalance and spglRetEarnAcctCreate. Only the columns those joins name are known.
  { name: 'tglAcctCategory', columns: ['AcctCategoryKey int NN', 'AcctCatID smallint NN'], primaryKey: ['AcctCategoryKey'] },
  {
    name: 'tglAcctType',
    columns: ['AcctTypeKey int NN', 'AcctTypeID smallint NN', 'AcctCategoryKey int NN'],
    primaryKey: ['AcctTypeKey'],
    foreignKeys: [fk('AcctCategoryKey', 'tglAcctCategory')],
  },
  {
    name: 'tglNaturalAcct',
    columns: ['NaturalAcctKey int NN', 'AcctTypeKey int NN'],
    primaryKey: ['NaturalAcctKey'],
    foreignKeys: [fk('AcctTypeKey', 'tglAcctType')],
  },
  {
    name: 'tglAccount',
    columns: [
      'GLAcctKey int NN', COMPANY, 'GLAcctNo varchar(100) NN', 'NaturalAcctKey int NN', 'Description varchar(40)',
      'Status smallint NN =1 in(1,2,3)', 'PostingType smallint NN =1 in(1,2,3)', 'CurrRestriction smallint NN =0 in(0,1)',
      'RestrictedCurrID varchar(3)', 'EffStartDate datetime', 'EffEndDate datetime', ...AUDIT, CREATE_TYPE,
    ],
    primaryKey: ['GLAcctKey'],
    unique: [['CompanyID', 'GLAcctNo']],
    foreignKeys: [companyFk, fk('RestrictedCurrID', 'tmcCurrency', 'CurrID'), fk('NaturalAcctKey', 'tglNaturalAcct')],
  },
  {
    name: 'tglOptions',
    columns: [COMPANY, 'AcctMask varchar(114) NN', 'AutoAcctAdd smallint NN =0', 'UseMultCurr smallint NN =0', 'AcctRefUsage smallint NN =0', 'SuspenseAcctKey int'],
    primaryKey: ['CompanyID'],
    foreignKeys: [companyFk, fk('SuspenseAcctKey', 'tglAccount', 'GLAcctKey')],
  },
  {
    name: 'tarOptions',
    columns: [COMPANY, 'DfltCashAcctKey int', 'TrackSTaxOnSales smallint NN =0', 'IntegrateWithCM smallint NN =0', 'UseMultCurr smallint NN =0'],
    primaryKey: ['CompanyID'],
    foreignKeys: [companyFk, fk('DfltCashAcctKey', 'tglAccount', 'GLAcctKey')],
  },
  {
    name: 'tglFiscalYear',
    columns: [COMPANY, 'FiscYear varchar(5) NN', 'NoOfPeriods smallint NN'],
    primaryKey: ['CompanyID', 'FiscYear'],
    foreignKeys: [companyFk],
  },
  {
    name: 'tglFiscalPeriod',
    columns: [COMPANY, 'FiscYear varchar(5) NN', 'FiscPer smallint NN', 'StartDate datetime NN', 'EndDate datetime NN', 'Status smallint NN in(1,2)'],
    primaryKey: ['CompanyID', 'FiscYear', 'FiscPer'],
    foreignKeys: [fk(['CompanyID', 'FiscYear'], 'tglFiscalYear')],
  },
  {
    name: 'tglJournal',
    // NextJrnlNo: the sandbox's own counter behind its spglGiveNextJrnlNo; where Sage keeps it is not
    // public (sources S4, S8, docs/sage-sources.md), so nothing but that emulation touches it.
    columns: ['JrnlKey int NN', COMPANY, 'JrnlID varchar(15) NN', 'Description varchar(40)', 'NextJrnlNo int NN =1'],
    primaryKey: ['JrnlKey'],
    unique: [['CompanyID', 'JrnlID']],
    foreignKeys: [companyFk],
  },
  {
    name: 'tglBatch',
    columns: [
      'BatchKey int NN', 'BatchCmnt varchar(50)', 'GeneralJrnlType smallint NN', 'Hold smallint NN =0 in(0,1)',
      'InterCompany smallint NN =0 in(0,1)', 'InterCompUsage smallint NN =0', 'OrigUserID varchar(30)',
      'PostDate datetime NN', 'Private smallint NN =0 in(0,1)', 'TranCtrl smallint NN =0', 'UpdateCounter int NN =0',
    ],
    primaryKey: ['BatchKey'],
    foreignKeys: [fk('BatchKey', 'tciBatchLog'), fk('OrigUserID', 'tsmUser', 'UserID')],
  },
  {
    name: 'tglJournalHdr',
    columns: [
      'JrnlHdrKey int NN', 'BatchKey int NN', COMPANY, 'JrnlKey int NN', 'JrnlNo int NN', 'CurrID varchar(3) NN',
      'CurrExchRate float NN =1', 'Financial smallint NN =1 in(0,1)', 'GLAcctKey int', 'NextEntryNo int NN',
      'OffsetPost smallint NN =0', 'OutOfBalance smallint NN =0 in(0,1)', 'OutOfBalOverride smallint NN =0 in(0,1)',
      'ReqOffsetAmt decimal(15,3) NN =0', 'ReverseJrnl smallint NN =0 in(0,1)', 'CheckNo varchar(10)',
      'SourceModule smallint NN', 'Status smallint NN', CREATE_TYPE, 'CreateDate datetime', 'CreateUserID varchar(30)',
      'UpdateCounter int NN =0',
    ],
    primaryKey: ['JrnlHdrKey'],
    unique: [['CompanyID', 'JrnlKey', 'JrnlNo']],
    foreignKeys: [
      fk('BatchKey', 'tglBatch'), companyFk, fk('JrnlKey', 'tglJournal'), fk('CurrID', 'tmcCurrency'), fk('GLAcctKey', 'tglAccount'),
      // Sage writes the journal-log row before the header (S8), so a header without one is refused.
      fk(['JrnlKey', 'JrnlNo'], 'tglJournalLog'),
    ],
  },
  {
    // The journal log S8 writes before each header (entity JournalLog; the table name follows
    // S8's entity-to-table pattern, JournalHdr → tglJournalHdr, and is UNVERIFIED).
    name: 'tglJournalLog',
    columns: [COMPANY, 'JrnlKey int NN', 'JrnlNo int NN', 'PostDate datetime NN', 'TranStatus smallint NN in(1,2,3,4,5,6)'],
    primaryKey: ['JrnlKey', 'JrnlNo'],
    foreignKeys: [companyFk, fk('JrnlKey', 'tglJournal')],
  },
  {
    name: 'tglJournalDetl',
    columns: [
      'JrnlHdrKey int NN', 'EntryNo int NN', 'SeqNo int NN', 'GLAcctKey int NN', 'PostAmt decimal(15,3) NN',
      'PostAmtHC decimal(15,3) NN', 'PostQty decimal(16,8) NN', 'PostCmnt varchar(50)', 'RefNo varchar(15)',
      'TargetCompanyID varchar(3) NN', 'TranDate datetime',
    ],
    primaryKey: ['JrnlHdrKey', 'EntryNo'],
    foreignKeys: [fk('JrnlHdrKey', 'tglJournalHdr'), fk('GLAcctKey', 'tglAccount'), fk('TargetCompanyID', 'tsmCompany', 'CompanyID')],
  },
  {
    // Posted GL, read only: posting fills it from tglPosting, one row per posting row, under the
    // posted batch's BatchKey and the journal's JrnlKey/JrnlNo (S5 spglSetAPIInsertGLTrans; types
    // and NULLs from its #tglTransaction mirror). The sync never writes it; tests put rows here by
    // plain SQL as a user's posting would. CreateDate and PostDate are not in the mirror: S5 inserts
    // GETDATE() and the batch's post date, so datetime (D); their NULLs are unverified, left open.
    // glTranKey comes from spGetNextBlockSurrogateKey 'tglTransaction' (S5): the key (D).
    name: 'tglTransaction',
    columns: [
      'glTranKey int NN', 'AcctRefKey int', 'BatchKey int NN', 'CreateType smallint NN', 'CreateDate datetime',
      'CurrExchRate float NN', 'CurrID varchar(3) NN', 'ExtCmnt varchar(255)', 'FiscPer smallint NN', 'FiscYear varchar(5) NN',
      'GLAcctKey int NN', 'JrnlKey int', 'JrnlNo int', 'PostAmt decimal(15,3) NN', 'PostAmtHC decimal(15,3) NN',
      'PostCmnt varchar(50)', 'PostDate datetime', 'PostQty decimal(16,8) NN', 'SourceModuleNo smallint NN',
      'TranDate datetime', 'TranKey int', 'TranNo varchar(10)', 'TranType int',
    ],
    primaryKey: ['glTranKey'],
    foreignKeys: [fk('BatchKey', 'tciBatchLog'), fk('GLAcctKey', 'tglAccount'), fk('CurrID', 'tmcCurrency'), fk('JrnlKey', 'tglJournal')],
  },
  // lookups (sources S1, S6, docs/sage-sources.md)
  {
    name: 'tciPaymentTerms',
    columns: ['PmtTermsKey int NN', COMPANY, 'PmtTermsID varchar(15) NN', 'Description varchar(30)'],
    primaryKey: ['PmtTermsKey'],
    unique: [['CompanyID', 'PmtTermsID']],
    foreignKeys: [companyFk],
  },
  {
    name: 'tciSTaxSchedule',
    columns: ['STaxSchdKey int NN', COMPANY, 'STaxSchdID varchar(15) NN', 'Description varchar(30)'],
    primaryKey: ['STaxSchdKey'],
    unique: [['CompanyID', 'STaxSchdID']],
    foreignKeys: [companyFk],
  },
  {
    name: 'tciUnitMeasure',
    columns: ['UnitMeasKey int NN', COMPANY, 'UnitMeasID varchar(6) NN'],
    primaryKey: ['UnitMeasKey'],
    unique: [['CompanyID', 'UnitMeasID']],
    foreignKeys: [companyFk],
  },
  {
    name: 'timWarehouse',
    columns: ['WhseKey int NN', COMPANY, 'WhseID varchar(6) NN', 'Description varchar(30)'],
    primaryKey: ['WhseKey'],
    unique: [['CompanyID', 'WhseID']],
    foreignKeys: [companyFk],
  },
  {
    name: 'timItem',
    // SalesUnitMeasKey: the item's default selling unit (name UNVERIFIED; the SO API defaults lines from it).
    columns: ['ItemKey int NN', COMPANY, 'ItemID varchar(30) NN', 'ItemType smallint NN', 'Status smallint NN =1', 'SalesUnitMeasKey int NN', 'ShortDesc varchar(40)'],
    primaryKey: ['ItemKey'],
    unique: [['CompanyID', 'ItemID']],
    foreignKeys: [companyFk, fk('SalesUnitMeasKey', 'tciUnitMeasure', 'UnitMeasKey')],
  },
  // customers (sources S1, S3, docs/sage-sources.md)
  {
    name: 'tarCustClass',
    columns: [
      'CustClassKey int NN', COMPANY, 'CustClassID varchar(15) NN', 'Description varchar(30)',
      'AllowCustRefund smallint NN =0', 'AllowWriteOff smallint NN =0', 'BillingType smallint NN =1',
      'CreditLimit decimal(15,3) NN =0', 'CreditLimitAgeCat smallint NN =0', 'CurrID varchar(3) NN',
      'FinChgFlatAmt decimal(15,3) NN =0', 'FinChgPct decimal(5,4) NN =0', 'LanguageID int NN =1033',
      'PrintDunnMsg smallint NN =0', 'ReqPO smallint NN =0', 'RequireSOAck smallint NN =0', 'ShipComplete smallint NN =0',
      'TradeDiscPct decimal(5,4) NN =0', 'DfltSalesAcctKey int', 'SalesReturnAcctKey int', 'PmtTermsKey int', 'STaxSchdKey int',
    ],
    primaryKey: ['CustClassKey'],
    unique: [['CompanyID', 'CustClassID']],
    foreignKeys: [
      companyFk, fk('CurrID', 'tmcCurrency'), fk('DfltSalesAcctKey', 'tglAccount', 'GLAcctKey'),
      fk('SalesReturnAcctKey', 'tglAccount', 'GLAcctKey'), fk('PmtTermsKey', 'tciPaymentTerms'), fk('STaxSchdKey', 'tciSTaxSchedule'),
    ],
  },
  {
    name: 'tciAddress',
    columns: [
      'AddrKey int NN', 'AddrName varchar(40) NN', 'AddrLine1 varchar(40) NN', 'AddrLine2 varchar(40) NN', 'AddrLine3 varchar(40) NN',
      'AddrLine4 varchar(40) NN', 'AddrLine5 varchar(40) NN', 'City varchar(20)', 'StateID varchar(3)', 'PostalCode varchar(10)',
      'CountryID varchar(3)', 'CRMAddrID varchar(32)', 'Phone varchar(17)', 'PhoneExt varchar(4)', 'Fax varchar(17)', 'FaxExt varchar(4)',
      'Residential smallint NN =0 in(0,1)', 'TransactionOverride smallint NN =0 in(0,1)', 'UpdateCounter int NN =0',
    ],
    primaryKey: ['AddrKey'],
  },
  {
    name: 'tciContact',
    columns: [
      'CntctKey int NN', 'CntctOwnerKey int NN', 'EntityType int NN', 'Name varchar(40) NN', 'Title varchar(40)',
      'EMailAddr varchar(256)', 'EMailFormat smallint NN =0', 'Phone varchar(17)', 'PhoneExt varchar(4)', 'Fax varchar(17)',
      'FaxExt varchar(4)', 'CCCreditMemo smallint NN =0 in(0,1)', 'CCCustStmnt smallint NN =0 in(0,1)',
      'CCDebitMemo smallint NN =0 in(0,1)', 'CCFinanceCharge smallint NN =0 in(0,1)', 'CCInvoice smallint NN =0 in(0,1)',
      'CCPurchaseOrder smallint NN =0 in(0,1)', 'CCRMA smallint NN =0 in(0,1)', 'CCSalesOrder smallint NN =0 in(0,1)',
      'CRMContactID varchar(32)', 'ImportLogKey int', ...AUDIT, CREATE_TYPE,
    ],
    primaryKey: ['CntctKey'],
  },
  {
    name: 'tarCustomer',
    columns: [
      'CustKey int NN', 'ABANo varchar(10)', 'AllowCustRefund smallint NN', 'AllowWriteOff smallint NN', 'BillingType smallint NN =1',
      'BillToNationalAcctParent smallint NN', COMPANY, 'ConsolidatedStatement smallint NN', 'CreateDate datetime', CREATE_TYPE,
      'CreateUserID varchar(30)', 'CreditLimit decimal(15,3) NN', 'CreditLimitAgeCat smallint NN', 'CreditLimitUsed smallint NN',
      'CRMCustID varchar(32)', 'CurrExchSchdKey int', 'CustClassKey int NN', 'CustID varchar(12) NN', 'CustName varchar(40) NN',
      'CustRefNo varchar(15)', 'DateEstab datetime', 'DfltBillToAddrKey int NN', 'DfltItemKey int', 'DfltMaxUpCharge decimal(15,3) NN',
      'DfltMaxUpChargeType smallint NN', 'DfltSalesAcctKey int', 'DfltSalesReturnAcctKey int', 'DfltShipToAddrKey int NN',
      'FinChgFlatAmt decimal(15,3) NN', 'FinChgPct decimal(5,4) =0', 'Hold smallint NN', 'ImportLogKey int', 'NationalAcctLevelKey int',
      'PmtByNationalAcctParent smallint NN', 'PrimaryAddrKey int NN', 'PrimaryCntctKey int', 'PrintDunnMsg smallint NN',
      'ReqCreditLimit decimal(15,3) =0', 'ReqPO smallint NN', 'RetntPct decimal(5,4) =0', 'SalesSourceKey int',
      'ShipPriority smallint NN =3', 'Status smallint NN =1 in(1,2,3,4)', 'StdIndusCodeID varchar(7)', 'StmtCycleKey int',
      'StmtFormKey int', 'TradeDiscPct decimal(5,4) =0', 'UpdateCounter int NN', 'UpdateDate datetime', 'UpdateUserID varchar(30)',
      'UserFld1 varchar(15)', 'UserFld2 varchar(15)', 'UserFld3 varchar(15)', 'UserFld4 varchar(15)', 'VendKey int',
    ],
    primaryKey: ['CustKey'],
    unique: [['CompanyID', 'CustID']],
    foreignKeys: [
      companyFk, fk('CustClassKey', 'tarCustClass'), fk('DfltBillToAddrKey', 'tarCustAddr', 'AddrKey'),
      fk('DfltShipToAddrKey', 'tarCustAddr', 'AddrKey'), fk('PrimaryAddrKey', 'tciAddress', 'AddrKey'),
      fk('PrimaryCntctKey', 'tciContact', 'CntctKey'), fk('DfltSalesAcctKey', 'tglAccount', 'GLAcctKey'),
      fk('DfltSalesReturnAcctKey', 'tglAccount', 'GLAcctKey'),
    ],
  },
  {
    name: 'tarCustAddr',
    columns: [
      'AddrKey int NN', 'CustKey int NN', 'CustAddrID varchar(15) NN', 'DfltCntctKey int', 'CurrID varchar(3) NN', 'LanguageID int NN',
      'PmtTermsKey int', 'STaxSchdKey int', 'WhseKey int', 'InvcMsg varchar(100)', 'PriceAdj decimal(5,4) NN =0',
      'ShipDays smallint NN =0', 'AllowInvtSubst smallint NN =0', 'BackOrdPrice smallint NN =0', 'CloseSOLineOnFirstShip smallint NN =0',
      'CloseSOOnFirstShip smallint NN =0', 'InvoiceReqd smallint NN =0', 'PrintOrderAck smallint NN =0', 'RequireSOAck smallint NN =0',
      'ShipComplete smallint NN =0', 'ImportLogKey int', CREATE_TYPE, ...AUDIT,
    ],
    primaryKey: ['AddrKey'],
    unique: [['CustKey', 'CustAddrID']],
    foreignKeys: [
      fk('AddrKey', 'tciAddress'), fk('CustKey', 'tarCustomer'), fk('DfltCntctKey', 'tciContact', 'CntctKey'),
      fk('CurrID', 'tmcCurrency'), fk('PmtTermsKey', 'tciPaymentTerms'), fk('STaxSchdKey', 'tciSTaxSchedule'), fk('WhseKey', 'timWarehouse'),
    ],
  },
  {
    name: 'tarCustStatus',
    columns: [
      'CustKey int NN', 'AgeCat1Amt decimal(15,3) NN =0', 'AgeCat2Amt decimal(15,3) NN =0', 'AgeCat3Amt decimal(15,3) NN =0',
      'AgeCat4Amt decimal(15,3) NN =0', 'AgeCurntAmt decimal(15,3) NN =0', 'AgeFutureAmt decimal(15,3) NN =0', 'AgingDate datetime',
      'AvgDaysPastDue smallint NN =0', 'AvgDaysToPay smallint NN =0', 'AvgInvcAmt decimal(15,3) NN =0', 'FinChgBal decimal(15,3) NN =0',
      'HighestBal decimal(15,3) NN =0', 'HighestInvcKey int', 'LastStmtAmt decimal(15,3) NN =0', 'LastStmtAmtNC decimal(15,3) NN =0',
      'LastStmtDate datetime', 'NoInvcsInInvcAvg int NN =0', 'NoInvcsInPmtAvg int NN =0', 'OnSalesOrdAmt decimal(15,3) NN =0',
      'RetntBal decimal(15,3) NN =0',
    ],
    primaryKey: ['CustKey'],
    foreignKeys: [fk('CustKey', 'tarCustomer')],
  },
  {
    name: 'tarCustDocTrnsmit',
    columns: [
      'CustKey int NN', 'TranType int NN', 'EMail smallint NN =0 in(0,1)', 'EMailFormat smallint NN =0', 'Fax smallint NN =0 in(0,1)',
      'HardCopy smallint NN =1 in(0,1)', 'IncludeCC smallint NN =0 in(0,1)',
    ],
    primaryKey: ['CustKey', 'TranType'],
    foreignKeys: [fk('CustKey', 'tarCustomer')],
  },
  // sales orders (sources S4, S7, docs/sage-sources.md)
  {
    name: 'tsoSalesOrdLog',
    columns: [
      'SOKey int NN', COMPANY, 'TranType int NN', 'TranNo varchar(10) NN', 'TranNoRel varchar(15) NN', 'TranDate datetime NN',
      'TranAmtHC decimal(15,3) NN', 'TranStatus smallint NN in(1,2,3,4,5,6)',
    ],
    primaryKey: ['SOKey'],
    foreignKeys: [companyFk],
  },
  {
    name: 'tsoSalesOrder',
    columns: [
      'SOKey int NN', 'BillToCustAddrKey int NN', 'BlnktRelNo int NN =0', 'ChngOrdNo int NN =0', COMPANY, CREATE_TYPE,
      'CreateDate datetime', 'CreateUserID varchar(30)', 'CreditApprovedAmt decimal(15,3) NN', 'CrHold smallint NN in(0,1)',
      'CurrExchRate float NN', 'CurrID varchar(3) NN', 'CustClassKey int NN', 'CustKey int NN', 'CustPONo varchar(15)',
      'DfltCreatePO smallint NN =0', 'DfltDeliveryMeth smallint NN =1', 'DfltWhseKey int', 'FixedCurrExchRate smallint NN =0',
      'FreightAmt decimal(15,3) NN', 'FreightMethod smallint NN =2', 'Hold smallint NN in(0,1)', 'NextLineNo int NN =1',
      'OpenAmt decimal(15,3) NN', 'OpenAmtHC decimal(15,3) NN', 'PmtTermsKey int', 'RequireSOAck smallint NN',
      'SalesAmt decimal(15,3) NN', 'SalesAmtHC decimal(15,3) NN', 'Status smallint NN in(0,1,2,3,4,5,6)', 'STaxAmt decimal(15,3) NN',
      'STaxCalc smallint NN =1', 'TradeDiscAmt decimal(15,3) NN', 'TranAmt decimal(15,3) NN', 'TranAmtHC decimal(15,3) NN',
      'TranCmnt varchar(50)', 'TranDate datetime NN', 'TranID varchar(13) NN', 'TranNo varchar(10) NN',
      'TranNoChngOrd varchar(14) NN', 'TranNoRel varchar(15) NN', 'TranNoRelChngOrd varchar(19) NN', 'TranType int NN',
      'UpdateCounter int NN', 'UserFld1 varchar(15)', 'UserFld2 varchar(15)', 'UserFld3 varchar(15)', 'UserFld4 varchar(15)',
    ],
    primaryKey: ['SOKey'],
    unique: [['CompanyID', 'TranType', 'TranNoRel']],
    foreignKeys: [
      fk('SOKey', 'tsoSalesOrdLog'), fk('BillToCustAddrKey', 'tarCustAddr', 'AddrKey'), companyFk, fk('CurrID', 'tmcCurrency'),
      fk('CustClassKey', 'tarCustClass'), fk('CustKey', 'tarCustomer'), fk('DfltWhseKey', 'timWarehouse', 'WhseKey'),
      fk('PmtTermsKey', 'tciPaymentTerms'),
    ],
  },
  {
    name: 'tsoSOLine',
    columns: [
      'SOLineKey int NN', 'SOKey int NN', 'SOLineNo int NN', 'ItemKey int', 'OrigItemKey int', 'Description varchar(40)',
      'UnitMeasKey int', 'UnitPrice decimal(15,5) NN', 'UnitPriceOvrd smallint NN =0 in(0,1)', 'Status smallint NN in(0,1,2,3,4,5,6)',
      'CmntOnly smallint NN =0 in(0,1)', 'STaxClassKey int', 'CreateDate datetime', 'CreateUserID varchar(30)', 'UpdateCounter int NN =0',
    ],
    primaryKey: ['SOLineKey'],
    unique: [['SOKey', 'SOLineNo']],
    foreignKeys: [fk('SOKey', 'tsoSalesOrder'), fk('ItemKey', 'timItem'), fk('UnitMeasKey', 'tciUnitMeasure')],
  },
  {
    name: 'tsoSOLineDist',
    columns: [
      'SOLineDistKey int NN', 'SOLineKey int NN', 'GLAcctKey int', 'QtyOrd decimal(16,8) NN', 'QtyOpenToShip decimal(16,8) NN',
      'OrigOrdered decimal(16,8) NN', 'ExtAmt decimal(15,3) NN', 'WhseKey int NN', 'OrigWhseKey int', 'ShipToAddrKey int',
      'ShipToCustAddrKey int', 'Status smallint NN in(0,1,2,3,4,5,6)', 'DeliveryMeth smallint NN =1', 'RequestDate datetime',
      'PromiseDate datetime', 'ShipDate datetime', 'ShipPriority smallint NN =3', 'UpdateCounter int NN =0',
    ],
    primaryKey: ['SOLineDistKey'],
    foreignKeys: [
      fk('SOLineKey', 'tsoSOLine'), fk('GLAcctKey', 'tglAccount'), fk('WhseKey', 'timWarehouse'),
      fk('ShipToAddrKey', 'tciAddress', 'AddrKey'), fk('ShipToCustAddrKey', 'tarCustAddr', 'AddrKey'),
    ],
  },
  // staging and migration (sources S1, S9, docs/sage-sources.md)
  {
    name: 'tsmCompanySetup',
    columns: [COMPANY, 'MigrateSourceSystem smallint NN', 'MigrateLinkKey int', 'MigrateSourceVersionNo varchar(10)'],
    primaryKey: ['CompanyID'],
    foreignKeys: [companyFk],
  },
  {
    name: 'tsmMigrateSession',
    columns: [
      'MigrateSessionKey int NN', COMPANY, 'UserID varchar(30) NN', 'SetupStepKey int', 'StartTime datetime',
      'LastCompProcessMode smallint NN', 'LastCompProcessNo int NN', 'LastCompProcessTime datetime',
    ],
    primaryKey: ['MigrateSessionKey'],
    foreignKeys: [companyFk, fk('UserID', 'tsmUser')],
  },
  {
    // The parameters each migration step takes; ParamType 1 invalid GL account, 2 invalid
    // reference, 3 duplicates, 4 default, 5 customer default, 6 item default (S2's constants).
    name: 'tsmMigrateStepParam',
    columns: ['SetupStepKey int NN', 'ParamNo smallint NN', 'ParamType smallint NN in(1,2,3,4,5,6)'],
    primaryKey: ['SetupStepKey', 'ParamNo'],
  },
  {
    name: 'tsmMigrateStepParamValue',
    columns: ['MigrateSessionKey int NN', 'SetupStepKey int NN', 'ParamNo smallint NN', 'ParamValue varchar(255)'],
    primaryKey: ['MigrateSessionKey', 'SetupStepKey', 'ParamNo'],
    foreignKeys: [fk('MigrateSessionKey', 'tsmMigrateSession'), fk(['SetupStepKey', 'ParamNo'], 'tsmMigrateStepParam')],
  },
  // Data Import Manager job definitions (S1 reads them for updates): the columns a job lets an
  // update change. Only the columns S1's queries name are declared; the rest are not public.
  { name: 'tdiDataTrnsfrJobExecute', columns: ['SessionKey int NN', 'DataTrnsfrJobDefKey int NN'], primaryKey: ['SessionKey', 'DataTrnsfrJobDefKey'] },
  {
    name: 'tdiDataTrnsfrJobDefStep',
    columns: ['DataTrnsfrJobDefStepKey int NN', 'DataTrnsfrJobDefKey int NN', 'InternalTableName varchar(50) NN'],
    primaryKey: ['DataTrnsfrJobDefStepKey'],
  },
  {
    name: 'tdiDataTrnsfrColumnMap',
    columns: ['DataTrnsfrJobDefStepKey int NN', 'InternalColumnName varchar(50) NN', 'AllowUpdate smallint NN =0 in(0,1)'],
    primaryKey: ['DataTrnsfrJobDefStepKey', 'InternalColumnName'],
    foreignKeys: [fk('DataTrnsfrJobDefStepKey', 'tdiDataTrnsfrJobDefStep')],
  },
  {
    name: 'tdmMigrationLogWrk',
    columns: [
      'SessionKey int NN', 'EntityID varchar(255)', 'ColumnID varchar(50)', 'ColumnValue varchar(255)',
      'Status smallint NN in(0,1,2,3)', 'Duplicate smallint NN =0 in(0,1)', 'Comment varchar(255)',
    ],
    primaryKey: [],
  },
  {
    name: 'StgCustomer',
    columns: [
      ...STAGING_ROW, 'CustID varchar(12)', 'CustName varchar(40)', 'CustClassID varchar(15)', 'CurrID varchar(3)',
      'PmtTermsID varchar(15)', 'STaxSchdID varchar(15)', 'Status varchar(30)', 'Hold varchar(3)', 'ReqPO varchar(3)',
      'DfltBillToAddrID varchar(15)', 'DfltShipToAddrID varchar(15)', 'CRMCustID varchar(32)', 'CRMAddrID varchar(32)',
      'CRMContactID varchar(32)', 'UserFld1 varchar(15)', 'UserFld2 varchar(15)', 'UserFld3 varchar(15)', 'UserFld4 varchar(15)',
      ...STAGING_ADDRESS,
    ],
    primaryKey: ['RowKey'],
  },
  {
    name: 'StgCustAddr',
    columns: [...STAGING_ROW, 'CustID varchar(12)', 'CustAddrID varchar(15)', ...STAGING_ADDRESS],
    primaryKey: ['RowKey'],
  },
  {
    name: 'StgContact',
    columns: [...STAGING_ROW, 'EntityID varchar(15)', 'Name varchar(255)', 'Title varchar(255)', 'EMailAddr varchar(255)', 'Phone varchar(255)', 'Fax varchar(255)'],
    primaryKey: ['RowKey'],
  },
  {
    name: 'StgSalesOrder',
    columns: [
      ...STAGING_ROW, 'TranNo varchar(10)', 'TranDate datetime', 'CustID varchar(12)', 'CustPONo varchar(15)', 'CurrID varchar(3)',
      'Status varchar(30)', 'Hold varchar(3)', 'PmtTermsID varchar(15)', 'TranCmnt varchar(50)', 'DfltWarehouseID varchar(6)',
      'DfltRequestDate datetime', 'UserFld1 varchar(15)', 'UserFld2 varchar(15)', 'UserFld3 varchar(15)', 'UserFld4 varchar(15)',
    ],
    primaryKey: ['RowKey'],
  },
  {
    name: 'StgSOLine',
    columns: [
      ...STAGING_ROW, 'TranNo varchar(10)', 'SOLineNo int', 'ItemID varchar(30)', 'Description varchar(40)', 'QtyOrd decimal(16,8)',
      'UnitMeasID varchar(6)', 'UnitPrice decimal(15,5)', 'ExtAmt decimal(15,3)', 'GLAcctNo varchar(100)', 'WarehouseID varchar(6)',
      'Status varchar(30)', 'RequestDate datetime',
    ],
    primaryKey: ['RowKey'],
  },
];

/**
 * Our cross-reference table (custom `_STRIPE` suffix, source S13, docs/sage-sources.md): Stripe object → Sage keys, written
 * in the same transaction as the document. install-xref.ts creates it on SQL Server.
 */
export const XREF_TABLE: TableSpec = {
  name: 'tciStripeXref_STRIPE',
  columns: [
    'DocKey varchar(100) NN', 'StripeObjectID varchar(64) NN', 'StripeObjectType varchar(20) NN', COMPANY,
    'SageTable varchar(30) NN', 'SageKey int NN', 'SageNumber varchar(20) NN', 'BatchKey int', 'SyncState smallint NN in(1,2,3)',
    'CreateDate datetime NN',
  ],
  primaryKey: ['CompanyID', 'DocKey'],
};
