import type Database from 'better-sqlite3';
import { LOG_FAILURE, writeMigrationLog } from './migration-log.js';
import { intArg, textArg, type EmulatedProcedure, type ProcedureValue } from './procedure-types.js';
import { preparedStatement } from './prepared-statements.js';

/** The APIs process about this many staging rows per call (@MAX_ROWS_PER_RUN, S1). */
export const MAX_ROWS_PER_RUN = 125;

const RET_SUCCESS = 1;
const RET_PARAMETER_ERROR = 3;

export interface StagingApiCall {
  sessionKey: number;
  companyId: string;
  reportOption: number;
  /** The acting Sage user, read from the migration session (spDMMigrUserIDGet). */
  userId: string;
  /**
   * The session's step key as S1/S2 read it: only from the parameter value whose
   * tsmMigrateStepParam.ParamType is 2 (invalid reference), never from tsmMigrateSession.
   */
  setupStepKey: number | null;
}

export interface StagingApi {
  /** Permanent staging table the header rows come from. */
  stagingTable: string;
  /** Modules that must be active (tsmCompanyModule.Active = 1). */
  requiredModules: readonly number[];
  /** Processes one staging row; returns true when it was inserted into Sage. */
  processRow(db: Database.Database, call: StagingApiCall, rowKey: number): boolean;
}

/**
 * The shared shape of Sage's insert APIs (sources S1, S2, S9, S10, docs/sage-sources.md), by position:
 * 0 @oContinue OUT, 1 @iCancel, 2 @iSessionKey, 3 @iCompanyID, 4 @iRptOption, 5 @iPrintWarnings,
 * 6 @iUseStageTable, 7 @oRecsProcessed OUT (running), 8 @oFailedRecs OUT (running),
 * 9 @oTotalRecs OUT (set when passed 0/NULL), 10 @_oRetVal OUT (1 ok, 3 parameter error).
 */
/** S1's parameter names; S2's copy names the 7th `@UseStageTable`, so the APIs are called by position. */
export const STAGING_API_PARAMETERS = [
  'oContinue', 'iCancel', 'iSessionKey', 'iCompanyID', 'iRptOption', 'iPrintWarnings', 'iUseStageTable',
  'oRecsProcessed', 'oFailedRecs', 'oTotalRecs', '_oRetVal',
] as const;

export function stagingApi(api: StagingApi): EmulatedProcedure {
  return { parameters: STAGING_API_PARAMETERS, binding: 'position', run: (db, inputs) => runStagingApi(db, inputs, api) };
}

function runStagingApi(db: Database.Database, inputs: readonly ProcedureValue[], api: StagingApi): Map<number, ProcedureValue> {
  const cancel = intArg(inputs, 1);
  const sessionKey = intArg(inputs, 2);
  const companyId = textArg(inputs, 3) ?? '';
  const reportOption = intArg(inputs, 4);
  const useStageTable = intArg(inputs, 6);
  let processed = intArg(inputs, 7);
  let failed = intArg(inputs, 8);
  let total = intArg(inputs, 9);
  const outputs = (more: number, retVal: number): Map<number, ProcedureValue> =>
    new Map<number, ProcedureValue>([[0, more], [7, processed], [8, failed], [9, total], [10, retVal]]);

  const session = preparedStatement(db, 'SELECT UserID FROM tsmMigrateSession WHERE MigrateSessionKey = ? AND CompanyID = ?')
    .get(sessionKey, companyId) as { UserID: string } | undefined;
  // The sandbox has no caller-built #Stg temp tables, so only @iUseStageTable = 1 is valid.
  if (!session || useStageTable !== 1) return outputs(0, RET_PARAMETER_ERROR);
  const inactive = api.requiredModules.filter((moduleNo) => {
    const row = preparedStatement(db, 'SELECT Active FROM tsmCompanyModule WHERE CompanyID = ? AND ModuleNo = ?').get(companyId, moduleNo) as
      | { Active: number }
      | undefined;
    return row?.Active !== 1;
  });
  if (inactive.length > 0) {
    writeMigrationLog(db, sessionKey, reportOption, {
      entityId: null,
      columnId: 'ModuleNo',
      columnValue: inactive.join(','),
      status: LOG_FAILURE,
      comment: `Module ${inactive.join(', ')} is not active for company ${companyId} (tsmCompanyModule)`,
    });
    return outputs(0, RET_PARAMETER_ERROR);
  }
  if (cancel === 1) return outputs(0, RET_SUCCESS);

  const pendingSql = `SELECT RowKey FROM ${api.stagingTable} WHERE SessionKey = ? AND ProcessStatus = 0 ORDER BY RowKey`;
  const pending = (preparedStatement(db, pendingSql).all(sessionKey) as { RowKey: number }[]).map((row) => row.RowKey);
  if (total === 0) total = pending.length;
  const call: StagingApiCall = { sessionKey, companyId, reportOption, userId: session.UserID, setupStepKey: referenceStepKey(db, sessionKey) };
  const batch = pending.slice(0, MAX_ROWS_PER_RUN);
  for (const rowKey of batch) {
    processed += 1;
    if (!api.processRow(db, call, rowKey)) failed += 1;
  }
  return outputs(pending.length > batch.length ? 1 : 0, RET_SUCCESS);
}

const PARAM_TYPE_INVALID_REFERENCE = 2;

/**
 * S2 (and S1 likewise): `SELECT @BlankInvalidReference = CONVERT(SMALLINT, pv.ParamValue),
 * @SetupStepKey = sp.SetupStepKey FROM tsmMigrateStepParam sp INNER JOIN tsmMigrateStepParamValue pv
 * ON pv.SetupStepKey = sp.SetupStepKey AND pv.ParamNo = sp.ParamNo WHERE pv.MigrateSessionKey =
 * @iSessionKey AND sp.ParamType = 2`. A value that is not a smallint fails the call, as the
 * CONVERT does on SQL Server.
 */
function referenceStepKey(db: Database.Database, sessionKey: number): number | null {
  const row = preparedStatement(db,
      `SELECT sp.SetupStepKey, pv.ParamValue FROM tsmMigrateStepParam sp
       INNER JOIN tsmMigrateStepParamValue pv ON pv.SetupStepKey = sp.SetupStepKey AND pv.ParamNo = sp.ParamNo
       WHERE pv.MigrateSessionKey = ? AND sp.ParamType = ?`,
    )
    .get(sessionKey, PARAM_TYPE_INVALID_REFERENCE) as { SetupStepKey: number; ParamValue: string | null } | undefined;
  if (!row) return null;
  convertToSmallint(row.ParamValue);
  return row.SetupStepKey;
}

/** CONVERT(SMALLINT, varchar): SQL Server's messages 245 (not a number) and 244 (out of range). */
function convertToSmallint(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`Conversion failed when converting the varchar value '${value}' to data type smallint.`);
  const number = Number(text);
  if (number < -32_768 || number > 32_767) throw new Error(`The conversion of the varchar value '${value}' overflowed an INT2 column. Use a larger integer column.`);
  return number;
}
