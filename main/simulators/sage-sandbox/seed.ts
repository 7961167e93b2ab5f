import type Database from 'better-sqlite3';
import { DEFAULT_CHART, DEFAULT_MAPPING, type ChartAccount } from '../../core/mapping/default-mapping.js';
import { nextSurrogateKey } from './procedures/surrogate-key.js';
import { seedCountries } from './seed-countries.js';
import { localDateTime } from './tsql-dialect.js';

export interface SeedOptions {
  companyId: string;
  /** YYYY-MM-DD; fiscal periods are open for this calendar year and the previous one. */
  today: string;
}

/** The integration user the writer stamps on what it creates (sources S1, S6, docs/sage-sources.md). */
export const SANDBOX_USER_ID = 'stripe';
/** Sandbox account mask; tglAccount.GLAcctNo is stored without it, as Sage does. */
const ACCOUNT_MASK = 'XXXX-XX';
const ACTIVE = 1;
const FINANCIAL = 1;
const CREATE_TYPE_SEED = 3;
/** tglAcctCategory.AcctCatID of each kind of the default chart (main/core/mapping/account-categories.ts). */
const CATEGORY_OF_KIND: Record<ChartAccount['kind'], number> = { asset: 1, liability: 2, revenue: 4, expense: 6 };
/** Sales-order migration steps: new orders Open, or Closed (S2's @SOInsertion_OPEN / _CLOSED). */
const SO_STEP_OPEN = 2_100_600;
const SO_STEP_CLOSED = 2_400_350;

/** Every table whose key comes from spGetNextSurrogateKey gets its tciSurrogateKey row. */
const KEYED_TABLES = [
  'tglNaturalAcct', 'tglAccount', 'tglJournal', 'tglJournalHdr', 'tciBatchLog', 'tciPaymentTerms', 'tciSTaxSchedule', 'tarCustClass',
  'tciUnitMeasure', 'timWarehouse', 'timItem', 'tciAddress', 'tciContact', 'tarCustomer', 'tsmMigrateSession',
  'tsoSalesOrdLog', 'tsoSOLine', 'tsoSOLineDist',
];

