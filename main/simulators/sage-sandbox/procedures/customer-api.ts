import type Database from 'better-sqlite3';
import { localDateTime } from '../tsql-dialect.js';
import { LOG_FAILURE, LOG_SUCCESS, StagingRowError, checkLength, writeMigrationLog } from './migration-log.js';
import type { EmulatedProcedure } from './procedure-types.js';
import { stagingApi, type StagingApiCall } from './staging-api.js';
import { nextSurrogateKey } from './surrogate-key.js';
import { preparedStatement } from './prepared-statements.js';

const AR_MODULE = 5;
const CUSTOMER_ENTITY_TYPE = 501;
/** The API stamps its rows as migrated (@CREATE_TYPE_MIGRATE, S1). */
const CREATE_TYPE_MIGRATE = 7;
/** StgCustomer.Action (sources S1, S2, S9, S10, docs/sage-sources.md): 0 auto (treated as insert here), 1 insert, 2 update, 3 delete. */
const ACTION_AUTO = 0;
const ACTION_INSERT = 1;
const ACTION_UPDATE = 2;
/** Doc-transmittal rows Sage creates for a new customer (S11). */
const DOC_TRANSMIT_TRAN_TYPES = [501, 502, 503, 505, 522, 801, 835];

type StagingCustomer = Record<string, string | number | null>;

interface ResolvedCustomer {
  custId: string;
  custName: string;
  classRow: { CustClassKey: number; CurrID: string; PmtTermsKey: number | null; STaxSchdKey: number | null; DfltSalesAcctKey: number | null;
    SalesReturnAcctKey: number | null; AllowCustRefund: number; AllowWriteOff: number; BillingType: number; CreditLimit: number;
    CreditLimitAgeCat: number; FinChgFlatAmt: number; FinChgPct: string; LanguageID: number; PrintDunnMsg: number; ReqPO: number;
    RequireSOAck: number; ShipComplete: number; TradeDiscPct: string };
  pmtTermsKey: number | null;
  sTaxSchdKey: number | null;
  hasContact: boolean;
}

