import type Database from 'better-sqlite3';
import { formatSageAmount, parseSageAmount } from '../../core/money/sage-amount.js';
import { AppLockBusyError, SqlExecutionError, type ParameterBinding, type ProcedureArg, type SagePort, type SqlParam, type SqlParams, type SqlRow, type SqlSession } from '../../adapters/sage/sql-port.js';
import { permissionDeniedMessage, statementPermissions, type ObjectPermission, type StatementPermission } from '../../adapters/sage/statement-permissions.js';
import { moneyColumnNames } from './ddl.js';
import { installInformationSchema } from './information-schema.js';
import { acquireProcessLock, ProcessLockError } from '../../adapters/locks/process-lock.js';
import type { EmulatedProcedure, ProcedureValue } from './procedures/procedure-types.js';
import { EMULATED_PROCEDURES } from './procedures/registry.js';
import { toSqlExecutionError } from './sqlite-errors.js';
import { localDateTime, toSageDateTime, toSqliteText } from './tsql-dialect.js';
import { SerialQueue } from '../../core/async/serial-queue.js';

type BoundValue = string | number | bigint | null;

const MAX_CACHED_STATEMENTS = 500;

/** decimal(15,3) parameters become integer thousandths (the sandbox's money storage). */
function bindValue(param: SqlParam): BoundValue {
  if (param.value === null) return null;
  switch (param.type) {
    case 'decimal':
      return param.precision === 15 && param.scale === 3 ? parseSageAmount(param.value) : param.value;
    case 'datetime':
      return toSageDateTime(param.value);
    // SQLite text is Unicode: varchar and nvarchar text are stored as sent.
    default:
      return param.value;
  }
}

function bindAll(params: SqlParams | undefined): Record<string, BoundValue> {
  const bound: Record<string, BoundValue> = {};
  for (const [name, param] of Object.entries(params ?? {})) bound[name.replace(/^@/, '')] = bindValue(param);
  return bound;
}

/**
 * One SQLite connection seen as a Sage SQL session. Statement text is the shared T-SQL;
 * money columns (by name, from the schema) come back as canonical decimal text.
 */
class SqliteSession implements SqlSession {
  /** Prepared once per statement text: translating and preparing is most of a call's cost. */
  private readonly statements = new Map<string, { statement: Database.Statement; permissions: StatementPermission[] }>();
  private readonly grants: SandboxGrants;

  constructor(
    private readonly db: Database.Database,
    private readonly moneyColumns: ReadonlySet<string>,
  ) {
    this.grants = new SandboxGrants(db);
  }

  /** SQL Server's error 229 for an object the login may not use this way (sandbox_permission_denied). */
  refuseDenied(permission: ObjectPermission, object: string, statement: string): void {
    if (this.grants.denied(permission, object)) {
      throw new SqlExecutionError(permissionDeniedMessage(permission, object, this.grants.databaseName), 'permission', statement);
    }
  }

  private toRow(raw: Record<string, unknown>): SqlRow {
    const row: SqlRow = {};
    for (const [column, value] of Object.entries(raw)) {
      if (value === null || value === undefined) row[column] = null;
      else if (this.moneyColumns.has(column) && (typeof value === 'number' || typeof value === 'bigint')) row[column] = formatSageAmount(BigInt(value));
      else if (typeof value === 'number' || typeof value === 'string') row[column] = value;
      else if (typeof value === 'bigint') row[column] = Number(value);
      else row[column] = String(value);
    }
    return row;
  }

  private run<T>(sql: string, work: (statement: Database.Statement) => T): T {
    try {
      let prepared = this.statements.get(sql);
      if (!prepared) {
        // Multi-row inserts vary in their row count: a bounded cache keeps a long backfill's memory flat.
        if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
        prepared = { statement: this.db.prepare(toSqliteText(sql)), permissions: statementPermissions(sql) };
        this.statements.set(sql, prepared);
      }
      for (const { object, permission } of prepared.permissions) this.refuseDenied(permission, object, sql);
      return work(prepared.statement);
    } catch (error) {
      throw toSqlExecutionError(error, sql);
    }
  }

  query(sql: string, params?: SqlParams): Promise<SqlRow[]> {
    return Promise.resolve(
      this.run(sql, (statement) => (statement.all(bindAll(params)) as Record<string, unknown>[]).map((raw) => this.toRow(raw))),
    );
  }

  execute(sql: string, params?: SqlParams): Promise<number> {
    return Promise.resolve(this.run(sql, (statement) => statement.run(bindAll(params)).changes));
  }

  procedure(name: string, args: readonly ProcedureArg[], binding: ParameterBinding = 'position'): Promise<Record<string, string | number | null>> {
    const emulation = EMULATED_PROCEDURES[name];
    const statement = `EXEC ${name}`;
    if (!emulation) return Promise.reject(new SqlExecutionError(`Could not find stored procedure '${name}'`, 'missing-object', statement));
    let positions: number[];
    try {
      this.refuseDenied('EXECUTE', name, statement);
      positions = argumentPositions(name, emulation, args, binding);
    } catch (error) {
      return Promise.reject(error);
    }
    const inputs: ProcedureValue[] = emulation.parameters.map(() => null);
    args.forEach(({ param }, index) => {
      const value = bindValue(param);
      inputs[positions[index]!] = typeof value === 'bigint' ? Number(value) : value;
    });
    try {
      const outputs = emulation.run(this.db, inputs);
      const result: Record<string, string | number | null> = {};
      args.forEach((arg, index) => {
        if (arg.output) result[arg.name] = outputs.get(positions[index]!) ?? null;
      });
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(toSqlExecutionError(error, statement));
    }
  }
}

