import sql from 'mssql';
import type { MssqlPool } from '../../adapters/sage/mssql-executor.js';
import { formatDateTime } from '../../adapters/sage/mssql-mapping.js';
import type { ProcedureArg, SagePort, SqlParam, SqlParams, SqlSession } from '../../adapters/sage/sql-port.js';

/**
 * A stand-in for SQL Server behind the mssql driver's pool interface, answered by a sandbox:
 * the real MssqlExecutor runs unchanged on top of it (parameter declarations, T-SQL batches,
 * output parameters, transactions), and every request it sends is one round trip, counted
 * and optionally delayed by an emulated LAN latency. The batch text is taken apart at the
 * executor's own separators and each statement runs on the sandbox as written, so what is
 * measured is the statement stream a real SQL Server would receive. For benchmarks and tests:
 * it knows only the T-SQL the executor produces.
 */

export interface LoopbackStats {
  roundTrips: number;
  /** Statements inside those round trips (a T-SQL batch holds several). */
  statements: number;
}

type Parameters = Map<string, { param: SqlParam; output: boolean }>;

interface MssqlTypeInfo {
  type: unknown;
  length?: number;
  precision?: number;
  scale?: number;
}

/** The typed parameter back from what the executor declared (mssql-mapping.ts mssqlType/mssqlValue). */
function toSqlParam(typeOrFactory: MssqlTypeInfo | (() => MssqlTypeInfo), value: unknown): SqlParam {
  // mssql takes a type either built (sql.VarChar(30)) or as its factory (sql.Int).
  const declared: MssqlTypeInfo = typeof typeOrFactory === 'function' ? { type: typeOrFactory } : typeOrFactory;
  const text = value === null || value === undefined ? null : value instanceof Date ? formatDateTime(value) : String(value);
  const number = value === null || value === undefined ? null : Number(value);
  if (declared.type === sql.VarChar) return { type: 'varchar', length: declared.length ?? 8000, value: text };
  if (declared.type === sql.NVarChar) return { type: 'nvarchar', length: declared.length ?? 4000, value: text };
  if (declared.type === sql.Int) return { type: 'int', value: number };
  if (declared.type === sql.SmallInt) return { type: 'smallint', value: number };
  if (declared.type === sql.Decimal) return { type: 'decimal', precision: declared.precision ?? 18, scale: declared.scale ?? 0, value: text };
  if (declared.type === sql.DateTime) return { type: 'datetime', value: text };
  throw new Error(`the loopback does not know the parameter type ${String(declared.type)}`);
}

const SET_XACT_ABORT = /^SET XACT_ABORT (?:ON|OFF);? ?/;
const EXEC = /^EXEC (\w+)(?: (.*))?$/s;

/** Runs one request's text, statement by statement, on the sandbox session. */
async function runText(session: SqlSession, text: string, parameters: Parameters, stats: LoopbackStats): Promise<{ recordset: Record<string, unknown>[]; rowsAffected: number[]; output: Record<string, unknown> }> {
  const output: Record<string, unknown> = {};
  const rowsAffected: number[] = [];
  let recordset: Record<string, unknown>[] = [];
  const body = text.replace(SET_XACT_ABORT, '');
  if (body.trim() === '') return { recordset, rowsAffected, output };
  for (const statement of body.split(';\n')) {
    stats.statements++;
    const exec = EXEC.exec(statement);
    if (exec) {
      const args: (ProcedureArg & { parameter: string })[] = (exec[2] ?? '').split(', ').filter((part) => part !== '').map((part) => {
        const match = /^(?:@(\w+) = )?@(\w+)( OUTPUT)?$/.exec(part);
        if (!match) throw new Error(`the loopback cannot read the argument "${part}"`);
        const parameter = match[2]!;
        const declared = parameters.get(parameter);
        if (!declared) throw new Error(`undeclared parameter @${parameter}`);
        return { name: match[1] ?? parameter, param: declared.param, output: match[3] !== undefined, parameter };
      });
      const byName = args.length > 0 && /^@\w+ = /.test((exec[2] ?? '').split(', ')[0]!);
      const result = await session.procedure(exec[1]!, args.map(({ name, param, output: isOutput }) => ({ name, param, output: isOutput })), byName ? 'name' : 'position');
      for (const arg of args) if (arg.output) output[arg.parameter] = result[arg.name] ?? null;
      continue;
    }
    const params: SqlParams = {};
    for (const match of statement.matchAll(/@(\w+)/g)) {
      const declared = parameters.get(match[1]!);
      if (declared) params[match[1]!] = declared.param;
    }
    if (/^\s*SELECT\b/i.test(statement)) recordset = await session.query(statement, params);
    else rowsAffected.push(await session.execute(statement, params));
  }
  return { recordset: Object.assign(recordset, { columns: {} }), rowsAffected, output };
}