export function unmaskedAccountNo(acctNo: string): string {
  return acctNo.replace(/[^0-9A-Za-z]/g, '');
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Seeds one Sage company with what the writer and the procedure emulations need. */
export function seedCompany(db: Database.Database, options: SeedOptions): void {
  const { companyId } = options;
  const now = localDateTime();
  const currId = DEFAULT_MAPPING.homeCurrency.toUpperCase();
  const run = (sql: string, ...values: (string | number | null)[]): void => {
    db.prepare(sql).run(...values);
  };
  const key = (table: string): number => nextSurrogateKey(db, table);

  for (const table of KEYED_TABLES) run('INSERT INTO tciSurrogateKey (TableName, NextKey) VALUES (?, 1)', table);
  run('INSERT INTO tmcCurrency (CurrID, CurrDesc, DigitsAfterDecimal) VALUES (?, ?, 2)', currId, 'US Dollar');
  run('INSERT INTO tsmCompany (CompanyID, CompanyName, CurrID) VALUES (?, ?, ?)', companyId, 'Stripe Sync Sandbox Company', currId);
  // 3 GL, 5 AR, 8 SO (sources S1, S6, docs/sage-sources.md).
  for (const moduleNo of [3, 5, 8]) run('INSERT INTO tsmCompanyModule (CompanyID, ModuleNo, Active) VALUES (?, ?, 1)', companyId, moduleNo);
  run('INSERT INTO tsmUser (UserID, LanguageID, SysDateAsBusDate) VALUES (?, 1033, 1)', SANDBOX_USER_ID);
  seedCountries(db);

  // Account categories 1–9 (S5) and one account type in each; the type ids are the sandbox's own
  // except 901, Sage's non-financial type (S5 spglSetAPIValidateAccount).
  for (let categoryId = 1; categoryId <= 9; categoryId += 1) {
    run('INSERT INTO tglAcctCategory (AcctCategoryKey, AcctCatID) VALUES (?, ?)', categoryId, categoryId);
    run('INSERT INTO tglAcctType (AcctTypeKey, AcctTypeID, AcctCategoryKey) VALUES (?, ?, ?)', categoryId, categoryId === 9 ? 901 : categoryId * 100, categoryId);
  }
  const accountKeys = new Map<string, number>();
  for (const account of DEFAULT_CHART) {
    const naturalAcctKey = key('tglNaturalAcct');
    run('INSERT INTO tglNaturalAcct (NaturalAcctKey, AcctTypeKey) VALUES (?, ?)', naturalAcctKey, CATEGORY_OF_KIND[account.kind]);
    const glAcctKey = key('tglAccount');
    accountKeys.set(account.acctNo, glAcctKey);
    run(
      `INSERT INTO tglAccount (GLAcctKey, CompanyID, GLAcctNo, NaturalAcctKey, Description, Status, PostingType, CurrRestriction, CreateDate, CreateType)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      glAcctKey, companyId, unmaskedAccountNo(account.acctNo), naturalAcctKey, account.description, ACTIVE, FINANCIAL, now, CREATE_TYPE_SEED,
    );
  }
  const accountKey = (acctNo: string): number => {
    const found = accountKeys.get(acctNo);
    if (found === undefined) throw new Error(`DEFAULT_CHART has no account ${acctNo}`);
    return found;
  };
  const mapped = DEFAULT_MAPPING.accounts;
  run('INSERT INTO tglOptions (CompanyID, AcctMask) VALUES (?, ?)', companyId, ACCOUNT_MASK);
  run('INSERT INTO tarOptions (CompanyID, DfltCashAcctKey) VALUES (?, ?)', companyId, accountKey(mapped.bank));

  const currentYear = Number(options.today.slice(0, 4));
  for (const year of [currentYear - 1, currentYear]) {
    run('INSERT INTO tglFiscalYear (CompanyID, FiscYear, NoOfPeriods) VALUES (?, ?, 12)', companyId, String(year));
    for (let month = 1; month <= 12; month += 1) {
      const mm = String(month).padStart(2, '0');
      run(
        'INSERT INTO tglFiscalPeriod (CompanyID, FiscYear, FiscPer, StartDate, EndDate, Status) VALUES (?, ?, ?, ?, ?, 1)',
        companyId, String(year), month, `${year}-${mm}-01 00:00:00`, `${year}-${mm}-${lastDayOfMonth(year, month)} 00:00:00`,
      );
    }
  }
  run('INSERT INTO tglJournal (JrnlKey, CompanyID, JrnlID, Description, NextJrnlNo) VALUES (?, ?, ?, ?, 1)', key('tglJournal'), companyId, DEFAULT_MAPPING.journalId, 'General Journal');

  const pmtTermsKey = key('tciPaymentTerms');
  run('INSERT INTO tciPaymentTerms (PmtTermsKey, CompanyID, PmtTermsID, Description) VALUES (?, ?, ?, ?)', pmtTermsKey, companyId, 'NET30', 'Net 30 days');
  const sTaxSchdKey = key('tciSTaxSchedule');
  run('INSERT INTO tciSTaxSchedule (STaxSchdKey, CompanyID, STaxSchdID, Description) VALUES (?, ?, ?, ?)', sTaxSchdKey, companyId, 'NONTAX', 'Not taxable');
  run(
    `INSERT INTO tarCustClass (CustClassKey, CompanyID, CustClassID, Description, CurrID, DfltSalesAcctKey, SalesReturnAcctKey, PmtTermsKey, STaxSchdKey)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    key('tarCustClass'), companyId, DEFAULT_MAPPING.customers.custClassId, 'Retail customers', currId,
    accountKey(mapped.revenue), accountKey(mapped.refunds), pmtTermsKey, sTaxSchdKey,
  );
  const unitMeasKey = key('tciUnitMeasure');
  run('INSERT INTO tciUnitMeasure (UnitMeasKey, CompanyID, UnitMeasID) VALUES (?, ?, ?)', unitMeasKey, companyId, 'EA');
  run('INSERT INTO timWarehouse (WhseKey, CompanyID, WhseID, Description) VALUES (?, ?, ?, ?)', key('timWarehouse'), companyId, DEFAULT_MAPPING.salesOrders.warehouseId, 'Main warehouse');
  run(
    'INSERT INTO timItem (ItemKey, CompanyID, ItemID, ItemType, Status, SalesUnitMeasKey, ShortDesc) VALUES (?, ?, ?, 1, 1, ?, ?)',
    key('timItem'), companyId, DEFAULT_MAPPING.salesOrders.defaultItemId, unitMeasKey, 'Stripe sale',
  );
  // Batch types (sources S6, S8, docs/sage-sources.md): 301 GL journals, 501 AR invoices, 503 cash receipts, 504 applications.
  for (const [batchType, batchTypeId] of [[301, 'GLJE'], [501, 'ARIN'], [503, 'ARCR'], [504, 'ARPA']] as const) {
    run('INSERT INTO tciBatchTypCompany (CompanyID, BatchType, NextBatchNo, BatchTypeID) VALUES (?, ?, 1, ?)', companyId, batchType, batchTypeId);
  }
  for (const tranType of [501, 502, 503, 801]) {
    run('INSERT INTO tciTranTypeCompany (CompanyID, TranType, NextTranNo) VALUES (?, ?, 1)', companyId, tranType);
  }
  // The Data Import job a site defines in Sage for customer updates (docs/sage-setup.md): its
  // StgCustomer step allows the columns an update stages. The writer links its sessions to it.
  run("INSERT INTO tdiDataTrnsfrJobDefStep (DataTrnsfrJobDefStepKey, DataTrnsfrJobDefKey, InternalTableName) VALUES (1, 1, 'StgCustomer')");
  for (const column of ['CustName', 'AddrLine1', 'AddrLine2', 'AddrLine3', 'AddrLine4', 'AddrLine5', 'City', 'StateID', 'PostalCode', 'CountryID', 'Phone', 'EMailAddr', 'Name']) {
    run('INSERT INTO tdiDataTrnsfrColumnMap (DataTrnsfrJobDefStepKey, InternalColumnName, AllowUpdate) VALUES (1, ?, 1)', column);
  }
  // The sales-order steps' parameters (S2): "the actual param numbers will differ for each
  // routine", so the writer reads them; No 3 is the default SO acknowledgement form (ParamType 4).
  for (const setupStepKey of [SO_STEP_OPEN, SO_STEP_CLOSED]) {
    for (const [paramNo, paramType] of [[1, 1], [2, 2], [3, 4]] as const) {
      run('INSERT INTO tsmMigrateStepParam (SetupStepKey, ParamNo, ParamType) VALUES (?, ?, ?)', setupStepKey, paramNo, paramType);
    }
  }
}