/**
 * The grants a tester took away (sandbox_permission_denied, created with the sandbox); SQL Server
 * compares object names case-insensitively under Sage's collation. Read for every statement,
 * so a grant denied while the sandbox is open is refused at once, as on SQL Server.
 */
class SandboxGrants {
  private readonly read: Database.Statement | null;
  readonly databaseName: string;

  constructor(db: Database.Database) {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sandbox_permission_denied'").get();
    this.read = exists ? db.prepare('SELECT 1 FROM sandbox_permission_denied WHERE lower(ObjectName) = lower(?) AND upper(Permission) = ? LIMIT 1') : null;
    this.databaseName = db.name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'sandbox';
  }

  denied(permission: ObjectPermission, object: string): boolean {
    return this.read !== null && this.read.get(object, permission) !== undefined;
  }
}

/**
 * Where each argument lands in the procedure's parameter list. SQL Server answers an unknown
 * name with error 8145; the sandbox also refuses the binding a procedure must not be called with.
 */
function argumentPositions(name: string, emulation: EmulatedProcedure, args: readonly ProcedureArg[], binding: ParameterBinding): number[] {
  const statement = `EXEC ${name}`;
  if (binding !== emulation.binding) {
    const why = emulation.binding === 'name' ? 'its parameter order is not verified; call it by parameter name' : 'its parameter names differ between Sage copies; call it by position';
    throw new SqlExecutionError(`Sandbox refuses a call of ${name} by ${binding}: ${why}`, 'other', statement);
  }
  if (args.length > emulation.parameters.length) throw new SqlExecutionError(`Procedure or function ${name} has too many arguments specified.`, 'other', statement);
  if (binding === 'position') return args.map((_arg, index) => index);
  return args.map((arg) => {
    const position = emulation.parameters.indexOf(arg.name);
    if (position < 0) throw new SqlExecutionError(`Procedure or function ${name} has no parameter named @${arg.name}.`, 'other', statement);
    return position;
  });
}

/**
 * The SagePort over a sandbox file. better-sqlite3 is synchronous but transaction work is
 * async, so every top-level call waits its turn in a queue: a caller never sees, or joins,
 * another caller's open transaction. Transactions are BEGIN IMMEDIATE … COMMIT; the deferred
 * foreign keys are checked at COMMIT, and any failure rolls the whole document back.
 */
export class SandboxExecutor implements SagePort {
  readonly dialect = 'sandbox' as const;
  private readonly session: SqliteSession;
  private readonly queue = new SerialQueue();

  constructor(private readonly db: Database.Database) {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL with NORMAL sync: a killed process never loses a commit (what the crash suite
    // tests); only a power cut could, which matters for SQL Server, not for a test double.
    db.pragma('synchronous = NORMAL');
    db.function('GETDATE', { deterministic: false }, () => localDateTime());
    installInformationSchema(db);
    this.session = new SqliteSession(db, moneyColumnNames());
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.run(work);
  }

  query(sql: string, params?: SqlParams): Promise<SqlRow[]> {
    return this.exclusive(() => this.session.query(sql, params));
  }

  execute(sql: string, params?: SqlParams): Promise<number> {
    return this.exclusive(() => this.session.execute(sql, params));
  }

  procedure(name: string, args: readonly ProcedureArg[], binding?: ParameterBinding): Promise<Record<string, string | number | null>> {
    return this.exclusive(() => this.session.procedure(name, args, binding));
  }

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw toSqlExecutionError(error, 'BEGIN IMMEDIATE');
      }
      try {
        const result = await work(this.session);
        try {
          this.db.exec('COMMIT');
        } catch (error) {
          throw toSqlExecutionError(error, 'COMMIT');
        }
        return result;
      } catch (error) {
        // The writer's own errors (SageWriteError) pass through unchanged.
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /**
   * The sandbox's sp_getapplock: a lock file beside the sandbox owned by this process. Like
   * a session-owned SQL Server lock, it dies with its owner (a killed process's lock is
   * taken over), which the crash suite relies on.
   */
  acquireAppLock(resource: string): Promise<{ release(): Promise<void> }> {
    try {
      const lock = acquireProcessLock(`${this.db.name}.${resource.replace(/[^A-Za-z0-9_-]/g, '_')}.applock`, 'this Sage company');
      return Promise.resolve({ release: () => Promise.resolve(lock.release()) });
    } catch (error) {
      return Promise.reject(error instanceof ProcessLockError ? new AppLockBusyError(resource) : error);
    }
  }

  close(): Promise<void> {
    return this.exclusive(() => {
      this.db.close();
      return Promise.resolve();
    });
  }
}
