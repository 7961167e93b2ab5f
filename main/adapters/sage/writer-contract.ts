import * as statements from './statements.js';
import { GIVE_NEXT_JOURNAL_NO_PROCEDURE } from './sage-codes.js';
import { statementPermissions } from './statement-permissions.js';

/**
 * What the writer sends to Sage, declared once so `s5sync check` can hold it against a site's
 * schema without writing anything: the SQL type of every parameter it binds into an INSERT
 * column, the procedures it calls with each argument's type, and the permissions that follow
 * from its statements. test/adapters/sage-writer-contract.test.ts runs the real writer through
 * a recording port and fails when this declaration and the writer's calls disagree.
 */

export type SentType =
  | { kind: 'varchar'; length: number }
  | { kind: 'int' }
  | { kind: 'smallint' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'datetime' }
  /** A numeric literal in the statement text: fits any numeric column. */
  | { kind: 'number' }
  /** A site code value (journal-codes.ts): a number as smallint, or the site's own text. */
  | { kind: 'code' };

const v = (length: number): SentType => ({ kind: 'varchar', length });
const INT: SentType = { kind: 'int' };
const SMALLINT: SentType = { kind: 'smallint' };
const DATETIME: SentType = { kind: 'datetime' };
const CODE: SentType = { kind: 'code' };
const MONEY: SentType = { kind: 'decimal', precision: 15, scale: 3 };

/** Table → column → the type of the parameter the writer binds there (literal values are typed by sentLiteralType). */
export const WRITER_PARAM_TYPES: Readonly<Record<string, Readonly<Record<string, SentType>>>> = {
  tglBatch: { BatchKey: INT, BatchCmnt: v(50), GeneralJrnlType: CODE, OrigUserID: v(30), PostDate: DATETIME },
  tglJournalLog: { CompanyID: v(3), JrnlKey: INT, JrnlNo: INT, PostDate: DATETIME },
  tglJournalHdr: {
    JrnlHdrKey: INT, BatchKey: INT, CompanyID: v(3), JrnlKey: INT, JrnlNo: INT, CurrID: v(3), NextEntryNo: INT,
    OffsetPost: CODE, SourceModule: CODE, Status: CODE, CreateType: CODE, CreateUserID: v(30),
  },
  tglJournalDetl: {
    JrnlHdrKey: INT, EntryNo: INT, SeqNo: INT, GLAcctKey: INT, PostAmt: MONEY, PostAmtHC: MONEY, PostCmnt: v(50),
    TargetCompanyID: v(3), TranDate: DATETIME,
  },
  tsmCompanySetup: { CompanyID: v(3) },
  tdiDataTrnsfrJobExecute: { SessionKey: INT, DataTrnsfrJobDefKey: INT },
  tsmMigrateSession: { MigrateSessionKey: INT, CompanyID: v(3), SetupStepKey: INT, UserID: v(30) },
  tsmMigrateStepParamValue: { MigrateSessionKey: INT, SetupStepKey: INT, ParamNo: SMALLINT, ParamValue: v(255) },
  StgCustomer: {
    SessionKey: INT, CustID: v(12), CustName: v(40), CustClassID: v(15), AddrLine1: v(255), AddrLine2: v(255), AddrLine3: v(255),
    AddrLine4: v(255), AddrLine5: v(255), City: v(255), StateID: v(255), PostalCode: v(255), CountryID: v(255), Phone: v(255),
    EMailAddr: v(255), Name: v(255),
  },
  StgSalesOrder: { SessionKey: INT, TranNo: v(10), TranDate: DATETIME, CustID: v(12), TranCmnt: v(50), DfltWarehouseID: v(6) },
  StgSOLine: {
    SessionKey: INT, TranNo: v(10), SOLineNo: INT, ItemID: v(30), Description: v(40), QtyOrd: { kind: 'decimal', precision: 16, scale: 8 },
    UnitPrice: { kind: 'decimal', precision: 15, scale: 5 }, ExtAmt: MONEY, WarehouseID: v(6),
  },
};

/** A literal in an INSERT's VALUES list: a number fits any numeric column, a quoted text needs its length; NULL needs nothing. */
export function sentLiteralType(literal: string): SentType | null {
  if (/^-?\d+$/.test(literal)) return { kind: 'number' };
  if (/^GETDATE\(\)$/i.test(literal)) return DATETIME;
  const quoted = /^'(.*)'$/.exec(literal);
  if (quoted) return v(quoted[1]!.length);
  return null;
}

