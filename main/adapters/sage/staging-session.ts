import { SageWriteError } from '../../core/ports/sage-target.js';
import { reserveSurrogateKey } from './reserve-key.js';
import { API_RET_SUCCESS, MIGRATION_LOG_FAILURE } from './sage-codes.js';
import { int, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import { runBatch, type BatchStep, type SagePort, type SqlSession } from './sql-port.js';
import {
  INSERT_COMPANY_SETUP,
  INSERT_MIGRATE_SESSION,
  INSERT_STEP_PARAM_VALUE,
  SELECT_COMPANY_SETUP,
  SELECT_MIGRATION_FAILURES,
  UPDATE_SESSION_FINISHED,
} from './statements.js';

/**
 * Runs one of Sage's staging insert APIs the way Sage partners do (source S9, docs/sage-sources.md):
 * make sure tsmCompanySetup has the company, open a tsmMigrateSession (key reserved first),
 * insert the staging rows, call the API by position while @oContinue = 1, stamp the session.
 */

/** One tsmMigrateStepParamValue row: the value of a step's parameter for this session. */
export interface StepParameterValue {
  setupStepKey: number;
  paramNo: number;
  value: string;
}

export interface StagingRunOptions {
  companyId: string;
  userId: string;
  /** The session's step parameter (S2 takes the step key only from it), or null. */
  stepParameter: StepParameterValue | null;
  procedureName: 'spARapiCustomerIns' | 'spSOapiSalesOrdIns';
}

export interface StagingOutcome {
  sessionKey: number;
  retVal: number | null;
  failedRecs: number;
}

export interface MigrationFailure {
  entityId: string | null;
  columnId: string | null;
  comment: string;
}

/** Each call handles ~125 rows; we stage one document per session, so a few calls is plenty. */
const MAX_API_CALLS = 100;

/** Ports on which the company's tsmCompanySetup row is known to be committed: it is never deleted, so it is read once. */
const companySetupSeen = new WeakMap<SagePort, Set<string>>();

/**
 * `stageRows` returns the staging rows' inserts (it may query first, e.g. to number an order);
 * they go to Sage together with the session's own rows, one batch (one round trip on SQL Server).
 * With `deferFinish` the caller stamps the session itself (sessionFinishedStep), in a later batch.
 */
export async function runStagingApi(
  port: SagePort,
  options: StagingRunOptions,
  stageRows: (tx: SqlSession, sessionKey: number) => Promise<BatchStep[]>,
  deferFinish = false,
): Promise<StagingOutcome> {
  const { companyId, userId } = options;
  const company = varchar(3, companyId);
  const sessionKey = await reserveSurrogateKey(port, 'tsmMigrateSession');
  const seen = companySetupSeen.get(port) ?? new Set<string>();
  await port.transaction(async (tx) => {
    const steps: BatchStep[] = [];
    if (!seen.has(companyId) && (await tx.query(SELECT_COMPANY_SETUP, { companyId: company })).length === 0) {
      steps.push({ kind: 'execute', sql: INSERT_COMPANY_SETUP, params: { companyId: company } });
    }
    steps.push({
      kind: 'execute',
      sql: INSERT_MIGRATE_SESSION,
      params: { sessionKey: int(sessionKey), companyId: company, setupStepKey: int(options.stepParameter?.setupStepKey ?? null), userId: varchar(30, userId) },
    });
    if (options.stepParameter !== null) {
      steps.push({
        kind: 'execute',
        sql: INSERT_STEP_PARAM_VALUE,
        params: {
          sessionKey: int(sessionKey),
          setupStepKey: int(options.stepParameter.setupStepKey),
          paramNo: smallint(options.stepParameter.paramNo),
          paramValue: varchar(255, options.stepParameter.value),
        },
      });
    }
    steps.push(...(await stageRows(tx, sessionKey)));
    await runBatch(tx, steps);
  });
  seen.add(companyId);
  companySetupSeen.set(port, seen);

  let processed = 0;
  let failed = 0;
  let total = 0;
  let retVal: number | null = null;
  for (let call = 0; call < MAX_API_CALLS; call += 1) {
    const result = await port.procedure(options.procedureName, [
      { name: 'oContinue', param: smallint(0), output: true },
      { name: 'iCancel', param: smallint(0) },
      { name: 'iSessionKey', param: int(sessionKey) },
      { name: 'iCompanyID', param: company },
      { name: 'iRptOption', param: int(0) },
      { name: 'iPrintWarnings', param: smallint(1) },
      { name: 'iUseStageTable', param: smallint(1) },
      // Running totals: the API adds to what is passed in.
      { name: 'oRecsProcessed', param: int(processed), output: true },
      { name: 'oFailedRecs', param: int(failed), output: true },
      { name: 'oTotalRecs', param: int(total), output: true },
      { name: '_oRetVal', param: int(null), output: true },
    ]);
    processed = Number(result['oRecsProcessed'] ?? processed);
    failed = Number(result['oFailedRecs'] ?? failed);
    total = Number(result['oTotalRecs'] ?? total);
    retVal = result['_oRetVal'] === null || result['_oRetVal'] === undefined ? null : Number(result['_oRetVal']);
    if (retVal !== API_RET_SUCCESS || Number(result['oContinue']) !== 1) break;
  }
  if (!deferFinish) await port.execute(UPDATE_SESSION_FINISHED, { sessionKey: int(sessionKey) });
  return { sessionKey, retVal, failedRecs: failed };
}

/** Stamps the session done (tsmMigrateSession.LastCompProcessTime, S9), as one step of a caller's batch. */
export function sessionFinishedStep(sessionKey: number): BatchStep {
  return { kind: 'execute', sql: UPDATE_SESSION_FINISHED, params: { sessionKey: int(sessionKey) } };
}

export async function readFailures(port: SagePort, sessionKey: number): Promise<MigrationFailure[]> {
  const rows = await port.query(SELECT_MIGRATION_FAILURES, { sessionKey: int(sessionKey) });
  return rows.map((row) => ({ entityId: textColumn(row, 'EntityID'), columnId: textColumn(row, 'ColumnID'), comment: textColumn(row, 'Comment') ?? '' }));
}

/** Turns the API's log rows into one per-record error naming the Sage column. */
export async function failureError(port: SagePort, outcome: StagingOutcome, what: string): Promise<SageWriteError> {
  const failures = await readFailures(port, outcome.sessionKey);
  const first = failures[0];
  if (first) {
    const errorClass = first.columnId === 'ModuleNo' ? 'configuration' : 'data';
    return new SageWriteError(`${what}: Sage rejected it: ${first.comment} (tdmMigrationLogWrk, session ${outcome.sessionKey})`, errorClass, first.columnId);
  }
  return new SageWriteError(
    `${what}: the Sage API returned ${String(outcome.retVal)} without a log row (tdmMigrationLogWrk Status ${MIGRATION_LOG_FAILURE}, session ${outcome.sessionKey})`,
    outcome.retVal === API_RET_SUCCESS ? 'data' : 'configuration',
  );
}

export function processStatusOf(rows: readonly Record<string, string | number | null>[]): number | null {
  const row = rows[0];
  return row ? numberColumn(row, 'ProcessStatus') : null;
}

/**
 * The error of one staged row Sage did not process, in a session of many: its own log row (by
 * EntityID, the CustID or TranNo) when it has one, the session's only message when no row names
 * an entity (e.g. an inactive module), else the API's return value.
 */
export function rowFailure(failures: readonly MigrationFailure[], outcome: StagingOutcome, entityId: string, what: string): SageWriteError {
  const own =
    failures.find((failure) => failure.entityId?.trim().toUpperCase() === entityId.toUpperCase()) ??
    (failures.length > 0 && failures.every((failure) => failure.entityId === null) ? failures[0] : undefined);
  if (own) {
    const errorClass = own.columnId === 'ModuleNo' ? 'configuration' : 'data';
    return new SageWriteError(`${what}: Sage rejected it: ${own.comment} (tdmMigrationLogWrk, session ${outcome.sessionKey})`, errorClass, own.columnId);
  }
  return new SageWriteError(
    `${what}: the Sage API returned ${String(outcome.retVal)} and left the staged row unprocessed without a log row (tdmMigrationLogWrk, session ${outcome.sessionKey})`,
    outcome.retVal === API_RET_SUCCESS ? 'data' : 'configuration',
  );
}