function text(row: StagingCustomer, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

function lookupKey(db: Database.Database, sql: string, companyId: string, id: string, column: string, table: string): number {
  const row = preparedStatement(db, sql).get(companyId, id) as { Key: number } | undefined;
  if (!row) throw new StagingRowError(column, id, `${column} '${id}' does not exist in company ${companyId} (${table})`);
  return row.Key;
}

/** Sage's validation, in the order the API applies it: IDs, class defaults, lengths. */
function resolve(db: Database.Database, call: StagingApiCall, row: StagingCustomer): ResolvedCustomer {
  const custId = text(row, 'CustID');
  if (!custId) throw new StagingRowError('CustID', null, 'CustID is required (tarCustomer.CustID)');
  checkLength('tarCustomer', 'CustID', custId, 12);
  const existing = preparedStatement(db, 'SELECT CustKey FROM tarCustomer WHERE CompanyID = ? AND CustID = ?').get(call.companyId, custId);
  if (existing) throw new StagingRowError('CustID', custId, `Customer ${custId} already exists in company ${call.companyId} (tarCustomer)`, true);
  const custName = text(row, 'CustName');
  if (!custName) throw new StagingRowError('CustName', null, 'CustName is required (tarCustomer.CustName)');
  checkLength('tarCustomer', 'CustName', custName, 40);
  const classId = text(row, 'CustClassID');
  if (!classId) throw new StagingRowError('CustClassID', null, 'CustClassID is required (tarCustClass.CustClassID)');
  const classRow = preparedStatement(db, 'SELECT * FROM tarCustClass WHERE CompanyID = ? AND CustClassID = ?').get(call.companyId, classId) as
    | ResolvedCustomer['classRow']
    | undefined;
  if (!classRow) throw new StagingRowError('CustClassID', classId, `Customer class ${classId} does not exist in company ${call.companyId} (tarCustClass)`);
  const pmtTermsId = text(row, 'PmtTermsID');
  const pmtTermsKey = pmtTermsId
    ? lookupKey(db, 'SELECT PmtTermsKey AS Key FROM tciPaymentTerms WHERE CompanyID = ? AND PmtTermsID = ?', call.companyId, pmtTermsId, 'PmtTermsID', 'tciPaymentTerms')
    : classRow.PmtTermsKey;
  const sTaxSchdId = text(row, 'STaxSchdID');
  const sTaxSchdKey = sTaxSchdId
    ? lookupKey(db, 'SELECT STaxSchdKey AS Key FROM tciSTaxSchedule WHERE CompanyID = ? AND STaxSchdID = ?', call.companyId, sTaxSchdId, 'STaxSchdID', 'tciSTaxSchedule')
    : classRow.STaxSchdKey;
  checkAddressAndContact(db, call, row);
  return { custId, custName, classRow, pmtTermsKey, sTaxSchdKey, hasContact: hasContact(row) };
}

/**
 * The primary address and contact columns' lengths, and the country and state references, for
 * inserts and updates alike: a CountryID must be a tsmCountry row and a StateID a
 * tsmStateProvince row of that country (the sandbox's model of Sage's address validation).
 */
function checkAddressAndContact(db: Database.Database, call: StagingApiCall, row: StagingCustomer): void {
  const countryId = text(row, 'CountryID');
  if (countryId && !preparedStatement(db, 'SELECT 1 FROM tsmCountry WHERE CountryID = ?').get(countryId)) {
    throw new StagingRowError('CountryID', countryId, `Country ${countryId} does not exist (tsmCountry)`);
  }
  const stateId = text(row, 'StateID');
  const state = stateId
    ? countryId
      ? preparedStatement(db, 'SELECT 1 FROM tsmStateProvince WHERE CountryID = ? AND StateID = ?').get(countryId, stateId)
      : preparedStatement(db, 'SELECT 1 FROM tsmStateProvince WHERE StateID = ?').get(stateId)
    : true;
  if (!state) throw new StagingRowError('StateID', stateId, `State ${stateId ?? ''} does not exist for country ${countryId ?? '(none)'} in company ${call.companyId} (tsmStateProvince)`);
  const addressLimits: [string, number][] = [
    ['AddrName', 40], ['AddrLine1', 40], ['AddrLine2', 40], ['AddrLine3', 40], ['AddrLine4', 40], ['AddrLine5', 40],
    ['City', 20], ['StateID', 3], ['PostalCode', 10], ['CountryID', 3], ['Phone', 17], ['PhoneExt', 4], ['Fax', 17], ['FaxExt', 4],
  ];
  for (const [column, limit] of addressLimits) checkLength('tciAddress', column, text(row, column), limit);
  for (const [column, limit] of [['Name', 40], ['Title', 40], ['EMailAddr', 256]] as [string, number][]) {
    checkLength('tciContact', column, text(row, column), limit);
  }
}

/** The API creates a primary contact only when the row names one or gives an e-mail. */
function hasContact(row: StagingCustomer): boolean {
  return text(row, 'Name') !== null || text(row, 'EMailAddr') !== null;
}

function insertContact(db: Database.Database, call: StagingApiCall, row: StagingCustomer, custName: string, cntctKey: number, custKey: number): void {
  preparedStatement(db,
    `INSERT INTO tciContact (CntctKey, CntctOwnerKey, EntityType, Name, Title, EMailAddr, Phone, PhoneExt, Fax, FaxExt,
       CRMContactID, CreateDate, CreateUserID, CreateType)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    cntctKey, custKey, CUSTOMER_ENTITY_TYPE, text(row, 'Name') ?? custName, text(row, 'Title'),
    text(row, 'EMailAddr'), text(row, 'Phone'), text(row, 'PhoneExt'), text(row, 'Fax'), text(row, 'FaxExt'),
    text(row, 'CRMContactID'), localDateTime(), call.userId, CREATE_TYPE_MIGRATE,
  );
}

interface CustomerKeys {
  addrKey: number;
  cntctKey: number | null;
  custKey: number;
}

/** Inserts in Sage's order (sources S1, S3, docs/sage-sources.md): tciAddress → tciContact → tarCustomer → tarCustAddr → tarCustStatus → tarCustDocTrnsmit. */
function insertCustomer(db: Database.Database, call: StagingApiCall, row: StagingCustomer, customer: ResolvedCustomer, keys: CustomerKeys): void {
  const now = localDateTime();
  const cls = customer.classRow;
  preparedStatement(db,
    `INSERT INTO tciAddress (AddrKey, AddrName, AddrLine1, AddrLine2, AddrLine3, AddrLine4, AddrLine5, City, StateID, PostalCode,
       CountryID, CRMAddrID, Phone, PhoneExt, Fax, FaxExt, Residential)
     VALUES (@AddrKey, @AddrName, @AddrLine1, @AddrLine2, @AddrLine3, @AddrLine4, @AddrLine5, @City, @StateID, @PostalCode,
       @CountryID, @CRMAddrID, @Phone, @PhoneExt, @Fax, @FaxExt, @Residential)`,
  ).run({
    AddrKey: keys.addrKey,
    AddrName: text(row, 'AddrName') ?? customer.custName,
    // Sage writes '' rather than NULL for unused address lines.
    AddrLine1: text(row, 'AddrLine1') ?? '', AddrLine2: text(row, 'AddrLine2') ?? '', AddrLine3: text(row, 'AddrLine3') ?? '',
    AddrLine4: text(row, 'AddrLine4') ?? '', AddrLine5: text(row, 'AddrLine5') ?? '',
    City: text(row, 'City'), StateID: text(row, 'StateID'), PostalCode: text(row, 'PostalCode'), CountryID: text(row, 'CountryID'),
    CRMAddrID: text(row, 'CRMAddrID'), Phone: text(row, 'Phone'), PhoneExt: text(row, 'PhoneExt'), Fax: text(row, 'Fax'),
    FaxExt: text(row, 'FaxExt'), Residential: Number(row['Residential'] ?? 0) === 1 ? 1 : 0,
  });
  if (keys.cntctKey !== null) insertContact(db, call, row, customer.custName, keys.cntctKey, keys.custKey);
  preparedStatement(db,
    `INSERT INTO tarCustomer (CustKey, AllowCustRefund, AllowWriteOff, BillingType, BillToNationalAcctParent, CompanyID,
       ConsolidatedStatement, CreateDate, CreateType, CreateUserID, CreditLimit, CreditLimitAgeCat, CreditLimitUsed, CRMCustID,
       CustClassKey, CustID, CustName, DfltBillToAddrKey, DfltMaxUpCharge, DfltMaxUpChargeType, DfltSalesAcctKey,
       DfltSalesReturnAcctKey, DfltShipToAddrKey, FinChgFlatAmt, FinChgPct, Hold, PmtByNationalAcctParent, PrimaryAddrKey,
       PrimaryCntctKey, PrintDunnMsg, ReqPO, Status, TradeDiscPct, UpdateCounter, UserFld1, UserFld2, UserFld3, UserFld4)
     VALUES (@CustKey, @AllowCustRefund, @AllowWriteOff, @BillingType, 0, @CompanyID, 0, @Now, @CreateType, @UserID, @CreditLimit,
       @CreditLimitAgeCat, 0, @CRMCustID, @CustClassKey, @CustID, @CustName, @AddrKey, 0, 0, @DfltSalesAcctKey,
       @DfltSalesReturnAcctKey, @AddrKey, @FinChgFlatAmt, @FinChgPct, @Hold, 0, @AddrKey, @CntctKey, @PrintDunnMsg, @ReqPO, 1,
       @TradeDiscPct, 0, @UserFld1, @UserFld2, @UserFld3, @UserFld4)`,
  ).run({
    CustKey: keys.custKey, AllowCustRefund: cls.AllowCustRefund, AllowWriteOff: cls.AllowWriteOff, BillingType: cls.BillingType,
    CompanyID: call.companyId, Now: now, CreateType: CREATE_TYPE_MIGRATE, UserID: call.userId, CreditLimit: cls.CreditLimit,
    CreditLimitAgeCat: cls.CreditLimitAgeCat, CRMCustID: text(row, 'CRMCustID'), CustClassKey: cls.CustClassKey,
    CustID: customer.custId, CustName: customer.custName, AddrKey: keys.addrKey, DfltSalesAcctKey: cls.DfltSalesAcctKey,
    DfltSalesReturnAcctKey: cls.SalesReturnAcctKey, FinChgFlatAmt: cls.FinChgFlatAmt, FinChgPct: cls.FinChgPct,
    Hold: text(row, 'Hold')?.toUpperCase() === 'YES' ? 1 : 0, CntctKey: keys.cntctKey, PrintDunnMsg: cls.PrintDunnMsg,
    ReqPO: text(row, 'ReqPO') === null ? cls.ReqPO : text(row, 'ReqPO')?.toUpperCase() === 'YES' ? 1 : 0,
    TradeDiscPct: cls.TradeDiscPct, UserFld1: text(row, 'UserFld1'), UserFld2: text(row, 'UserFld2'),
    UserFld3: text(row, 'UserFld3'), UserFld4: text(row, 'UserFld4'),
  });
  preparedStatement(db,
    `INSERT INTO tarCustAddr (AddrKey, CustKey, CustAddrID, DfltCntctKey, CurrID, LanguageID, PmtTermsKey, STaxSchdKey,
       RequireSOAck, ShipComplete, CreateType, CreateDate, CreateUserID)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    keys.addrKey, keys.custKey, customer.custId, keys.cntctKey, cls.CurrID, cls.LanguageID, customer.pmtTermsKey,
    customer.sTaxSchdKey, cls.RequireSOAck, cls.ShipComplete, CREATE_TYPE_MIGRATE, now, call.userId,
  );
  preparedStatement(db, 'INSERT INTO tarCustStatus (CustKey) VALUES (?)').run(keys.custKey);
  const transmit = preparedStatement(db, 'INSERT INTO tarCustDocTrnsmit (CustKey, TranType) VALUES (?, ?)');
  for (const tranType of DOC_TRANSMIT_TRAN_TYPES) transmit.run(keys.custKey, tranType);
}

interface ExistingCustomer {
  CustKey: number;
  PrimaryAddrKey: number;
  PrimaryCntctKey: number | null;
}

/**
 * The columns an update may change: S1 takes them only from the session's Data Import job,
 * `tdiDataTrnsfrColumnMap tc JOIN (tdiDataTrnsfrJobDefStep tjs JOIN tdiDataTrnsfrJobExecute tj
 * ON tjs.DataTrnsfrJobDefKey = tj.DataTrnsfrJobDefKey WHERE tj.SessionKey = @iSessionkey AND
 * tjs.InternalTableName = 'StgCustomer') … WHERE tc.AllowUpdate = 1`. With none, S1 runs
 * spDMValidateUpdColforUpdRec, which fails every update row.
 */
function updatableColumns(db: Database.Database, sessionKey: number): Set<string> {
  const rows = preparedStatement(db,
      `SELECT tc.InternalColumnName FROM tdiDataTrnsfrColumnMap tc
       JOIN (SELECT DISTINCT tjs.DataTrnsfrJobDefStepKey FROM tdiDataTrnsfrJobDefStep tjs
             JOIN tdiDataTrnsfrJobExecute tj ON tjs.DataTrnsfrJobDefKey = tj.DataTrnsfrJobDefKey
             WHERE tj.SessionKey = ? AND tjs.InternalTableName = 'StgCustomer') derv
         ON tc.DataTrnsfrJobDefStepKey = derv.DataTrnsfrJobDefStepKey
       WHERE tc.AllowUpdate = 1`,
    )
    .all(sessionKey) as { InternalColumnName: string }[];
  return new Set(rows.map((row) => row.InternalColumnName));
}

/** The primary-address columns S1 lets an update change (its #CustAddrUpdColumnList list, the ones the sandbox stores). */
const ADDRESS_COLUMNS = ['AddrLine1', 'AddrLine2', 'AddrLine3', 'AddrLine4', 'AddrLine5', 'City', 'StateID', 'PostalCode', 'CountryID', 'Phone'] as const;

/**
 * Action 2: changes the customer's name and primary address and contact, but only the columns
 * the session's job allows (a blank allowed column clears the field, as the staged row is the
 * whole primary record), in one transaction, bumping UpdateCounter and stamping
 * UpdateDate/UpdateUserID as S1 does.
 */
function updateCustomer(db: Database.Database, call: StagingApiCall, row: StagingCustomer, rowKey: number): string {
  const custId = text(row, 'CustID');
  if (!custId) throw new StagingRowError('CustID', null, 'CustID is required (tarCustomer.CustID)');
  checkLength('tarCustomer', 'CustID', custId, 12);
  const allowed = updatableColumns(db, call.sessionKey);
  if (allowed.size === 0) {
    throw new StagingRowError(
      'Action',
      'Update',
      'No column may be updated: the session has no Data Import job columns with AllowUpdate = 1 (tdiDataTrnsfrColumnMap)',
    );
  }
  const existing = preparedStatement(db, 'SELECT CustKey, PrimaryAddrKey, PrimaryCntctKey FROM tarCustomer WHERE CompanyID = ? AND CustID = ?')
    .get(call.companyId, custId) as ExistingCustomer | undefined;
  if (!existing) throw new StagingRowError('CustID', custId, `Customer ${custId} does not exist in company ${call.companyId} (tarCustomer)`);
  const custName = allowed.has('CustName') ? text(row, 'CustName') : null;
  if (allowed.has('CustName') && !custName) throw new StagingRowError('CustName', null, 'CustName is required (tarCustomer.CustName)');
  if (custName) checkLength('tarCustomer', 'CustName', custName, 40);
  checkAddressAndContact(db, call, row);
  const contactAllowed = allowed.has('Name') || allowed.has('EMailAddr');
  const newCntctKey = existing.PrimaryCntctKey === null && contactAllowed && hasContact(row) ? nextSurrogateKey(db, 'tciContact') : null;
  const now = localDateTime();
  db.transaction(() => {
    const addressColumns = ADDRESS_COLUMNS.filter((column) => allowed.has(column));
    const addressValue = (column: string): string | null => (column.startsWith('AddrLine') ? (text(row, column) ?? '') : text(row, column));
    if (custName) preparedStatement(db, 'UPDATE tciAddress SET AddrName = ? WHERE AddrKey = ?').run(custName, existing.PrimaryAddrKey);
    if (addressColumns.length > 0) {
      preparedStatement(db, `UPDATE tciAddress SET ${addressColumns.map((column) => `${column} = ?`).join(', ')}, UpdateCounter = UpdateCounter + 1 WHERE AddrKey = ?`).run(
        ...addressColumns.map(addressValue),
        existing.PrimaryAddrKey,
      );
    }
    if (existing.PrimaryCntctKey !== null && contactAllowed) {
      const contactColumns = (['Name', 'EMailAddr'] as const).filter((column) => allowed.has(column));
      const contactValue = (column: 'Name' | 'EMailAddr'): string | null => (column === 'Name' ? (text(row, 'Name') ?? custName ?? custId) : text(row, 'EMailAddr'));
      preparedStatement(db,
        `UPDATE tciContact SET ${contactColumns.map((column) => `${column} = ?`).join(', ')}, UpdateDate = ?, UpdateUserID = ?, UpdateCounter = UpdateCounter + 1 WHERE CntctKey = ?`,
      ).run(...contactColumns.map(contactValue), now, call.userId, existing.PrimaryCntctKey);
    } else if (newCntctKey !== null) {
      insertContact(db, call, row, custName ?? custId, newCntctKey, existing.CustKey);
      preparedStatement(db, 'UPDATE tarCustAddr SET DfltCntctKey = ? WHERE AddrKey = ?').run(newCntctKey, existing.PrimaryAddrKey);
    }
    preparedStatement(db,
      `UPDATE tarCustomer SET CustName = COALESCE(?, CustName), PrimaryCntctKey = COALESCE(PrimaryCntctKey, ?), UpdateDate = ?, UpdateUserID = ?,
         UpdateCounter = UpdateCounter + 1
       WHERE CustKey = ?`,
    ).run(custName, newCntctKey, now, call.userId, existing.CustKey);
    preparedStatement(db, 'UPDATE StgCustomer SET ProcessStatus = 1 WHERE RowKey = ?').run(rowKey);
  }).immediate();
  return custId;
}

function processCustomerRow(db: Database.Database, call: StagingApiCall, rowKey: number): boolean {
  const row = preparedStatement(db, 'SELECT * FROM StgCustomer WHERE RowKey = ?').get(rowKey) as StagingCustomer;
  const entityId = text(row, 'CustID');
  const action = Number(row['Action']);
  try {
    if (action === ACTION_UPDATE) {
      const custId = updateCustomer(db, call, row, rowKey);
      writeMigrationLog(db, call.sessionKey, call.reportOption, {
        entityId, columnId: null, columnValue: null, status: LOG_SUCCESS, comment: `Customer ${custId} updated`,
      });
      return true;
    }
    if (action !== ACTION_AUTO && action !== ACTION_INSERT) {
      throw new StagingRowError('Action', String(action), 'Only inserts and updates are supported (Action 0, 1 or 2)');
    }
    const customer = resolve(db, call, row);
    // Keys are reserved before the insert transaction, as Sage's API does (sources S6, S12, docs/sage-sources.md).
    const keys: CustomerKeys = {
      addrKey: nextSurrogateKey(db, 'tciAddress'),
      cntctKey: customer.hasContact ? nextSurrogateKey(db, 'tciContact') : null,
      custKey: nextSurrogateKey(db, 'tarCustomer'),
    };
    db.transaction(() => {
      insertCustomer(db, call, row, customer, keys);
      preparedStatement(db, 'UPDATE StgCustomer SET ProcessStatus = 1 WHERE RowKey = ?').run(rowKey);
    }).immediate();
    writeMigrationLog(db, call.sessionKey, call.reportOption, {
      entityId, columnId: null, columnValue: null, status: LOG_SUCCESS, comment: `Customer ${customer.custId} inserted`,
    });
    return true;
  } catch (error) {
    const rowError =
      error instanceof StagingRowError
        ? error
        : new StagingRowError('CustID', entityId, `Customer ${action === ACTION_UPDATE ? 'update' : 'insert'} failed: ${String(error)}`);
    preparedStatement(db, 'UPDATE StgCustomer SET ProcessStatus = 2 WHERE RowKey = ?').run(rowKey);
    writeMigrationLog(db, call.sessionKey, call.reportOption, {
      entityId, columnId: rowError.columnId, columnValue: rowError.columnValue, status: LOG_FAILURE,
      duplicate: rowError.duplicate, comment: rowError.message,
    });
    return false;
  }
}

/** spARapiCustomerIns: the Data Migrator customer API (source S1, docs/sage-sources.md): inserts (Action 0/1) and updates (Action 2). */
export const spARapiCustomerIns: EmulatedProcedure = stagingApi({ stagingTable: 'StgCustomer', requiredModules: [AR_MODULE], processRow: processCustomerRow });