export interface SentArgument {
  type: SentType;
  output: boolean;
}

/**
 * The procedures the writer calls and their arguments in call order. `byName` says whether
 * the call binds parameters by name (then the names must match the site's) or by position.
 */
export const WRITER_PROCEDURE_CALLS: Readonly<Record<string, { byName: boolean; args: readonly (SentArgument & { name: string })[] }>> = {
  spGetNextSurrogateKey: {
    byName: true,
    args: [{ name: 'iTableName', type: v(30), output: false }, { name: 'oNewKey', type: INT, output: true }],
  },
  spGetNextBatch: {
    byName: true,
    args: [
      { name: '_iCompanyID', type: v(3), output: false },
      { name: '_iModuleNo', type: SMALLINT, output: false },
      { name: '_iBatchType', type: INT, output: false },
      { name: '_iUserID', type: v(30), output: false },
      { name: '_iDefBatchCmnt', type: v(50), output: false },
      { name: '_iPostDate', type: DATETIME, output: false },
      { name: '_oBatchKey', type: INT, output: true },
      { name: '_oNextBatchNo', type: INT, output: true },
      { name: '_oRetVal', type: SMALLINT, output: true },
      { name: '_optHiddenBatch', type: SMALLINT, output: false },
      { name: '_optInvcDate', type: DATETIME, output: false },
    ],
  },
  spARapiCustomerIns: { byName: false, args: stagingApiArgs() },
  spSOapiSalesOrdIns: { byName: false, args: stagingApiArgs() },
  // GiveNextJrnlNo(CompanyID, JrnlKey, 1, out JrnlNo, out RetVal) as S8 imports it; names not public.
  [GIVE_NEXT_JOURNAL_NO_PROCEDURE]: {
    byName: false,
    args: [
      { name: 'iCompanyID', type: v(3), output: false },
      { name: 'iJrnlKey', type: INT, output: false },
      { name: 'iNumbers', type: SMALLINT, output: false },
      { name: 'oJrnlNo', type: INT, output: true },
      { name: 'oRetVal', type: INT, output: true },
    ],
  },
};

function stagingApiArgs(): (SentArgument & { name: string })[] {
  return [
    { name: 'oContinue', type: SMALLINT, output: true },
    { name: 'iCancel', type: SMALLINT, output: false },
    { name: 'iSessionKey', type: INT, output: false },
    { name: 'iCompanyID', type: v(3), output: false },
    { name: 'iRptOption', type: INT, output: false },
    { name: 'iPrintWarnings', type: SMALLINT, output: false },
    { name: 'iUseStageTable', type: SMALLINT, output: false },
    { name: 'oRecsProcessed', type: INT, output: true },
    { name: 'oFailedRecs', type: INT, output: true },
    { name: 'oTotalRecs', type: INT, output: true },
    { name: '_oRetVal', type: INT, output: true },
  ];
}

export type TablePermission = 'SELECT' | 'INSERT' | 'UPDATE';

/** Object → the permissions the writer's statements need on it (EXECUTE for procedures), read from the statement text. */
export function requiredPermissions(): Map<string, Set<TablePermission | 'EXECUTE'>> {
  const needed = new Map<string, Set<TablePermission | 'EXECUTE'>>();
  const add = (object: string, permission: TablePermission | 'EXECUTE'): void => {
    const set = needed.get(object) ?? new Set();
    set.add(permission);
    needed.set(object, set);
  };
  for (const sql of Object.values(statements)) {
    if (typeof sql !== 'string' || !/^\s*(SELECT|INSERT|UPDATE)\b/i.test(sql)) continue;
    for (const { object, permission } of statementPermissions(sql)) add(object, permission);
  }
  for (const procedure of Object.keys(WRITER_PROCEDURE_CALLS)) add(procedure, 'EXECUTE');
  return needed;
}

/** Tables the writer inserts into or updates: the ones whose triggers run on its rows. */
export function writtenTables(): string[] {
  return [...requiredPermissions()].filter(([, permissions]) => permissions.has('INSERT') || permissions.has('UPDATE')).map(([table]) => table);
}
