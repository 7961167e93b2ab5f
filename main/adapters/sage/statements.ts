import { BATCH_STATUS_BALANCED, JOURNAL_LOG_TRAN_STATUS_PENDING, MIGRATION_LOG_FAILURE, POST_STATUS_OPEN } from './sage-codes.js';

/**
 * Every SQL statement the writer sends to Sage, in the T-SQL subset both executors run
 * (sql-port.ts). Keeping them here lets a test parse each one as T-SQL and lets the
 * preflight know exactly which columns the writer inserts. Procedure calls go through
 * SagePort.procedure and are not statements.
 */

type InsertValues = Readonly<Record<string, string>>;

function insertSql(table: string, values: InsertValues): string {
  return `INSERT INTO ${table} (${Object.keys(values).join(', ')}) VALUES (${Object.values(values).join(', ')})`;
}

const XREF_VALUES: InsertValues = {
  DocKey: '@docKey', StripeObjectID: '@stripeObjectId', StripeObjectType: '@stripeObjectType', CompanyID: '@companyId',
  SageTable: '@sageTable', SageKey: '@sageKey', SageNumber: '@sageNumber', BatchKey: '@batchKey', SyncState: '@syncState',
  CreateDate: 'GETDATE()',
};
const GL_BATCH_VALUES: InsertValues = {
  BatchKey: '@batchKey', BatchCmnt: '@batchCmnt', GeneralJrnlType: '@generalJrnlType', Hold: '0',
  InterCompany: '0', InterCompUsage: '0', OrigUserID: '@userId', PostDate: '@postDate', Private: '0', TranCtrl: '0', UpdateCounter: '0',
};
/** The journal-log row Sage writes before each journal header (S8's JournalLog; table name UNVERIFIED, see sage-schema). */
const JOURNAL_LOG_VALUES: InsertValues = {
  CompanyID: '@companyId', JrnlKey: '@jrnlKey', JrnlNo: '@jrnlNo', PostDate: '@postDate', TranStatus: String(JOURNAL_LOG_TRAN_STATUS_PENDING),
};
const JOURNAL_HDR_VALUES: InsertValues = {
  JrnlHdrKey: '@jrnlHdrKey', BatchKey: '@batchKey', CompanyID: '@companyId', JrnlKey: '@jrnlKey', JrnlNo: '@jrnlNo',
  CurrID: '@currId', CurrExchRate: '1', Financial: '1', GLAcctKey: 'NULL', NextEntryNo: '@nextEntryNo',
  OffsetPost: '@offsetPost', OutOfBalance: '0', OutOfBalOverride: '0', ReqOffsetAmt: '0', ReverseJrnl: '0',
  SourceModule: '@sourceModule', Status: '@journalStatus', CreateType: '@createType',
  CreateDate: 'GETDATE()', CreateUserID: '@userId', UpdateCounter: '0',
};
const JOURNAL_DETL_VALUES: InsertValues = {
  JrnlHdrKey: '@jrnlHdrKey', EntryNo: '@entryNo', SeqNo: '@seqNo', GLAcctKey: '@glAcctKey', PostAmt: '@postAmt',
  PostAmtHC: '@postAmt', PostQty: '0', PostCmnt: '@postCmnt', TargetCompanyID: '@companyId', TranDate: '@tranDate',
  // S8 (and a hand-keyed batch, `capture diff`) leaves RefNo empty, not NULL.
  RefNo: "''",
};
const COMPANY_SETUP_VALUES: InsertValues = {
  CompanyID: '@companyId', MigrateSourceSystem: '0', MigrateLinkKey: 'NULL', MigrateSourceVersionNo: "'Any'",
};
const MIGRATE_SESSION_VALUES: InsertValues = {
  MigrateSessionKey: '@sessionKey', CompanyID: '@companyId', LastCompProcessMode: '1', LastCompProcessNo: '0',
  LastCompProcessTime: 'NULL', SetupStepKey: '@setupStepKey', StartTime: 'GETDATE()', UserID: '@userId',
};
const STEP_PARAM_VALUES: InsertValues = {
  MigrateSessionKey: '@sessionKey', SetupStepKey: '@setupStepKey', ParamNo: '@paramNo', ParamValue: '@paramValue',
};
/** Staging rows: ProcessStatus 0 (not processed), Action 1 (insert), as Sage's insert APIs prescribe (sources S1, S2, S9, S10, docs/sage-sources.md). */
const STG_CUSTOMER_VALUES: InsertValues = {
  SessionKey: '@sessionKey', ProcessStatus: '0', Action: '1', CustID: '@custId', CustName: '@custName', CustClassID: '@custClassId',
  AddrLine1: '@addrLine1', AddrLine2: '@addrLine2', AddrLine3: '@addrLine3', AddrLine4: '@addrLine4', AddrLine5: '@addrLine5',
  City: '@city', StateID: '@stateId', PostalCode: '@postalCode', CountryID: '@countryId', Phone: '@phone', EMailAddr: '@email', Name: '@contactName',
};
/**
 * An update of a customer we created: Action 2 (update) for the CustID, carrying the
 * primary address and contact fields; the class stays as created, so CustClassID is not staged.
 */
