/**
 * The one narrow port every Sage SQL statement goes through. Two executors implement it:
 * mssql-executor.ts (real SQL Server) and main/simulators/sage-sandbox/sandbox-executor.ts (the SQLite replica).
 * Statements are written once, in the T-SQL subset both accept: named `@parameters`, no
 * TOP/LIMIT, no vendor functions except those the sandbox registers (GETDATE, ISNULL).
 *
 * Parameters carry their SQL Server type because Sage columns are varchar (an nvarchar
 * parameter against a varchar column forces an implicit conversion and an index scan) and
 * money is decimal(15,3). A site that declares a text column nvarchar gets nvarchar there
 * (unicode-columns.ts), so its text is not squeezed into code page 1252.
 */

export type SqlParam =
  | { type: 'varchar'; length: number; value: string | null }
  | { type: 'nvarchar'; length: number; value: string | null }
  | { type: 'int'; value: number | null }
  | { type: 'smallint'; value: number | null }
  /** Canonical decimal text, e.g. "-12.340" (see core/money/sage-amount.ts). */
  | { type: 'decimal'; precision: number; scale: number; value: string | null }
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS", a local business date/time without zone. */
  | { type: 'datetime'; value: string | null };

export type SqlParams = Record<string, SqlParam>;

export type SqlRow = Record<string, string | number | null>;

/** One procedure argument; outputs come back by `name` (without the leading @). */
export interface ProcedureArg {
  name: string;
  param: SqlParam;
  output?: boolean;
}

/**
 * How arguments reach the procedure. `name` binds each argument to the parameter `@name`
 * and is used wherever the parameter names are verified (spGetNextSurrogateKey, spGetNextBatch:
 * sources S5, S6, S8, S12, docs/sage-sources.md); `position` is for procedures whose names differ between Sage copies
 * (the staging insert APIs, sources S1, S2, S9, S10, docs/sage-sources.md) or are not public (the journal-number procedure, sources S4, S8, docs/sage-sources.md).
 */
export type ParameterBinding = 'name' | 'position';

/** One statement of a batch: an INSERT/UPDATE whose row count is not needed, or a procedure call. */
export type BatchStep =
  | { kind: 'execute'; sql: string; params?: SqlParams }
  | { kind: 'procedure'; name: string; args: readonly ProcedureArg[]; binding?: ParameterBinding };

/** Per step: nothing for an execute, the outputs for a procedure call. */
export type BatchResult = Record<string, string | number | null>;

/**
 * SQL Server takes at most 2,100 parameters in one request (sp_executesql's limit); a batch is
 * split into requests that each stay within it.
 */
export const MAX_PARAMETERS_PER_REQUEST = 2_100;

export interface SqlSession {
  /** Runs a SELECT; decimal columns come back as canonical decimal text, dates as text. */
  query(sql: string, params?: SqlParams): Promise<SqlRow[]>;
  /** Runs INSERT/UPDATE; returns the number of rows affected. */
  execute(sql: string, params?: SqlParams): Promise<number>;
  /** Calls a Sage stored procedure, binding the arguments by position unless told to bind by name. */
  procedure(name: string, args: readonly ProcedureArg[], binding?: ParameterBinding): Promise<Record<string, string | number | null>>;
  /**
   * Sends several statements in as few round trips as the server allows (SQL Server: one T-SQL
   * batch per 2,100 parameters), in order; the first failure fails the call. An executor
   * without it (the sandbox, which has no round trips) runs each step alone through
   * execute/procedure with the same text: see runBatch.
   */
  batch?(steps: readonly BatchStep[]): Promise<BatchResult[]>;
}

/** The steps through `session.batch` when the executor has it, else one by one (the same statements). */
export async function runBatch(session: SqlSession, steps: readonly BatchStep[]): Promise<BatchResult[]> {
  if (steps.length === 0) return [];
  if (session.batch) return session.batch(steps);
  const results: BatchResult[] = [];
  for (const step of steps) {
    if (step.kind === 'execute') {
      await session.execute(step.sql, step.params);
      results.push({});
    } else {
      results.push(await session.procedure(step.name, step.args, step.binding));
    }
  }
  return results;
}

export interface SagePort extends SqlSession {
  /** Which database is behind the port: SQL Server, or the SQLite sandbox (no users, roles or GRANT). */
  readonly dialect: 'sql-server' | 'sandbox';
  /**
   * Runs `work` in one transaction with XACT_ABORT semantics: any error rolls everything
   * back. Keep the work short; Sage users share the database.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Takes the exclusive writer lock `resource` for as long as this port is open (SQL Server:
   * sp_getapplock owned by a dedicated session), so only one Stripe Sync writes to a Sage
   * company. Throws AppLockBusyError at once when another process holds it. Once held, every
   * transaction (each write chunk) first proves the lock is still held and throws
   * AppLockLostError instead of writing when it is not.
   */
  acquireAppLock(resource: string): Promise<{ release(): Promise<void> }>;
  close(): Promise<void>;
}

export class AppLockBusyError extends Error {
  constructor(readonly resource: string) {
    super(`another Stripe Sync is already writing to this Sage company (application lock "${resource}" is held); stop it first`);
    this.name = 'AppLockBusyError';
  }
}

/** The single-writer lock's session ended (network drop, server restart): nothing more may be written. */
export class AppLockLostError extends Error {
  constructor(readonly resource: string) {
    super(`the single-writer lock "${resource}" on the Sage database was lost (its connection closed); writing stopped, start the sync again`);
    this.name = 'AppLockLostError';
  }
}

/**
 * `unavailable`: Sage cannot take any write now (connection lost, database or transaction log
 * full); `transient`: this statement lost a race (deadlock victim, lock or query timeout).
 */
export type SqlFailureKind = 'unavailable' | 'transient' | 'constraint' | 'permission' | 'missing-object' | 'other';

/**
 * A failure reported by an executor, classified so the writer can decide: deadlock victims,
 * timeouts and lost connections are transient; constraint violations are data problems.
 */
export class SqlExecutionError extends Error {
  constructor(
    message: string,
    readonly kind: SqlFailureKind,
    readonly statement: string,
    /** The driver's own error, kept so a connection failure can be explained (main/app/sql-connection-problem.ts). */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SqlExecutionError';
  }
}
