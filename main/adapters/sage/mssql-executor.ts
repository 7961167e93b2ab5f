import sql from 'mssql';
import { AppLockBusyError, AppLockLostError, type BatchResult, type BatchStep, type ParameterBinding, type ProcedureArg, type SagePort, type SqlParams, type SqlRow, type SqlSession } from './sql-port.js';
import { renderRequests } from './mssql-batch.js';
import { SELECT_APPLOCK_MODE } from './statements.js';
import { buildExecText, formatDateTime, mssqlType, mssqlValue, toSqlExecutionError } from './mssql-mapping.js';

export interface MssqlTarget {
  server: string;
  port?: number;
  database: string;
  user: string;
  /** Set for Windows authentication: mssql then logs in with NTLM as domain\\user. */
  domain?: string;
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

/** The part of an mssql ConnectionPool the executor uses; tests inject a fake of it (no SQL Server here). */
export interface MssqlPool {
  request(): sql.Request;
  transaction(): sql.Transaction;
  close(): Promise<void>;
}

/**
 * Sage's own procedures assume XACT_ABORT OFF. A pooled connection can come back from a
 * transaction the server aborted with XACT_ABORT still ON (mssql releases it by itself), so a
 * procedure called outside our transactions sets it OFF in the same batch.
 */
const OUTSIDE_TRANSACTION_PREFIX = 'SET XACT_ABORT OFF; ';

class MssqlSession implements SqlSession {
  constructor(
    private readonly newRequest: RequestSource,
    private readonly procedurePrefix: string,
    /** Sent once, at the head of this session's first request (a transaction's SET XACT_ABORT ON). */
    private firstPrefix = '',
  ) {}

  /** The prefix for the next request: the one-time one first, then the procedure prefix where it applies. */
  private prefix(forProcedure: boolean): string {
    const prefix = this.firstPrefix + (forProcedure ? this.procedurePrefix : '');
    this.firstPrefix = '';
    return prefix;
  }

  private prepared(params: SqlParams | undefined): sql.Request {
    const request = this.newRequest();
    for (const [name, param] of Object.entries(params ?? {})) request.input(name.replace(/^@/, ''), mssqlType(param), mssqlValue(param));
    return request;
  }

  async query(text: string, params?: SqlParams): Promise<SqlRow[]> {
    try {
      return toRows(await this.prepared(params).query<Record<string, unknown>>(this.prefix(false) + text));
    } catch (error) {
      throw toSqlExecutionError(error, text);
    }
  }

  async execute(text: string, params?: SqlParams): Promise<number> {
    try {
      const result = await this.prepared(params).query(this.prefix(false) + text);
      return result.rowsAffected.reduce((sum, count) => sum + count, 0);
    } catch (error) {
      throw toSqlExecutionError(error, text);
    }
  }