const STG_CUSTOMER_UPDATE_VALUES: InsertValues = {
  SessionKey: '@sessionKey', ProcessStatus: '0', Action: '2', CustID: '@custId', CustName: '@custName',
  AddrLine1: '@addrLine1', AddrLine2: '@addrLine2', AddrLine3: '@addrLine3', AddrLine4: '@addrLine4', AddrLine5: '@addrLine5',
  City: '@city', StateID: '@stateId', PostalCode: '@postalCode', CountryID: '@countryId', Phone: '@phone', EMailAddr: '@email', Name: '@contactName',
};
/** Links a migration session to a Data Import job, as S1 reads it back (tdiDataTrnsfrJobExecute.SessionKey). */
const JOB_EXECUTE_VALUES: InsertValues = { SessionKey: '@sessionKey', DataTrnsfrJobDefKey: '@jobDefKey' };
const STG_SALES_ORDER_VALUES: InsertValues = {
  SessionKey: '@sessionKey', ProcessStatus: '0', Action: '1', TranNo: '@tranNo', TranDate: '@tranDate', CustID: '@custId',
  TranCmnt: '@tranCmnt', DfltWarehouseID: '@warehouseId',
};
const STG_SO_LINE_VALUES: InsertValues = {
  SessionKey: '@sessionKey', ProcessStatus: '0', Action: '1', TranNo: '@tranNo', SOLineNo: '@lineNo', ItemID: '@itemId',
  Description: '@description', QtyOrd: '@quantity', UnitPrice: '@unitPrice', ExtAmt: '@extAmt', WarehouseID: '@warehouseId',
};

/** Table → the columns the writer's INSERTs fill; the preflight checks the other NOT NULL columns have defaults. */
export const WRITER_INSERT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  tciStripeXref_STRIPE: Object.keys(XREF_VALUES),
  tglBatch: Object.keys(GL_BATCH_VALUES),
  tglJournalLog: Object.keys(JOURNAL_LOG_VALUES),
  tglJournalHdr: Object.keys(JOURNAL_HDR_VALUES),
  tglJournalDetl: Object.keys(JOURNAL_DETL_VALUES),
  tsmCompanySetup: Object.keys(COMPANY_SETUP_VALUES),
  tsmMigrateSession: Object.keys(MIGRATE_SESSION_VALUES),
  tsmMigrateStepParamValue: Object.keys(STEP_PARAM_VALUES),
  StgCustomer: [...new Set([...Object.keys(STG_CUSTOMER_VALUES), ...Object.keys(STG_CUSTOMER_UPDATE_VALUES)])],
  tdiDataTrnsfrJobExecute: Object.keys(JOB_EXECUTE_VALUES),
  StgSalesOrder: Object.keys(STG_SALES_ORDER_VALUES),
  StgSOLine: Object.keys(STG_SO_LINE_VALUES),
};

// Cross-reference
export const SELECT_XREF_KEYS_FOR_COMPANY = 'SELECT DocKey, SageTable FROM tciStripeXref_STRIPE WHERE CompanyID = @companyId';
export const SELECT_XREF_BY_DOC_KEY =
  'SELECT DocKey, SageTable, SageKey, SageNumber, BatchKey FROM tciStripeXref_STRIPE WHERE CompanyID = @companyId AND DocKey = @docKey';
export const INSERT_XREF = insertSql('tciStripeXref_STRIPE', XREF_VALUES);
/**
 * The journals the cross-reference holds under some keys, with their pending lines and each
 * line's account, and their batch's number and state as tciBatchLog holds them (journals-in-sage.ts;
 * the journal writer reads it before it writes, so a journal found is compared with the one it
 * would write). Left joins: a journal whose lines Sage no longer holds pending still answers,
 * with no line; one whose batch row is gone answers with no batch number.
 */
