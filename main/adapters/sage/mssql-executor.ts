import sql from 'mssql';
import { AppLockBusyError, type ProcedureArg, type SagePort, type SqlParams, type SqlRow, type SqlSession } from './sql-port.js';
import { buildExecText, formatDateTime, mssqlType, mssqlValue, toSqlExecutionError } from './mssql-mapping.js';

export interface MssqlTarget {
  server: string;
  port?: number;
  database: string;
  user: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
}

type RequestSource = () => sql.Request;

function toRows(result: sql.IResult<Record<string, unknown>>): SqlRow[] {
  const recordset = result.recordset;
  if (!recordset) return [];
  const columns = recordset.columns;
  return recordset.map((raw) => {
    const row: SqlRow = {};
    for (const [name, value] of Object.entries(raw)) {
      const meta = columns[name];
      if (value === null || value === undefined) row[name] = null;
      else if (value instanceof Date) row[name] = formatDateTime(value);
      // tedious returns decimals as numbers; decimal(15,3) has at most 15 significant digits, which a double holds exactly.
      else if (typeof value === 'number' && meta && (meta.type === sql.Decimal || meta.type === sql.Numeric)) row[name] = value.toFixed(meta.scale ?? 0);
      else if (typeof value === 'number' || typeof value === 'string') row[name] = value;
      else row[name] = String(value);
    }
    return row;
  });
}

class MssqlSession implements SqlSession {
  constructor(private readonly newRequest: RequestSource) {}

  private prepared(params: SqlParams | undefined): sql.Request {
    const request = this.newRequest();
    for (const [name, param] of Object.entries(params ?? {})) request.input(name.replace(/^@/, ''), mssqlType(param), mssqlValue(param));
    return request;
  }

  async query(text: string, params?: SqlParams): Promise<SqlRow[]> {
    try {
      return toRows(await this.prepared(params).query<Record<string, unknown>>(text));
    } catch (error) {
      throw toSqlExecutionError(error, text);
    }
  }

  async execute(text: string, params?: SqlParams): Promise<number> {
    try {
      const result = await this.prepared(params).query(text);
      return result.rowsAffected.reduce((sum, count) => sum + count, 0);
    } catch (error) {
      throw toSqlExecutionError(error, text);
    }
  }

  async procedure(name: string, args: readonly ProcedureArg[]): Promise<Record<string, string | number | null>> {
    const text = buildExecText(name, args);
    const request = this.newRequest();
    args.forEach((arg, index) => {
      const declared = `p${index + 1}`;
      if (arg.output) request.output(declared, mssqlType(arg.param), mssqlValue(arg.param));
      else request.input(declared, mssqlType(arg.param), mssqlValue(arg.param));
    });
    try {
      const result = await request.query(text);
      const outputs: Record<string, string | number | null> = {};
      args.forEach((arg, index) => {
        if (!arg.output) return;
        const value: unknown = result.output[`p${index + 1}`];
        outputs[arg.name] = typeof value === 'number' || typeof value === 'string' ? value : value instanceof Date ? formatDateTime(value) : null;
      });
      return outputs;
    } catch (error) {
      throw toSqlExecutionError(error, text);
    }
  }
}

/**
 * sp_getapplock with a session owner and no wait, called as an RPC (no SQL text): the lock
 * lives exactly as long as the connection that took it, so a crashed process releases it
 * without anyone's help. Its return value is 0 or 1 when granted, negative when refused.
 */
function appLockRequest(pool: sql.ConnectionPool, resource: string): sql.Request {
  return pool.request().input('Resource', sql.NVarChar(255), resource).input('LockOwner', sql.VarChar(32), 'Session');
}

/** The SagePort over one mssql ConnectionPool. */
export class MssqlExecutor implements SagePort {
  readonly dialect = 'sql-server' as const;
  private readonly session: MssqlSession;

  constructor(
    private readonly pool: sql.ConnectionPool,
    private readonly openDedicated: () => Promise<sql.ConnectionPool>,
  ) {
    this.session = new MssqlSession(() => pool.request());
  }

  query(text: string, params?: SqlParams): Promise<SqlRow[]> {
    return this.session.query(text, params);
  }

  execute(text: string, params?: SqlParams): Promise<number> {
    return this.session.execute(text, params);
  }

  procedure(name: string, args: readonly ProcedureArg[]): Promise<Record<string, string | number | null>> {
    return this.session.procedure(name, args);
  }

  /** XACT_ABORT ON: any error dooms the whole transaction, so no half document can commit (§6.5). */
  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    const transaction = new sql.Transaction(this.pool);
    try {
      await transaction.begin();
      await new sql.Request(transaction).batch('SET XACT_ABORT ON');
    } catch (error) {
      throw toSqlExecutionError(error, 'BEGIN TRANSACTION');
    }
    try {
      const result = await work(new MssqlSession(() => new sql.Request(transaction)));
      try {
        await transaction.commit();
      } catch (error) {
        throw toSqlExecutionError(error, 'COMMIT TRANSACTION');
      }
      return result;
    } catch (error) {
      // With XACT_ABORT the server may already have rolled back; a failing rollback adds nothing.
      await transaction.rollback().catch(() => undefined);
      // The writer's own errors (SageWriteError) pass through unchanged.
      throw error;
    }
  }

  async acquireAppLock(resource: string): Promise<{ release(): Promise<void> }> {
    // A pool of one: the session that owns the lock must stay the same connection.
    const dedicated = await this.openDedicated();
    try {
      const result = await appLockRequest(dedicated, resource)
        .input('LockMode', sql.VarChar(32), 'Exclusive')
        .input('LockTimeout', sql.Int, 0)
        .execute('sp_getapplock');
      if (result.returnValue < 0) throw new AppLockBusyError(resource);
    } catch (error) {
      await dedicated.close();
      throw error instanceof AppLockBusyError ? error : toSqlExecutionError(error, 'sp_getapplock');
    }
    return {
      release: async () => {
        await appLockRequest(dedicated, resource).execute('sp_releaseapplock').catch(() => undefined);
        await dedicated.close();
      },
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Connects to the site's Sage database with the integration's own SQL login. */
export async function openMssql(target: MssqlTarget, password: string): Promise<SagePort> {
  const connect = async (max: number): Promise<sql.ConnectionPool> => {
    const pool = new sql.ConnectionPool({
      server: target.server,
      port: target.port,
      database: target.database,
      user: target.user,
      password,
      options: { encrypt: target.encrypt, trustServerCertificate: target.trustServerCertificate, useUTC: true },
      pool: { max, min: 0 },
    });
    try {
      await pool.connect();
    } catch (error) {
      throw toSqlExecutionError(error, `connect to ${target.server}/${target.database}`);
    }
    return pool;
  };
  return new MssqlExecutor(await connect(4), () => connect(1));
}