class LoopbackRequest {
  private readonly parameters: Parameters = new Map();

  constructor(
    private readonly session: () => SqlSession,
    private readonly roundTrip: () => Promise<void>,
    private readonly stats: LoopbackStats,
  ) {}

  input(name: string, type: MssqlTypeInfo | (() => MssqlTypeInfo), value: unknown): this {
    this.parameters.set(name, { param: toSqlParam(type, value), output: false });
    return this;
  }

  output(name: string, type: MssqlTypeInfo | (() => MssqlTypeInfo), value: unknown): this {
    this.parameters.set(name, { param: toSqlParam(type, value), output: true });
    return this;
  }

  async query(text: string): Promise<unknown> {
    await this.roundTrip();
    if (text.startsWith('SELECT APPLOCK_MODE')) return { recordset: Object.assign([{ LockMode: 'Exclusive' }], { columns: {} }), rowsAffected: [], output: {} };
    return runText(this.session(), text, this.parameters, this.stats);
  }

  batch(text: string): Promise<unknown> {
    return this.query(text);
  }

  /** Only the application lock's procedures come as RPCs; the sandbox writer is alone on its file. */
  async execute(procedure: string): Promise<unknown> {
    await this.roundTrip();
    if (procedure !== 'sp_getapplock' && procedure !== 'sp_releaseapplock') throw new Error(`the loopback runs no RPC ${procedure}`);
    return { returnValue: 0 };
  }
}

/** A transaction held open on the sandbox until the executor commits or rolls back. */
class LoopbackTransaction {
  private tx: SqlSession | null = null;
  private finish: ((commit: boolean) => void) | null = null;
  private settled: Promise<unknown> | null = null;

  constructor(
    private readonly port: SagePort,
    private readonly roundTrip: () => Promise<void>,
    private readonly stats: LoopbackStats,
  ) {}

  async begin(): Promise<void> {
    await this.roundTrip();
    await new Promise<void>((ready) => {
      this.settled = this.port.transaction(
        (tx) =>
          new Promise<void>((resolve, reject) => {
            this.tx = tx;
            this.finish = (commit) => (commit ? resolve() : reject(new Error('rolled back')));
            ready();
          }),
      );
      this.settled.catch(() => undefined);
    });
  }

  request(): LoopbackRequest {
    return new LoopbackRequest(
      () => {
        if (!this.tx) throw new Error('Transaction has not begun.');
        return this.tx;
      },
      this.roundTrip,
      this.stats,
    );
  }

  async commit(): Promise<void> {
    await this.roundTrip();
    await this.end(true);
  }

  async rollback(): Promise<void> {
    await this.roundTrip();
    await this.end(false);
  }

  private async end(commit: boolean): Promise<void> {
    if (!this.finish || !this.settled) throw new Error('Transaction has not begun.');
    const settled = this.settled;
    this.finish(commit);
    this.finish = null;
    this.tx = null;
    if (commit) await settled;
    else await settled.catch(() => undefined);
  }
}

export class LoopbackMssqlPool implements MssqlPool {
  readonly stats: LoopbackStats = { roundTrips: 0, statements: 0 };

  constructor(
    private readonly port: SagePort,
    /** Emulated network latency per round trip (0: none). */
    private readonly latencyMs = 0,
  ) {}

  private readonly roundTrip = async (): Promise<void> => {
    this.stats.roundTrips++;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  };

  request(): sql.Request {
    return new LoopbackRequest(() => this.port, this.roundTrip, this.stats) as unknown as sql.Request;
  }

  transaction(): sql.Transaction {
    return new LoopbackTransaction(this.port, this.roundTrip, this.stats) as unknown as sql.Transaction;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