export const SELECT_XREF_JOURNAL_LINES_BY_DOC_KEY =
  "SELECT x.DocKey, x.SageTable, x.SageKey, x.SageNumber, x.BatchKey, b.BatchNo, b.Status AS BatchStatus, b.PostStatus, d.EntryNo, d.PostAmt, d.PostCmnt, d.TranDate, a.GLAcctNo FROM tciStripeXref_STRIPE x LEFT JOIN tciBatchLog b ON b.BatchKey = x.BatchKey LEFT JOIN tglJournalDetl d ON d.JrnlHdrKey = x.SageKey LEFT JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE x.CompanyID = @companyId AND x.SageTable = 'tglJournalHdr' AND x.DocKey = @docKey ORDER BY x.DocKey, d.EntryNo";

/**
 * The posted lines of journals whose pending lines are gone: tglTransaction rows of the xref's
 * batch with the journal's number (S5: posting copies BatchKey, JrnlKey and JrnlNo from
 * tglPosting into tglTransaction), each line's account. By batch and number only: the batch is
 * the sync's own (a BatchKey is a surrogate key, one batch in the database), and the journal
 * code it was written under may have been changed in the settings since. PostDate is the batch's
 * post date posting stamps on each row (S5 spglSetAPIInsertGLTrans: @iBatchPostDate). Read only.
 */
export const SELECT_POSTED_JOURNAL_LINES =
  'SELECT t.BatchKey, t.JrnlNo, t.glTranKey, t.PostAmt, t.PostCmnt, t.TranDate, t.PostDate, a.GLAcctNo FROM tglTransaction t INNER JOIN tglAccount a ON a.GLAcctKey = t.GLAcctKey WHERE t.BatchKey = @batchKey AND t.JrnlNo = @jrnlNo ORDER BY t.BatchKey, t.JrnlNo, t.glTranKey';

// Company and GL validation
export const SELECT_COMPANY = 'SELECT CompanyID, CompanyName, CurrID FROM tsmCompany WHERE CompanyID = @companyId';
export const SELECT_GL_ACCOUNT =
  'SELECT GLAcctKey, Status, PostingType, CurrRestriction, RestrictedCurrID, EffStartDate, EffEndDate FROM tglAccount WHERE CompanyID = @companyId AND GLAcctNo = @glAcctNo';
export const SELECT_FISCAL_PERIOD =
  'SELECT FiscYear, FiscPer, Status FROM tglFiscalPeriod WHERE CompanyID = @companyId AND StartDate <= @postDate AND EndDate >= @postDate';
export const SELECT_JOURNAL = 'SELECT JrnlKey FROM tglJournal WHERE CompanyID = @companyId AND JrnlID = @jrnlId';

// GL batch and journal
export const SELECT_PENDING_BATCH = `SELECT BatchKey FROM tciBatchLog WHERE BatchKey = @batchKey AND Status = ${BATCH_STATUS_BALANCED} AND PostStatus = ${POST_STATUS_OPEN}`;
export const INSERT_GL_BATCH = insertSql('tglBatch', GL_BATCH_VALUES);
/** Our own just-created batch only (still open): S8 sets the comment and post date after spGetNextBatch. */
export const UPDATE_BATCH_LOG_COMMENT = `UPDATE tciBatchLog SET BatchCmnt = @batchCmnt, PostDate = @postDate WHERE BatchKey = @batchKey AND PostStatus = ${POST_STATUS_OPEN}`;
export const INSERT_JOURNAL_LOG = insertSql('tglJournalLog', JOURNAL_LOG_VALUES);
export const INSERT_JOURNAL_HDR = insertSql('tglJournalHdr', JOURNAL_HDR_VALUES);
export const INSERT_JOURNAL_DETL = insertSql('tglJournalDetl', JOURNAL_DETL_VALUES);

// Customers
export const SELECT_CUSTOMER_BY_ID = 'SELECT CustKey, CustID, CustName FROM tarCustomer WHERE CompanyID = @companyId AND CustID = @custId';
/** What Sage holds for a customer's primary address and contact, to tell whether an update already landed. */
export const SELECT_CUSTOMER_PRIMARY_FIELDS =
  'SELECT c.CustKey, c.CustName, a.AddrLine1, a.AddrLine2, a.AddrLine3, a.AddrLine4, a.AddrLine5, a.City, a.StateID, a.PostalCode, a.CountryID, a.Phone, k.CntctKey, k.Name, k.EMailAddr FROM tarCustomer c INNER JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey LEFT JOIN tciContact k ON k.CntctKey = c.PrimaryCntctKey WHERE c.CompanyID = @companyId AND c.CustID = @custId';
