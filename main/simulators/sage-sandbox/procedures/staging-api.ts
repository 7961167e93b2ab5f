import type Database from 'better-sqlite3';
import { LOG_FAILURE, writeMigrationLog } from './migration-log.js';
import { intArg, textArg, type EmulatedProcedure, type ProcedureValue } from './procedure-types.js';

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
  /** tsmMigrateSession/tsmMigrateStepParamValue SetupStepKeys for this session. */
  setupStepKeys: readonly number[];
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
 * The shared shape of Sage's insert APIs (reference §1a), by position:
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

  const session = db
    .prepare('SELECT UserID, SetupStepKey FROM tsmMigrateSession WHERE MigrateSessionKey = ? AND CompanyID = ?')
    .get(sessionKey, companyId) as { UserID: string; SetupStepKey: number | null } | undefined;
  // The sandbox has no caller-built #Stg temp tables, so only @iUseStageTable = 1 is valid.
  if (!session || useStageTable !== 1) return outputs(0, RET_PARAMETER_ERROR);
  const inactive = api.requiredModules.filter((moduleNo) => {
    const row = db.prepare('SELECT Active FROM tsmCompanyModule WHERE CompanyID = ? AND ModuleNo = ?').get(companyId, moduleNo) as
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
  const pending = (db.prepare(pendingSql).all(sessionKey) as { RowKey: number }[]).map((row) => row.RowKey);
  if (total === 0) total = pending.length;
  const stepRows = db
    .prepare('SELECT SetupStepKey FROM tsmMigrateStepParamValue WHERE MigrateSessionKey = ?')
    .all(sessionKey) as { SetupStepKey: number }[];
  const call: StagingApiCall = {
    sessionKey,
    companyId,
    reportOption,
    userId: session.UserID,
    setupStepKeys: [...(session.SetupStepKey === null ? [] : [session.SetupStepKey]), ...stepRows.map((row) => row.SetupStepKey)],
  };
  const batch = pending.slice(0, MAX_ROWS_PER_RUN);
  for (const rowKey of batch) {
    processed += 1;
    if (!api.processRow(db, call, rowKey)) failed += 1;
  }
  return outputs(pending.length > batch.length ? 1 : 0, RET_SUCCESS);
}