  async procedure(name: string, args: readonly ProcedureArg[], binding: ParameterBinding = 'position'): Promise<Record<string, string | number | null>> {
    const text = buildExecText(name, args, binding);
    const request = this.newRequest();
    args.forEach((arg, index) => {
      const declared = `p${index + 1}`;
      if (arg.output) request.output(declared, mssqlType(arg.param), mssqlValue(arg.param));
      else request.input(declared, mssqlType(arg.param), mssqlValue(arg.param));
    });
    try {
      const result = await request.query(this.prefix(true) + text);
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

  /** One round trip per request of renderRequests (each within 2,100 parameters). */
  async batch(steps: readonly BatchStep[]): Promise<BatchResult[]> {
    const results: BatchResult[] = steps.map(() => ({}));
    const procedures = steps.some((step) => step.kind === 'procedure');
    for (const rendered of renderRequests(steps, this.prefix(procedures))) {
      const request = this.newRequest();
      for (const [name, param] of rendered.inputs) request.input(name, mssqlType(param), mssqlValue(param));
      for (const [name, param] of rendered.outputs) request.output(name, mssqlType(param), mssqlValue(param));
      let output: Record<string, unknown>;
      try {
        output = (await request.query(rendered.text)).output;
      } catch (error) {
        throw toSqlExecutionError(error, rendered.text);
      }
      for (const step of rendered.steps) {
        for (const { arg, parameter } of step.outputs) {
          const value = output[parameter];
          results[step.index]![arg] = typeof value === 'number' || typeof value === 'string' ? value : value instanceof Date ? formatDateTime(value) : null;
        }
      }
    }
    return results;
  }
}

/**
 * sp_getapplock with a session owner and no wait, called as an RPC (no SQL text): the lock
 * lives exactly as long as the connection that took it, so a crashed process releases it
 * without anyone's help. Its return value is 0 or 1 when granted, negative when refused.
 */
function appLockRequest(pool: MssqlPool, resource: string): sql.Request {
  return pool.request().input('Resource', sql.NVarChar(255), resource).input('LockOwner', sql.VarChar(32), 'Session');
}

/**
 * The lock's connection must outlive the run: the pool it lives in keeps one connection
 * (min 1) that is never closed for idleness (mssql's default closes an idle connection after
 * 30 s, which would end the session and silently drop the lock), and a keep-alive asks the
 * server every KEEP_ALIVE_MS whether the lock is still held.
 */
export const LOCK_POOL_SETTINGS = { max: 1, min: 1, idleTimeoutMillis: 2_147_483_647 } as const;
export const KEEP_ALIVE_MS = 10_000;

/** A held sp_getapplock: proves it is still held (APPLOCK_MODE on its own session) before each write chunk. */
class HeldAppLock {
  private lost = false;
  private readonly keepAlive: ReturnType<typeof setInterval>;

  constructor(
    private readonly dedicated: MssqlPool,
    readonly resource: string,
  ) {
    this.keepAlive = setInterval(() => {
      this.verify().catch(() => undefined);
    }, KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  async verify(): Promise<void> {
    if (this.lost) throw new AppLockLostError(this.resource);
    let mode: unknown;
    try {
      const result = await this.dedicated.request().input('resource', sql.NVarChar(255), this.resource).query<Record<string, unknown>>(SELECT_APPLOCK_MODE);
      mode = result.recordset?.[0]?.['LockMode'];
    } catch {
      mode = null;
    }
    if (mode !== 'Exclusive') {
      this.lost = true;
      throw new AppLockLostError(this.resource);
    }
  }

  async release(): Promise<void> {
    clearInterval(this.keepAlive);
    this.lost = true;
    await appLockRequest(this.dedicated, this.resource).execute('sp_releaseapplock').catch(() => undefined);
    await this.dedicated.close();
  }
}

/** The SagePort over one mssql ConnectionPool. */
export class MssqlExecutor implements SagePort {
  readonly dialect = 'sql-server' as const;
  private readonly session: MssqlSession;
  private heldLock: HeldAppLock | null = null;

  constructor(
    private readonly pool: MssqlPool,
    private readonly openDedicated: () => Promise<MssqlPool>,
  ) {
    this.session = new MssqlSession(() => pool.request(), OUTSIDE_TRANSACTION_PREFIX);
  }

  query(text: string, params?: SqlParams): Promise<SqlRow[]> {
    return this.session.query(text, params);
  }

  execute(text: string, params?: SqlParams): Promise<number> {
    return this.session.execute(text, params);
  }

  procedure(name: string, args: readonly ProcedureArg[], binding?: ParameterBinding): Promise<Record<string, string | number | null>> {
    return this.session.procedure(name, args, binding);
  }

  batch(steps: readonly BatchStep[]): Promise<BatchResult[]> {
    return this.session.batch(steps);
  }

  /**
   * XACT_ABORT ON for our transaction only: any error dooms the whole transaction, so no half
   * document can commit (source S5, docs/sage-sources.md); it travels at the head of the
   * transaction's first request (no round trip of its own) and is set OFF again on the same
   * connection before the connection goes back to the pool. A held single-writer lock is proven first.
   */
  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    if (this.heldLock) await this.heldLock.verify();
    const transaction = this.pool.transaction();
    try {
      await transaction.begin();
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw toSqlExecutionError(error, 'BEGIN TRANSACTION');
    }
    const restore = async (): Promise<void> => {
      await transaction.request().batch('SET XACT_ABORT OFF');
    };
    try {
      const result = await work(new MssqlSession(() => transaction.request(), '', 'SET XACT_ABORT ON; '));
      try {
        await restore();
        await transaction.commit();
      } catch (error) {
        throw toSqlExecutionError(error, 'COMMIT TRANSACTION');
      }
      return result;
    } catch (error) {
      // When the server already rolled back (XACT_ABORT), mssql has released the connection and
      // both calls fail: the OFF prefix on procedure calls covers that connection's next user.
      await restore().catch(() => undefined);
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
    const held = new HeldAppLock(dedicated, resource);
    this.heldLock = held;
    return {
      release: async () => {
        if (this.heldLock === held) this.heldLock = null;
        await held.release();
      },
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Connects to the site's Sage database with the integration's own SQL login. */
export async function openMssql(target: MssqlTarget, password: string): Promise<SagePort> {
  const connect = async (poolSettings: sql.PoolOpts<sql.Connection>): Promise<sql.ConnectionPool> => {
    const pool = new sql.ConnectionPool({
      server: target.server,
      port: target.port,
      database: target.database,
      user: target.user,
      password,
      ...(target.domain === undefined ? {} : { domain: target.domain }),
      options: { encrypt: target.encrypt, trustServerCertificate: target.trustServerCertificate, useUTC: true },
      pool: poolSettings,
    });
    try {
      await pool.connect();
    } catch (error) {
      throw toSqlExecutionError(error, `connect to ${target.server}/${target.database}`);
    }
    return pool;
  };
  return new MssqlExecutor(await connect({ max: 4, min: 0 }), () => connect(LOCK_POOL_SETTINGS));
}