export const SELECT_CUSTOMERS_BY_EMAIL =
  'SELECT c.CustKey, c.CustID, c.CustName FROM tarCustomer c INNER JOIN tciContact k ON k.CntctOwnerKey = c.CustKey AND k.EntityType = 501 WHERE c.CompanyID = @companyId AND LOWER(k.EMailAddr) = @email ORDER BY c.CustKey';

/** The site's countries and states: CountryID and StateID must be rows of these (address-references.ts). */
export const SELECT_COUNTRIES = 'SELECT CountryID FROM tsmCountry';
export const SELECT_COUNTRY_STATES = 'SELECT StateID FROM tsmStateProvince WHERE CountryID = @countryId';
/**
 * Proof that a customer is ours: our user's staged insert of that CustID was processed and
 * Sage stamped our user as its creator (a crash can fall between that and our xref row).
 */
export const SELECT_CUSTOMER_CREATED_BY_US =
  'SELECT c.CustKey FROM tarCustomer c INNER JOIN StgCustomer s ON s.CustID = c.CustID INNER JOIN tsmMigrateSession m ON m.MigrateSessionKey = s.SessionKey WHERE c.CompanyID = @companyId AND c.CustID = @custId AND c.CreateUserID = @userId AND m.CompanyID = @companyId AND m.UserID = @userId AND s.Action = 1 AND s.ProcessStatus = 1';

// Staging API sessions (sources S1, S2, S9, S10, docs/sage-sources.md)
export const SELECT_COMPANY_SETUP = 'SELECT CompanyID FROM tsmCompanySetup WHERE CompanyID = @companyId';
export const INSERT_COMPANY_SETUP = insertSql('tsmCompanySetup', COMPANY_SETUP_VALUES);
export const INSERT_MIGRATE_SESSION = insertSql('tsmMigrateSession', MIGRATE_SESSION_VALUES);
export const INSERT_STEP_PARAM_VALUE = insertSql('tsmMigrateStepParamValue', STEP_PARAM_VALUES);
/** Which ParamNo a step's parameter of a type has: "the actual param numbers will differ for each routine" (S2). */
export const SELECT_STEP_PARAM_NO = 'SELECT ParamNo FROM tsmMigrateStepParam WHERE SetupStepKey = @setupStepKey AND ParamType = @paramType';
export const UPDATE_SESSION_FINISHED = 'UPDATE tsmMigrateSession SET LastCompProcessTime = GETDATE() WHERE MigrateSessionKey = @sessionKey';
export const SELECT_MIGRATION_FAILURES = `SELECT EntityID, ColumnID, ColumnValue, Comment FROM tdmMigrationLogWrk WHERE SessionKey = @sessionKey AND Status = ${MIGRATION_LOG_FAILURE}`;
export const INSERT_STG_CUSTOMER = insertSql('StgCustomer', STG_CUSTOMER_VALUES);
export const INSERT_STG_CUSTOMER_UPDATE = insertSql('StgCustomer', STG_CUSTOMER_UPDATE_VALUES);
/** The Data Import jobs' StgCustomer columns that allow updates (S1's join, without the session). */
export const SELECT_CUSTOMER_UPDATE_JOBS =
  "SELECT s.DataTrnsfrJobDefKey, m.InternalColumnName FROM tdiDataTrnsfrJobDefStep s INNER JOIN tdiDataTrnsfrColumnMap m ON m.DataTrnsfrJobDefStepKey = s.DataTrnsfrJobDefStepKey WHERE s.InternalTableName = 'StgCustomer' AND m.AllowUpdate = 1 ORDER BY s.DataTrnsfrJobDefKey";
export const INSERT_JOB_EXECUTE = insertSql('tdiDataTrnsfrJobExecute', JOB_EXECUTE_VALUES);
export const SELECT_STG_CUSTOMER_STATUS = 'SELECT ProcessStatus FROM StgCustomer WHERE SessionKey = @sessionKey';
/** Each staged customer's outcome in a session of many (ProcessStatus 1 done, 2 error). */
export const SELECT_STG_CUSTOMER_STATUSES = 'SELECT CustID, ProcessStatus FROM StgCustomer WHERE SessionKey = @sessionKey';

// Sales orders
export const SELECT_ORDER_BY_COMMENT =
  'SELECT so.SOKey, so.TranNo FROM tsoSalesOrder so INNER JOIN tarCustomer c ON c.CustKey = so.CustKey WHERE so.CompanyID = @companyId AND so.TranType = @tranType AND c.CustID = @custId AND so.TranCmnt = @tranCmnt ORDER BY so.SOKey';
/** The next order number, taken as Sage's numbering does (tciTranTypeCompany, S8/S13); the UPDATE holds the row lock until commit. */
export const RESERVE_TRAN_NO = 'UPDATE tciTranTypeCompany SET NextTranNo = NextTranNo + 1 WHERE CompanyID = @companyId AND TranType = @tranType';
export const SELECT_RESERVED_TRAN_NO = 'SELECT NextTranNo - 1 AS TranNo FROM tciTranTypeCompany WHERE CompanyID = @companyId AND TranType = @tranType';
/** A number already taken (e.g. keyed in Sage with an override) is skipped, as S13 checks its log table. */
export const SELECT_ORDER_NUMBER_USED = 'SELECT SOKey, TranNo FROM tsoSalesOrdLog WHERE CompanyID = @companyId AND TranType = @tranType AND TranNo = @tranNo';
/** A block of order numbers for a chunk's orders, taken the same way (the UPDATE holds the row lock until commit). */
export const RESERVE_TRAN_NOS = 'UPDATE tciTranTypeCompany SET NextTranNo = NextTranNo + @count WHERE CompanyID = @companyId AND TranType = @tranType';
export const SELECT_RESERVED_TRAN_NOS = 'SELECT NextTranNo - @count AS FirstTranNo FROM tciTranTypeCompany WHERE CompanyID = @companyId AND TranType = @tranType';
/** A chunk's orders Sage may already hold (a run before a crash), by the comment that identifies them. */
export const SELECT_ORDERS_BY_COMMENT =
  'SELECT so.SOKey, so.TranNo, so.TranCmnt, c.CustID FROM tsoSalesOrder so INNER JOIN tarCustomer c ON c.CustKey = so.CustKey WHERE so.CompanyID = @companyId AND so.TranType = @tranType AND so.TranCmnt = @tranCmnt';
export const SELECT_ORDER_BY_TRAN_NO = 'SELECT SOKey, TranNo FROM tsoSalesOrder WHERE CompanyID = @companyId AND TranType = @tranType AND TranNo = @tranNo';
export const INSERT_STG_SALES_ORDER = insertSql('StgSalesOrder', STG_SALES_ORDER_VALUES);
export const INSERT_STG_SO_LINE = insertSql('StgSOLine', STG_SO_LINE_VALUES);
export const SELECT_STG_ORDER_STATUS = 'SELECT ProcessStatus FROM StgSalesOrder WHERE SessionKey = @sessionKey';
export const SELECT_STG_ORDER_STATUSES = 'SELECT TranNo, ProcessStatus FROM StgSalesOrder WHERE SessionKey = @sessionKey';

// Single-writer lock: 'Exclusive' while this session still holds it, 'NoLock' once its connection was replaced.
export const SELECT_APPLOCK_MODE = "SELECT APPLOCK_MODE('public', @resource, 'Session') AS LockMode";

// Preflight and installation
export const SELECT_CONNECTED = 'SELECT 1 AS Connected';
export const SELECT_TABLE = 'SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = @tableName';
export const SELECT_TABLE_COLUMNS =
  'SELECT COLUMN_NAME, IS_NULLABLE, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = @tableName';
export const SELECT_ROUTINE = 'SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = @routineName';
export const SELECT_COMPANY_MODULES = 'SELECT ModuleNo, Active FROM tsmCompanyModule WHERE CompanyID = @companyId';
export const SELECT_USER = 'SELECT UserID FROM tsmUser WHERE UserID = @userId';
/** T-SQL DDL for our cross-reference table; SQLite accepts it too (without length checks). */
export const CREATE_XREF_TABLE = `CREATE TABLE tciStripeXref_STRIPE (
  DocKey varchar(100) NOT NULL,
  StripeObjectID varchar(64) NOT NULL,
  StripeObjectType varchar(20) NOT NULL,
  CompanyID varchar(3) NOT NULL,
  SageTable varchar(30) NOT NULL,
  SageKey int NOT NULL,
  SageNumber varchar(20) NOT NULL,
  BatchKey int NULL,
  SyncState smallint NOT NULL,
  CreateDate datetime NOT NULL,
  CONSTRAINT PK_tciStripeXref_STRIPE PRIMARY KEY (CompanyID, DocKey)
)`;
/** One privilege per statement: T-SQL allows a list, but one per statement keeps each parseable and reportable. */
export const GRANT_XREF_SELECT = 'GRANT SELECT ON tciStripeXref_STRIPE TO ApplicationDBRole';
export const GRANT_XREF_INSERT = 'GRANT INSERT ON tciStripeXref_STRIPE TO ApplicationDBRole';
